/**
 * The first page's codes scan: the Code 39 barcode decodes to the job number and the QR code to
 * the undocs.org address, read with independent decoders (zxing, jsQR). The QR code first from the
 * drawn geometry (no outside tools); the barcode is text in a barcode font, read back as text with
 * its font and size; both then from page 1 of the PDF rasterized by pdftoppm when present, where
 * the bars' edges are measured too.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { barcodeText, code39Modules } from '../src/render/barcode-font.js';
import { type CodeRect, qrRects } from '../src/render/pdf/codes.js';
import { loadResources } from '../src/resources.js';
import { crop, decodeCode39, decodeQr, type Grey, pageOne } from './codes-read.js';
import { type FixtureName, type Rendered, renderFixture } from './pdf-fixtures.js';
import { readPdf } from './pdf-read.js';
import { inflatedStreams } from './pdf-streams.js';

// Each fixture is rendered once for the whole file.
const renders = new Map<FixtureName, Promise<Rendered>>();
function rendered(name: FixtureName): Promise<Rendered> {
  let r = renders.get(name);
  if (r === undefined) {
    r = renderFixture(name);
    renders.set(name, r);
  }
  return r;
}

/** Paints rectangles (pt) black on white at `scale` px per pt, with a white border of `quiet` pt. */
function rasterize(rects: readonly CodeRect[], scale: number, quiet: number): Grey {
  const right = Math.max(...rects.map((r) => r.x + r.w));
  const bottom = Math.max(...rects.map((r) => r.y + r.h));
  const width = Math.ceil((right + 2 * quiet) * scale);
  const height = Math.ceil((bottom + 2 * quiet) * scale);
  const data = new Uint8ClampedArray(width * height).fill(255);
  for (const r of rects) {
    const x0 = Math.round((r.x + quiet) * scale);
    const x1 = Math.round((r.x + r.w + quiet) * scale);
    const y0 = Math.round((r.y + quiet) * scale);
    const y1 = Math.round((r.y + r.h + quiet) * scale);
    for (let y = y0; y < y1; y++) data.fill(0, y * width + x0, y * width + x1);
  }
  return { width, height, data };
}

describe('codes as drawn', () => {
  it('draws a QR code that decodes to the address', () => {
    const url = 'https://undocs.org/A/61/859';
    expect(decodeQr(rasterize(qrRects(url, 50), 8, 8))).toBe(url);
  });
});

/**
 * Every filled rectangle the PDF draws (`x y w h re` in its content streams), in pdfkit's page
 * coordinates (pt from the top-left). In these documents only the codes are drawn as rectangles.
 */
function rectsInPdf(bytes: Uint8Array): CodeRect[] {
  const rects: CodeRect[] = [];
  const num = '(-?\\d+(?:\\.\\d+)?)';
  const re = new RegExp(`${num} ${num} ${num} ${num} re\\b`, 'gu');
  for (const content of inflatedStreams(bytes)) {
    for (const r of content.matchAll(re)) {
      const [x, y, w, h] = r.slice(1, 5).map(Number) as [number, number, number, number];
      rects.push({ type: 'rect', x, y, w, h, color: 'black', lineWidth: 0 });
    }
  }
  return rects;
}

/** The rectangles inside a box (pt), moved so that the box's corner is the origin. */
function within(
  rects: readonly CodeRect[],
  x: number,
  y: number,
  w: number,
  h: number,
): CodeRect[] {
  return rects
    .filter(
      (r) =>
        r.x >= x - 0.01 &&
        r.y >= y - 0.01 &&
        r.x + r.w <= x + w + 0.01 &&
        r.y + r.h <= y + h + 0.01,
    )
    .map((r) => ({ ...r, x: r.x - x, y: r.y - y }));
}

/** The barcode of a rendered fixture as the barcode font draws it. */
const barsOf = (r: Rendered) => {
  const payload = r.doc.jobNumber?.barcode;
  if (payload === undefined) throw new Error('no job number');
  return barcodeText(loadResources(), r.style, payload);
};

describe('codes drawn in the PDF (read from its content streams)', () => {
  it.each(['seed', 'features', 'geneva'] as const)(
    'sets the barcode as text and draws the QR code of the address (%s)',
    async (name) => {
      const r = await rendered(name);
      const f = r.style.firstPageFooter;
      const rects = rectsInPdf(r.bytes);
      const qr = within(rects, f.qr.x, f.qr.y, f.qr.size, f.qr.size);
      expect(decodeQr(rasterize(qr, 8, 8))).toBe(r.doc.symbols[0]?.url);
      const bars = barsOf(r);
      // The barcode is text. Where the layout asks for taller bars than the font draws (Geneva),
      // each bar is also drawn whole at that height over the font's: the only other rectangles,
      // one per bar, as wide as its modules, and they read back as the job number's Code 39.
      const payload = r.doc.jobNumber?.barcode ?? '';
      const height = f.barcode.height ?? 0;
      const drawn = within(rects, f.barcode.x, f.barcode.y, bars.width, height);
      expect(qr.length + drawn.length).toBe(rects.length);
      if (height > bars.height) {
        const modules = code39Modules(payload);
        expect(drawn.length).toBe(Math.ceil(modules.length / 2));
        for (const bar of drawn) expect(bar.h).toBeCloseTo(height, 2);
        expect(Math.max(...drawn.map((b) => b.x + b.w))).toBeCloseTo(bars.width, 2);
        expect(decodeCode39(rasterize(drawn, 8, 16))).toBe(payload);
      } else {
        expect(drawn).toEqual([]);
      }
      const page = (await readPdf(r.bytes)).pages[0];
      const word = page?.lines.flatMap((l) => l.words).find((w) => w.text === bars.text);
      expect(word?.text).toBe(`*${r.doc.jobNumber?.barcode}*`);
      expect(word?.size).toBeCloseTo(f.barcode.size, 1);
      expect(word?.x).toBeCloseTo(f.barcode.x - bars.left, 1);
      // Its baseline is the bars' foot: bars top at the style's y, as tall as the font draws them.
      expect((word?.baseline ?? 0) - bars.height - bars.foot).toBeCloseTo(f.barcode.y, 1);
      const text = Buffer.from(r.bytes).toString('latin1');
      expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+LibreBarcode39-Regular/u);
    },
  );

  it('draws the QR code whenever there is a symbol, before the job number is assigned', async () => {
    const r = await rendered('issued');
    expect(r.doc.jobNumber).toBeUndefined();
    const f = r.style.firstPageFooter;
    const rects = rectsInPdf(r.bytes);
    const qr = within(rects, f.qr.x, f.qr.y, f.qr.size, f.qr.size);
    expect(qr.length).toBe(rects.length);
    expect(decodeQr(rasterize(qr, 8, 8))).toBe(r.doc.symbols[0]?.url);
  });

  it('draws no code on a draft, and embeds no barcode font', async () => {
    const bytes = (await rendered('draft')).bytes;
    expect(rectsInPdf(bytes)).toEqual([]);
    expect(Buffer.from(bytes).toString('latin1')).not.toMatch(/LibreBarcode39/u);
  });
});

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PDFTOPPM = has('pdftoppm');
if (!PDFTOPPM)
  console.warn(
    'pdf-codes: pdftoppm (poppler-utils) not found; skipping the scan of rendered pages',
  );

describe.skipIf(!PDFTOPPM)('codes on page 1 of the PDF', () => {
  const DPI = 300;
  const px = DPI / 72;
  let issued: Rendered;
  let draft: Rendered;
  let issuedPage: Grey;
  let draftPage: Grey;

  beforeAll(async () => {
    issued = await rendered('seed');
    draft = await rendered('draft');
    issuedPage = pageOne(issued.bytes, DPI);
    draftPage = pageOne(draft.bytes, DPI);
  });

  const barcodeArea = (r: Rendered, page: Grey) => {
    const b = r.style.firstPageFooter.barcode;
    // The bar area plus a quiet zone on each side (a draft's: the issued document's).
    const height = barsOf(issued).height;
    return crop(page, (b.x - 12) * px, b.y * px, 140 * px, height * px);
  };

  it('scans the barcode as the job number and the QR code as the undocs.org address', () => {
    expect(decodeCode39(barcodeArea(issued, issuedPage))).toBe(issued.doc.jobNumber?.barcode);
    expect(decodeQr(issuedPage)).toBe(issued.doc.symbols[0]?.url);
  });

  it('prints the bars where the style puts them, as tall and wide as the font draws them', () => {
    const b = issued.style.firstPageFooter.barcode;
    const bars = barsOf(issued);
    // Dark pixels in a box around the bars; the top is read over the start character's bars
    // alone, as the job number's "(E)" above reaches down to the bars' top (as in A/80/434).
    const box = crop(
      issuedPage,
      (b.x - 6) * px,
      (b.y - 1) * px,
      (bars.width + 12) * px,
      (bars.height + 4) * px,
    );
    const startWidth = (6 + 3) * px;
    let top = Number.POSITIVE_INFINITY;
    let bottom = Number.NEGATIVE_INFINITY;
    let left = Number.POSITIVE_INFINITY;
    let right = Number.NEGATIVE_INFINITY;
    for (let y = Math.ceil(2 * px); y < box.height; y++)
      for (let x = 0; x < box.width; x++) {
        if ((box.data[y * box.width + x] ?? 255) >= 128) continue;
        bottom = Math.max(bottom, y + 1);
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
      }
    for (let y = 0; y < box.height; y++)
      for (let x = 0; x < startWidth; x++)
        if ((box.data[y * box.width + x] ?? 255) < 128) top = Math.min(top, y);
    // Within a pixel or two at 300 dpi (0.24 pt a pixel); page coordinates in pt.
    const pt = (pixels: number, origin: number) => pixels / px + origin;
    expect(Math.abs(pt(top, b.y - 1) - b.y)).toBeLessThan(0.6);
    expect(Math.abs(pt(bottom, b.y - 1) - (b.y + bars.height))).toBeLessThan(0.6);
    expect(Math.abs(pt(left, b.x - 6) - b.x)).toBeLessThan(0.6);
    expect(Math.abs((right - left) / px - bars.width)).toBeLessThan(0.6);
    // As A/80/434 prints them (page 1 at 600 dpi): bars from x 65.28 to 166.08, y 749.16 to
    // 762.24, within half a point.
    expect(issued.style.name).toBe('ny');
    expect(Math.abs(pt(left, b.x - 6) - 65.28)).toBeLessThan(0.5);
    expect(Math.abs(pt(right, b.x - 6) - 166.08)).toBeLessThan(0.5);
    expect(Math.abs(pt(top, b.y - 1) - 749.16)).toBeLessThan(0.5);
    expect(Math.abs(pt(bottom, b.y - 1) - 762.24)).toBeLessThan(0.5);
  });

  it('prints neither code on a draft', () => {
    expect(decodeCode39(barcodeArea(draft, draftPage))).toBeNull();
    expect(decodeQr(draftPage)).toBeNull();
  });
});
