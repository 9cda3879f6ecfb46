/**
 * Reads a PDF back with pdfjs-dist: page sizes, metadata, and the words of each page grouped into
 * lines (top to bottom, left to right) with their positions and sizes, in pt from the top-left.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** One word as printed: its text, left and right x, baseline y from the top, font size (pt). */
export interface Word {
  readonly text: string;
  readonly x: number;
  readonly right: number;
  readonly baseline: number;
  readonly size: number;
}

/** Words sharing a baseline (a superscript joins the line it is raised from). */
export interface Line {
  readonly words: readonly Word[];
  /** The baseline of the line's largest text. */
  readonly baseline: number;
  /** The largest font size on the line. */
  readonly size: number;
}

/** One page read back. */
export interface Page {
  readonly number: number;
  readonly width: number;
  readonly height: number;
  readonly lines: readonly Line[];
  /** Superscript-sized items (footnote calls): their text and baseline. */
  readonly small: readonly { readonly text: string; readonly baseline: number }[];
}

/** A whole document read back. */
export interface ReadPdf {
  readonly pages: readonly Page[];
  readonly info: Readonly<Record<string, unknown>>;
}

/** One text item as pdf.js reads it, in pt from the top-left. */
export interface Item {
  readonly str: string;
  readonly x: number;
  readonly width: number;
  /** x + width. */
  readonly right: number;
  readonly baseline: number;
  /** The vertical scale: a horizontal scaling (Tz) widens text without changing its size. */
  readonly size: number;
}

/** A superscript sits this far above its line's baseline at most (pt). */
const SUPERSCRIPT_RISE = 5;
/** Text smaller than this (pt) is a superscript call (10 pt × 0.58), not furniture (7 pt). */
const SMALL = 6.5;
/** Items closer than this (pt) belong to one word. */
const GLUE = 0.6;

function linesOf(items: readonly Item[]): Line[] {
  const sorted = [...items].sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const groups: Item[][] = [];
  for (const item of sorted) {
    const group = groups.at(-1);
    const base = group ? Math.max(...group.map((i) => i.baseline)) : Number.NEGATIVE_INFINITY;
    if (group && item.baseline - base <= SUPERSCRIPT_RISE) group.push(item);
    else groups.push([item]);
  }
  return groups.map((group) => {
    const byX = [...group].sort((a, b) => a.x - b.x);
    const words: Word[] = [];
    let current: { text: string; x: number; right: number; baseline: number; size: number } | null =
      null;
    const flush = () => {
      if (current && current.text !== '') words.push(current);
      current = null;
    };
    for (const item of byX) {
      const parts = item.str.split(/(\s+)/u);
      let x = item.x;
      const perChar = item.str.length > 0 ? item.width / item.str.length : 0;
      for (const part of parts) {
        if (part === '') continue;
        const w = perChar * part.length;
        if (/^\s+$/u.test(part)) {
          flush();
        } else if (current !== null && x - (current as Word).right <= GLUE) {
          const c: Word = current;
          current = {
            text: c.text + part,
            x: c.x,
            right: x + w,
            baseline: Math.max(c.baseline, item.baseline),
            size: Math.max(c.size, item.size),
          };
        } else {
          flush();
          current = { text: part, x, right: x + w, baseline: item.baseline, size: item.size };
        }
        x += w;
      }
    }
    flush();
    const size = Math.max(...group.map((i) => i.size));
    const baseline = Math.max(...group.filter((i) => i.size === size).map((i) => i.baseline));
    return { words, baseline, size };
  });
}

/** A PDF opened with pdf.js (`bytes` copied: pdfjs detaches what it is given). */
function open(bytes: Uint8Array) {
  return getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

type PdfDocument = Awaited<ReturnType<typeof open>>;

/** Page `n` (1-based): its size and its non-empty text items in the order they are drawn. */
async function pageItems(
  doc: PdfDocument,
  n: number,
): Promise<{ width: number; height: number; items: Item[] }> {
  const page = await doc.getPage(n);
  const [, , width, height] = page.view as [number, number, number, number];
  const content = await page.getTextContent();
  const items: Item[] = [];
  for (const it of content.items) {
    if (!('str' in it) || it.str === '') continue;
    const [, , c, d, e, f] = it.transform as number[];
    const x = e ?? 0;
    items.push({
      str: it.str,
      x,
      width: it.width,
      right: x + it.width,
      baseline: height - (f ?? 0),
      size: Math.round(Math.hypot(c ?? 0, d ?? 0) * 100) / 100,
    });
  }
  return { width, height, items };
}

/** The text items of each page, in the order they are drawn (not sorted into lines). */
export async function drawnItems(bytes: Uint8Array): Promise<Item[][]> {
  const doc = await open(bytes);
  const pages: Item[][] = [];
  for (let n = 1; n <= doc.numPages; n++) pages.push((await pageItems(doc, n)).items);
  await doc.destroy();
  return pages;
}

/** Reads `bytes`: pages, their lines and words, and the document information. */
export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const doc = await open(bytes);
  const pages: Page[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const { width, height, items } = await pageItems(doc, n);
    const small = items
      .filter((i) => i.size < SMALL && i.str.trim() !== '')
      .map((i) => ({ text: i.str.trim(), baseline: i.baseline }));
    pages.push({ number: n, width, height, lines: linesOf(items), small });
  }
  const meta = await doc.getMetadata();
  await doc.destroy();
  return { pages, info: meta.info as Record<string, unknown> };
}

/** The words of some lines, with a hyphenated compound broken at a line end joined again. */
export function wordsOf(lines: readonly Line[]): string[] {
  const out: string[] = [];
  let joinNext = false;
  for (const line of lines) {
    line.words.forEach((w, i) => {
      if (joinNext && i === 0 && out.length > 0) out[out.length - 1] += w.text;
      else out.push(w.text);
      joinNext = false;
    });
    const last = line.words.at(-1)?.text ?? '';
    joinNext = /\p{L}-$/u.test(last);
  }
  return out;
}
