/**
 * Right-to-left pages (Arabic). pdfmake lays text out left to right only; an Arabic document is
 * laid out as any other — the words of each line in their logical order, lines broken where they
 * fit — and its pages are mirrored before they are drawn, as issued Arabic documents mirror the
 * English page: paragraph numbers, first-line indents, the masthead's columns and the signatures
 * go to the other side, and every line is set from the right.
 *
 * Within each line the Unicode bidirectional algorithm (bidi-js) orders what is drawn: the
 * line's text (its words and the spaces between them, in logical order) gets its embedding
 * levels with a right-to-left paragraph level; each word is cut where its level changes; rule L2
 * reverses the pieces into visual order, and they are placed from the mirrored start of the line
 * keeping every gap the layout gave (justification included). So an Arabic run reads from the
 * right and a Latin name or a symbol ("A/61/859") or a number inside it reads left to right in
 * its place. A bracket or other mirrored character at an odd level is drawn as its mirror image
 * (bidi rule L4) in a font registration of its own, whose ToUnicode map gives the character the
 * source has: the glyphs are in visual order and map to their logical characters, which is how
 * pdftotext and pdf.js read right-to-left text back in logical order. Each piece's glyphs
 * are shaped by fontkit, which joins Arabic letters (init, medi, fina, rlig, the lam-alef
 * ligature) and returns a right-to-left run in visual order.
 *
 * The paragraph level is the direction of the text the line belongs to, not a guess from the
 * line: the document's (its language's table), or that of the language a piece of furniture is
 * printed in (the distribution block in English), or left to right for codes (the symbol, the job
 * number, page numbers). So a line of an Arabic paragraph that holds only a Latin run
 * ("A/61/859 (2007).") is still set as Arabic: its full stop goes to the run's left. The levels
 * are resolved per line, not per paragraph: only neutrals at a line's edges could resolve
 * otherwise, and a line's trailing space takes the paragraph level either way (L1).
 */
import { createRequire } from 'node:module';
import { fontInFamily, fontWidth, laidSize, mapToUnicode } from './engine.js';

/** bidi-js (its ESM types describe a default-exported factory; its CommonJS main is the same). */
const bidi = (
  createRequire(import.meta.url)('bidi-js') as () => {
    getEmbeddingLevels(text: string, direction: 'ltr' | 'rtl'): { levels: Uint8Array };
    getMirroredCharacter(char: string): string | null;
    getBidiCharTypeName(char: string): string;
  }
)();

/** The paragraph direction of a line, from the `undocTag` of its first inline. */
export type LineDirection = (tag: string | undefined) => 'ltr' | 'rtl';

/** An inline of a laid-out line, as pdfmake's Renderer draws it. */
interface DrawnInline {
  text: string;
  x: number;
  width: number;
  trailingCut?: number;
  leadingCut?: number;
  fontSize: number;
  characterSpacing?: number;
  font: DrawnFont;
  readonly [key: string]: unknown;
}

/** A pdfkit font (drawn with, measured and looked up through pdf/engine.ts, hook 16). */
type DrawnFont = object;

/** The font a mirrored bracket is drawn with, for the font of its text. */
type MirrorFont = (font: DrawnFont) => DrawnFont;

/** A laid-out line. */
interface DrawnLine {
  x: number;
  inlines: DrawnInline[];
}

/** A page's positioned items, as pdfmake's layout leaves them for its Renderer. */
interface DrawnItem {
  readonly type: string;
  readonly item: Record<string, unknown>;
}

/** A laid-out page. */
export interface DrawnPage {
  readonly items: DrawnItem[];
  readonly pageSize: { readonly width: number };
}

/** One piece of a line: a run of one level, or the space after a word. */
interface Piece {
  readonly level: number;
  readonly width: number;
  /** The inline it draws, or undefined for a gap. */
  readonly inline?: DrawnInline;
}

const TRAILING = /\s+$/u;

function widthOf(inline: DrawnInline, text: string): number {
  const spacing = inline.characterSpacing ?? 0;
  return (
    fontWidth(inline.font, text, inline.fontSize, inline.fontFeatures) + spacing * [...text].length
  );
}

/**
 * A run of one level cut where a character is drawn as its mirror image (rule L4: a bracket at
 * an odd level); each such character alone, so that it can carry its own text (ActualText).
 */
function mirrorCuts(text: string, level: number): { text: string; actual?: string }[] {
  if ((level & 1) === 0) return [{ text }];
  const out: { text: string; actual?: string }[] = [];
  let plain = '';
  for (const ch of text) {
    const mirror = bidi.getMirroredCharacter(ch);
    if (mirror === null || mirror === ch) {
      plain += ch;
      continue;
    }
    if (plain !== '') out.push({ text: plain });
    plain = '';
    out.push({ text: mirror, actual: ch });
  }
  if (plain !== '') out.push({ text: plain });
  return out;
}

/** The line's pieces in logical order, each of one embedding level. */
function piecesOf(line: DrawnLine, mirrorFont: MirrorFont, direction: LineDirection): Piece[] {
  const inlines = line.inlines;
  let text = '';
  const spans: { inline: DrawnInline; core: string; start: number; gap: number }[] = [];
  inlines.forEach((inline, i) => {
    const fixed = inline.undocFixed === true;
    const core = fixed ? '' : inline.text.replace(TRAILING, '');
    const coreWidth = fixed ? 0 : inline.width - (inline.trailingCut ?? 0);
    const next = inlines[i + 1];
    const end = inline.x + (fixed ? 0 : coreWidth);
    const gap = next === undefined ? 0 : Math.max(0, next.x - end);
    spans.push({ inline, core, start: text.length, gap });
    text += inline.text;
  });
  const tag = inlines[0]?.undocTag;
  const { levels } = bidi.getEmbeddingLevels(
    text,
    direction(typeof tag === 'string' ? tag : undefined),
  );
  const pieces: Piece[] = [];
  for (const { inline, core, start, gap } of spans) {
    const gapLevel = levels[start + core.length] ?? 1;
    if (core !== '') {
      // Cut where the level changes (a Latin symbol glued to Arabic punctuation).
      let from = 0;
      const parts: { text: string; level: number }[] = [];
      for (let k = 1; k <= core.length; k++) {
        if (k === core.length || levels[start + k] !== levels[start + from]) {
          parts.push({ text: core.slice(from, k), level: levels[start + from] ?? 1 });
          from = k;
        }
      }
      parts.forEach((part) => {
        const cuts = mirrorCuts(part.text, part.level);
        const whole = parts.length === 1 && cuts.length === 1;
        cuts.forEach((cut) => {
          const piece: DrawnInline = { ...inline, text: cut.text };
          if (cut.actual !== undefined) piece.font = mirrorFont(inline.font);
          const width = whole ? inline.width - (inline.trailingCut ?? 0) : widthOf(piece, cut.text);
          piece.width = width;
          pieces.push({ level: part.level, width, inline: piece });
        });
      });
    }
    if (gap > 0) pieces.push({ level: gapLevel, width: gap });
  }
  return pieces;
}

/** Rule L2: the pieces in visual order, left to right. */
export function visualOrder<T extends { readonly level: number }>(pieces: readonly T[]): T[] {
  const out = pieces.slice();
  const highest = Math.max(0, ...out.map((p) => p.level));
  let lowestOdd = Math.min(...out.map((p) => p.level), highest);
  if ((lowestOdd & 1) === 0) lowestOdd++;
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < out.length; i++) {
      if ((out[i]?.level ?? 0) < level) continue;
      let j = i;
      while (j + 1 < out.length && (out[j + 1]?.level ?? 0) >= level) j++;
      const run = out.slice(i, j + 1).reverse();
      out.splice(i, run.length, ...run);
      i = j;
    }
  }
  return out;
}

/**
 * A line set from the right: its pieces placed in visual order from the mirror of its end, and
 * drawn in logical order (a reader that takes the text in the order it is drawn, as pdf.js does,
 * gets it in reading order; one that sorts by position, as pdftotext does, reverses the line).
 */
function mirrorLine(
  line: DrawnLine,
  pageWidth: number,
  mirrorFont: MirrorFont,
  direction: LineDirection,
): void {
  const first = line.inlines[0];
  const last = line.inlines.at(-1);
  if (first === undefined || last === undefined) return;
  const end = line.x + last.x + last.width - (last.trailingCut ?? 0);
  const logical = piecesOf(line, mirrorFont, direction);
  let x = pageWidth - end;
  for (const piece of visualOrder(logical)) {
    if (piece.inline) piece.inline.x = x - line.x;
    x += piece.width;
  }
  line.inlines = logical.flatMap((p) => (p.inline ? [p.inline] : []));
}

/** Mirrors a rule, rectangle or polyline of pdfmake's canvas. */
function mirrorVector(v: Record<string, unknown>, pageWidth: number): void {
  const num = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : undefined);
  switch (v.type) {
    case 'line': {
      const x1 = num('x1');
      const x2 = num('x2');
      if (x1 !== undefined && x2 !== undefined) {
        v.x1 = pageWidth - x2;
        v.x2 = pageWidth - x1;
      }
      break;
    }
    case 'rect': {
      const x = num('x');
      const w = num('w');
      if (x !== undefined && w !== undefined) v.x = pageWidth - x - w;
      break;
    }
    default: {
      const x = num('x');
      if (x !== undefined) v.x = pageWidth - x;
      if (Array.isArray(v.points))
        for (const p of v.points as { x: number }[]) p.x = pageWidth - p.x;
    }
  }
}

/** Mirrors every page: lines set from the right in bidi order, rules and pictures moved across. */
function mirrorPages(
  pages: readonly DrawnPage[],
  mirrorFont: MirrorFont,
  direction: LineDirection,
): void {
  for (const page of pages) {
    const width = page.pageSize.width;
    for (const { type, item } of page.items) {
      if (type === 'line') mirrorLine(item as unknown as DrawnLine, width, mirrorFont, direction);
      else if (type === 'vector') mirrorVector(item, width);
      else if (type === 'image' || type === 'svg') {
        const x = item.x as number;
        const w = (laidSize(item).width ?? item.width) as number;
        item.x = width - x - w;
      }
    }
  }
}

/** What a right-to-left document does around its drawing (`PdfLayout.bytes`). */
export interface RightToLeft {
  readonly before: (pages: readonly object[], pdfDocument: object) => void;
  readonly after: (pdfDocument: object) => void;
}

/**
 * Mirrors the pages before they are drawn; a mirrored bracket is drawn with `mirrorFamily(f)`, a
 * second registration of its family `f` (its own subset), whose ToUnicode map is then turned back
 * to the characters the source has: ")" drawn for "(" copies as "(" (pdf.js and poppler alike
 * read the glyphs, right to left, through that map). `direction` gives each line its paragraph
 * direction.
 */
export function rightToLeft(
  mirrorFamily: (family: string) => string | undefined,
  direction: LineDirection,
): RightToLeft {
  const used = new Set<string>();
  return {
    before(pages, pdfDocument) {
      const mirrorFont: MirrorFont = (font) =>
        fontInFamily(pdfDocument, font, (family) => {
          const name = mirrorFamily(family);
          if (name !== undefined) used.add(name);
          return name;
        });
      mirrorPages(pages as DrawnPage[], mirrorFont, direction);
    },
    after(pdfDocument) {
      for (const name of used) {
        mapToUnicode(pdfDocument, name, (cp) => {
          const m = bidi.getMirroredCharacter(String.fromCodePoint(cp));
          return m === null ? cp : (m.codePointAt(0) ?? cp);
        });
      }
    },
  };
}
