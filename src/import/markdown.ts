/**
 * Inline content back to the source's text syntax: `*italic*`, `**bold**`, `[^id]` note calls,
 * every other character literal (escaped where the loader's Markdown would read it as syntax).
 * Each text is read back with the loader's own parser; where emphasis cannot be written so that it
 * reads back (CommonMark's flanking rules refuse some placements), it is dropped with a warning,
 * never the words.
 */
import { parseInline } from '../load/inline.js';
import type { Inline, Rich } from '../model.js';

/**
 * Escapers from the least to the most: the first whose text reads back is used, so that a YAML
 * diff shows `07-29358`, not `07\-29358`, and a URL's `_` stays inside its autolink.
 */
const ESCAPERS: readonly ((s: string) => string)[] = [
  (s) => s.replace(/\[\^/g, '\\[^'),
  (s) => s.replace(/[\\*_`]/g, (c) => `\\${c}`).replace(/\[\^/g, '\\[^'),
  (s) => s.replace(/[\\*_[\]`~<>&!#|{}()+=-]/g, (c) => `\\${c}`),
];

/** One character run with its emphasis, or a note call. */
type Flat =
  | { readonly kind: 'text'; readonly text: string; readonly b: boolean; readonly i: boolean }
  | { readonly kind: 'note'; readonly id: string };

/** Inline content as runs of (text, bold, italic), adjacent runs of one format joined. */
export function flatten(rich: Rich, b = false, i = false, out: Flat[] = []): Flat[] {
  for (const n of rich) {
    if (n.kind === 'text') {
      const prev = out[out.length - 1];
      if (prev?.kind === 'text' && prev.b === b && prev.i === i) {
        out[out.length - 1] = { ...prev, text: prev.text + n.text };
      } else if (n.text !== '') out.push({ kind: 'text', text: n.text, b, i });
    } else if (n.kind === 'noteRef') out.push({ kind: 'note', id: n.id });
    else flatten(n.children, b || n.kind === 'bold', i || n.kind === 'italic', out);
  }
  return out;
}

/**
 * A canonical form for comparing: one token per character with its emphasis, whitespace as the
 * loader reads it (runs of spaces, tabs and line ends are one space, none at the ends; a space
 * carries no emphasis of its own).
 */
function canon(flat: readonly Flat[]): string {
  const tokens: string[] = [];
  for (const f of flat) {
    if (f.kind === 'note') {
      tokens.push(`^${f.id}`);
      continue;
    }
    for (const ch of f.text) {
      if (/[ \t\r\n]/.test(ch)) {
        if (tokens.length > 0 && tokens[tokens.length - 1] !== ' ') tokens.push(' ');
      } else tokens.push(`${ch}${f.b ? 'b' : ''}${f.i ? 'i' : ''}`);
    }
  }
  if (tokens[tokens.length - 1] === ' ') tokens.pop();
  return JSON.stringify(tokens);
}

/** The canonical form of inline content: equal for texts that print the same. */
export const canonical = (rich: Rich): string => canon(flatten(rich));

/** Whether two texts read the same: words, emphasis and note calls. */
export function sameInline(a: Rich, b: Rich): boolean {
  return canon(flatten(a)) === canon(flatten(b));
}

const same = (a: readonly Flat[], b: readonly Flat[]): boolean => canon(a) === canon(b);

function write(
  flat: readonly Flat[],
  emphasis: boolean,
  escapeText: (s: string) => string,
): string {
  let out = '';
  for (const f of flat) {
    if (f.kind === 'note') {
      out += `[^${f.id}]`;
      continue;
    }
    const delim = emphasis ? (f.b ? '**' : '') + (f.i ? '*' : '') : '';
    if (delim === '') {
      out += escapeText(f.text);
      continue;
    }
    // Delimiters hug the words: spaces at a run's ends stay outside them.
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(f.text);
    const [, lead = '', core = '', trail = ''] = m ?? [];
    out +=
      core === ''
        ? f.text
        : `${lead}${delim}${escapeText(core)}${[...delim].reverse().join('')}${trail}`;
  }
  return out;
}

/** What the loader reads from `text` (note calls numbered arbitrarily: only ids matter here). */
function reread(text: string): Flat[] {
  return flatten(parseInline(text, () => ({ number: 0, mark: '' })));
}

/** The result of writing one text: the source text, and whether emphasis had to be dropped. */
export interface Written {
  readonly text: string;
  readonly emphasisDropped: boolean;
}

/** Inline content as source text that the loader reads back to the same words and emphasis. */
export function toMarkdown(rich: Rich): Written {
  const flat = flatten(rich);
  for (const escapeText of ESCAPERS) {
    const text = write(flat, true, escapeText);
    if (same(reread(text), flat)) return { text, emphasisDropped: false };
  }
  // Emphasis that CommonMark cannot place here (`word*“quoted”*`) is dropped, the words kept.
  const plain = flat.map((f) => (f.kind === 'text' ? { ...f, b: false, i: false } : f));
  const emphasisDropped = flat.some((f) => f.kind === 'text' && (f.b || f.i));
  const fallback = ESCAPERS[ESCAPERS.length - 1] ?? ((s: string) => s);
  for (const escapeText of ESCAPERS) {
    const text = write(plain, false, escapeText);
    if (same(reread(text), plain)) return { text, emphasisDropped };
  }
  return { text: write(plain, false, fallback), emphasisDropped };
}

/** Plain inline content from a string (no emphasis, no notes). */
export const textRich = (text: string): Rich => [{ kind: 'text', text } satisfies Inline];
