/**
 * Bytes → text → YAML document with positions, under resource limits. Every way a file can fail
 * to be a YAML mapping (bad UTF-8, binary bytes, syntax, duplicate keys, tabs, alias bombs, deep
 * nesting, an empty file, a list at the root) becomes a positioned issue here, never an exception.
 */
import {
  Composer,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  Scalar,
  visit,
  YAMLParseError,
} from 'yaml';
import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics.js';
import type { Span } from '../model.js';
import { BIDI_CONTROL, bidiProblems, type SourceChar, sourceChars } from './controls.js';

/** Resource limits for one source; each has its own diagnostic code when exceeded. */
export const LIMITS = {
  /** Largest source accepted, in bytes of UTF-8 (the seed is about 21 kB). */
  maxBytes: 1_048_576,
  /** yaml's `maxAliasCount` for toJS: alias expansions allowed (alias bombs exceed it at once). */
  maxAliasCount: 100,
  /** Deepest nesting of collections; the format itself needs 12 (nested sub-items in an annex). */
  maxDepth: 32,
  /**
   * Most collection entries (list items plus mapping keys) in one source: about 25 000 paragraphs.
   * Without it 1 MB of `[a,a,a,…]` becomes 500 000 sub-items and exhausts the renderers' memory.
   */
  maxEntries: 50_000,
  /**
   * Longest text (one paragraph, title or note), in characters (UTF-16 units): a real paragraph
   * has a few thousand; the PDF's line breaking grows with the square of a paragraph's length (a
   * 900 kB paragraph took two minutes).
   */
  maxTextLength: 100_000,
  /** Deepest nesting of *emphasis* in one text (marked's lexer recurses once per level). */
  maxInlineDepth: 32,
  /**
   * Most diagnostics reported for one source: 40 000 unknown keys took minutes to place and to
   * print, and nobody reads past the first screenful. The last one says how many more there are.
   */
  maxDiagnostics: 100,
} as const;

/** The first LIMITS.maxDiagnostics diagnostics; the last kept one says how many more were found. */
export function capIssues(issues: readonly Diagnostic[], more = 0): Diagnostic[] {
  const kept = issues.slice(0, LIMITS.maxDiagnostics);
  const hidden = issues.length - kept.length + more;
  const last = kept.pop();
  if (last === undefined) return kept;
  if (hidden <= 0) return [...kept, last];
  const note = `${hidden} more problem${hidden === 1 ? '' : 's'} not shown (at most ${LIMITS.maxDiagnostics} per file); fix these first`;
  return [...kept, { ...last, hint: last.hint ? `${last.hint}; ${note}` : note }];
}

/** Builds a diagnostic (an error unless `severity` says otherwise) of `file` at `at`. */
export function issue(
  file: string,
  code: DiagnosticCode,
  at: Span,
  message: string,
  hint?: string,
  severity: Severity = 'error',
): Diagnostic {
  return { code, severity, file, line: at.line, col: at.col, message, ...(hint ? { hint } : {}) };
}

/** Where a decoded text came from, for positions: the text and its line counter. */
export type Decoded =
  | { readonly text: string }
  | { readonly issues: readonly Diagnostic[]; readonly text?: string };

const START: Span = { line: 1, col: 1 };

/**
 * Decodes a source: bytes must be UTF-8 (decoded strictly, a byte-order mark dropped); any text
 * must be within the size limit and free of NUL and other control characters YAML forbids.
 */
export function decodeSource(input: string | Uint8Array, file: string): Decoded {
  const size = typeof input === 'string' ? utf8Length(input) : input.byteLength;
  if (size > LIMITS.maxBytes) {
    return {
      issues: [
        issue(
          file,
          'file-too-large',
          START,
          `the file is ${size} bytes; a source may be at most ${LIMITS.maxBytes} bytes`,
          'split the document, or check that this is the file you meant',
        ),
      ],
    };
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const wide = wideEncoding(input);
    if (wide) {
      return {
        issues: [
          issue(
            file,
            'invalid-utf8',
            START,
            `the file is ${wide}, not UTF-8`,
            `save it as UTF-8 (in Notepad: Save as, Encoding "UTF-8")`,
          ),
        ],
      };
    }
    // A NUL byte means binary data; say so rather than what the UTF-8 decoder trips on first.
    const nul = input.indexOf(0);
    if (nul >= 0) {
      return {
        issues: [
          issue(
            file,
            'binary-content',
            bytePosition(input, nul),
            `NUL byte at offset ${nul}: this is not a text file`,
            'a source is a UTF-8 YAML text file',
          ),
        ],
      };
    }
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      const at = firstInvalidUtf8(input);
      return {
        issues: [
          issue(
            file,
            'invalid-utf8',
            bytePosition(input, at),
            `byte 0x${(input[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at} is not valid UTF-8`,
            'save the file as UTF-8',
          ),
        ],
      };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const control = FORBIDDEN.exec(text);
  if (control) {
    return {
      issues: [
        issue(
          file,
          'binary-content',
          offsetPosition(text, control.index),
          `${forbiddenWords(control[0])} in the text: this is not a text file`,
          'a source is a UTF-8 YAML text file',
        ),
      ],
      text,
    };
  }
  return { text };
}

/**
 * What YAML's printable set excludes (C0 controls but tab, LF, CR; DEL; C1 controls but NEL;
 * U+FFFE, U+FFFF), plus lone surrogates: none of them can be written to XML (DOCX) or UTF-8.
 */
const FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]|\p{Cs}/u;

/** `FORBIDDEN`, for every match in a text. */
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');

/** Describes a character that `FORBIDDEN` matched, for a message. */
export function forbiddenWords(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return `a lone UTF-16 surrogate (${hex}), not a character`;
  if (code >= 0xfffe) return `the non-character ${hex}`;
  return `control character ${hex}`;
}

/**
 * "UTF-16 (little-endian)" and the like when the bytes are UTF-16 or UTF-32, told by the
 * byte-order mark or, without one, by NUL bytes in every other position of ASCII text.
 */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return 'UTF-32 (little-endian)';
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return 'UTF-32 (big-endian)';
  if (b(0) === 0xff && b(1) === 0xfe) return 'UTF-16 (little-endian)';
  if (b(0) === 0xfe && b(1) === 0xff) return 'UTF-16 (big-endian)';
  // No mark: YAML text starts with ASCII, so UTF-16 shows as a NUL in every other byte.
  const n = Math.min(bytes.length, 64) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b(i) === 0) evenNul++;
    if (b(i + 1) === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul === pairs && evenNul === 0) return 'UTF-16 (little-endian)';
  if (evenNul === pairs && oddNul === 0) return 'UTF-16 (big-endian)';
  return undefined;
}

function utf8Length(text: string): number {
  // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= LIMITS.maxBytes) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c === undefined || c < min || c > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Line and column of a byte offset in (valid up to there) UTF-8. */
function bytePosition(bytes: Uint8Array, offset: number): Span {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  return offsetPosition(before.replace(/^\ufeff/, ''), before.length);
}

/** Line and column (1-based) of a UTF-16 offset in a text. */
export function offsetPosition(text: string, offset: number): Span {
  const head = text.slice(0, offset);
  const lineStart = head.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 10) line++;
  return { line, col: offset - lineStart + 1 };
}

/** A parsed source: its data and a map from data paths back to source positions. */
export type Parsed =
  | { readonly data: Readonly<Record<string, unknown>>; readonly map: SourceMap }
  | { readonly issues: readonly Diagnostic[] };

const YAML_CODES: Partial<Record<string, DiagnosticCode>> = {
  DUPLICATE_KEY: 'yaml-duplicate-key',
  TAB_AS_INDENT: 'yaml-tab',
  MULTIPLE_DOCS: 'yaml-multiple-documents',
  TAG_RESOLVE_FAILED: 'yaml-tag',
  RESOURCE_EXHAUSTION: 'yaml-too-deep',
};

/** Parses YAML text into plain data: one mapping, within the limits, or the issues found. */
export function parseSource(text: string, file: string): Parsed {
  const lineCounter = new LineCounter();
  const pos = (offset: number): Span => lineCounter.linePos(offset);
  // The composer recurses per level and can exhaust memory on pathological nesting, so the
  // depth is measured on the (iterative) concrete syntax tree before composing; the document is
  // then composed from the same tokens (text lexed and parsed once).
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const measured = measureCst(tokens);
  const deep = measured.deep;
  if (deep !== undefined) {
    const at = offsetPosition(text, deep);
    return {
      issues: [
        issue(
          file,
          'yaml-too-deep',
          at,
          `collections are nested more than ${LIMITS.maxDepth} levels deep here`,
          'a source never needs this depth; check for runaway brackets',
        ),
      ],
    };
  }
  if (measured.entries > LIMITS.maxEntries) {
    const { offset, count } = measured.largest;
    return {
      issues: [
        issue(
          file,
          'file-too-large',
          offsetPosition(text, offset),
          `the source has ${measured.entries} list items and keys (${count} in the collection starting here); a source may have at most ${LIMITS.maxEntries}`,
          'split the document into several sources',
        ),
      ],
    };
  }
  // logLevel 'error': yaml would otherwise print process warnings to stderr (e.g. when it
  // stringifies a collection key); a problem must reach the user as a diagnostic, nowhere else.
  const doc = composeDocument(text, tokens, {
    // yaml compares each key with every earlier one (quadratic: 40 000 keys took 10 s); the
    // duplicates are found here instead, with a set per mapping.
    uniqueKeys: false,
    logLevel: 'error',
  });
  const issues: Diagnostic[] = [];
  const placed = new Set<number>();
  const found = [...doc.errors, ...doc.warnings, ...duplicateKeys(doc)].sort(
    (a, b) => a.pos[0] - b.pos[0],
  );
  for (const e of found) {
    // One mistake often trips several parser rules at the same place: report the first.
    if (placed.has(e.pos[0])) continue;
    placed.add(e.pos[0]);
    const code = YAML_CODES[e.code] ?? 'yaml-syntax';
    const message = e.message.replace(/\s+at line \d+, column \d+[\s\S]*$/, '');
    issues.push(
      issue(file, code, pos(e.pos[0]), yamlMessage(e.code, message), yamlHint(e.code, message)),
    );
  }
  if (issues.length > 0) return { issues };
  const root = doc.contents;
  if (root === null) {
    return {
      issues: [
        issue(
          file,
          'empty-document',
          START,
          'the file holds no YAML content',
          'start from source/A-61-seed.yaml',
        ),
      ],
    };
  }
  if (!isMap(root)) {
    const what = isSeq(root) ? 'a list' : isAlias(root) ? 'an alias' : 'a single value';
    return {
      issues: [
        issue(
          file,
          'root-not-mapping',
          pos(root.range?.[0] ?? 0),
          `the top level is ${what}; a source is a mapping of keys (style, docTitle, …) to values`,
        ),
      ],
    };
  }
  const keys = collectionKeys(doc, pos, file);
  if (keys.length > 0) return { issues: keys };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    return {
      issues: [
        issue(
          file,
          'yaml-alias-limit',
          pos(firstAliasOffset(doc)),
          `aliases expand to too many nodes (the limit is ${LIMITS.maxAliasCount} per alias)`,
          'write the text out instead of repeating it through aliases',
        ),
      ],
    };
  }
  const escaped = [...controlsInValues(doc, text, pos, file), ...overlongTexts(doc, pos, file)];
  if (escaped.length > 0) return { issues: escaped };
  return {
    data: data as Record<string, unknown>,
    map: new SourceMap(file, doc, lineCounter, text),
  };
}

/** A key given twice in one mapping, as yaml's own DUPLICATE_KEY error would report it. */
function duplicateKeys(doc: Document): { code: string; message: string; pos: [number, number] }[] {
  const out: { code: string; message: string; pos: [number, number] }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // As yaml compares keys: scalars by value (so 1 and '1' differ), others by identity.
        const value = isScalar(key) ? key.value : key;
        if (!seen.has(value)) {
          seen.add(value);
          continue;
        }
        const at = isScalar(key) || isMap(key) || isSeq(key) ? (key.range?.[0] ?? 0) : 0;
        out.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1] });
      }
    },
  });
  return out;
}

/** Keys that are lists or mappings (`? [a, b]`): no key of the format is, and JS would stringify them. */
function collectionKeys(doc: Document, pos: (offset: number) => Span, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (!isMap(key) && !isSeq(key)) return;
      out.push(
        issue(
          file,
          'unknown-key',
          pos(key.range?.[0] ?? 0),
          `a key must be a name, not ${isSeq(key) ? 'a list' : 'a mapping'}`,
          'remove the `? ` complex key',
        ),
      );
    },
  });
  return out;
}

/** Texts longer than LIMITS.maxTextLength, at their start. */
function overlongTexts(doc: Document, pos: (offset: number) => Span, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'string' || node.value.length <= LIMITS.maxTextLength) return;
      out.push(
        issue(
          file,
          'file-too-large',
          pos(node.range?.[0] ?? 0),
          `this text is ${node.value.length} characters long; one text may have at most ${LIMITS.maxTextLength}`,
          'split it into paragraphs',
        ),
      );
    },
  });
  return out;
}

/**
 * Characters the text could not hold but a double-quoted escape can (`"\0"`, `"\a"`,
 * `"\ud800"`): no output can carry them (XML forbids them, UTF-8 cannot encode a lone surrogate).
 * Each is reported at its escape. And bidirectional controls, typed or escaped, that override
 * the direction or are left unbalanced (load/controls.ts).
 */
function controlsInValues(
  doc: Document,
  text: string,
  pos: (offset: number) => Span,
  file: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Scalar(_, node) {
      const value = node.value;
      if (typeof value !== 'string' || node.range === undefined || node.range === null) return;
      const forbidden = FORBIDDEN.test(value);
      const bidi = BIDI_CONTROL.test(value);
      if (!forbidden && !bidi) return;
      const [start, end] = node.range;
      const doubleQuoted = node.type === Scalar.QUOTE_DOUBLE;
      const chars = [...sourceChars(text.slice(start, end), start, doubleQuoted)];
      if (forbidden) out.push(...escapedControls(value, chars, pos(start), pos, file));
      for (const p of bidiProblems(chars))
        out.push(issue(file, 'bidi-control', pos(p.at.offset), p.message, p.hint));
    },
  });
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** One issue per escaped character no output can carry, at its escape. */
function escapedControls(
  value: string,
  chars: readonly SourceChar[],
  start: Span,
  pos: (offset: number) => Span,
  file: string,
): Diagnostic[] {
  const escaped = chars.filter((c) => c.escape !== undefined && FORBIDDEN.test(c.char));
  // The escapes as yaml decoded them, or (should this scan ever miss one) the text's start.
  const found =
    escaped.length > 0
      ? escaped
      : [...value.matchAll(FORBIDDEN_ALL)].map((m) => ({ offset: -1, char: m[0], escape: '' }));
  return found.map((c) => {
    const surrogate = /\p{Cs}/u.test(c.char);
    const as = c.escape === '' ? 'an escape' : `\`${c.escape}\``;
    return issue(
      file,
      surrogate ? 'invalid-utf8' : 'binary-content',
      c.offset < 0 ? start : pos(c.offset),
      `this text holds ${forbiddenWords(c.char)} (written as ${as})${surrogate ? ': UTF-8 cannot encode it' : ': no output can show it'}`,
      surrogate
        ? 'write the character itself, or its code point as one `\\U` escape'
        : 'remove the escape',
    );
  });
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'this key already appears earlier in the same mapping';
  if (code === 'TAB_AS_INDENT') return 'a tab is used for indentation';
  if (code === 'MULTIPLE_DOCS') return 'a second YAML document starts here (`---`)';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function yamlHint(code: string, message: string): string | undefined {
  if (/nested mappings are not allowed in compact mappings/i.test(message)) {
    return 'quote the text (\'…\' or "…"): `: ` inside unquoted text starts a mapping';
  }
  if (/must be sufficiently indented and end with/i.test(message)) {
    return 'a `[` or `{` opened before this point is not closed';
  }
  if (code === 'DUPLICATE_KEY') return 'keep one of the two; YAML keys must be unique';
  if (code === 'TAB_AS_INDENT') return 'indent with spaces';
  if (code === 'MULTIPLE_DOCS') return 'one source file holds one document';
  if (code === 'TAG_RESOLVE_FAILED') return 'remove the tag: a source needs no YAML tags';
  return undefined;
}

type CstToken = ReturnType<Parser['parse']> extends Generator<infer T> ? T : never;

/** What the walk of the concrete syntax tree found against the limits. */
interface CstMeasure {
  /** Offset of the first collection nested deeper than `maxDepth`. */
  readonly deep?: number;
  /** Collection entries (list items and mapping keys) in all. */
  readonly entries: number;
  /** The collection with the most entries: its offset and count. */
  readonly largest: { readonly offset: number; readonly count: number };
}

/**
 * The first document composed from `tokens`, as yaml's `parseDocument` composes it (a second
 * document is an error on the first), without lexing the text again.
 */
function composeDocument(
  text: string,
  tokens: readonly CstToken[],
  options: ConstructorParameters<typeof Composer>[0],
): Document.Parsed {
  let doc: Document.Parsed | undefined;
  for (const next of new Composer(options).compose(tokens, true, text.length)) {
    if (doc === undefined) {
      doc = next;
      continue;
    }
    doc.errors.push(
      new YAMLParseError(
        [next.range[0], next.range[1]],
        'MULTIPLE_DOCS',
        'Source contains multiple documents; please use YAML.parseAllDocuments()',
      ),
    );
    break;
  }
  if (doc === undefined) throw new Error('yaml: composing gave no document');
  return doc;
}

/** Depth and size of the collections, measured by an iterative walk (no recursion). */
function measureCst(tokens: readonly CstToken[]): CstMeasure {
  let entries = 0;
  let largest = { offset: 0, count: 0 };
  const stack: [unknown, number][] = [];
  for (const token of tokens) stack.push([token, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop() ?? [undefined, 0];
    if (typeof token !== 'object' || token === null) continue;
    const t = token as CstToken & { items?: unknown[]; value?: unknown; key?: unknown };
    let next = depth;
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      next = depth + 1;
      if (next > LIMITS.maxDepth) return { deep: t.offset, entries, largest };
      const count = t.items?.length ?? 0;
      entries += count;
      if (count > largest.count) largest = { offset: t.offset, count };
    }
    if (t.type === 'document' && t.value) stack.push([t.value, next]);
    for (const item of t.items ?? []) {
      const it = item as { key?: unknown; value?: unknown };
      if (it.key) stack.push([it.key, next]);
      if (it.value) stack.push([it.value, next]);
    }
  }
  return { entries, largest };
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** A data path: mapping keys and sequence indices from the root. */
export type DataPath = readonly (string | number)[];

/** Maps data paths back to the YAML nodes they came from, and so to lines and columns. */
export class SourceMap {
  constructor(
    /** The path diagnostics name, as the user gave it. */
    readonly file: string,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    /** The decoded source text. */
    readonly text: string,
  ) {}

  /** Line and column of an offset in the text. */
  pos(offset: number): Span {
    return this.lineCounter.linePos(offset);
  }

  /** The node at a path, or the deepest node on the way there that exists. */
  node(path: DataPath): { node: Node; exact: boolean } {
    let node: unknown = this.doc.contents;
    for (const step of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      const next = this.child(node, step);
      if (next === undefined) return { node: node as Node, exact: false };
      node = next;
    }
    return { node: node as Node, exact: true };
  }

  private child(node: unknown, step: string | number): unknown {
    if (isSeq(node)) return node.items[Number(step)];
    if (isMap(node)) return this.pair(node.items, String(step))?.value ?? undefined;
    return undefined;
  }

  private pair(items: readonly unknown[], key: string) {
    for (const p of items) {
      if (isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === key) return p;
    }
    return undefined;
  }

  /** Start of the node at a path (of the nearest existing ancestor when it does not exist). */
  at(path: DataPath): Span {
    return this.pos(this.node(path).node?.range?.[0] ?? 0);
  }

  /** Start of the key `key` in the mapping at `path` (the mapping's start if not found). */
  keyAt(path: DataPath, key: string): Span {
    const { node } = this.node(path);
    if (isMap(node)) {
      const p = this.pair(node.items, key);
      const k = p?.key;
      if (k && typeof k === 'object' && 'range' in k) {
        const range = (k as Node).range;
        if (range) return this.pos(range[0]);
      }
    }
    return this.at(path);
  }

  /**
   * Position of a character offset inside the value of the one-line scalar at `path` (its start
   * when the value is not written out literally, e.g. folded or with escapes).
   */
  inValue(path: DataPath, offset: number): Span {
    const { node, exact } = this.node(path);
    if (!exact || !(node instanceof Scalar) || !node.range) return this.at(path);
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    const start = node.range[0] + (quoted ? 1 : 0);
    const value = String(node.value);
    if (this.text.slice(start, start + value.length) !== value) return this.at(path);
    return this.pos(start + offset);
  }

  /**
   * Position of `needle` inside the source of the scalar at `path` (the `occurrence`-th time it
   * appears there), so that a diagnostic points at the offending part of a longer value.
   */
  within(path: DataPath, needle: string, occurrence = 0): Span {
    const { node, exact } = this.node(path);
    if (!exact || !(node instanceof Scalar) || !node.range) return this.at(path);
    const raw = this.text.slice(node.range[0], node.range[1]);
    let from = -1;
    for (let i = 0; i <= occurrence; i++) {
      from = raw.indexOf(needle, from + 1);
      if (from < 0) return this.at(path);
    }
    return this.pos(node.range[0] + from);
  }
}
