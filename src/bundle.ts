/**
 * The entry of the bundled CLI (dist/undoc-main.cjs, built by scripts/build.ts and loaded by
 * src/launch.ts): the command on the main thread, a render worker in a thread the pool starts.
 * Everything is imported on demand, so `validate` never evaluates the renderers' modules, and the
 * start-up snapshot's warm-up (src/snapshot.ts) never loads node:worker_threads, whose state a
 * snapshot does not restore (a worker started after it fails in process.cwd()).
 */
import { dirname } from 'node:path';
import type { ExitCode } from './diagnostics.js';
import type { Format } from './render/types.js';

/** What the launcher passes to a render worker's thread, telling it apart from the CLI. */
export const RENDER_WORKER_DATA = { undoc: 'render-worker' } as const;

/** The argument (after the dist/ folder) that makes a command line a render worker process. */
export const RENDER_PROCESS_ARG = '--undoc-render-worker';

/** A command line that starts a render worker process: `execPath args…`. */
export interface WorkerProcessCommand {
  readonly execPath: string;
  readonly args: readonly string[];
}

/**
 * Runs the command line `argv` (without `node` and the script); resolves to the exit code. Render
 * workers are threads that run the launcher, or — given `workerProcess`, when this command runs
 * from the start-up snapshot — child processes started from it too.
 */
export async function runCli(
  argv: readonly string[],
  launcherFile: string,
  workerProcess?: WorkerProcessCommand,
): Promise<ExitCode> {
  const [{ main }, { startWorkersFrom, startWorkerProcesses }] = await Promise.all([
    import('./cli/main.js'),
    import('./build/pool.js'),
  ]);
  if (workerProcess) startWorkerProcesses(workerProcess.execPath, workerProcess.args);
  // The bundle has no worker.js beside it: a worker runs the launcher, which loads this bundle
  // (from V8's code cache, like the main thread) and calls runWorker().
  else startWorkersFrom(launcherFile, RENDER_WORKER_DATA);
  // The resident server needs the built package's dist/ folder: it runs only from there.
  if (argv[0] === 'serve') {
    const [{ serve }, { PROCESS_OUTPUT }] = await Promise.all([
      import('./cli/serve.js'),
      import('./cli/output.js'),
    ]);
    return serve(argv.slice(1), dirname(launcherFile), PROCESS_OUTPUT);
  }
  return main(argv);
}

/** Serves render jobs in this child process, sent by its parent's pool over IPC. */
export async function runProcessWorker(): Promise<void> {
  (await import('./build/process-worker.js')).serveParentProcess();
}

/** Serves render jobs in this worker thread (the worker module answers the pool's messages). */
export async function runWorker(): Promise<void> {
  await import('./build/worker.js');
}

/** A source the start-up snapshot's build renders to warm the heap. */
export interface WarmUpSource {
  readonly name: string;
  readonly file: string;
  readonly text: Uint8Array;
}

/**
 * Renders `sources` in memory, writing nothing, so that the start-up snapshot's heap holds what a
 * first render builds: parsed templates and fonts, the PDF engine's font tables. Throws when one
 * fails (the snapshot is then not written).
 */
export async function warmUp(
  sources: readonly WarmUpSource[],
  formats: readonly Format[],
): Promise<void> {
  const [{ loadResources }, { renderJob }] = await Promise.all([
    import('./resources.js'),
    import('./build/render-job.js'),
  ]);
  for (const [i, s] of sources.entries()) {
    const result = await renderJob({ id: i, ...s, formats }, loadResources());
    if (!result.ok) throw new Error(`warm-up: ${s.file}: ${result.problems[0]?.message}`);
  }
  // No cache may hold objects V8 cannot write into a snapshot (ICU's, such as an
  // Intl.Segmenter): src/snapshot.ts forgets those made through `lazyIntl` before it writes the
  // heap (test/bundle.test.ts checks that it is written). Dates are formatted from the language
  // tables, not by ICU, for that reason too.
}

/**
 * Computes what every build hashes before it renders — the engine fingerprint, each layout's
 * template files with its `extends` chain — so that the start-up snapshot's heap keeps them
 * (each is checked against the files at run time: see `engine` and `templateFilesFor`).
 */
export async function rememberBuildInputs(): Promise<void> {
  const [{ engine, keepEngine }, { filesUnder }, { templateFilesFor }, { TEMPLATES_DIR }] =
    await Promise.all([
      import('./cli/fingerprint.js'),
      import('./cli/file-system.js'),
      import('./build/hash.js'),
      import('./resources.js'),
    ]);
  keepEngine();
  await engine();
  const templates = await filesUnder(TEMPLATES_DIR, () => true);
  for (const { path } of templates) {
    if (/^[^/]+\.yaml$/.test(path)) templateFilesFor(path.slice(0, -'.yaml'.length), templates);
  }
}

/**
 * The drawings every layout's DOCX places, rasterized by resvg, as JSON (PNG bytes in base64):
 * the build script makes them in a plain Node for the start-up snapshot, which cannot load resvg.
 */
export async function layoutDrawingsJson(): Promise<string> {
  const [{ loadResources }, { layoutDrawings }] = await Promise.all([
    import('./resources.js'),
    import('./render/docx/images.js'),
  ]);
  const drawings = layoutDrawings(loadResources());
  return JSON.stringify(
    drawings.map((d) => ({ key: d.key, png: Buffer.from(d.png).toString('base64') })),
  );
}

/** Takes the drawings of `layoutDrawingsJson` as this process's own, before the warm-up. */
export async function keepLayoutDrawings(json: string): Promise<void> {
  const { keepDrawings } = await import('./render/docx/images.js');
  const drawings = JSON.parse(json) as { key: string; png: string }[];
  keepDrawings(
    drawings.map((d) => ({ key: d.key, png: new Uint8Array(Buffer.from(d.png, 'base64')) })),
  );
}

/** Forgets the ICU objects the warm-up made (src/intl.ts), before the snapshot is written. */
export { forgetIntl } from './intl.js';
