/**
 * Where documents are rendered: a worker pool for batches, the main thread for a single document
 * (starting a thread that loads the same modules again would only add its start-up time).
 */
import { RenderPool } from './pool.js';
import type { RenderJob, RenderResult } from './render-job.js';
import type { Backend } from './run.js';

/** Renders in the main thread, one job at a time; modules and resources load on first use. */
export function mainThreadBackend(): Backend {
  let id = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const ready = Promise.all([import('./render-job.js'), import('../resources.js')]);
  return {
    workers: 0,
    render: (job) => {
      const run = async (): Promise<RenderResult> => {
        const [{ renderJob }, { loadResources }] = await ready;
        const full: RenderJob = { ...job, id: ++id };
        return renderJob(full, loadResources());
      };
      // One at a time: interleaving renders in one thread only raises peak memory.
      const result = chain.then(run, run);
      chain = result;
      return result;
    },
    close: async () => {},
  };
}

/** A pool of `size` workers as a backend. */
export function poolBackend(size: number): Backend {
  const pool = new RenderPool(size);
  return { workers: size, render: (job) => pool.render(job), close: () => pool.close() };
}

/**
 * The backend for `count` documents with at most `jobs` workers: the main thread when only one
 * would work, else a pool of min(count, jobs) workers.
 */
export function openBackend(count: number, jobs: number): Backend {
  const size = Math.min(count, jobs);
  return size <= 1 ? mainThreadBackend() : poolBackend(size);
}
