/**
 * Source → document model: decode, parse YAML with positions under resource limits, validate
 * against the JSON schema, run the checks beyond it, and build the model only when no error was
 * found. Pure: no file system, no clock; bad input gives diagnostics, never an exception.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { UnDocument } from '../model.js';
import { buildModel, type SpanAt } from './build.js';
import { semanticIssues } from './checks.js';
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

/**
 * Loads a source. `name` is the file's base name without extension (outputs are named after it);
 * `file` is the path diagnostics name (default `<name>.yaml`). Bytes are decoded as strict UTF-8.
 */
export function loadSource(
  input: string | Uint8Array,
  name: string,
  file = `${name}.yaml`,
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
  const issues =
    schema.length > 0
      ? schema
      : [...semanticIssues(data as unknown as Source, map), ...inlineIssues(data, map)];
  if (issues.some((i) => i.severity === 'error')) return failed(issues, text);
  const diagnostics = capIssues(issues);
  const spanAt: SpanAt = (path) => map.at(path);
  const model = buildModel(data as unknown as Source, name, spanAt);
  return { model, diagnostics, text };
}
