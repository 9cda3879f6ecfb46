/**
 * Source → document model: decode, parse YAML with positions under resource limits, validate
 * against the JSON schema, run the checks beyond it, and build the model only when no error was
 * found. Pure: no file system, no clock; bad input gives diagnostics, never an exception.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { StyleName, UnDocument } from '../model.js';
import type { ScriptFonts } from '../style/script-fonts.js';
import { buildModel, type SpanAt } from './build.js';
import { semanticIssues } from './checks.js';
import { glyphIssues } from './glyphs.js';
import { inlineIssues } from './inline.js';
import { schemaIssues } from './schema.js';
import type { Source } from './source-types.js';
import { capIssues, decodeSource, LIMITS, parseSource } from './yaml-source.js';

export { LIMITS };

/** The outcome of loading one source: the model when there is no error, and every diagnostic. */
export interface LoadResult {
  readonly model?: UnDocument;
  readonly diagnostics: readonly Diagnostic[];
  /** The decoded text (for printing the offending lines); absent when it could not be decoded. */
  readonly text?: string;
}

/** A layout's font families, for the check that every character can be printed. */
export type FontsOf = (style: StyleName) => ScriptFonts;

/**
 * Loads a source. `name` is the file's base name without extension (outputs are named after it);
 * `file` is the path diagnostics name (default `<name>.yaml`). Bytes are decoded as strict UTF-8.
 * With `fonts`, a character no font of the document's layout can print is an error
 * (missing-glyph); every command that loads a source for output or validation passes them.
 */
export function loadSource(
  input: string | Uint8Array,
  name: string,
  file = `${name}.yaml`,
  fonts?: FontsOf,
): LoadResult {
  const failed = (issues: readonly Diagnostic[], text?: string): LoadResult => {
    const diagnostics = capIssues(issues);
    return { diagnostics, ...(text === undefined ? {} : { text }) };
  };
  const decoded = decodeSource(input, file);
  if ('issues' in decoded) return failed(decoded.issues, decoded.text);
  const { text } = decoded;
  const parsed = parseSource(text, file);
  if ('issues' in parsed) return failed(parsed.issues, text);
  const { data, map } = parsed;
  const schema = schemaIssues(data, map);
  // The checks beyond the schema rely on its shape, so they run once it holds.
  const issues: Diagnostic[] =
    schema.length > 0
      ? schema
      : [...semanticIssues(data as unknown as Source, map), ...inlineIssues(data, map)];
  if (fonts !== undefined && !issues.some((i) => i.severity === 'error')) {
    const source = data as unknown as Source;
    issues.push(
      ...glyphIssues(data, map, fonts(source.style as StyleName), source.language, source.style),
    );
  }
  if (issues.some((i) => i.severity === 'error')) return failed(issues, text);
  const diagnostics = capIssues(issues);
  const spanAt: SpanAt = (path) => map.at(path);
  const model = buildModel(data as unknown as Source, name, spanAt);
  return { model, diagnostics, text };
}
