/**
 * The few metrics of a TrueType font that page furniture needs, read straight from its tables
 * (head, hhea, hmtx, loca, glyf and a format-4 cmap), as cmap.ts reads coverage: the HTML renderer
 * places the barcode and page 1's printed footer with them and never loads fontkit (~135 ms of a
 * cold process). test/font-box.test.ts checks them against fontkit.
 */

import { tableOffset, unicodeSubtables } from './cmap.js';

/** A glyph's advance and ink box, in font units (y up from the baseline). */
export interface GlyphBox {
  readonly advance: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** A font's units per em, ascender and descender (hhea), and its glyphs' boxes by character. */
export interface FontBox {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  /** The glyph of a character of the first plane; undefined when the font has none. */
  glyph(char: string): GlyphBox | undefined;
}

/** The glyph index of `cp` in a format-4 cmap subtable at `at` (0: none). */
function glyphIndex(view: DataView, at: number, cp: number): number {
  const segments = view.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const ranges = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    if (cp > view.getUint16(ends + s * 2)) continue;
    const start = view.getUint16(starts + s * 2);
    if (cp < start) return 0;
    const delta = view.getInt16(deltas + s * 2);
    const rangeAt = ranges + s * 2;
    const range = view.getUint16(rangeAt);
    if (range === 0) return (cp + delta) & 0xffff;
    const raw = view.getUint16(rangeAt + range + (cp - start) * 2);
    return raw === 0 ? 0 : (raw + delta) & 0xffff;
  }
  return 0;
}

/** Reads the metrics of a TrueType file; throws naming the table it lacks. */
export function fontBox(ttf: Uint8Array): FontBox {
  const view = new DataView(ttf.buffer, ttf.byteOffset, ttf.byteLength);
  const table = (tag: string): number => {
    const at = tableOffset(view, tag);
    if (at === undefined) throw new Error(`font: no ${tag} table`);
    return at;
  };
  const head = table('head');
  const hhea = table('hhea');
  const hmtx = table('hmtx');
  const loca = table('loca');
  const glyf = table('glyf');
  const cmap = table('cmap');
  const longLoca = view.getInt16(head + 50) === 1;
  const metrics = view.getUint16(hhea + 34);
  const { format4 } = unicodeSubtables(view, cmap);
  if (format4 === undefined) throw new Error('font: no Unicode cmap subtable of format 4');
  const cmap4 = format4;
  return {
    unitsPerEm: view.getUint16(head + 18),
    ascent: view.getInt16(hhea + 4),
    descent: view.getInt16(hhea + 6),
    glyph: (char) => {
      const cp = char.codePointAt(0);
      if (cp === undefined || cp > 0xffff) return undefined;
      const id = glyphIndex(view, cmap4, cp);
      if (id === 0) return undefined;
      const advance = view.getUint16(hmtx + Math.min(id, metrics - 1) * 4);
      const offset = (k: number) =>
        longLoca ? view.getUint32(loca + k * 4) : view.getUint16(loca + k * 2) * 2;
      const from = offset(id);
      // A glyph with no outline (a space) has no ink box.
      if (offset(id + 1) === from) return { advance, minX: 0, minY: 0, maxX: 0, maxY: 0 };
      const at = glyf + from;
      return {
        advance,
        minX: view.getInt16(at + 2),
        minY: view.getInt16(at + 4),
        maxX: view.getInt16(at + 6),
        maxY: view.getInt16(at + 8),
      };
    },
  };
}
