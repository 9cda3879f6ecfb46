/**
 * A pool of render workers: threads (node:worker_threads), or child processes when the command
 * runs from the start-up snapshot (src/build/process-worker.ts). Each worker loads its resources
 * once and then renders the documents it is sent; a document that fails (or crashes its worker)
 * fails alone.
 */

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileDiagnostic } from '../diagnostics.js';
import type { RenderJob, RenderResult } from './render-job.js';

/** A job as the pool's caller gives it (the pool numbers jobs itself). */
export type PoolJob = Omit<RenderJob, 'id'>;

/** Worker count used when the caller does not choose: one per core the process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** What the pool needs of a worker, a thread or a child process. */
export interface RenderWorker {
  readonly send: (job: RenderJob) => void;
  readonly onMessage: (take: (result: RenderResult) => void) => void;
  readonly onError: (fail: (e: Error) => void) => void;
  readonly onExit: (gone: (code: number | null) => void) => void;
  /** Stops it; resolves once it has stopped. */
  readonly terminate: () => Promise<unknown>;
  /** A child process's id. */
  readonly pid?: number;
}

/** A worker thread as a RenderWorker. */
function threadWorker(worker: Worker): RenderWorker {
  return {
    send: (job) => worker.postMessage(job),
    onMessage: (take) => worker.on('message', take),
    onError: (fail) => worker.on('error', fail),
    onExit: (gone) => worker.on('exit', gone),
    terminate: () => worker.terminate(),
  };
}

/**
 * A child process running `execPath args…` (a render worker: src/build/process-worker.ts) as a
 * RenderWorker. Its stdout is not the command's; its stderr is (a crash says why there).
 */
export function processWorker(execPath: string, args: readonly string[]): RenderWorker {
  const child = spawn(execPath, [...args], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    // A job sent as the process dies is lost with it: its exit fails the job.
    send: (job) => child.send(job, (e) => e && !gone() && child.kill()),
    onMessage: (take) => child.on('message', (m) => take(m as RenderResult)),
    onError: (fail) => child.on('error', fail),
    onExit: (exited) => child.on('exit', (code) => exited(code)),
    terminate: () =>
      new Promise<void>((done) => {
        if (gone()) {
          done();
          return;
        }
        child.once('exit', () => done());
        child.kill();
      }),
  };
}

/**
 * Starts a worker running the worker module next to this one. Run from TypeScript sources (tests,
 * the benchmark), this module is `pool.ts`: Node 20 ignores loader flags in a worker's execArgv,
 * so a small bootstrap registers tsx inside the thread before importing `worker.ts`.
 */
function startModuleWorker(): RenderWorker {
  if (!import.meta.url.endsWith('.ts')) {
    return threadWorker(new Worker(new URL('./worker.js', import.meta.url)));
  }
  const target = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  // Resolved here, not in the eval'd bootstrap (which resolves from the working directory).
  const tsx = JSON.stringify(
    typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api',
  );
  const boot = `import(${tsx}).then((t) => t.tsImport(${target}, ${target}))`;
  return threadWorker(new Worker(boot, { eval: true }));
}

let startWorker: () => RenderWorker = startModuleWorker;

/** Whether the pools made now start child processes (each with its own V8 flags) as workers. */
let inProcesses = false;

/** Whether pools made now start their workers as child processes, not threads. */
export function workersAreProcesses(): boolean {
  return inProcesses;
}

/**
 * Makes every pool made afterwards start its workers from `file` with `workerData`. The bundled
 * CLI (src/bundle.ts) has no worker module beside it: its workers run the launcher, which loads
 * the bundle.
 */
export function startWorkersFrom(file: string, workerData: unknown): void {
  startWorker = () => threadWorker(new Worker(file, { workerData }));
  inProcesses = false;
}

/**
 * Makes every pool made afterwards start its workers as child processes, `execPath args…`: the
 * command runs from the start-up snapshot, and so do they.
 */
export function startWorkerProcesses(execPath: string, args: readonly string[]): void {
  startWorker = () => processWorker(execPath, args);
  inProcesses = true;
}

interface InFlight {
  readonly job: RenderJob;
  readonly resolve: (r: RenderResult) => void;
}

interface Slot {
  readonly worker: RenderWorker;
  /** Jobs sent and not answered, oldest first: the worker renders them in that order. */
  readonly inFlight: InFlight[];
}

/**
 * Jobs a worker holds at once: the one it renders and the next, so that it starts the next as
 * soon as it finishes, even while the main thread is busy (writing files, or rendering itself)
 * and cannot answer its message at once.
 */
const DEPTH = 2;

/** Renders jobs on up to `size` workers, started on demand. */
export class RenderPool {
  readonly size: number;
  /** Jobs the workers hold at most at once (the rest wait in the pool's queue). */
  readonly capacity: number;
  private readonly slots: Slot[] = [];
  private readonly queue: InFlight[] = [];
  private nextId = 1;
  private closed = false;

  /** `size` ≥ 1 workers at most (default: `defaultJobs()`). */
  constructor(size: number = defaultJobs()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size ${size} is not ≥ 1`);
    this.size = size;
    this.capacity = size * DEPTH;
  }

  /** Renders one document; resolves with its bytes or problems, never rejects. */
  render(job: PoolJob): Promise<RenderResult> {
    if (this.closed) throw new Error('render pool is closed');
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve });
      this.dispatch();
    });
  }

  /**
   * Starts every worker now rather than at the first jobs, so that their start-up (loading the
   * modules and fonts, ~0.5 s of CPU each) runs while the caller is still reading its sources.
   */
  start(): void {
    while (!this.closed && this.slots.length < this.size) this.spawn();
  }

  /** Stops every worker. Jobs still queued are not run. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  /** The slot for the next job: an idle worker, else a new one, else one with room in hand. */
  private pick(): Slot | undefined {
    const idle = this.slots.find((s) => s.inFlight.length === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn();
    return this.slots.find((s) => s.inFlight.length < DEPTH);
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = this.pick();
      if (!slot) return;
      const next = this.queue.shift();
      if (!next) return;
      slot.inFlight.push(next);
      slot.worker.send(next.job);
    }
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, inFlight: [] };
    this.slots.push(slot);
    worker.onMessage((result) => {
      const i = slot.inFlight.findIndex((f) => f.job.id === result.id);
      const [done] = i < 0 ? [] : slot.inFlight.splice(i, 1);
      done?.resolve(result);
      this.dispatch();
    });
    // A crash (out of memory, a renderer that kills its thread) fails the document it was on;
    // the jobs it held but had not started go back to the queue, for a fresh worker.
    const lost = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      const [current, ...waiting] = slot.inFlight.splice(0);
      current?.resolve({
        id: current.job.id,
        ok: false,
        problems: [fileDiagnostic(current.job.file, 'render-failed', why)],
      });
      this.queue.unshift(...waiting);
      if (!this.closed) this.dispatch();
    };
    worker.onError((e) => lost(`render worker failed: ${e.message}`));
    worker.onExit((code) => lost(`render worker exited with code ${code}`));
    return slot;
  }
}
