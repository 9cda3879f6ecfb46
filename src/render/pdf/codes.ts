/**
 * The first page's machine-readable codes as pdfmake vectors: a Code 39 barcode of the job number
 * (bars from bwip-js) and a QR code of the undocs.org address (modules from qrcode). Drawn as
 * filled rectangles, so they print sharp at any resolution and scan from the PDF.
 */
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';

/** A filled rectangle of a code (a pdfmake canvas rect), relative to the code's top-left, in pt. */
export interface CodeRect {
  readonly type: 'rect';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly color: string;
  readonly lineWidth: number;
}

/** The bar and space widths of a Code 39 symbol of `payload`, in narrow modules, bar first. */
export function code39Modules(payload: string): readonly number[] {
  const symbols = bwipjs.raw({ bcid: 'code39', text: payload });
  const first = symbols[0];
  if (!first || !('sbs' in first)) throw new Error(`Code 39: bwip-js gave no bars for ${payload}`);
  return first.sbs;
}

/**
 * The bars of a Code 39 symbol (start/stop "*" added by the encoder): `narrow` is the narrow bar
 * width and `height` the bar height, in pt.
 */
export function code39Rects(payload: string, narrow: number, height: number): CodeRect[] {
  const rects: CodeRect[] = [];
  let x = 0;
  code39Modules(payload).forEach((modules, i) => {
    const w = modules * narrow;
    // bwip-js alternates bar, space, bar, … starting with a bar.
    if (i % 2 === 0)
      rects.push({ type: 'rect', x, y: 0, w, h: height, color: 'black', lineWidth: 0 });
    x += w;
  });
  return rects;
}

/** The dark modules of a QR code of `text`, merged into horizontal runs; `size` is the side in pt. */
export function qrRects(text: string, size: number): CodeRect[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const m = size / n;
  const rects: CodeRect[] = [];
  for (let row = 0; row < n; row++) {
    let start = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        rects.push({
          type: 'rect',
          x: start * m,
          y: row * m,
          w: (col - start) * m,
          h: m,
          color: 'black',
          lineWidth: 0,
        });
        start = -1;
      }
    }
  }
  return rects;
}
