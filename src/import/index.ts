/**
 * `undoc import`: a Word file's bytes to a source's YAML text. Pure: the CLI reads the file and
 * writes the result. The source is loaded once more before it is returned, so an import never
 * hands back a source that `undoc build` would refuse.
 */
import { loadSource } from '../load/index.js';
import { type ImportWarning, modelOfDocx } from './docx.js';
import { DocxError, openDocx } from './package.js';
import { sourceOf, sourceYaml } from './source-of.js';
import type { TrackedPolicy } from './word.js';

export type { ImportWarning } from './docx.js';
export { DOCX_LIMITS, DocxError } from './package.js';
export type { TrackedPolicy } from './word.js';

/** The YAML of the source and the warnings of the import. */
export interface ImportResult {
  readonly yaml: string;
  readonly warnings: readonly ImportWarning[];
}

/**
 * Imports a Word file. `name` names the source (its outputs are named after it); `tracked` says
 * what to do with tracked changes. Throws DocxError for a file that cannot be imported.
 */
export function importDocx(
  bytes: Uint8Array,
  options: {
    readonly name: string;
    readonly tracked?: TrackedPolicy;
    readonly schemaPath?: string;
  },
): ImportResult {
  const pkg = openDocx(bytes);
  const { doc, warnings } = modelOfDocx(pkg, {
    name: options.name,
    tracked: options.tracked ?? 'refuse',
  });
  const { source, notes } = sourceOf(doc);
  const yaml = sourceYaml(source, options.schemaPath);
  const all = [...warnings, ...notes];
  const check = loadSource(yaml, options.name);
  if (!check.model) {
    const first = check.diagnostics.find((d) => d.severity === 'error');
    throw new DocxError(
      'bad-docx',
      `the file was read, but the source it gives is not valid: ${first ? `${first.code}: ${first.message}` : 'unknown'}`,
      'correct it in Word (the masthead’s symbol, date and session lines), or import and edit the YAML',
    );
  }
  return { yaml, warnings: all };
}
