/** `undoc watch`: build, then rebuild on changes until SIGINT/SIGTERM; errors never end it. */
import { EXIT, type ExitCode } from '../../diagnostics.js';
import type { Format } from '../../render/types.js';
import type { Jobs } from '../args.js';
import { buildModules } from '../build-modules.js';
import { makeFolder, NODE_IO } from '../file-system.js';
import { buildContext } from '../fingerprint.js';
import { writeIndex } from '../index-file.js';
import { lockDiagnostic, lockFolder } from '../lock.js';
import { type CliOutput, Outcome, report } from '../output.js';
import { collectSources, DEFAULT_SOURCES } from '../sources.js';

/** What `undoc watch` is asked besides its paths. */
export interface WatchOptions {
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly jobs: Jobs;
}

/** Watches `paths` and the templates, rebuilding into `options.outDir`, until stopped. */
export async function watch(
  paths: readonly string[],
  options: WatchOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir } = options;
  let unlock: () => void;
  try {
    await makeFolder(outDir);
    unlock = await lockFolder(outDir);
  } catch (e) {
    report(output, [lockDiagnostic(outDir, e)]);
    return EXIT.io;
  }
  try {
    return await watchLocked(paths, options, output);
  } finally {
    unlock();
  }
}

async function watchLocked(
  paths: readonly string[],
  options: WatchOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir, formats } = options;
  const { forgetResources, longLivedBackends, startWatch, TEMPLATES_DIR, WARM_UP_RENDERS } =
    await buildModules();
  const watcher = startWatch(NODE_IO, {
    paths: paths.length > 0 ? paths : [DEFAULT_SOURCES],
    discover: (given) => collectSources(given, output, new Outcome()),
    templatesDir: TEMPLATES_DIR,
    outDir,
    formats,
    // Threads kept for the watch's life: a saved source renders warm in this thread. A template
    // change replaces them (the workers reload the templates) and drops this thread's copy.
    context: async () => {
      forgetResources();
      const backends = longLivedBackends(options.jobs.max);
      const base = await buildContext(options.jobs);
      return { ...base, open: backends.open, close: backends.close };
    },
    warmUpRenders: WARM_UP_RENDERS,
    ...(process.env.UNDOC_DEBUG ? { trace: traceSteps(output) } : {}),
    // Plain lines: a watch's log is read afterwards, not watched as a live line.
    out: { write: output.out, isTTY: false },
    // The index lists every document, as after `undoc build`.
    afterBuild: async (sources, failed, known) => {
      await writeIndex(outDir, sources, failed, formats, output, known);
    },
  });
  await watcher.ready;
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await watcher.close();
  output.out('watch: stopped\n');
  return EXIT.ok;
}

/** `UNDOC_DEBUG=1`: each step of a rebuild, in ms since its change was heard (on stderr). */
function traceSteps(output: CliOutput): (step: string) => void {
  let heard = performance.now();
  return (step) => {
    const now = performance.now();
    if (step === 'heard') heard = now;
    output.err(`watch: ${step} +${(now - heard).toFixed(1)} ms\n`);
  };
}
