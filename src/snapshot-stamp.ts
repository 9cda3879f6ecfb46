/**
 * What a start-up snapshot's heap was built from (src/snapshot.ts): the bundle, every template
 * file (by content) and every font file of the font package (by size and time). A snapshot whose
 * stamp differs from the package's stamp now would render from stale inputs, and is not used.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** sha256 of a file's bytes, or '-' when it cannot be read. */
function fileHash(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '-';
  }
}

/** Size and modification time (ms) of a file, or '-' when it is missing. */
function fileStat(path: string): string {
  try {
    const info = statSync(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return '-';
  }
}

/**
 * The stamp of the package whose built CLI is in `dist` (its templates are `dist/../templates`):
 * one line per input, so that the first differing line says what changed.
 */
export function snapshotStamp(dist: string): string {
  const lines = [`bundle ${fileStat(join(dist, 'undoc-main.cjs'))}`];
  const templates = join(dirname(dist), 'templates');
  for (const f of readdirSync(templates, { recursive: true, encoding: 'utf8' }).sort()) {
    // Folders (templates/lang/) hash as '-'; the files in them are listed by their own path.
    lines.push(`template ${f} ${fileHash(join(templates, f))}`);
  }
  const fonts = dirname(
    createRequire(join(dist, 'undoc.cjs')).resolve('@expo-google-fonts/tinos/package.json'),
  );
  const faces = readdirSync(fonts, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const face of faces.map((d) => d.name).sort()) {
    for (const f of readdirSync(join(fonts, face))
      .filter((n) => n.endsWith('.ttf'))
      .sort()) {
      lines.push(`font ${face}/${f} ${fileStat(join(fonts, face, f))}`);
    }
  }
  return lines.join('\n');
}
