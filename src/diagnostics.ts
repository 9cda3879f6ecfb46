/**
 * Diagnostics: one type for every problem undoc reports (a reason, a place, a severity and a rule
 * code, as vfile-message has), the fixed list of codes, the process exit codes, and the one
 * printed form `file:line:col: error CODE: message` with the offending line and a caret.
 */

/** Process exit codes, fixed and documented (README "Exit codes"); the CLI returns the highest. */
export const EXIT = {
  /** Everything asked for was done. */
  ok: 0,
  /** At least one document is invalid (or could not be rendered from a valid model). */
  invalid: 1,
  /** The command line itself is wrong: unknown command or option, missing value. */
  usage: 2,
  /** A file or folder could not be read or written. */
  io: 3,
  /** A bug in undoc: an unexpected exception. */
  internal: 4,
  /** `undoc check`: the output folder does not hold exactly what `build` would write. */
  stale: 5,
  /** The installed PDF engine (pdfmake, pdfkit, fontkit) is not the one undoc was built for. */
  engine: 6,
} as const;

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every diagnostic code undoc emits, with what it means (the README's table is this list). */
export const DIAGNOSTIC_CODES = {
  // Bytes and size, before YAML sees the text.
  'file-too-large':
    'the source is over a size limit: bytes, list items and keys, or one text (resource limits)',
  'invalid-utf8':
    'the file is not valid UTF-8 (e.g. it is UTF-16), or a text escapes a lone surrogate',
  'binary-content': 'NUL or other control characters, in the file or escaped in a text',
  'bidi-control':
    'a direction override (U+202D, U+202E: the "Trojan Source" trick), or an unbalanced embedding or isolate (U+202A–U+202C, U+2066–U+2069)',
  // YAML.
  'yaml-syntax': 'the text is not well-formed YAML',
  'yaml-duplicate-key': 'a key appears twice in one mapping',
  'yaml-tab': 'a tab is used for indentation (YAML allows only spaces)',
  'yaml-multiple-documents': 'the file holds more than one YAML document (`---`)',
  'yaml-tag': 'an unknown YAML tag (`!something`)',
  'yaml-alias-limit': 'too many alias expansions (`*name`): a resource limit against alias bombs',
  'yaml-too-deep':
    'collections, or *emphasis* in a text, nested deeper than the limit (resource limit)',
  'empty-document': 'the file holds no YAML content',
  'root-not-mapping': 'the top level is not a mapping of keys to values',
  // The JSON schema (schema/undoc.schema.json).
  'unknown-key': 'a key the schema does not know at this place',
  'missing-key': 'a required key is missing',
  'wrong-type': 'a value of the wrong type (e.g. a number where text is expected)',
  'bad-value': 'a value outside the allowed set or range',
  'bad-date': 'a date that is not an ISO 8601 calendar date (YYYY-MM-DD that exists)',
  'empty-value': 'an empty text or list where content is required',
  'bad-block': 'a content block that is not exactly one of chapter, section, subsection, …',
  'bad-form': 'a value without the required form (pattern), or a footnote call outside text',
  // Checks beyond the schema.
  'bad-symbol': 'a document symbol that does not follow the UN symbol grammar',
  'symbol-count': 'a joint document where some organs have a symbol and others not',
  'session-mismatch': "the session or year line disagrees with the symbol's session or year",
  'bad-job-number': 'a job number not of the form `[GE.]YY-NNNNN[*] (L) DDMMYY[ DDMMYY]`',
  'job-language': "the job number's language letter disagrees with `language`",
  'bad-job-date': 'a job-number date (DDMMYY) that is not a calendar date, or out of order',
  'sender-after-distribution': "the sender's date is later than the distribution date",
  'undefined-footnote': 'a footnote call `[^id]` with no note of that id',
  'unused-footnote': 'a footnote defined but never called',
  'paragraph-skip': 'an explicit paragraph number that skips numbers',
  'paragraph-repeat': 'an explicit paragraph number that repeats or goes back (other than 1)',
  'bad-chapter-number': 'a chapter numeral that is not a well-formed Roman numeral',
  'missing-glyph':
    "a character that no font of the document's layout can print (it would print as a box)",
  // The command line.
  'read-failed': 'a path that cannot be read (missing, unreadable, a folder where a file is meant)',
  'write-failed': 'an output that cannot be written',
  'out-locked':
    'another undoc build or watch is writing the output folder (its lock, DIR/.undoc-lock)',
  'name-clash':
    "two sources with the same name, whose outputs would overwrite each other, or a source named `index` (the listing page's name)",
  'version-mismatch':
    'language versions of one document (A-61-859.yaml, A-61-859.fr.yaml…) that are not parallel',
  'render-failed': 'a renderer failed on a valid document (a bug in undoc)',
  'template-invalid':
    'a layout template in templates/ is not valid (its own diagnostics name the template, line and column)',
  'resource-unreadable': 'a template or font file of the package could not be read',
  'engine-mismatch':
    'the installed PDF engine is not the one undoc was built for (another version of pdfmake, pdfkit or fontkit, a patched member gone, or its canary layout failed)',
  'shard-set':
    'merge-index: the shard manifests in DIR are not one complete set (1 to n of one n, one engine)',
  // `undoc import`.
  'bad-docx':
    'a Word file that cannot be imported: not a .docx, a part missing or malformed, entities (XXE), a zip bomb',
  'tracked-changes': 'a Word file with tracked changes, neither all accepted nor all rejected',
  'import-approximated':
    'a warning of `undoc import`: a paragraph read by its formatting, a table flattened, emphasis left out',
} as const;

/** A diagnostic code. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** How bad a diagnostic is: an error stops the document from being built. */
export type Severity = 'error' | 'warning';

/** One problem, placed in its source. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** The path as the user gave it (e.g. `source/A-61-859.yaml`). */
  readonly file: string;
  /** 1-based line; 0 when the problem concerns the whole file (e.g. it cannot be read). */
  readonly line: number;
  /** 1-based column in UTF-16 code units, as editors count them; 0 with line 0. */
  readonly col: number;
  readonly message: string;
  /** What to do about it, e.g. "did you mean `docTitle`?". */
  readonly hint?: string;
}

/** A diagnostic about a whole file (line and column 0): it cannot be read, written or rendered. */
export function fileDiagnostic(
  file: string,
  code: DiagnosticCode,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { code, severity, file, line: 0, col: 0, message };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Prints a diagnostic as compilers do: `file:line:col: error CODE: message`, then the source line
 * and a caret under the column, then the hint. `source` is the file's text (for the line).
 */
export function formatDiagnostic(d: Diagnostic, source?: string): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const out = [`${where}: ${d.severity} ${d.code}: ${d.message}`];
  const text = d.line > 0 && source !== undefined ? sourceLine(source, d.line) : undefined;
  if (text !== undefined) {
    const gutter = String(d.line);
    const pad = ' '.repeat(gutter.length);
    const { shown, caretAt } = window(text, d.col - 1);
    // Keep tabs in the caret line so that the caret lines up under a tab-indented line.
    const lead = [...shown.slice(0, caretAt)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
    out.push(` ${gutter} | ${printable(shown)}`, ` ${pad} | ${lead}^`);
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join('\n');
}

/** The 1-based line of a text, without its line break; undefined past the end. */
export function sourceLine(source: string, line: number): string | undefined {
  const lines = source.split('\n');
  const text = lines[line - 1];
  return text?.replace(/\r$/, '');
}

/** Longest source line printed whole; longer ones are cut around the column (UTF-16 units). */
const MAX_SHOWN = 120;

/** The part of a long line around a column, and where the caret falls in it. */
function window(text: string, index: number): { shown: string; caretAt: number } {
  if (text.length <= MAX_SHOWN) return { shown: text, caretAt: index };
  const start = Math.max(0, Math.min(index - MAX_SHOWN / 2, text.length - MAX_SHOWN));
  const head = start > 0 ? '…' : '';
  const tail = start + MAX_SHOWN < text.length ? '…' : '';
  return {
    shown: head + text.slice(start, start + MAX_SHOWN) + tail,
    caretAt: index - start + head.length,
  };
}

/**
 * Control characters would corrupt the terminal, and bidirectional controls reorder the line
 * (the excerpt of a "Trojan Source" line would show the trick again); show them as U+FFFD, one
 * column each.
 */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

/** "3 errors, 1 warning" (or "no problems"). */
export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const parts = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'no problems' : parts.join(', ');
}
