/** `undoc watch`: build, then rebuild on changes until SIGINT/SIGTERM; errors never end it. */
import { EXIT, type ExitCode } from '../../diagnostics.js';
import type { Format } from '../../render/types.js';
import { buildModules } from '../build-modules.js';
import { NODE_IO } from '../file-system.js';
import { buildContext } from '../fingerprint.js';
import { writeIndex } from '../index-file.js';
import { type CliOutput, Outcome } from '../output.js';
import { collectSources, DEFAULT_SOURCES } from '../sources.js';

/** What `undoc watch` is asked besides its paths. */
export interface WatchOptions {
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly jobs: number;
}

/** Watches `paths` and the templates, rebuilding into `options.outDir`, until stopped. */
export async function watch(
  paths: readonly string[],
  options: WatchOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir, formats } = options;
  const { RenderPool, startWatch, TEMPLATES_DIR } = await buildModules();
  const watcher = startWatch(NODE_IO, {
    paths: paths.length > 0 ? paths : [DEFAULT_SOURCES],
    discover: (given) => collectSources(given, output, new Outcome()),
    templatesDir: TEMPLATES_DIR,
    outDir,
    formats,
    // One pool for the watch's life; a template change replaces it so workers reload templates.
    context: async () => {
      const pool = new RenderPool(options.jobs);
      const base = await buildContext(options.jobs);
      return {
        ...base,
        open: () => ({
          threads: pool.size,
          render: (job) => pool.render(job),
          close: async () => {},
        }),
        close: () => pool.close(),
      };
    },
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
