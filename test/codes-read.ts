/**
 * Reading the first page's codes off pixels, for the PDF and the printed web page: a grey image,
 * cropping, the independent decoders (zxing for Code 39, jsQR for QR codes) and page 1 of a PDF
 * rasterized by pdftoppm.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

/** A grey-level image: 0 black, 255 white. */
export interface Grey {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

function rgba(img: Grey): Uint8ClampedArray {
  const out = new Uint8ClampedArray(img.width * img.height * 4);
  img.data.forEach((v, i) => {
    out.set([v, v, v, 255], i * 4);
  });
  return out;
}

// jsqr is CommonJS: Node hands its module.exports (the function, with itself as .default).
const jsQR = jsQRModule.default;

export function decodeQr(img: Grey): string | null {
  return jsQR(rgba(img), img.width, img.height)?.data ?? null;
}

export function decodeCode39(img: Grey): string | null {
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_39]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  reader.setHints(hints);
  try {
    const source = new RGBLuminanceSource(img.data, img.width, img.height);
    return reader.decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
  } catch {
    return null;
  }
}

export function crop(img: Grey, x: number, y: number, w: number, h: number): Grey {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const width = Math.min(img.width - x0, Math.ceil(w));
  const height = Math.min(img.height - y0, Math.ceil(h));
  const data = new Uint8ClampedArray(width * height);
  for (let row = 0; row < height; row++) {
    const from = (y0 + row) * img.width + x0;
    data.set(img.data.subarray(from, from + width), row * width);
  }
  return { width, height, data };
}

/** Page 1 of `bytes` as grey pixels at `dpi`. */
export function pageOne(bytes: Uint8Array, dpi: number): Grey {
  const dir = mkdtempSync(join(tmpdir(), 'undoc-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), bytes);
    execFileSync('pdftoppm', [
      '-f',
      '1',
      '-l',
      '1',
      '-r',
      String(dpi),
      '-gray',
      '-png',
      join(dir, 'doc.pdf'),
      join(dir, 'p'),
    ]);
    const png = PNG.sync.read(readFileSync(join(dir, 'p-1.png')));
    const data = new Uint8ClampedArray(png.width * png.height);
    for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4] ?? 255;
    return { width: png.width, height: png.height, data };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
