/**
 * The entry of the bundled CLI (dist/undoc-main.cjs, built by scripts/build.ts and loaded by
 * src/launch.ts): the command on the main thread, a render worker in a thread the pool starts.
 * Everything is imported on demand, so `validate` never evaluates the renderers' modules.
 */
import { Worker } from 'node:worker_threads';
import type { ExitCode } from './diagnostics.js';

/** What the launcher passes to a render worker's thread, telling it apart from the CLI. */
export const RENDER_WORKER_DATA = { undoc: 'render-worker' } as const;

/** Runs the command line `argv` (without `node` and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], launcherFile: string): Promise<ExitCode> {
  const [{ main }, { setWorkerStarter }] = await Promise.all([
    import('./cli.js'),
    import('./build/pool.js'),
  ]);
  // The bundle has no worker.js beside it: a worker runs the launcher, which loads this bundle
  // (from V8's code cache, like the main thread) and calls runWorker().
  setWorkerStarter(() => new Worker(launcherFile, { workerData: RENDER_WORKER_DATA }));
  return main(argv);
}

/** Serves render jobs in this worker thread (the worker module answers the pool's messages). */
export async function runWorker(): Promise<void> {
  await import('./build/worker.js');
}
