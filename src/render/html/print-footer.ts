/**
 * Page 1's footer when the web page is printed: the job number and its dates, the barcode, "Please
 * recycle" with its mark and the QR code, where the PDF puts them. A browser lays out the page's
 * own elements in the page area only, so a footer element would print after the text, on the
 * last page; the footer is instead one SVG drawing in page 1's bottom margin box (`@page :first
 * { @bottom-left }`), whose margin is the PDF's page-1 limit. On screen the colophon element shows
 * the same things and this drawing is not used.
 */
import QRCode from 'qrcode';
import type { UnDocument } from '../../model.js';
import type { Resources } from '../../resources.js';
import { jobNumberDates, jobNumberHead } from '../../style/forms.js';
import type { Style } from '../../style/style.js';
import { barcodeExtras, barcodeText, code39Modules, fontBoxOf } from '../barcode-font.js';

const num = (n: number): string => String(Math.round(n * 1000) / 1000);

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The body font's ascender (em): a style y is a text box's top, an SVG text's y its baseline. */
function ascentOf(resources: Resources): number {
  const font = fontBoxOf(resources.fonts.regular);
  return font.ascent / font.unitsPerEm;
}

/** An SVG drawing placed in the footer's coordinates: its root element given x, y and a size. */
function nested(svg: string, x: number, y: number, w: number, h: number): string {
  const source = svg.replace(/<\?xml[^>]*\?>/g, '').trim();
  const open = /^<svg\b[^>]*>/.exec(source)?.[0];
  if (open === undefined) throw new Error('print footer: a drawing that is not an SVG');
  const root = open
    .replace(/\s(?:width|height|x|y)="[^"]*"/g, '')
    .replace(/^<svg\b/, `<svg x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}"`);
  return root + source.slice(open.length);
}

/** The family name the printed footer's drawing gives the barcode font it carries. */
const BARCODE_FACE = 'undoc barcode';

/** The barcode font (templates' firstPageFooter.barcode.family): its TrueType file in base64. */
export function barcodeFontBase64(style: Style, resources: Resources): string {
  const { family } = style.firstPageFooter.barcode;
  const files = style.fontFiles[family];
  if (files === undefined)
    throw new Error(`templates/${style.name}.yaml: barcode font ${family} is not in fontFiles`);
  return resources.fontFamily(files).regular.toString('base64');
}

/** The top of page 1's bottom margin: the PDF's page-1 limit, where its text stops. */
export function printFooterTop(style: Style): number {
  return style.firstPageFooter.top;
}

/**
 * The footer drawing (SVG source), in points, from the frame's left edge and the top of page 1's
 * bottom margin; undefined when page 1 has no job number and no symbol (a draft).
 */
export async function printFooterSvg(
  doc: UnDocument,
  style: Style,
  resources: Resources,
): Promise<string | undefined> {
  const job = doc.jobNumber;
  const url = doc.symbols[0]?.url;
  if (job === undefined && url === undefined) return undefined;
  const f = style.firstPageFooter;
  const left = style.frame.left;
  const top = printFooterTop(style);
  const width = style.frame.right - left;
  const height = style.page.height - top;
  const ascent = ascentOf(resources);
  const family = `${style.font.family}, Liberation Serif, Times New Roman, serif`;
  const parts: string[] = [];
  if (job !== undefined) {
    const dates = jobNumberDates(style, job);
    const size = f.jobNumber.size;
    // The dates start `dateGap` after the job number's end, as the PDF sets them.
    const after =
      dates.length === 0
        ? ''
        : `<tspan dx="${num(f.jobNumber.dateGap)}">${xml(dates.join(' '))}</tspan>`;
    parts.push(
      `<text x="${num(f.jobNumber.x - left)}" y="${num(f.jobNumber.y - top + ascent * size)}" font-size="${num(size)}"><tspan>${xml(jobNumberHead(style, job))}</tspan>${after}</text>`,
    );
    // The barcode as text in the barcode font, as the PDF sets it, so that the printed page's
    // text has "*0729358*": the drawing is an image, which cannot use the page's fonts, so the
    // font travels inside it too. Scaled horizontally to the style's bars, its baseline at the
    // bars' foot.
    const bars = barcodeText(resources, style, job.barcode);
    const baseline = f.barcode.y - top + bars.height + bars.foot;
    parts.push(
      `<style>@font-face { font-family: "${BARCODE_FACE}"; src: url(data:font/ttf;base64,${barcodeFontBase64(style, resources)}) format("truetype"); }</style>`,
      `<text transform="translate(${num(f.barcode.x - bars.left - left)} ${num(baseline)}) scale(${num(bars.scale)} 1)" font-family="${BARCODE_FACE}" font-size="${num(bars.size)}">${xml(bars.text)}</text>`,
    );
    // What the layout draws beyond the font's bars: taller bars over them and the
    // human-readable line under them (Geneva).
    for (const p of barcodeExtras(style, bars, code39Modules(job.barcode))) {
      if (p.kind === 'bar')
        parts.push(
          `<rect x="${num(p.x - left)}" y="${num(p.y - top)}" width="${num(p.width)}" height="${num(p.height)}"/>`,
        );
      else
        parts.push(
          `<text x="${num(p.centre - left)}" y="${num(p.y - top + ascent * p.size)}" font-size="${num(p.size)}" text-anchor="middle" aria-hidden="true">${xml(p.text)}</text>`,
        );
    }
  }
  const r = f.recycle;
  const markX = r.x + r.width - r.height;
  parts.push(
    `<text x="${num(markX - left)}" y="${num(r.y + r.labelTop - top + ascent * r.size)}" font-size="${num(r.size)}" font-weight="bold" text-anchor="end">${xml(doc.labels.pleaseRecycle)}</text>`,
    nested(resources.recycleSvg, markX - left, r.y - top, r.height, r.height),
  );
  if (job !== undefined && url !== undefined) {
    const qr = await QRCode.toString(url, { type: 'svg', margin: 0 });
    parts.push(nested(qr, f.qr.x - left, f.qr.y - top, f.qr.size, f.qr.size));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}pt" height="${num(height)}pt" viewBox="0 0 ${num(width)} ${num(height)}" font-family="${xml(family)}">`,
    ...parts,
    '</svg>',
  ].join('');
}

/** The @page rule printing the drawing in page 1's bottom margin (its URL made safe for CSS). */
export function printFooterRule(style: Style, svg: string): string {
  const url = `data:image/svg+xml,${encodeURIComponent(svg)}`;
  const width = style.frame.right - style.frame.left;
  const height = style.page.height - printFooterTop(style);
  return [
    '@page :first {',
    `  margin-bottom: ${num(height)}pt;`,
    `  @bottom-left { content: url("${url}"); width: ${num(width)}pt; height: ${num(height)}pt; padding: 0; margin: 0; border: 0; vertical-align: top; text-align: left; font-size: 0; line-height: 0; }`,
    '}',
  ].join('\n');
}
