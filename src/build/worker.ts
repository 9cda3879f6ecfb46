/**
 * A render worker (node:worker_threads). It loads fonts, templates and the renderer modules once,
 * when the thread starts, then renders every job the pool sends it; the bytes go back to the main
 * thread (transferred, not copied), which writes the files.
 */

import { parentPort } from 'node:worker_threads';
import { fileDiagnostic } from '../diagnostics.js';
import { loadResources } from '../resources.js';
import { type RenderJob, type RenderResult, renderJob } from './render-job.js';

const port = parentPort;
if (!port) throw new Error('src/build/worker is a worker_threads module, not a script');

// Once per worker: parsing the TTFs and templates per document is what made batches slow.
const resources = loadResources();

/** A Buffer may be a view into a shared pool; give the transfer a buffer of its own. */
function standalone(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}

/** Sends a result back, transferring the output bytes rather than copying them. */
function answer(result: RenderResult): void {
  if (!result.ok) {
    port?.postMessage(result);
    return;
  }
  const outputs = result.outputs.map((o) => ({ format: o.format, bytes: standalone(o.bytes) }));
  port?.postMessage(
    { ...result, outputs },
    outputs.map((o) => o.bytes.buffer as ArrayBuffer),
  );
}

// The pool may send the next job before this one is done: render one at a time, in order
// (two renders interleaved at their awaits would only raise the peak memory).
let chain: Promise<void> = Promise.resolve();
port.on('message', (job: RenderJob) => {
  chain = chain.then(async () => {
    try {
      answer(await renderJob(job, resources));
    } catch (e) {
      // renderJob turns failures into problems; this is the answer itself failing. The chain must
      // go on, or every later job would wait forever.
      const message = `render worker: ${e instanceof Error ? e.message : String(e)}`;
      port.postMessage({
        id: job.id,
        ok: false,
        problems: [fileDiagnostic(job.file, 'render-failed', message)],
      } satisfies RenderResult);
    }
  });
});
