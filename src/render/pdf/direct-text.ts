/**
 * Text drawn without pdfkit's text pipeline (pdf/engine.ts hook 11). pdfmake's Renderer draws
 * every inline (every word) with pdfkit's `text()`, which copies and completes an options
 * object, splits the text into lines, lays it out twice (once to encode it, once more to advance
 * the cursor) and concatenates glyph arrays as it goes: ~24 ms of a seed render. For the calls
 * pdfmake makes for our words (no line breaking, link, destination or font features; an
 * embedded font with its layout cache) `drawText` writes the content-stream lines
 * pdfkit's `_fragment` writes, in its order and with its number formatting, registers each glyph
 * in the font's subset (widths and code points) as pdfkit's `encode` does, and leaves the cursor
 * where pdfkit leaves it. A text's glyph operators (its TJ arrays, whose adjustments are in
 * 1/1000 em) are the same wherever and at whatever size a font draws it: each document's font
 * makes them once per text (the word "the" is drawn hundreds of times). Before each word the
 * Renderer resolves its colour and fills with it, parsing the colour twice; `fillLines` and
 * `knownColor` answer from the lines pdfkit wrote for that colour string. Anything else goes to
 * pdfkit.
 */

import {
  glyphCount,
  horizontalScaling,
  NOMINAL,
  type SizeMetrics,
  wordAdvance,
} from '../../style/word-metrics.js';
import { pdfNumber, runGlyphs, type TextRun, type WordState } from './text-run.js';

/** A positioned glyph as pdfkit's font keeps it (units of 1/1000 em). */
interface GlyphPosition {
  readonly xAdvance: number;
  readonly yAdvance: number;
  readonly xOffset: number;
  readonly yOffset: number;
  readonly advanceWidth: number;
}

/** A laid-out run of text: fontkit's glyphs and pdfkit's scaled positions. */
interface GlyphRun {
  readonly glyphs: readonly {
    readonly id: number;
    readonly advanceWidth: number;
    readonly codePoints: readonly number[];
  }[];
  readonly positions: readonly GlyphPosition[];
  readonly advanceWidth: number;
}

/** pdfkit's EmbeddedFont, as far as this module draws with it. */
interface EmbeddedFont {
  readonly id: string;
  readonly ascender: number;
  readonly scale: number;
  readonly layoutCache?: unknown;
  /** fontkit's subset: `glyphs` lists the font's glyph ids, each at its index in the subset. */
  readonly subset: { includeGlyph(glyph: number): number; readonly glyphs: number[] };
  readonly widths: (number | undefined)[];
  readonly unicode: (readonly number[] | undefined)[];
  layoutCached(text: string): GlyphRun;
  ref(): unknown;
}

/** The pdfkit document state `text()` reads and changes (its font: pdf/engine.ts `textPen`). */
export interface TextDocument {
  x: number;
  y: number;
  readonly page: { readonly height: number; readonly fonts: Record<string, unknown> };
  addContent(data: string): unknown;
}

/**
 * What pdfkit's text() would draw with: the document's current font and size (pdf/engine.ts
 * `textPen` reads them; undefined while a continued text's options are pending).
 */
export interface TextPen {
  readonly font: unknown;
  readonly size: number;
}

/** Option names pdfmake's Renderer passes to `text()` for an inline. */
const PDFMAKE_OPTIONS = new Set([
  'lineBreak',
  'textWidth',
  'characterSpacing',
  'wordCount',
  'link',
]);

/** Switch for hook 11 (tests draw the same document with pdfkit's own path to compare bytes). */
export const directText = { enabled: true };

const number = pdfNumber;

/** Four hex digits of each glyph index, as pdfkit's encode writes them. */
const HEX: string[] = [];

function hex(gid: number): string {
  let h = HEX[gid];
  if (h === undefined) {
    h = `0000${gid.toString(16)}`.slice(-4);
    HEX[gid] = h;
  }
  return h;
}

function embedded(font: unknown): font is EmbeddedFont {
  if (typeof font !== 'object' || font === null) return false;
  const f = font as Partial<EmbeddedFont>;
  return typeof f.layoutCached === 'function' && f.subset !== undefined && f.layoutCache != null;
}

/**
 * The character spacing (pt) of the options pdfmake gives a plain inline (no line breaking, link,
 * destination or font features), or undefined for other options.
 */
function plainSpacing(options: unknown): number | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const o = options as { readonly [key: string]: unknown };
  for (const key in o) if (!PDFMAKE_OPTIONS.has(key)) return undefined;
  if (o.lineBreak !== false || o.link != null) return undefined;
  const spacing = o.characterSpacing ?? 0;
  return typeof spacing === 'number' && Number.isFinite(spacing) ? spacing : undefined;
}

/** A text as one font draws it: its glyphs encoded, and what does not depend on where. */
interface Prepared {
  /** The sum of its runs' advances (1/1000 em), as pdfkit's layout adds them. */
  readonly advance: number;
  /** Its TJ lines (advances in 1/1000 em: the same at any size and place), when no glyph is offset. */
  readonly tj: string | undefined;
  /** The same as a text run writes them (hook 20, `runGlyphs`). */
  readonly runTj: string | undefined;
  /** Glyph codes and positions, for a text whose glyphs are offset (its Tm lines depend on place). */
  readonly encoded: readonly string[];
  readonly positions: readonly GlyphPosition[];
}

/** Texts each font has drawn (fonts are per document, so is what their subsets hold). */
const preparedTexts = new WeakMap<EmbeddedFont, Map<string, Prepared>>();

/** Each font's second codes: a glyph id and its characters → its code in the subset. */
const secondCodes = new WeakMap<EmbeddedFont, Map<string, number>>();

const sameCodes = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((cp, i) => cp === b[i]);

/**
 * The code a glyph is drawn with: its place in the font's subset, as pdfkit's `encode` gives it,
 * unless the glyph there already stands for other characters in the text layer (the tatweel
 * glyph of "(هـ)" is also the kashida Amiri adds in "للمملكة", the space glyph also a no-break
 * space: pdf/engine.ts hook 17). Then the glyph is added to the subset once more, with a code
 * and a ToUnicode entry of its own, once per document and characters.
 */
function codeOf(font: EmbeddedFont, glyph: GlyphRun['glyphs'][number]): number {
  const gid = font.subset.includeGlyph(glyph.id);
  const known = font.unicode[gid];
  if (known == null || sameCodes(known, glyph.codePoints)) return gid;
  let codes = secondCodes.get(font);
  if (codes === undefined) {
    codes = new Map();
    secondCodes.set(font, codes);
  }
  const key = `${glyph.id} ${glyph.codePoints.join(' ')}`;
  let code = codes.get(key);
  if (code === undefined) {
    code = font.subset.glyphs.push(glyph.id) - 1;
    codes.set(key, code);
  }
  return code;
}

/**
 * Lays `text` out as pdfkit's `encode` does (one cached run per word with its trailing space) and
 * registers its glyphs in the font's subset, widths and code points, in the order pdfkit does.
 */
function prepare(font: EmbeddedFont, text: string): Prepared {
  let advance = 0;
  const encoded: string[] = [];
  const positions: GlyphPosition[] = [];
  let last = 0;
  let index = 0;
  while (index <= text.length) {
    const c = text.charAt(index);
    if ((index === text.length && last < index) || c === ' ' || c === '\t') {
      const run = font.layoutCached(text.slice(last, ++index));
      advance += run.advanceWidth;
      last = index;
      const { glyphs } = run;
      for (let i = 0; i < glyphs.length; i++) {
        const glyph = glyphs[i];
        const position = run.positions[i];
        if (glyph === undefined || position === undefined) continue;
        const gid = codeOf(font, glyph);
        encoded.push(hex(gid));
        if (font.widths[gid] == null) font.widths[gid] = glyph.advanceWidth * font.scale;
        if (font.unicode[gid] == null) font.unicode[gid] = glyph.codePoints;
        positions.push(position);
      }
    } else index++;
  }
  const offset = positions.some((p) => p.xOffset || p.yOffset);
  if (offset) return { advance, tj: undefined, runTj: undefined, encoded, positions };
  // Only the lines are kept: a document holds one of these per distinct word and font.
  const tj = glyphLines(encoded, positions, 0, 0, 0).join('\n');
  return { advance, tj, runTj: runGlyphs(tj), encoded: [], positions: [] };
}

/**
 * The lines of _fragment's glyph loop from (`x`, `y`) (pt, PDF space) at `scale` (pt per
 * 1/1000 em): TJ arrays whose segments end after each glyph with an adjusted advance, and a
 * Tm line around each offset glyph.
 */
function glyphLines(
  encoded: readonly string[],
  positions: readonly GlyphPosition[],
  x0: number,
  y: number,
  scale: number,
): string[] {
  const lines: string[] = [];
  const commands: string[] = [];
  let x = x0;
  let start = 0;
  let hadOffset = false;
  const addSegment = (cur: number) => {
    const end = positions[cur - 1];
    if (start < cur && end !== undefined) {
      const adjust = end.xAdvance - end.advanceWidth;
      commands.push(`<${encoded.slice(start, cur).join('')}> ${number(-adjust)}`);
    }
    start = cur;
  };
  const flush = (cur: number) => {
    addSegment(cur);
    if (commands.length > 0) {
      lines.push(`[${commands.join(' ')}] TJ`);
      commands.length = 0;
    }
  };
  let i = 0;
  for (; i < positions.length; i++) {
    const pos = positions[i] as GlyphPosition;
    if (pos.xOffset || pos.yOffset) {
      flush(i);
      lines.push(
        `1 0 0 1 ${number(x + pos.xOffset * scale)} ${number(y + pos.yOffset * scale)} Tm`,
      );
      flush(i + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        lines.push(`1 0 0 1 ${number(x)} ${number(y)} Tm`);
        hadOffset = false;
      }
      if (pos.xAdvance - pos.advanceWidth !== 0) addSegment(i + 1);
    }
    x += pos.xAdvance * scale;
  }
  flush(i);
  return lines;
}

/**
 * Draws `text` at (`x`, `y`) (pt from the top left) as pdfkit's `text(text, x, y, options)`
 * would, or returns false, having changed nothing, for a call it leaves to pdfkit.
 */
export function drawText(
  doc: TextDocument,
  pen: TextPen | undefined,
  text: unknown,
  x: unknown,
  y: unknown,
  options: unknown,
  metrics: SizeMetrics = NOMINAL,
  run?: TextRun,
): boolean {
  if (!directText.enabled || typeof text !== 'string' || text.includes('\n')) return false;
  if (typeof x !== 'number' || typeof y !== 'number') return false;
  const spacing = plainSpacing(options);
  if (spacing === undefined) return false;
  if (pen === undefined) return false;
  const { font, size } = pen;
  if (!embedded(font)) return false;

  let texts = preparedTexts.get(font);
  if (texts === undefined) {
    texts = new Map();
    preparedTexts.set(font, texts);
  }
  let prepared = texts.get(text);
  if (prepared === undefined) {
    prepared = prepare(font, text);
    texts.set(text, prepared);
  }

  // _initOptions places the cursor; _fragment draws nothing for an empty text.
  doc.x = x;
  doc.y = y;
  if (text.length > 0) drawFragment(doc, font, size, spacing, metrics, prepared, x, y, run);
  if (metrics.scale === 1 && metrics.tracking === 0) {
    // _line then advances the cursor by widthOfString (100 % scaling), in its order of operations.
    doc.x += ((prepared.advance * (size / 1000) + spacing * (text.length - 1)) * 100) / 100;
  } else {
    const nominal = prepared.advance * (size / 1000);
    doc.x += wordAdvance(metrics, nominal, glyphCount(text)) + spacing * (text.length - 1);
  }
  return true;
}

/** The operators before a fragment's place (its page height, pt), last made. */
let opening = { height: Number.NaN, text: '' };

/** A font's text state at a size, spacing and metrics: as lines, and as a text run keeps it. */
interface FontLines {
  readonly size: number;
  readonly spacing: number;
  readonly metrics: SizeMetrics;
  readonly height: number;
  readonly text: string;
  readonly state: WordState;
}

/** Each font's text state last made; fonts are a document's own. */
const fontLines = new WeakMap<EmbeddedFont, FontLines>();

/**
 * The text state of a fragment: font and size, then character spacing and horizontal scaling
 * (PDF scales the spacing too: `tracking` pt is written as tracking / scale).
 */
function textState(
  font: EmbeddedFont,
  size: number,
  spacing: number,
  m: SizeMetrics,
  height: number,
): FontLines {
  const tf = `/${font.id} ${number(size)} Tf`;
  let text = tf;
  const tc = (spacing + m.tracking) / m.scale;
  if (tc) text += `\n${number(tc)} Tc`;
  // pdfkit writes the percentage as it is given (no number formatting).
  const tz = m.scale !== 1 ? String(horizontalScaling(m)) : undefined;
  if (tz !== undefined) text += `\n${tz} Tz`;
  const state = { height, font: tf, spacing: String(number(tc)), scaling: tz ?? '100' };
  return { size, spacing, metrics: m, height, text, state };
}

function drawFragment(
  doc: TextDocument,
  font: EmbeddedFont,
  size: number,
  spacing: number,
  metrics: SizeMetrics,
  prepared: Prepared,
  x: number,
  top: number,
  run: TextRun | undefined,
): void {
  const page = doc.page;
  const y = page.height - top - (font.ascender / 1000) * size;
  if (page.fonts[font.id] == null) page.fonts[font.id] = font.ref();
  let lines = fontLines.get(font);
  if (
    lines === undefined ||
    lines.size !== size ||
    lines.spacing !== spacing ||
    lines.metrics !== metrics ||
    lines.height !== page.height
  ) {
    lines = textState(font, size, spacing, metrics, page.height);
    fontLines.set(font, lines);
  }
  const placed = prepared.tj === undefined;
  if (run !== undefined) {
    // Hook 20: the word in the page's text run.
    const glyphs = placed
      ? glyphLines(prepared.encoded, prepared.positions, x, y, size / 1000).join('\n')
      : (prepared.runTj ?? '');
    doc.addContent(run.word(lines.state, x, y, glyphs, placed));
    return;
  }
  const glyphs =
    prepared.tj ?? glyphLines(prepared.encoded, prepared.positions, x, y, size / 1000).join('\n');
  // save() and transform() change the CTM that restore() sets back: only their operators remain.
  if (opening.height !== page.height) {
    opening = {
      height: page.height,
      text: `q\n1 0 0 -1 0 ${number(page.height)} cm\nBT\n1 0 0 1 `,
    };
  }
  // One write of the lines joined: pdfkit adds a newline after each written chunk.
  doc.addContent(
    `${opening.text}${number(x)} ${number(y)} Tm\n${lines.text}${glyphs === '' ? '' : '\n'}${glyphs}\nET\nQ`,
  );
}

/**
 * The lines `fill(colour)` writes before its fill operator for each colour string that pdfkit
 * reads as components (a hex or named colour: the same in every document, unlike spot colours):
 * its colour space and components.
 */
const knownFills = new Map<string, string>();

/** What pdfkit's `fill` takes for a winding rule instead of a colour. */
const WINDING_RULE = /(even-?odd)|(non-?zero)/u;

/**
 * The lines pdfkit's `fill(color)` writes before its fill operator `f` (pdfmake's Renderer fills
 * each word with its colour): the colour set, made once per colour with `normalize` (pdfkit's
 * colour parser: components, or anything else for a colour it does not read as components);
 * undefined for a call left to pdfkit.
 */
export function fillLines(
  color: unknown,
  rule: unknown,
  normalize: (color: string) => unknown,
): string | undefined {
  if (!directText.enabled || typeof color !== 'string' || rule !== undefined) return undefined;
  const known = knownFills.get(color);
  if (known !== undefined || WINDING_RULE.test(color)) return known;
  const components = normalize(color);
  if (!Array.isArray(components) || !components.every((c) => typeof c === 'number')) return;
  // _setColorCore: the colour space, then the components, as pdfkit writes them.
  const space = components.length === 4 ? 'DeviceCMYK' : 'DeviceRGB';
  const lines = `/${space} cs\n${components.join(' ')} scn`;
  knownFills.set(color, lines);
  return lines;
}

/**
 * pdfmake's `resolveColor(color, fallback)` for a colour `fillLines` made lines for (a valid colour is
 * itself), or undefined for pdfmake to answer.
 */
export function knownColor(color: unknown, fallback: unknown): string | undefined {
  const chosen = color || fallback;
  return directText.enabled && typeof chosen === 'string' && knownFills.has(chosen)
    ? chosen
    : undefined;
}
