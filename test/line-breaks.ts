/**
 * Compares where two settings of the same text break their lines and pages: undoc's PDF, read
 * back, and an issued document's body lines (extracted by scripts/reference-lines.ts). Each
 * line end is placed in the text with its spaces removed, so that the two sides compare even
 * where their extractions split words differently ("Chair ’s").
 */
import type { Page } from './pdf-read.js';

/** A body line of the issued document: its text; whether it ends a paragraph; set by hand. */
export interface ReferenceLine {
  readonly text: string;
  readonly end: boolean;
  readonly forced?: boolean;
}

/** The issued document's body lines, page by page. */
export interface Reference {
  readonly source: string;
  readonly pages: readonly (readonly ReferenceLine[])[];
}

/** What the comparison found. */
export interface BreakReport {
  /** Line ends inside paragraphs (neither a paragraph's last line nor set by hand). */
  readonly inner: number;
  /** Those that fall at the same place in undoc's PDF. */
  readonly innerSame: number;
  /** Every body line of the issued document, and those whose end undoc's PDF shares. */
  readonly lines: number;
  readonly linesSame: number;
  /** Per page: the issued page's first words, undoc's, and whether they are the same. */
  readonly pageStarts: readonly { issued: string; undoc: string; same: boolean }[];
  /** Per page: the issued page's last words, undoc's, and whether they are the same. */
  readonly pageEnds: readonly { issued: string; undoc: string; same: boolean }[];
  /** The issued document's inner line ends undoc's PDF does not share, as "… last words |". */
  readonly missed: readonly string[];
  /** Where the two texts first differ (a transcription error), or undefined. */
  readonly textDiffers?: string;
}

/** The text as compared: no spaces, one form per character. */
function squeeze(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u00ad\s]/gu, '')
    .replace(/[\u2010\u2011]/gu, '-');
}

/** Offsets (in the squeezed text) where each line ends, and the whole squeezed text. */
function ends(lines: readonly string[]): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (const l of lines) {
    text += squeeze(l);
    at.push(text.length);
  }
  return { text, at };
}

const firstWords = (line: string | undefined, n = 3) =>
  (line ?? '').trim().split(/\s+/u).slice(0, n).join(' ');
const lastWords = (line: string | undefined, n = 3) =>
  (line ?? '').trim().split(/\s+/u).slice(-n).join(' ');

/**
 * Compares `undoc` (its body lines' texts per page, as read back) with `issued`, over the issued
 * document's pages.
 */
export function compareBreaks(
  undoc: readonly (readonly string[])[],
  issued: Reference,
): BreakReport {
  const ours = ends(undoc.slice(0, issued.pages.length).flat());
  const ref = ends(issued.pages.flatMap((p) => p.map((l) => l.text)));
  const refLines = issued.pages.flat();
  let textDiffers: string | undefined;
  const common = Math.min(ours.text.length, ref.text.length);
  for (let i = 0; i < common; i++) {
    if (ours.text[i] !== ref.text[i]) {
      textDiffers = `at "${ref.text.slice(Math.max(0, i - 30), i + 10)}" undoc has "${ours.text.slice(Math.max(0, i - 30), i + 10)}"`;
      break;
    }
  }
  const shared = new Set(ours.at);
  let inner = 0;
  let innerSame = 0;
  let linesSame = 0;
  const missed: string[] = [];
  refLines.forEach((line, i) => {
    const at = ref.at[i] ?? -1;
    const same = shared.has(at);
    if (same) linesSame++;
    if (line.end || line.forced) return;
    inner++;
    if (same) innerSame++;
    else missed.push(`… ${line.text.split(/\s+/u).slice(-3).join(' ')} |`);
  });
  const pageStarts = issued.pages.map((p, i) => {
    const a = firstWords(p[0]?.text);
    const b = firstWords(undoc[i]?.[0]);
    return { issued: a, undoc: b, same: squeeze(a) === squeeze(b) };
  });
  // A page ends where the issued one does when its last line ends at the same place in the text
  // (the page 1 limit, widows and keeps all show here).
  const pageEnds = issued.pages.map((p, i) => {
    const a = lastWords(p.at(-1)?.text);
    const b = lastWords(undoc[i]?.at(-1));
    const ourEnd = ends(undoc.slice(0, i + 1).flat()).text.length;
    const refEnd = ends(issued.pages.slice(0, i + 1).flatMap((q) => q.map((l) => l.text))).text
      .length;
    return { issued: a, undoc: b, same: ourEnd === refEnd };
  });
  const report = {
    inner,
    innerSame,
    lines: refLines.length,
    linesSame,
    pageStarts,
    pageEnds,
    missed,
  };
  return textDiffers === undefined ? report : { ...report, textDiffers };
}

/**
 * Body lines of undoc's PDF per page, as texts: on page 1 from the title (the first line at
 * `titleSize` below `page1Top`), on later pages between `top` and `bottom` (baselines, pt).
 */
export function bodyLines(
  pages: readonly Page[],
  bands: { page1Top: number; titleSize: number; top: number; bottom: number; left: number },
): string[][] {
  return pages.map((page, i) => {
    let lines = page.lines.filter(
      (l) => l.baseline > (i === 0 ? bands.page1Top : bands.top) && l.baseline < bands.bottom,
    );
    if (i === 0) {
      const title = lines.findIndex((l) => l.size >= bands.titleSize - 0.01);
      lines = title < 0 ? [] : lines.slice(title);
    }
    return lines
      .filter((l) => (l.words[0]?.x ?? 0) >= bands.left - 1)
      .map((l) => l.words.map((w) => w.text).join(' '));
  });
}
