/**
 * `undoc merge-index`: after `undoc build --shard i/n` ran for every i (on as many CI runners) and
 * their output folders were copied into one, writes DIR/index.html from the shards' manifests —
 * the same page an unsharded build writes. Nothing is rendered and no source is parsed: the
 * sources are listed only for their order, and what the page says of each document is in the
 * manifests. A source in no shard's manifest failed in its shard and is left out, as a build
 * leaves out a document that failed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../../build/manifest.js';
import { EXIT, type ExitCode, fileDiagnostic } from '../../diagnostics.js';
import type { IndexFacts } from '../../render/html/index-page.js';
import type { Format } from '../../render/types.js';
import { buildModules } from '../build-modules.js';
import { ioMessage } from '../file-system.js';
import { INDEX_FILE, writeIndex } from '../index-file.js';
import { type CliOutput, Outcome, report } from '../output.js';
import { collectSources } from '../sources.js';

/** What `undoc merge-index` is asked besides its paths. */
export interface MergeOptions {
  readonly outDir: string;
  readonly formats: readonly Format[];
}

/** Writes DIR/index.html from every shard manifest in DIR. */
export async function mergeIndex(
  paths: readonly string[],
  options: MergeOptions,
  output: CliOutput,
): Promise<ExitCode> {
  const { outDir, formats } = options;
  const { parseManifest, shardManifestFile, shardOfManifest } = await buildModules();
  const outcome = new Outcome();
  const fail = (file: string, message: string, code: ExitCode = EXIT.io) => {
    report(output, [fileDiagnostic(file, code === EXIT.io ? 'read-failed' : 'shard-set', message)]);
    return code;
  };
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch (e) {
    return fail(outDir, `cannot list the folder: ${ioMessage(e)}`);
  }
  const shards = names.flatMap((name) => {
    const s = shardOfManifest(name);
    return s ? [{ name, ...s }] : [];
  });
  const counts = [...new Set(shards.map((s) => s.count))].sort((a, b) => a - b);
  const [count] = counts;
  if (count === undefined) {
    return fail(
      outDir,
      'holds no shard manifest (.undoc-manifest.shard-I-of-N.json): run `undoc build --shard I/N` for each shard and copy their folders here first',
      EXIT.invalid,
    );
  }
  if (counts.length > 1) {
    return fail(
      outDir,
      `holds manifests of ${counts.join(' and ')} shards; keep those of one sharded build`,
      EXIT.invalid,
    );
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter(
    (i) => !shards.some((s) => s.index === i),
  );
  if (missing.length > 0) {
    const list = missing.map((i) => shardManifestFile(i, count)).join(', ');
    return fail(outDir, `the set of ${count} shards is incomplete: no ${list}`, EXIT.invalid);
  }
  const manifests: Manifest[] = [];
  for (const s of shards.sort((a, b) => a.index - b.index)) {
    const file = join(outDir, s.name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      return fail(file, `cannot read: ${ioMessage(e)}`);
    }
    const read = parseManifest(text);
    if (!read.ok) return fail(file, `is not a manifest undoc can use: ${read.reason}`);
    manifests.push(read.manifest);
  }
  const engines = new Set(manifests.map((m) => m.engine));
  if (engines.size > 1) {
    return fail(outDir, 'the shards were built by different versions of undoc', EXIT.invalid);
  }
  const known = new Map<string, IndexFacts>();
  for (const m of manifests) {
    for (const entry of Object.values(m.documents)) known.set(entry.source, entry.index);
  }
  const files = await collectSources(paths, output, outcome);
  // Left out of the page, as a build leaves out what failed: a source no shard built.
  const failed = new Set(files.filter((f) => !known.has(f.path)).map((f) => f.path));
  if (!(await writeIndex(outDir, files, failed, formats, output, known))) outcome.fail(EXIT.io);
  const listed = files.length - failed.size;
  output.out(
    `merge-index: ${join(outDir, INDEX_FILE)} lists ${listed} of ${files.length} documents from ${count} shard${count === 1 ? '' : 's'}\n`,
  );
  return outcome.code;
}
