/**
 * `undoc check`: renders in memory; exit 0 only when DIR holds exactly what build would write.
 * With `--shard i/n` only that shard's documents are rendered; shard 1 also checks the index
 * page (from every source's facts, loaded without rendering).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriftItem } from '../../build/check.js';
import { inShard, type Shard } from '../../build/shard.js';
import { EXIT, type ExitCode } from '../../diagnostics.js';
import type { Format } from '../../render/types.js';
import type { Jobs } from '../args.js';
import { buildModules } from '../build-modules.js';
import { NODE_IO } from '../file-system.js';
import { buildContext } from '../fingerprint.js';
import { INDEX_FILE, indexPage } from '../index-file.js';
import { type CliOutput, Outcome, reportOutcomes } from '../output.js';
import { collectSources } from '../sources.js';

/** What `undoc check` is asked besides its paths. */
export interface CheckOptions {
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly jobs: Jobs;
  /** Only this shard's documents (`--shard i/n`). */
  readonly shard?: Shard | undefined;
}

/** Compares `options.outDir` with what `build` would write; names each stale, missing or extra file. */
export async function check(
  paths: readonly string[],
  options: CheckOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir, formats } = options;
  const { shard } = options;
  const { describeDrift, runCheck } = await buildModules();
  const outcome = new Outcome();
  const all = await collectSources(paths, output, outcome);
  const files = shard ? inShard(all, shard) : all;
  const mine = new Set(files);
  const result = await runCheck(NODE_IO, await buildContext(options.jobs), {
    sources: files,
    outDir,
    formats,
    elsewhere: all.filter((f) => !mine.has(f)),
  });
  await reportOutcomes(result.failures, output, outcome);
  // The index page is the CLI's, not a document's output: compare it here, not as an extra.
  const drift: DriftItem[] = result.drift.filter((d) => d.file !== INDEX_FILE);
  if (!shard || shard.index === 1) {
    const failed = new Set(result.failures.map((o) => o.file));
    const expected = await indexPage(all, failed, formats, result.index);
    const actual = await readFile(join(outDir, INDEX_FILE)).catch(() => undefined);
    if (!actual) drift.push({ file: INDEX_FILE, kind: 'missing' });
    else if (!Buffer.from(expected).equals(actual)) drift.push({ file: INDEX_FILE, kind: 'stale' });
  }
  for (const d of drift) output.out(`${describeDrift(d, outDir)}\n`);
  const dir = `${outDir.replace(/\/+$/, '')}/`;
  const seconds = (result.ms / 1000).toFixed(2);
  const docs =
    `${files.length} document${files.length === 1 ? '' : 's'}` +
    (shard ? ` (shard ${shard.index}/${shard.count} of ${all.length})` : '');
  if (drift.length === 0 && outcome.code === EXIT.ok) {
    output.out(
      `check: ${dir} holds exactly what build writes for ${docs} (${formats.join(', ')}) in ${seconds} s\n`,
    );
    return EXIT.ok;
  }
  if (drift.length > 0) {
    const n = (kind: string) => drift.filter((d) => d.kind === kind).length;
    output.out(
      `check: ${dir} is out of date: ${n('stale')} stale, ${n('missing')} missing, ${n('extra')} extra ` +
        `(run \`undoc build\` and commit ${dir}; delete the extra files)\n`,
    );
  }
  if (result.failures.length > 0) {
    output.out(`check: ${result.failures.length} of ${docs} could not be rendered\n`);
  }
  return outcome.code !== EXIT.ok ? outcome.code : EXIT.stale;
}
