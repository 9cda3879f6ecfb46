/**
 * DIR/index.html, the page listing every built document with links to its files. It belongs to
 * the folder, not to a document: `build` and `watch` write it, `check` compares it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileDiagnostic } from '../diagnostics.js';
import { loadSource } from '../load/index.js';
import type { IndexFacts } from '../render/html/index-page.js';
import { type Format, outputFile } from '../render/types.js';
import { buildModules } from './build-modules.js';
import { ioMessage, writeAtomically } from './file-system.js';
import { type CliOutput, report } from './output.js';
import type { SourceFile } from './sources.js';

/** The page's name in DIR, without and with its extension (no source may take the name). */
export const INDEX_NAME = 'index';
export const INDEX_FILE = `${INDEX_NAME}.html`;

/**
 * The index page for the sources that build: each valid source not among `failed` (source paths),
 * linked to its files in `formats`. What it lists of a document comes from `known` (the build's
 * renders and its manifest, by source path); a source missing there is re-read and loaded.
 */
export async function indexPage(
  files: readonly SourceFile[],
  failed: ReadonlySet<string>,
  formats: readonly Format[],
  known: ReadonlyMap<string, IndexFacts>,
): Promise<Uint8Array> {
  const { indexFacts, loadResources, renderIndexPage } = await buildModules();
  const entries = [];
  for (const f of files) {
    if (failed.has(f.path)) continue;
    let facts = known.get(f.path);
    if (!facts) {
      const bytes = await readFile(f.path).catch(() => undefined);
      const model = bytes && loadSource(bytes, f.name, f.path).model;
      if (!model) continue;
      facts = indexFacts(model);
    }
    const outputs = Object.fromEntries(formats.map((x) => [x, outputFile(f.name, x)]));
    entries.push({ name: f.name, ...facts, outputs });
  }
  return renderIndexPage(entries, loadResources().styles.ny);
}

/** Writes DIR/index.html for `files` (unless unchanged); false when it cannot be written. */
export async function writeIndex(
  outDir: string,
  files: readonly SourceFile[],
  failed: ReadonlySet<string>,
  formats: readonly Format[],
  output: CliOutput,
  known: ReadonlyMap<string, IndexFacts> = new Map(),
): Promise<boolean> {
  const index = join(outDir, INDEX_FILE);
  try {
    const bytes = await indexPage(files, failed, formats, known);
    // Like an up-to-date document, an unchanged index is left untouched.
    const before = await readFile(index).catch(() => undefined);
    if (!before || !Buffer.from(bytes).equals(before)) await writeAtomically(index, bytes);
    return true;
  } catch (e) {
    report(output, [fileDiagnostic(index, 'write-failed', `cannot write: ${ioMessage(e)}`)]);
    return false;
  }
}
