/**
 * Which characters a TrueType font has a glyph for, read straight from its `cmap` table (formats
 * 4 and 12, the Unicode subtables every font undoc uses has). The source check asks this of every
 * character before anything renders, also for `validate` and HTML-only builds, which never load
 * fontkit: requiring fontkit costs ~135 ms of a cold process, reading a cmap here ~1 ms (a 15 MB
 * CJK font: a few ms). test/script-fonts.test.ts checks it against fontkit for every face.
 */

/** The code points a font prints (its glyph is not .notdef). */
export interface Coverage {
  has(codePoint: number): boolean;
}

const UNICODE_PLANES = 0x110000;

/** Where a table starts in a TrueType file (undefined: the font has none). */
export function tableOffset(view: DataView, tag: string): number | undefined {
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const name = String.fromCharCode(
      view.getUint8(at),
      view.getUint8(at + 1),
      view.getUint8(at + 2),
      view.getUint8(at + 3),
    );
    if (name === tag) return view.getUint32(at + 8);
  }
  return undefined;
}

function setBit(bits: Uint8Array, cp: number): void {
  bits[cp >> 3] = (bits[cp >> 3] ?? 0) | (1 << (cp & 7));
}

function readFormat4(view: DataView, at: number, bits: Uint8Array): void {
  const segments = view.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const ranges = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = view.getUint16(ends + s * 2);
    const start = view.getUint16(starts + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const rangeAt = ranges + s * 2;
    const range = view.getUint16(rangeAt);
    for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
      let glyph: number;
      if (range === 0) glyph = (cp + delta) & 0xffff;
      else {
        const raw = view.getUint16(rangeAt + range + (cp - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) setBit(bits, cp);
    }
  }
}

function readFormat12(view: DataView, at: number, bits: Uint8Array): void {
  const groups = view.getUint32(at + 12);
  for (let g = 0; g < groups; g++) {
    const group = at + 16 + g * 12;
    const start = view.getUint32(group);
    const end = Math.min(view.getUint32(group + 4), UNICODE_PLANES - 1);
    const glyph = view.getUint32(group + 8);
    for (let cp = start; cp <= end; cp++) if (glyph + (cp - start) !== 0) setBit(bits, cp);
  }
}

/** The coverage of a TrueType font file (its best Unicode cmap subtable). */
/** The first Unicode cmap subtables of format 4 and 12 in the `cmap` table at `cmap`. */
export function unicodeSubtables(
  view: DataView,
  cmap: number,
): { format4: number | undefined; format12: number | undefined } {
  let format4: number | undefined;
  let format12: number | undefined;
  const count = view.getUint16(cmap + 2);
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + i * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const at = cmap + view.getUint32(record + 4);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    const format = view.getUint16(at);
    if (format === 12) format12 ??= at;
    else if (format === 4) format4 ??= at;
  }
  return { format4, format12 };
}

export function cmapCoverage(ttf: Uint8Array): Coverage {
  const view = new DataView(ttf.buffer, ttf.byteOffset, ttf.byteLength);
  const cmap = tableOffset(view, 'cmap');
  if (cmap === undefined) throw new Error('font: no cmap table');
  const bits = new Uint8Array(UNICODE_PLANES / 8);
  const { format4, format12 } = unicodeSubtables(view, cmap);
  // Format 12 holds every character of format 4 and those beyond the first plane.
  if (format12 !== undefined) readFormat12(view, format12, bits);
  else if (format4 !== undefined) readFormat4(view, format4, bits);
  else throw new Error('font: no Unicode cmap subtable of format 4 or 12');
  return {
    has: (cp) => cp >= 0 && cp < UNICODE_PLANES && ((bits[cp >> 3] ?? 0) & (1 << (cp & 7))) !== 0,
  };
}
