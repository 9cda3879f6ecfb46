/**
 * The render loop of a worker, a thread (src/build/worker.ts) or a child process
 * (src/build/process-worker.ts) alike: resources loaded once, then every job the pool sends
 * rendered in order and answered with its bytes.
 */
import { fileDiagnostic } from '../diagnostics.js';
import { loadResources } from '../resources.js';
import { type RenderJob, type RenderResult, timedRenderJob } from './render-job.js';
import { slowOptimiser } from './tiering.js';

/** How a worker hears jobs and answers them. */
export interface JobPort {
  readonly onJob: (take: (job: RenderJob) => void) => void;
  /** Sends a result; `transfer` lists the buffers it may move rather than copy. */
  readonly answer: (result: RenderResult, transfer: readonly ArrayBuffer[]) => void;
}

/** A Buffer may be a view into a shared pool; give the transfer a buffer of its own. */
function standalone(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}

/** Serves jobs from `port` for as long as it lives. */
export function serveJobs(port: JobPort): void {
  // Once per worker: parsing the TTFs and templates per document is what made batches slow.
  const resources = loadResources();
  const answer = (result: RenderResult) => {
    if (!result.ok) {
      port.answer(result, []);
      return;
    }
    const outputs = result.outputs.map((o) => ({ format: o.format, bytes: standalone(o.bytes) }));
    port.answer(
      { ...result, outputs },
      outputs.map((o) => o.bytes.buffer as ArrayBuffer),
    );
  };
  // The pool may send the next job before this one is done: render one at a time, in order
  // (two renders interleaved at their awaits would only raise the peak memory).
  let chain: Promise<void> = Promise.resolve();
  port.onJob((job) => {
    if (job.slowOptimiser) slowOptimiser();
    chain = chain.then(async () => {
      try {
        answer(await timedRenderJob(job, resources));
      } catch (e) {
        // renderJob turns failures into problems; this is the answer itself failing. The chain
        // must go on, or every later job would wait forever.
        const message = `render worker: ${e instanceof Error ? e.message : String(e)}`;
        port.answer(
          { id: job.id, ok: false, problems: [fileDiagnostic(job.file, 'render-failed', message)] },
          [],
        );
      }
    });
  });
}
