/**
 * The font metrics read straight from the tables (src/style/font-box.ts) are fontkit's: units per
 * em, ascender and descender, and each character's advance and ink box, for every face the
 * templates' furniture is placed with (the body font and the barcode font).
 */
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { loadResources } from '../src/resources.js';
import { fontBox } from '../src/style/font-box.js';

const resources = loadResources();
const ny = resources.styles.ny;
const FAMILIES = [ny.font.family, ny.firstPageFooter.barcode.family];
const CHARS = '*0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ$%+./ abcdefghijklmnopqrstuvwxyz(),;:!?éßЖ';

describe.each(FAMILIES)('%s', (family) => {
  const files = ny.fontFiles[family];
  if (files === undefined) throw new Error(`${family} is not in fontFiles`);
  const file = resources.fontFamily(files).regular;
  const theirs = fontkit.create(file) as fontkit.Font;
  const mine = fontBox(file);

  it('has fontkit’s units per em, ascender and descender', () => {
    expect(mine.unitsPerEm).toBe(theirs.unitsPerEm);
    expect(mine.ascent).toBe(theirs.ascent);
    expect(mine.descent).toBe(theirs.descent);
  });

  it('has fontkit’s advance and ink box for each character it prints', () => {
    let compared = 0;
    for (const char of CHARS) {
      const cp = char.codePointAt(0) ?? 0;
      const box = mine.glyph(char);
      expect(box === undefined, char).toBe(!theirs.hasGlyphForCodePoint(cp));
      if (box === undefined) continue;
      const g = theirs.glyphForCodePoint(cp);
      expect(box.advance, char).toBe(g.advanceWidth);
      if (box.maxX > box.minX) {
        expect([box.minX, box.minY, box.maxX, box.maxY], char).toEqual([
          g.bbox.minX,
          g.bbox.minY,
          g.bbox.maxX,
          g.bbox.maxY,
        ]);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });
});
