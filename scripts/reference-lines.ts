/**
 * Extracts the body lines of an issued UN document, page by page, with `pdftotext -bbox`
 * (poppler), into the data test/fidelity.test.ts compares undoc's line and page breaks with, so
 * that the test runs anywhere (without poppler, and without the issued PDF).
 *
 *   npx tsx scripts/reference-lines.ts <issued.pdf> <out.json> <page1Top> <top> <bottom> [pages] [page1Bottom]
 *
 * Body lines are the lines between `page1Top` (page 1: below the masthead and session columns)
 * or `top` (later pages: below the running header) and `bottom` (above the footer), in pt from
 * the top of the page; `pages` keeps the first pages only; `page1Bottom` ends page 1's body
 * higher (above a starred note at its foot, while the other notes are endnotes). A line ends a paragraph when the next
 * line is further than one line below it, or starts the next page indented (a first line, or a
 * paragraph number). A line that starts far right of the others (a signature line, set flush
 * right) is marked `forced`: its end is the source's, not the measure's.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Word {
  readonly x0: number;
  readonly x1: number;
  readonly y: number;
  readonly h: number;
  readonly text: string;
}

interface Line {
  readonly y: number;
  readonly x: number;
  readonly h: number;
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function pagesOf(html: string): Word[][] {
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/gu,
        ),
      ].map((m) => ({
        x0: Number(m[1]),
        y: Number(m[2]),
        x1: Number(m[3]),
        h: Number(m[4]) - Number(m[2]),
        text: (m[5] ?? '').replace(/&[#\w]+;/gu, (e) => ENTITIES[e] ?? e),
      })),
    );
}

/** Words sharing a top (within 2pt: a superscript call rides on its line), left to right. */
function linesOf(words: readonly Word[]): Line[] {
  const sorted = [...words].sort((a, b) => a.y - b.y || a.x0 - b.x0);
  const groups: Word[][] = [];
  for (const w of sorted) {
    const g = groups.at(-1);
    const top = g === undefined ? Number.NEGATIVE_INFINITY : Math.min(...g.map((v) => v.y));
    if (g !== undefined && w.y - top < 4) g.push(w);
    else groups.push([w]);
  }
  return groups.map((g) => {
    const byX = [...g].sort((a, b) => a.x0 - b.x0);
    const main = byX.reduce((a, b) => (b.h > a.h ? b : a));
    return { y: main.y, x: byX[0]?.x0 ?? 0, h: main.h, text: byX.map((w) => w.text).join(' ') };
  });
}

const [pdf, out, page1Top, top, bottom, count, page1Bottom] = process.argv.slice(2);
if (pdf === undefined || out === undefined || bottom === undefined || top === undefined) {
  console.error('usage: reference-lines <issued.pdf> <out.json> <page1Top> <top> <bottom> [pages]');
  process.exit(2);
}
const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
const pages = pagesOf(html)
  .slice(0, count === undefined ? undefined : Number(count))
  .map((words, i) => {
    const from = i === 0 ? Number(page1Top) : Number(top);
    const to = i === 0 && page1Bottom !== undefined ? Number(page1Bottom) : Number(bottom);
    return linesOf(words).filter((l) => l.y >= from && l.y + l.h <= to);
  });
const data = pages.map((lines, p) =>
  lines.map((line, i) => {
    const next = lines[i + 1];
    const following = pages[p + 1]?.[0];
    const leftmost = Math.min(...lines.map((l) => l.x));
    let end: boolean;
    // A paragraph gap: more than one and a half box heights (Geneva sets 10pt text on 12pt,
    // 1.34 box heights; New York on 12pt too, with taller boxes).
    if (next !== undefined) end = next.y - line.y > line.h * 1.5;
    else if (following === undefined) end = true;
    else {
      const left = Math.min(...(pages[p + 1] ?? []).map((l) => l.x));
      end = following.x > left + 5 || /^\d+\.\s/u.test(following.text) || leftmost < 0;
    }
    // A line set flush right (a signature) was broken by hand, not by the measure.
    const forced = line.x > leftmost + 100;
    return forced ? { text: line.text, end, forced } : { text: line.text, end };
  }),
);
const json = {
  source: basename(pdf),
  extracted: `pdftotext -bbox; body lines from y ${page1Top} (page 1) or ${top} to ${page1Bottom === undefined ? '' : `${page1Bottom} (page 1) or `}${bottom} pt`,
  pages: data,
};
writeFileSync(out, `${JSON.stringify(json, null, 1)}\n`);
console.log(`${out}: ${data.length} pages, ${data.flat().length} lines`);
