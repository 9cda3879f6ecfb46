/**
 * The DOCX renderer's pictures as PNG bytes: the UN emblem and the recycle mark (rasterized from
 * templates/*.svg) and the QR code of the undocs.org address; and the job number's barcode, which
 * is text in an embedded Code 39 font. Word and
 * LibreOffice both place PNGs exactly; the emblem and the recycle mark also travel as SVG for
 * Word (svgBlip), with the PNG as the fallback other readers use.
 */

import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';
import QRCode from 'qrcode';
import { STYLE_NAMES, type UnDocument } from '../../model.js';
import type { Resources } from '../../resources.js';
import type { Style } from '../../style/style.js';
import { type BarcodeText, barcodeText } from '../barcode-font.js';
import { svgLabel } from '../svg-label.js';
import { dots } from './units.js';

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
  /** The emblem's alternative text: its SVG's own label, as the PDF's figure has it. */
  readonly emblemAlt: string;
  /** The "Please recycle" mark, as tall as the recycle box. */
  readonly recycle: Picture;
  readonly recycleSvg: Uint8Array;
  readonly barcode?: DocxBarcode;
  readonly qr?: Picture;
}

const pngWidth = (png: Uint8Array): number => Buffer.from(png).readUInt32BE(16);
const pngHeight = (png: Uint8Array): number => Buffer.from(png).readUInt32BE(20);

const svgCache = new Map<string, Uint8Array>();
const svgBytes = new Map<string, Uint8Array>();

/** A drawing's SVG text as UTF-8, the same array for the same text (docx/index.ts keys by it). */
function utf8Once(svg: string): Uint8Array {
  let bytes = svgBytes.get(svg);
  if (bytes === undefined) {
    if (svgBytes.size >= 8) svgBytes.clear();
    bytes = new TextEncoder().encode(svg);
    svgBytes.set(svg, bytes);
  }
  return bytes;
}

/**
 * resvg, a native add-on: loaded on first use, which a process started from the snapshot never
 * makes (its heap cannot hold an add-on, and holds every layout's drawings: `keepDrawings`).
 */
let resvg: typeof ResvgModule | undefined;

/** An SVG drawing as PNG, `width` points wide at the style's resolution (cached: it never varies). */
function svgPng(svg: string, width: number, style: Style): Uint8Array {
  const pixels = dots(width, style.docx.imageDpi);
  const key = drawingKey(svg, width, style);
  let png = svgCache.get(key);
  if (!png) {
    resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof ResvgModule;
    png = new resvg.Resvg(svg, { fitTo: { mode: 'width', value: pixels } }).render().asPng();
    svgCache.set(key, png);
  }
  return png;
}

/** What a drawing's PNG is kept by: its pixel width and its SVG text. */
function drawingKey(svg: string, width: number, style: Style): string {
  return `${dots(width, style.docx.imageDpi)}:${svg}`;
}

/** A rasterized drawing as `layoutDrawings` gives it and `keepDrawings` takes it. */
export interface DrawingPng {
  readonly key: string;
  readonly png: Uint8Array;
}

/**
 * The emblem and the recycle mark as every layout's DOCX places them, rasterized: the build
 * script makes them in a plain Node and hands them to the start-up snapshot (`keepDrawings`), so
 * that neither the snapshot's warm-up nor a command started from it loads resvg.
 */
export function layoutDrawings(
  resources: Pick<Resources, 'emblemSvg' | 'recycleSvg' | 'styles'>,
): DrawingPng[] {
  const drawings = new Map<string, Uint8Array>();
  for (const name of STYLE_NAMES) {
    const style = resources.styles[name];
    for (const [svg, width] of [
      [resources.emblemSvg, style.masthead.emblem.width],
      [resources.recycleSvg, style.firstPageFooter.recycle.height],
    ] as const) {
      drawings.set(drawingKey(svg, width, style), svgPng(svg, width, style));
    }
  }
  return [...drawings].map(([key, png]) => ({ key, png }));
}

/** Takes drawings rasterized elsewhere (`layoutDrawings`) as this process's own. */
export function keepDrawings(drawings: readonly DrawingPng[]): void {
  for (const { key, png } of drawings) svgCache.set(key, png);
}

/** A drawing placed `width` points wide, its height from its own proportions. */
function drawing(svg: string, width: number, style: Style): Picture {
  const png = svgPng(svg, width, style);
  return { png, width, height: (width * pngHeight(png)) / pngWidth(png) };
}

/**
 * The job number's barcode as the DOCX sets it: text in the style's Code 39 font, as the
 * Secretariat's Word files carry it, with the font's file for the package to embed (Word has no
 * barcode font of its own).
 */
export interface DocxBarcode {
  readonly bars: BarcodeText;
  /** The barcode font's TrueType file. */
  readonly font: Buffer;
}

function docxBarcode(
  payload: string,
  style: Style,
  resources: Pick<Resources, 'fontFamily'>,
): DocxBarcode {
  const family = style.firstPageFooter.barcode.family;
  const files = style.fontFiles[family];
  if (files === undefined)
    throw new Error(`templates/${style.name}.yaml: barcode font ${family} is not in fontFiles`);
  return {
    bars: barcodeText(resources, style, payload),
    font: resources.fontFamily(files).regular,
  };
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
  resources: Pick<Resources, 'emblemSvg' | 'recycleSvg' | 'fontFamily'>,
): Promise<DocxPictures> {
  const first = doc.symbols[0];
  return {
    emblem: drawing(resources.emblemSvg, style.masthead.emblem.width, style),
    emblemSvg: utf8Once(resources.emblemSvg),
    emblemAlt: svgLabel(resources.emblemSvg) ?? '',
    recycle: drawing(resources.recycleSvg, style.firstPageFooter.recycle.height, style),
    recycleSvg: utf8Once(resources.recycleSvg),
    ...(doc.jobNumber ? { barcode: docxBarcode(doc.jobNumber.barcode, style, resources) } : {}),
    ...(first ? { qr: await qrPng(first.url, style) } : {}),
  };
}
