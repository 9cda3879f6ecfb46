/**
 * Where documents are rendered: the main thread for a single document (starting a thread that
 * loads the same modules again would only add its start-up time); for a batch, the main thread
 * and worker threads together, or — when the command runs from the start-up snapshot — worker
 * processes started from it, while the main thread sends and writes.
 */

import { availableParallelism } from 'node:os';
import { fileDiagnostic } from '../diagnostics.js';
import { EngineMismatch } from '../render/types.js';
import { ResourceFailure } from '../style/load.js';
import { type PoolJob, RenderPool, workersAreProcesses } from './pool.js';
import type { RenderJob, RenderResult } from './render-job.js';
import type { Backend } from './run.js';
import { slowOptimiser } from './tiering.js';

/** Renders in the main thread, one job at a time; modules and resources load on first use. */
export function mainThreadBackend(): Backend {
  let id = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const ready = Promise.all([import('./render-job.js'), import('../resources.js')]);
  return {
    threads: 1,
    render: (job) => {
      const full: RenderJob = { ...job, id: ++id };
      const run = async (): Promise<RenderResult> => {
        try {
          const [{ timedRenderJob }, { loadResources }] = await ready;
          return await timedRenderJob(full, loadResources());
        } catch (e) {
          // The modules or the fonts did not load: every document fails, each with the reason.
          const message = `cannot render: ${e instanceof Error ? e.message : String(e)}`;
          return {
            id: full.id,
            ok: false,
            problems: [fileDiagnostic(full.file, 'render-failed', message)],
          };
        }
      };
      // One at a time: interleaving renders in one thread only raises peak memory.
      const result = chain.then(run, run);
      chain = result;
      return result;
    },
    close: async () => {},
  };
}

/**
 * A pool of `size` workers as a backend, started at once (their start-up overlaps the caller's
 * reading of its sources). With `slowWorkers`, each job asks its worker process to slow V8's
 * optimiser (src/build/tiering.ts).
 */
export function poolBackend(size: number, slowWorkers = false): Backend {
  const pool = new RenderPool(size);
  pool.start();
  return {
    threads: size,
    render: (job) => pool.render(slowWorkers ? { ...job, slowOptimiser: true } : job),
    close: () => pool.close(),
  };
}

/**
 * The main thread and `workers` worker threads sharing one queue. The main thread has already
 * loaded the renderers (the CLI asks them which formats exist), so it renders too instead of
 * waiting: one thread fewer to start, and each started thread costs a module load and a JIT
 * warm-up (about a second of CPU for the three renderers, measured with bench/run.ts) before its
 * first document.
 */
export function mixedBackend(workers: number): Backend {
  const pool = new RenderPool(workers);
  return { ...sharedQueue(pool, mainThreadBackend()), close: () => pool.close() };
}

/** `main` and `pool` rendering from one queue; closing it is the owner's business. */
function sharedQueue(pool: RenderPool, main: Backend): Omit<Backend, 'close'> {
  // Every worker will have documents: start them now, while the caller still prepares the jobs.
  pool.start();
  const queue: { job: PoolJob; resolve: (r: RenderResult) => void }[] = [];
  let inPool = 0;
  let mainBusy = false;
  const pump = () => {
    while (queue.length > 0 && inPool < pool.capacity) {
      const next = queue.shift();
      if (!next) break;
      inPool += 1;
      void pool.render(next.job).then((r) => {
        inPool -= 1;
        next.resolve(r);
        pump();
      });
    }
    if (mainBusy || queue.length === 0) return;
    mainBusy = true;
    // Yield to the event loop first: a render's awaits are all microtasks, so back-to-back
    // renders here would keep the workers' answers (macrotasks) waiting, and the workers idle.
    setImmediate(() => {
      const next = queue.shift();
      if (!next) {
        mainBusy = false;
        return;
      }
      void main.render(next.job).then((r) => {
        mainBusy = false;
        next.resolve(r);
        pump();
      });
    });
  };
  return {
    threads: pool.size + 1,
    render: (job) =>
      new Promise((resolve) => {
        queue.push({ job, resolve });
        pump();
      }),
  };
}

/** Backends that live as long as a watch, and what closes them. */
export interface LongLivedBackends {
  /** The backend for `count` documents (closing it keeps the threads for the next build). */
  readonly open: (count: number) => Backend;
  /** Stops the worker threads. */
  readonly close: () => Promise<void>;
}

/**
 * The backends of a watch. A single document — a saved source — renders in the main thread, which
 * stays warm (no message round trip, no worker that has rendered less); more documents share the
 * main thread with `jobs` − 1 worker threads, started at the first such build and kept.
 */
export function longLivedBackends(jobs: number): LongLivedBackends {
  const main = mainThreadBackend();
  let pool: RenderPool | undefined;
  const keep = async () => {};
  return {
    open: (count) => {
      if (count <= 1 || jobs <= 1) return { ...main, close: keep };
      pool ??= new RenderPool(jobs - 1);
      return { ...sharedQueue(pool, main), close: keep };
    },
    close: async () => {
      await pool?.close();
      pool = undefined;
    },
  };
}

/**
 * The backend for `count` documents with at most `jobs` threads rendering, and a thread more only
 * for `docsPerThread` documents more: the main thread alone when only one would work, else the
 * main thread and the other threads as workers.
 */
export function openBackend(count: number, jobs: number, docsPerThread = 1): Backend {
  const size = Math.min(jobs, Math.max(1, Math.floor(count / docsPerThread)));
  // A resident server's (`undoc serve`): its threads kept, V8's optimiser left alone.
  if (resident) return failFast(resident(size));
  // One document: V8's optimiser slowed (src/build/tiering.ts); no worker thread then exists.
  if (count === 1) slowOptimiser();
  if (size <= 1) return failFast(mainThreadBackend());
  // Workers that are processes (the command runs from the start-up snapshot, and so do they)
  // start warm, as this one did: they render, and this process only sends them the sources and
  // writes what they answer. Rendering here too kept their answers (a result is bigger than a
  // pipe holds) and their next jobs waiting while this thread rendered: 100 seeds on 2 cores,
  // alternating runs, 6.05 → 5.69 s wall; 20 documents 2.18–2.28 against 2.18–2.19 s.
  // On every core, each worker's optimiser is slowed: its compiler threads would take time from
  // another process's renders.
  if (workersAreProcesses()) return failFast(poolBackend(size, size >= availableParallelism()));
  return failFast(mixedBackend(size - 1));
}

/** The backend of `size` threads in a resident process, while `keepBackends` is in force. */
let resident: ((size: number) => Backend) | undefined;

/**
 * Makes every later `openBackend` of this process use threads kept for its life, as a watch
 * does (`longLivedBackends`): the main thread (its renderers and resources stay warm from one
 * command to the next) and, for a batch of `size` threads, a pool of `size` − 1 workers, started
 * at the first such batch and kept. V8's optimiser is not slowed: in a long-lived process the code
 * it optimises is used again (src/build/tiering.ts). For `undoc serve`; resolves the function
 * that stops the workers and ends it.
 */
export function keepBackends(): () => Promise<void> {
  const main = mainThreadBackend();
  const pools = new Map<number, RenderPool>();
  const keep = async () => {};
  resident = (size) => {
    if (size <= 1) return { ...main, close: keep };
    let pool = pools.get(size - 1);
    if (pool === undefined) {
      pool = new RenderPool(size - 1);
      pools.set(size - 1, pool);
    }
    return { ...sharedQueue(pool, main), close: keep };
  };
  return async () => {
    resident = undefined;
    await Promise.all([...pools.values()].map((p) => p.close()));
    pools.clear();
  };
}

/**
 * `backend`, whose renders reject when the package rather than the document is at fault: the PDF
 * engine is not the one undoc was built for (`EngineMismatch`), a template is not valid or a
 * template or font cannot be read (`ResourceFailure`). That fails the command once, with the
 * template's own diagnostics, not each document with the same problem.
 */
export function failFast(backend: Backend): Backend {
  return {
    ...backend,
    render: async (job) => {
      const result = await backend.render(job);
      for (const p of result.ok ? [] : result.problems) {
        if (p.code === 'engine-mismatch') throw new EngineMismatch(p.message);
        if (p.code === 'template-invalid') throw new ResourceFailure('invalid', p.message);
        if (p.code === 'resource-unreadable') throw new ResourceFailure('unreadable', p.message);
      }
      return result;
    },
  };
}
