/**
 * A word wider than the line, broken across lines in linear time (pdf/engine.ts hook 12).
 *
 * pdfmake 0.3 breaks such a word in `LayoutBuilder.buildNextLine`: it binary-searches the longest
 * prefix that fits by measuring (shaping) prefixes of the rest of the word, then measures the
 * rest again, on every line. Each line costs the length of the rest, so a word of n characters
 * costs n²/(characters per line), and pdfkit's shaping cache keeps every prefix it measured: a
 * 10 000-character word took 10 s and 0.5 GB, a 40 000-character one over 280 s and 4 GB
 * (issue 16). Here each grapheme of the word is measured once, the prefix that fits is found on
 * the running sums, and only the piece placed on the line (and the last, short rest) is measured
 * as a whole: O(n) shaping for the word.
 *
 * The word is split at grapheme boundaries (pdfmake splits UTF-16 code units, which can cut a
 * surrogate pair in two), and the split honours the line's first-line indent (pdfmake compares the
 * word's width with the line's, so an indented first word ran past the margin).
 */
import { lazyIntl } from '../../intl.js';

/** A measured word (inline) as pdfmake's layout carries it. */
export interface WrapInline {
  text: string;
  width: number;
  leadingCut?: number;
  trailingCut?: number;
  noWrap?: boolean;
  noNewLine?: boolean;
  lineEnd?: boolean;
  leadingIndent?: number;
  fontSize?: number;
  characterSpacing?: number;
  fontFeatures?: unknown;
  font?: { widthOfString(text: string, size: number, features: unknown): number };
}

/** How to measure a text in an inline's style: pdfmake's TextInlines.widthOfText. */
export type WidthOfText = (text: string, inline: WrapInline) => number;

/** The word a long inline came from: its grapheme boundaries and running widths. */
interface Advances {
  /** UTF-16 offset of each grapheme boundary in `word`, from 0 to word.length. */
  readonly bounds: Uint32Array;
  /** Width (pt) of the graphemes before each boundary, without character spacing. */
  readonly sums: Float64Array;
  readonly word: string;
}

/** A long inline's place in its word: the grapheme where its text begins. */
interface Place {
  readonly advances: Advances;
  readonly first: number;
}

/** The rest of each split word, by inline (so that the next line does not measure it again). */
const places = new WeakMap<WrapInline, Place>();

/** Made on first use, forgotten before a start-up snapshot (src/intl.ts: V8 cannot keep it). */
const graphemes = lazyIntl(() => new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

/** A rest this many lines wide or less is measured as a whole (its width is then exact). */
const EXACT_REST_LINES = 2;

/**
 * The grapheme boundaries of `text`, 0 and text.length included. Segmented a window at a time:
 * V8's segmenter slows down with the length of the string it walks (quadratic: 2.5 s for 40 000
 * characters), and a cluster never spans more than the window unless it fills it (then the
 * window grows).
 */
export function graphemeBounds(text: string): number[] {
  const bounds = [0];
  let start = 0;
  let window = SEGMENT_WINDOW;
  while (start < text.length) {
    let end = Math.min(text.length, start + window);
    // Never half a surrogate pair: the cluster before it would be judged on a broken character.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
    let last = start;
    for (const { index } of graphemes().segment(text.slice(start, end))) {
      if (index > 0) bounds.push(start + index);
      last = start + index;
    }
    if (end === text.length) break;
    // The window's last cluster may go on past it: segment again from where it starts (a
    // boundary, since the cluster before it ended inside the window).
    if (last === start) window *= 2;
    else {
      start = last;
      window = SEGMENT_WINDOW;
    }
  }
  if (text.length > 0) bounds.push(text.length);
  return bounds;
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;

/** Code units segmented at a time (a window holds several lines of text). */
const SEGMENT_WINDOW = 512;

function advancesOf(text: string, inline: WrapInline, widthOf: WidthOfText): Advances {
  const bounds = graphemeBounds(text);
  const sums = new Float64Array(bounds.length);
  const spacing = inline.characterSpacing ?? 0;
  for (let i = 1; i < bounds.length; i++) {
    const grapheme = text.slice(bounds[i - 1], bounds[i]);
    // widthOfText adds the character spacing between the grapheme's own code units.
    sums[i] = (sums[i - 1] ?? 0) + widthOf(grapheme, inline) - spacing * (grapheme.length - 1);
  }
  return { bounds: Uint32Array.from(bounds), sums, word: text };
}

/** The place of `inline`'s text in its word, or a new word when it has none (or another text). */
function placeOf(inline: WrapInline, widthOf: WidthOfText): Place {
  const known = places.get(inline);
  if (known !== undefined) {
    const { advances, first } = known;
    const start = advances.bounds[first];
    if (start !== undefined && advances.word.length - start === inline.text.length) return known;
  }
  return { advances: advancesOf(inline.text, inline, widthOf), first: 0 };
}

/** Width (pt) of graphemes [from, to) of a word, as widthOfText would give it without kerning. */
function spanWidth(inline: WrapInline, { bounds, sums }: Advances, from: number, to: number) {
  const units = (bounds[to] ?? 0) - (bounds[from] ?? 0);
  return (sums[to] ?? 0) - (sums[from] ?? 0) + (inline.characterSpacing ?? 0) * (units - 1);
}

/**
 * Splits `inlines[0]` when it alone is wider than a line `lineWidth` pt wide: it keeps the longest
 * run of whole graphemes that fits (at least one), and a new inline with the rest goes after it.
 * Returns whether it split.
 */
export function splitLongHead(
  inlines: WrapInline[],
  lineWidth: number,
  widthOf: WidthOfText,
): boolean {
  const head = inlines[0];
  if (head === undefined || head.noWrap || head.text.length < 2) return false;
  const leadingCut = head.leadingCut ?? 0;
  if (head.width - leadingCut - (head.trailingCut ?? 0) <= lineWidth) return false;
  // The piece must fit by pdfmake's test (its width) and on the line (its width less its cut).
  const budget = lineWidth + Math.min(0, leadingCut);
  const place = placeOf(head, widthOf);
  const { advances, first } = place;
  const last = advances.bounds.length - 1;
  if (last - first < 2) return false;
  // The longest run of graphemes [first, end) within the budget, by the running sums.
  let low = first + 1;
  let high = last - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (spanWidth(head, advances, first, mid) <= budget) low = mid;
    else high = mid - 1;
  }
  let end = low;
  const start = advances.bounds[first] ?? 0;
  const textOf = (to: number) => advances.word.slice(start, advances.bounds[to]);
  let piece = textOf(end);
  let width = widthOf(piece, head);
  // Kerning and ligatures make a whole run differ a little from its graphemes' sum.
  while (width > budget && end > first + 1) {
    end--;
    piece = textOf(end);
    width = widthOf(piece, head);
  }
  const rest: WrapInline = Object.assign(Object.create(Object.getPrototypeOf(head)), head);
  rest.text = advances.word.slice(advances.bounds[end]);
  rest.leadingCut = 0;
  delete rest.leadingIndent;
  const restWidth = spanWidth(rest, advances, end, last);
  rest.width = restWidth <= lineWidth * EXACT_REST_LINES ? widthOf(rest.text, rest) : restWidth;
  places.set(rest, { advances, first: end });
  head.text = piece;
  head.width = width;
  head.trailingCut = 0;
  // The line ends after the piece: nothing is glued to it, and a line end belongs to the rest.
  head.noNewLine = false;
  head.lineEnd = false;
  inlines.splice(1, 0, rest);
  return true;
}
