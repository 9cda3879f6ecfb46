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

/** Codes made in this process, by size and text: page 1's footer asks for one each layout pass. */
const made = new Map<string, readonly CodeRect[]>();
/** Codes remembered at most (a batch has one address per document). */
const MADE = 64;

/**
 * The dark modules of a QR code of `text`, merged into horizontal runs; `size` is the side in pt.
 * A function of its arguments, remembered: encoding the code (qrcode's mask search) cost ~0.5 ms
 * a document, twice for a document laid out twice. pdfmake moves the rectangles it lays out, so
 * a caller lays out copies.
 */
export function qrRects(text: string, size: number): readonly CodeRect[] {
  const key = `${size}\u0000${text}`;
  let rects = made.get(key);
  if (rects === undefined) {
    rects = encode(text, size);
    if (made.size >= MADE) made.clear();
    made.set(key, rects);
  }
  return rects;
}

function encode(text: string, size: number): readonly CodeRect[] {
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
