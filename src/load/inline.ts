/**
 * Inline Markdown for text fields: *italic*, **bold** and footnote calls `[^id]`. Everything else
 * marked recognises (links, code, raw HTML, images) is kept as the literal characters the author
 * typed, so nothing but emphasis can ever become markup in any output.
 */

import { Lexer, type Token } from 'marked';
import type { Diagnostic } from '../diagnostics.js';
import type { Inline, Rich } from '../model.js';
import { type DataPath, issue, LIMITS, type SourceMap } from './yaml-source.js';

/** A footnote call `[^id]`; ids are letters, digits, `-` and `_`. */
export const NOTE_CALL = /\[\^([A-Za-z0-9_-]+)\]/g;

/** Resolves a footnote id to its number and printed mark (called per call, in reading order). */
export type NoteNumberer = (id: string) => { readonly number: number; readonly mark: string };

const lexer = new Lexer({ async: false, gfm: true, breaks: false });

/** Parses one text field into inline nodes; `noteNumber` numbers footnote calls as they appear. */
export function parseInline(source: string, noteNumber: NoteNumberer): Rich {
  const tokens = lexer.inlineTokens(normalize(source));
  return merge(tokens.flatMap((t) => convert(t, noteNumber)));
}

/**
 * Line breaks and runs of spaces or tabs are one space, as in the printed text. Only those: a
 * no-break or thin space (U+00A0, U+202F, U+2009) is the author's and is kept.
 */
function normalize(source: string): string {
  return source.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * How deeply a text's emphasis nests (`***a***` is 2), or Infinity when it nests so deeply that
 * marked's lexer, which recurses once per level, runs out of stack. The loader refuses a text
 * deeper than LIMITS.maxInlineDepth before parseInline ever sees it.
 */
export function inlineDepth(source: string): number {
  let tokens: Token[];
  try {
    tokens = lexer.inlineTokens(normalize(source));
  } catch (e) {
    if (e instanceof RangeError) return Number.POSITIVE_INFINITY;
    throw e;
  }
  let deepest = 0;
  const stack: [readonly Token[], number][] = [[tokens, 0]];
  while (stack.length > 0) {
    const [list, depth] = stack.pop() ?? [[], 0];
    for (const t of list) {
      const level = t.type === 'em' || t.type === 'strong' ? depth + 1 : depth;
      deepest = Math.max(deepest, level);
      if ('tokens' in t && t.tokens) stack.push([t.tokens, level]);
    }
  }
  return deepest;
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const SPACE = /\s/u;

/**
 * The most emphasis delimiters left open at any point of a text, counted in one pass with
 * CommonMark's flanking rules per delimiter character (`*`, `_`): the nesting depth cannot be
 * larger, except through the rule of 3, which inlineDepth then measures exactly.
 */
export function openEmphasisBound(text: string): number {
  const open = { '*': 0, _: 0 };
  let most = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c !== '*' && c !== '_') {
      i++;
      continue;
    }
    let end = i;
    while (text[end] === c) end++;
    const before = text[i - 1] ?? ' ';
    const after = text[end] ?? ' ';
    const leftFlanking =
      !SPACE.test(after) &&
      (!PUNCTUATION.test(after) || SPACE.test(before) || PUNCTUATION.test(before));
    const rightFlanking =
      !SPACE.test(before) &&
      (!PUNCTUATION.test(before) || SPACE.test(after) || PUNCTUATION.test(after));
    const canOpen =
      c === '*' ? leftFlanking : leftFlanking && (!rightFlanking || PUNCTUATION.test(before));
    const canClose =
      c === '*' ? rightFlanking : rightFlanking && (!leftFlanking || PUNCTUATION.test(after));
    const run = end - i;
    if (canClose) open[c] = Math.max(0, open[c] - run);
    if (canOpen) open[c] += run;
    most = Math.max(most, open['*'] + open._);
    i = end;
  }
  return most;
}

/** Every text of the source whose emphasis nests deeper than the limit, at that text. */
export function inlineIssues(data: unknown, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (value: unknown, path: DataPath): void => {
    if (typeof value === 'string') {
      // Emphasis needs delimiters: most texts are skipped without lexing.
      if ((value.match(/[*_]/g)?.length ?? 0) <= 2 * LIMITS.maxInlineDepth) return;
      // marked takes time in proportion to length × depth: bound the depth in linear time first.
      const bound = openEmphasisBound(normalize(value));
      if (bound <= LIMITS.maxInlineDepth && inlineDepth(value) <= LIMITS.maxInlineDepth) return;
      out.push(
        issue(
          map.file,
          'yaml-too-deep',
          map.at(path),
          `*emphasis* in this text is nested more than ${LIMITS.maxInlineDepth} levels deep`,
          'a run of `*` or `_` opens a level each; escape a literal one as `\\*`',
        ),
      );
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(data, []);
  return out;
}

function convert(token: Token, noteNumber: NoteNumberer): Inline[] {
  switch (token.type) {
    case 'em':
      return [{ kind: 'italic', children: children(token.tokens, noteNumber) }];
    case 'strong':
      return [{ kind: 'bold', children: children(token.tokens, noteNumber) }];
    case 'escape':
      return [{ kind: 'text', text: token.raw.slice(1) }];
    case 'text':
      // A text token may carry nested tokens (marked does this inside some constructs).
      if ('tokens' in token && token.tokens && token.tokens.length > 0) {
        return children(token.tokens, noteNumber).slice();
      }
      return calls(token.raw, noteNumber);
    default:
      // Links, code spans, raw HTML, images, line breaks: literal text, never markup.
      return calls(token.raw, noteNumber);
  }
}

function children(tokens: Token[] | undefined, noteNumber: NoteNumberer): Rich {
  return merge((tokens ?? []).flatMap((t) => convert(t, noteNumber)));
}

function calls(text: string, noteNumber: NoteNumberer): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(NOTE_CALL)) {
    const id = m[1] ?? '';
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'noteRef', id, ...noteNumber(id) });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Joins adjacent text nodes so that renderers see one run per style change. */
function merge(nodes: readonly Inline[]): Rich {
  const out: Inline[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.kind === 'text' && prev?.kind === 'text')
      out[out.length - 1] = { kind: 'text', text: prev.text + n.text };
    else out.push(n);
  }
  return out;
}
