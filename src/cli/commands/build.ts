/** `undoc build`: incremental by default, on a worker pool, with progress and a summary. */
import { join } from 'node:path';
import { EXIT, type ExitCode, fileDiagnostic } from '../../diagnostics.js';
import type { Format } from '../../render/types.js';
import { buildModules } from '../build-modules.js';
import { ioMessage, makeFolder, NODE_IO, removeStaleTemps } from '../file-system.js';
import { buildContext } from '../fingerprint.js';
import { writeIndex } from '../index-file.js';
import { type CliOutput, Outcome, progressSink, report, reportOutcomes } from '../output.js';
import { collectSources } from '../sources.js';

/** What `undoc build` is asked besides its paths. */
export interface BuildOptions {
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly force: boolean;
  readonly jobs: number;
}

/** Builds the sources in `paths` into `options.outDir`, then writes the index page. */
export async function build(
  paths: readonly string[],
  options: BuildOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir, formats } = options;
  const { MANIFEST_FILE, problemLine, runBuild, summaryLine } = await buildModules();
  const outcome = new Outcome();
  try {
    await makeFolder(outDir);
  } catch (e) {
    report(output, [
      fileDiagnostic(outDir, 'write-failed', `cannot create the output folder: ${ioMessage(e)}`),
    ]);
    return EXIT.io;
  }
  await removeStaleTemps(outDir);
  const files = await collectSources(paths, output, outcome);
  const result = await runBuild(NODE_IO, await buildContext(options.jobs), {
    sources: files,
    outDir,
    formats,
    force: options.force,
    progress: progressSink(output),
  });
  if (result.manifestNote) output.err(`undoc: ${result.manifestNote}; rebuilding everything\n`);
  if (result.manifestWriteError !== undefined) {
    const file = join(outDir, MANIFEST_FILE);
    report(output, [
      fileDiagnostic(file, 'write-failed', `cannot write: ${result.manifestWriteError}`),
    ]);
    outcome.fail(EXIT.io);
  }
  await reportOutcomes(result.outcomes, output, outcome);
  output.out(`${summaryLine({ ...result, documents: files.length, outDir })}\n`);
  for (const o of result.outcomes) {
    const first = o.problems[0];
    if (o.status === 'failed' && first) output.out(`  failed: ${problemLine(first)}\n`);
  }
  const failed = new Set(result.outcomes.filter((o) => o.status === 'failed').map((o) => o.file));
  const written = await writeIndex(outDir, files, failed, formats, output, result.index);
  if (!written) outcome.fail(EXIT.io);
  return outcome.code;
}
