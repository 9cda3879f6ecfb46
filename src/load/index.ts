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
import { capIssues, decodeSource, type Issue, LIMITS, parseSource } from './yaml-source.js';

export { LIMITS };

/** A problem found in a source (kept as an alias of Diagnostic for older callers). */
export type LoadProblem = Diagnostic;

/** The outcome of loading one source: the model when there is no error, and every diagnostic. */
export interface LoadResult {
  readonly model?: UnDocument;
  readonly diagnostics: readonly Diagnostic[];
  /** The same list as `diagnostics` (the name earlier callers use). */
  readonly problems: readonly Diagnostic[];
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
  const located = (issues: readonly Issue[]): Diagnostic[] =>
    capIssues(issues).map((i) => ({ ...i, file }));
  const failed = (issues: readonly Issue[], text?: string): LoadResult => {
    const diagnostics = located(issues);
    return { diagnostics, problems: diagnostics, ...(text === undefined ? {} : { text }) };
  };
  const decoded = decodeSource(input);
  if ('issues' in decoded) return failed(decoded.issues, decoded.text);
  const { text } = decoded;
  const parsed = parseSource(text);
  if ('issues' in parsed) return failed(parsed.issues, text);
  const { data, map } = parsed;
  const schema = schemaIssues(data, map);
  // The checks beyond the schema rely on its shape, so they run once it holds.
  const issues =
    schema.length > 0
      ? schema
      : [...semanticIssues(data as unknown as Source, map), ...inlineIssues(data, map)];
  if (issues.some((i) => i.severity === 'error')) return failed(issues, text);
  const diagnostics = located(issues);
  const spanAt: SpanAt = (path) => map.at(path);
  const model = buildModel(data as unknown as Source, name, spanAt);
  return { model, diagnostics, problems: diagnostics, text };
}
