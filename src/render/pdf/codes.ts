/**
 * The first page's QR code of the undocs.org address as pdfmake vectors (modules from qrcode),
 * drawn as filled rectangles, so it prints sharp at any resolution and scans from the PDF. The
 * job number's barcode is text in a barcode font (render/barcode-font.ts).
 */
import QRCode from 'qrcode';

/** A filled rectangle of the code (a pdfmake canvas rect), relative to the code's top-left, in pt. */
export interface CodeRect {
  readonly type: 'rect';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly color: string;
  readonly lineWidth: number;
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
