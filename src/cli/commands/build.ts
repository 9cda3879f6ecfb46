/**
 * `undoc build`: incremental by default, on a worker pool, with progress and a summary. With
 * `--shard i/n` only that shard's sources, its own manifest, and no index page (merge-index).
 */
import { join } from 'node:path';
import { inShard, type Shard } from '../../build/shard.js';
import { EXIT, type ExitCode, fileDiagnostic } from '../../diagnostics.js';
import type { Format } from '../../render/types.js';
import type { Jobs } from '../args.js';
import { buildModules } from '../build-modules.js';
import { ioMessage, makeFolder, NODE_IO, removeStaleTemps } from '../file-system.js';
import { buildContext } from '../fingerprint.js';
import { writeIndex } from '../index-file.js';
import { exitOnInterrupt } from '../interrupt.js';
import { lockDiagnostic, lockFolder } from '../lock.js';
import { type CliOutput, Outcome, progressSink, report, reportOutcomes } from '../output.js';
import { collectSources } from '../sources.js';

/** What `undoc build` is asked besides its paths. */
export interface BuildOptions {
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly force: boolean;
  readonly jobs: Jobs;
  /** Only this shard's sources (`--shard i/n`). */
  readonly shard?: Shard | undefined;
}

/** Builds the sources in `paths` into `options.outDir`, then writes the index page. */
export async function build(
  paths: readonly string[],
  options: BuildOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir, shard } = options;
  const outcome = new Outcome();
  try {
    await makeFolder(outDir);
  } catch (e) {
    report(output, [
      fileDiagnostic(outDir, 'write-failed', `cannot create the output folder: ${ioMessage(e)}`),
    ]);
    return EXIT.io;
  }
  // Before the lock: an interrupt at any point from here releases it (on exit).
  const stopHandling = exitOnInterrupt(output);
  let unlock: () => void;
  try {
    // Shards write disjoint documents and manifests: each holds a lock of its own.
    unlock = await lockFolder(outDir, shard && `${shard.index}-of-${shard.count}`);
  } catch (e) {
    stopHandling();
    report(output, [lockDiagnostic(outDir, e)]);
    return EXIT.io;
  }
  try {
    return await buildLocked(paths, options, output, outcome);
  } finally {
    stopHandling();
    unlock();
  }
}

async function buildLocked(
  paths: readonly string[],
  options: BuildOptions,
  output: CliOutput,
  outcome: Outcome,
): Promise<ExitCode> {
  const { outDir, formats, shard } = options;
  const { MANIFEST_FILE, problemLine, runBuild, shardManifestFile, summaryLine } =
    await buildModules();
  const manifestFile = shard ? shardManifestFile(shard.index, shard.count) : MANIFEST_FILE;
  await removeStaleTemps(outDir);
  const all = await collectSources(paths, output, outcome);
  const files = shard ? inShard(all, shard) : all;
  if (shard) {
    output.out(`shard ${shard.index}/${shard.count}: ${files.length} of ${all.length} documents\n`);
  }
  const result = await runBuild(NODE_IO, await buildContext(options.jobs), {
    sources: files,
    outDir,
    formats,
    force: options.force,
    progress: progressSink(output),
    manifestFile,
  });
  if (result.manifestNote) output.err(`undoc: ${result.manifestNote}; rebuilding everything\n`);
  if (result.manifestWriteError !== undefined) {
    const file = join(outDir, manifestFile);
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
  // A shard knows only its own documents: `undoc merge-index` writes the index from all shards.
  if (shard) return outcome.code;
  const failed = new Set(result.outcomes.filter((o) => o.status === 'failed').map((o) => o.file));
  const written = await writeIndex(outDir, files, failed, formats, output, result.index);
  if (!written) outcome.fail(EXIT.io);
  return outcome.code;
}
