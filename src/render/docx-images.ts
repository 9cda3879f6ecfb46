/**
 * The DOCX renderer's pictures as PNG bytes: the UN emblem (rasterized from templates/emblem.svg),
 * the Code 39 barcode of the job number and the QR code of the undocs.org address. Word and
 * LibreOffice both place PNGs exactly; the emblem also travels as SVG for Word (svgBlip).
 */
import { Resvg } from '@resvg/resvg-js';
import bwipjs from 'bwip-js';
import QRCode from 'qrcode';
import type { UnDocument } from '../model.js';
import type { Style } from '../style/style.js';
import { dots, mm } from './docx-units.js';

/** A raster image and the size it is placed at, in points. */
export interface Picture {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** The pictures of one document; barcode and QR code are absent for a draft. */
export interface DocxPictures {
  readonly emblem: Picture;
  readonly emblemSvg: Uint8Array;
  readonly barcode?: Picture;
  readonly qr?: Picture;
}

const pngWidth = (png: Uint8Array): number => Buffer.from(png).readUInt32BE(16);
const pngHeight = (png: Uint8Array): number => Buffer.from(png).readUInt32BE(20);

const emblemCache = new Map<string, Uint8Array>();

/** The emblem at the masthead's size and the style's resolution (cached per size: it never varies). */
function emblemPng(svg: string, style: Style): Uint8Array {
  const width = dots(style.masthead.emblem.width, style.docx.imageDpi);
  const key = `${width}:${svg.length}`;
  let png = emblemCache.get(key);
  if (!png) {
    png = new Resvg(svg, { fitTo: { mode: 'width', value: width } }).render().asPng();
    emblemCache.set(key, png);
  }
  return png;
}

/** Code 39 of the job number; bars one pixel per `scale` modules so they stay crisp when placed. */
async function barcodePng(payload: string, style: Style): Promise<Picture> {
  const bar = style.firstPageFooter.barcode;
  const scale = dots(bar.narrowBar, style.docx.imageDpi);
  const png = await bwipjs.toBuffer({
    bcid: 'code39',
    text: payload,
    scaleX: scale,
    scaleY: 1,
    height: mm(bar.height),
    includetext: false,
  });
  const pixelWidth = pngWidth(png);
  return { png, width: (pixelWidth / scale) * bar.narrowBar, height: bar.height };
}

async function qrPng(url: string, style: Style): Promise<Picture> {
  const size = style.firstPageFooter.qr.size;
  const png = await QRCode.toBuffer(url, {
    type: 'png',
    margin: 0,
    width: dots(size, style.docx.imageDpi),
    errorCorrectionLevel: 'M',
  });
  return { png, width: size, height: size };
}

/** Renders every picture the document needs. */
export async function docxPictures(
  doc: UnDocument,
  style: Style,
  emblemSvg: string,
): Promise<DocxPictures> {
  const e = style.masthead.emblem;
  // Keep the drawing's proportions: the style gives the emblem's width, the SVG its shape.
  const emblem = emblemPng(emblemSvg, style);
  const first = doc.symbols[0];
  return {
    emblem: {
      png: emblem,
      width: e.width,
      height: (e.width * pngHeight(emblem)) / pngWidth(emblem),
    },
    emblemSvg: new TextEncoder().encode(emblemSvg),
    ...(doc.jobNumber ? { barcode: await barcodePng(doc.jobNumber.barcode, style) } : {}),
    ...(first ? { qr: await qrPng(first.url, style) } : {}),
  };
}
