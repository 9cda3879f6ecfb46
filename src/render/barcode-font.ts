/**
 * The job number's Code 39 barcode as the issued PDFs set it: the payload between its start/stop
 * asterisks ("*0729358*") in a barcode font (templates' `firstPageFooter.barcode.family`), so that
 * it is text a reader can extract and the bars print sharp. Its geometry — where the bars start,
 * how wide and how tall they are — is read from the font's tables (style/font-box.ts, no fontkit),
 * so the three formats draw it alike: the PDF sets the text, the HTML sets it with the font (and
 * draws the bars in page 1's printed footer), the DOCX pictures the bars at the same size.
 */
import bwipjs from 'bwip-js';
import type { Resources } from '../resources.js';
import { type FontBox, fontBox } from '../style/font-box.js';
import type { Style } from '../style/style.js';

/** The barcode of one payload as the font draws it at the style's size, in pt. */
export interface BarcodeText {
  /** What is set: the payload with Code 39's start/stop "*". */
  readonly text: string;
  /** The font family (a key of the style's `fontFiles`). */
  readonly family: string;
  /** Type size. */
  readonly size: number;
  /** Horizontal scale the font is drawn at, so that the bars are the style's `width` wide. */
  readonly scale: number;
  /** From the line's top (the font's ascender, where pdfkit and CSS put it) to the bars' top. */
  readonly barTop: number;
  /** Height of the bars. */
  readonly height: number;
  /** From the baseline up to the bars' foot (0 when they stand on it). */
  readonly foot: number;
  /** From the text's origin to the first bar's left edge (scaled). */
  readonly left: number;
  /** From the first bar's left edge to the last bar's right edge. */
  readonly width: number;
  /** The text's advance, from its origin to the end of the stop character (scaled). */
  readonly advance: number;
  /** The font's ascender and descender, positive, each from the baseline. */
  readonly ascent: number;
  readonly descent: number;
}

const parsed = new WeakMap<Buffer, FontBox>();

/** A font file's metrics, read once per file. */
export function fontBoxOf(file: Buffer): FontBox {
  let box = parsed.get(file);
  if (box === undefined) {
    box = fontBox(file);
    parsed.set(file, box);
  }
  return box;
}

function fontOf(resources: Pick<Resources, 'fontFamily'>, style: Style): FontBox {
  const family = style.firstPageFooter.barcode.family;
  const files = style.fontFiles[family];
  if (files === undefined)
    throw new Error(`templates/${style.name}.yaml: barcode font ${family} is not in fontFiles`);
  return fontBoxOf(resources.fontFamily(files).regular);
}

/** The barcode of `payload` (the job number without its dash) in the style's barcode font. */
export function barcodeText(
  resources: Pick<Resources, 'fontFamily'>,
  style: Style,
  payload: string,
): BarcodeText {
  const { family, size, width } = style.firstPageFooter.barcode;
  const font = fontOf(resources, style);
  const text = `*${payload}*`;
  const em = size / font.unitsPerEm;
  let top = Number.NEGATIVE_INFINITY;
  let bottom = Number.POSITIVE_INFINITY;
  let left = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let x = 0;
  for (const char of text) {
    const box = font.glyph(char);
    if (box === undefined) throw new Error(`barcode font ${family} has no glyph for ${char}`);
    if (box.maxX > box.minX) {
      top = Math.max(top, box.maxY);
      bottom = Math.min(bottom, box.minY);
      left = Math.min(left, x + box.minX);
      right = Math.max(right, x + box.maxX);
    }
    x += box.advance;
  }
  if (!Number.isFinite(top)) throw new Error(`barcode font ${family} draws nothing for ${text}`);
  const scale = width / ((right - left) * em);
  return {
    text,
    family,
    size,
    scale,
    barTop: (font.ascent - top) * em,
    height: (top - bottom) * em,
    foot: bottom * em,
    left: left * em * scale,
    width,
    advance: x * em * scale,
    ascent: font.ascent * em,
    descent: -font.descent * em,
  };
}

/**
 * The bar and space widths of the Code 39 symbol of `payload` (start/stop added), in narrow
 * modules, bar first, as bwip-js encodes it: the DOCX draws its picture of the bars from them.
 */
export function code39Modules(payload: string): readonly number[] {
  const symbols = bwipjs.raw({ bcid: 'code39', text: payload });
  const first = symbols[0];
  if (!first || !('sbs' in first)) throw new Error(`Code 39: bwip-js gave no bars for ${payload}`);
  return first.sbs;
}

/** One drawn piece of the barcode: a rectangle or a character of its human-readable line, pt. */
export type BarcodePiece =
  | {
      readonly kind: 'bar';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
    }
  | {
      readonly kind: 'digit';
      readonly text: string;
      readonly centre: number;
      readonly y: number;
      readonly size: number;
    };

/**
 * What the layout draws beyond the font's own bars (page coordinates, pt): each bar drawn at
 * the style's `height` (Geneva's 16.8pt bars at 0.587pt modules, where the font's are 11.6pt
 * tall) over the font's, and the human-readable line, each character of the payload
 * (start/stop "*" included) centred under its own 16 modules, as the issued Geneva PDFs print it.
 */
export function barcodeExtras(
  style: Style,
  bars: BarcodeText,
  modules: readonly number[],
): BarcodePiece[] {
  const b = style.firstPageFooter.barcode;
  const total = drawnModules(modules);
  const narrow = bars.width / total;
  const out: BarcodePiece[] = [];
  const height = b.height ?? 0;
  if (height > bars.height) {
    // Each bar is drawn whole, over the font's: the font's narrow bars are a little thinner than
    // their module (its design), so a piece added under them alone would show a step.
    let x = b.x;
    modules.forEach((m, i) => {
      if (i % 2 === 0) out.push({ kind: 'bar', x, y: b.y, width: m * narrow, height });
      x += m * narrow;
    });
  }
  if (b.digits !== undefined) {
    // A Code 39 character is 15 modules and a one-module gap.
    const pitch = (total + 1) / [...bars.text].length;
    [...bars.text].forEach((text, k) => {
      out.push({
        kind: 'digit',
        text,
        centre: b.x + (k * pitch + (pitch - 1) / 2) * narrow,
        y: b.digits?.y ?? 0,
        size: b.digits?.size ?? 0,
      });
    });
  }
  return out;
}

/** The bars' height as drawn: the style's when it asks for taller bars than the font's. */
export function barsHeight(style: Style, bars: BarcodeText): number {
  return Math.max(bars.height, style.firstPageFooter.barcode.height ?? 0);
}

/**
 * How many narrow modules wide the bars are, first bar to last: bwip-js ends the symbol with
 * the inter-character space after the stop "*" (144 modules for 7 digits), the font's bars
 * span the 143 before it.
 */
export function drawnModules(modules: readonly number[]): number {
  const bars = modules.length % 2 === 0 ? modules.slice(0, -1) : modules;
  return bars.reduce((a, m) => a + m, 0);
}
