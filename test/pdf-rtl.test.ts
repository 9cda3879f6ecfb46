/**
 * Arabic in the PDF (issue 11, point 4): the page mirrored, lines set from the right with the
 * bidi algorithm, letters joined by fontkit's Arabic shaping, brackets mirrored, and the text
 * read back in logical order by pdf.js (in the order it is drawn, through ToUnicode) and by
 * pdftotext (by position).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { plainText, type Rich, type UnDocument } from '../src/model.js';
import { visualOrder } from '../src/render/pdf/bidi.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { fontsOf, loadResources } from '../src/resources.js';
import { shownGlyphCodes } from './pdf-glyph-codes.js';
import { drawnItems, type Item } from './pdf-read.js';
import { hasPdftotext, pdftotext } from './pdftotext.js';

const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as {
  create(b: Buffer): {
    unitsPerEm: number;
    glyphForCodePoint(cp: number): { id: number; advanceWidth: number };
    layout(t: string): { glyphs: { id: number }[]; advanceWidth: number; direction: string };
  };
};
const resources = loadResources();
const ny = resources.styles.ny;
const FIXTURE = 'test/fixtures/scripts/ar-letter.yaml';

function model(): UnDocument {
  const m = loadSource(readFileSync(FIXTURE), 'ar-letter', FIXTURE, fontsOf(resources)).model;
  if (!m) throw new Error('ar-letter does not load');
  return m;
}

/** Every text of the model a reader sees, in order. */
function modelTexts(doc: UnDocument): string[] {
  const out: string[] = [plainText(doc.title)];
  const rich = (r: Rich) => out.push(plainText(r));
  for (const p of doc.letter?.paragraphs ?? []) rich(p.text);
  for (const a of doc.annexes) {
    rich(a.heading);
    if (a.title) rich(a.title);
    if (a.placeDate) rich(a.placeDate);
    for (const b of a.blocks) {
      if (b.kind === 'paragraph') {
        rich(b.text);
        for (const i of b.items) rich(i.text);
      } else rich(b.title);
    }
  }
  return out;
}

/** pdf.js's text items of each page, in the order they are drawn, blank ones left out. */
const items = async (bytes: Uint8Array): Promise<Item[][]> =>
  (await drawnItems(bytes)).map((page) => page.filter((i) => i.str.trim() !== ''));

const squeeze = (s: string) => s.replace(/[\s\u200e\u200f\u202a-\u202e]+/gu, '');

describe('bidi rule L2', () => {
  it('reverses runs from the highest level down to the lowest odd one', () => {
    const order = (levels: number[]) =>
      visualOrder(levels.map((level, i) => ({ level, i }))).map((p) => p.i);
    // Arabic, Latin, Latin, Arabic at paragraph level 1: the Latin pair keeps its order.
    expect(order([1, 2, 2, 1])).toEqual([3, 1, 2, 0]);
    expect(order([1, 1, 1])).toEqual([2, 1, 0]);
    expect(order([0, 0, 1, 1, 0])).toEqual([0, 1, 3, 2, 4]);
  });
});

describe('Arabic shaping', () => {
  const files = ny.fontFiles.Amiri;
  if (files === undefined) throw new Error('templates/ny.yaml declares no Amiri');
  const font = fontkit.create(resources.fontFamily(files).regular);

  it('fontkit joins Arabic letters (contextual forms) and runs right to left', () => {
    const run = font.layout('الأمم المتحدة');
    expect(run.direction).toBe('rtl');
    const isolated = [...'الأمم المتحدة'].map(
      (c) => font.glyphForCodePoint(c.codePointAt(0) ?? 0).id,
    );
    const shaped = run.glyphs.map((g) => g.id);
    // Joined (initial, medial, final) forms differ from the isolated ones.
    expect(shaped.filter((id) => !isolated.includes(id)).length).toBeGreaterThan(5);
  });

  it('the PDF draws each word at its shaped width', async () => {
    const bytes = await renderPdf(model(), ny, resources);
    const page1 = (await items(bytes))[0] ?? [];
    // In the signature's title lines: 10 pt, regular.
    const word = page1.find((i) => i.str.trim() === 'المتحدة' && i.size === ny.font.size);
    expect(word).toBeDefined();
    const shaped = (font.layout('المتحدة').advanceWidth / font.unitsPerEm) * ny.font.size;
    const isolated =
      ([...'المتحدة'].reduce(
        (w, c) => w + font.glyphForCodePoint(c.codePointAt(0) ?? 0).advanceWidth,
        0,
      ) /
        font.unitsPerEm) *
      ny.font.size;
    expect(shaped).not.toBeCloseTo(isolated, 0);
    const width = (word?.right ?? 0) - (word?.x ?? 0);
    expect(Math.abs(width - shaped)).toBeLessThan(0.3);
  });
});

describe('the Arabic PDF', () => {
  const doc = model();
  let bytes: Uint8Array;
  let pages: Item[][];
  beforeAll(async () => {
    bytes = await renderPdf(doc, ny, resources);
    pages = await items(bytes);
  });

  it('pdf.js reads every text in logical order, brackets as the source has them', () => {
    const all = squeeze(pages.flatMap((p) => p.map((i) => i.str)).join(''));
    let from = 0;
    for (const t of modelTexts(doc)) {
      const at = all.indexOf(squeeze(t), from);
      expect(at, t).toBeGreaterThanOrEqual(0);
      from = at + squeeze(t).length;
    }
  });

  it.skipIf(!hasPdftotext())('pdftotext reads every word in logical order', () => {
    // pdftotext wraps embedded runs in bidi controls, sometimes with the space inside them.
    const words = (s: string) =>
      s.split(/[\s()[\]،.,:؛;/\u200e\u200f\u202a-\u202e]+/u).filter((w) => w !== '');
    const read = words(pdftotext(bytes));
    let from = 0;
    for (const t of modelTexts(doc)) {
      for (const w of words(t)) {
        const at = read.indexOf(w, from);
        expect(at, `${w} (in ${t})`).toBeGreaterThanOrEqual(0);
        from = at + 1;
      }
    }
  });

  it('is mirrored: justified lines span the mirrored body, paragraphs start on the right', () => {
    const width = ny.page.width;
    const left = width - ny.body.right;
    const right = width - ny.body.left;
    const p1 = pages[0] ?? [];
    // The first letter paragraph: its first line is indented from the right, the next ends flush.
    const first = p1.find((i) => i.str.startsWith('نتشرف'));
    expect(first).toBeDefined();
    expect(first?.right ?? 0).toBeCloseTo(right - ny.font.firstLineIndent, 0);
    const lineOf = (baseline: number) => p1.filter((i) => Math.abs(i.baseline - baseline) < 1);
    const firstLine = lineOf(first?.baseline ?? 0);
    expect(Math.min(...firstLine.map((i) => i.x))).toBeCloseTo(left, 0);
    // Annex paragraph numbers stand at the right edge of the body (their full stop on their
    // left, as the bidi algorithm sets "1." in a right-to-left paragraph).
    const numbered = pages
      .flat()
      .filter((i) => /^[123]$/.test(i.str.trim()) && i.size === ny.font.size);
    expect(numbered.length).toBeGreaterThanOrEqual(3);
    for (const n of numbered) expect(n.right).toBeCloseTo(right, 0);
    // The symbol moves to the left of the page, the organ name to the right.
    const symbol = p1.find((i) => i.str.includes('/61/859'));
    expect(symbol?.x ?? width).toBeLessThan(width / 2);
  });

  it('sets a Latin run left to right in its place, and mirrors the brackets', () => {
    const p1 = pages[0] ?? [];
    // Read left to right, the run's items spell it (pdf.js may give it as one item or two).
    const latin = p1.filter((i) => /Vital|Voices/u.test(i.str)).sort((a, b) => a.x - b.x);
    expect(squeeze(latin.map((i) => i.str).join(''))).toBe('VitalVoices');
    // "(انظر المرفق)": the opening bracket is drawn on the right of the closing one.
    const line = p1.filter(
      (i) => Math.abs(i.baseline - (p1.find((j) => j.str.includes('انظر'))?.baseline ?? 0)) < 1,
    );
    const open = line.find((i) => i.str === '(');
    const close = line.find((i) => i.str === ')');
    expect(open && close && open.x > close.x).toBe(true);
  });

  it('no glyph is .notdef and every line stays inside the frame', () => {
    for (const p of pages)
      for (const i of p) {
        expect(i.x, i.str).toBeGreaterThanOrEqual(ny.page.width - ny.frame.right - 0.5);
        expect(i.right, i.str).toBeLessThanOrEqual(ny.page.width - ny.frame.left + 0.5);
      }
    const codes = shownGlyphCodes(Buffer.from(bytes));
    expect(codes.length).toBeGreaterThan(500);
    expect(codes.filter((c) => c === '0000')).toEqual([]);
  });
});
/**
 * One glyph, the characters of each use (pdf/engine.ts hook 17): Amiri shapes "لك" with a kashida
 * after the lām, a glyph fontkit adds with no characters of its own, and the same glyph is the
 * tatweel of "هـ". Whichever comes first, each reads back as its own text.
 */
describe('a glyph that stands for different characters', () => {
  const WORDS = ['للمملكة', '(هـ)', 'لكنه', 'الكحول'];
  const source = (first: string) =>
    readFileSync(FIXTURE, 'utf8').replace(
      'نتشرف بأن نطلب',
      `${first} ${WORDS.join(' ')} نتشرف بأن نطلب`,
    );
  for (const first of ['هـ', 'لك']) {
    it(`reads back as the source has it, "${first}" first (pdf.js, and pdftotext where installed)`, async () => {
      const m = loadSource(
        Buffer.from(source(first)),
        'ar-glyphs',
        FIXTURE,
        fontsOf(resources),
      ).model;
      if (!m) throw new Error('the source does not load');
      const bytes = await renderPdf(m, ny, resources);
      const read = squeeze((await items(bytes)).flatMap((p) => p.map((i) => i.str)).join(''));
      const expected = squeeze(`${first} ${WORDS.join(' ')}`);
      expect(read).toContain(expected);
      if (!hasPdftotext()) return;
      // Poppler keeps the ZERO WIDTH JOINER the added kashida maps to (pdf.js drops it).
      const tokens = pdftotext(bytes)
        .replace(/\u200d/gu, '')
        .split(/\s+/u);
      for (const w of WORDS) expect(tokens, w).toContain(w);
    });
  }
});

/**
 * Each line takes its paragraph's direction (pdf/bidi.ts), not a guess from its own letters: a
 * paragraph of an Arabic document that holds only a Latin run is still right to left, its full
 * stop on the run's left and its first line indented from the right; the distribution block,
 * printed in English, stays left to right.
 */
describe('the paragraph direction of a line', () => {
  let page: Item[] = [];
  beforeAll(async () => {
    const text = readFileSync(FIXTURE, 'utf8').replace(
      'letter:\n  paragraphs:\n',
      'letter:\n  paragraphs:\n    - A/61/859 (2007).\n',
    );
    const m = loadSource(Buffer.from(text), 'ar-latin', FIXTURE, fontsOf(resources)).model;
    if (!m) throw new Error('the source does not load');
    page = (await items(await renderPdf(m, ny, resources)))[0] ?? [];
  });

  it('a line of Latin letters in an Arabic paragraph is set as Arabic', () => {
    const run = page.find((i) => i.str.includes('A/61/859') && i.size === ny.font.size);
    expect(run).toBeDefined();
    const line = page.filter((i) => Math.abs(i.baseline - (run?.baseline ?? 0)) < 1);
    // The full stop is a piece of its own, drawn on the left of the run.
    const stop = line.find((i) => i.str.trim() === '.');
    expect(stop).toBeDefined();
    expect((stop?.right ?? Infinity) <= (run?.x ?? 0) + 0.5).toBe(true);
    // The run and its bracket read left to right in their place, indented from the right.
    expect(line.map((i) => i.str).join('')).toContain('(2007)');
    const right = ny.page.width - ny.body.left;
    expect(Math.max(...line.map((i) => i.right))).toBeCloseTo(right - ny.font.firstLineIndent, 0);
  });

  it('the distribution block, in English, stays left to right', () => {
    expect(page.some((i) => i.str === 'Distr.:' || i.str.startsWith('Distr.: '))).toBe(true);
  });
});
