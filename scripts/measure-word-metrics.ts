/**
 * Measures how Word set one size of Times New Roman in an issued PDF, for `font.wordMetrics` in
 * templates/*.yaml (Tinos has Times New Roman's advances, so its nominal widths stand for them):
 *
 *   npx tsx scripts/measure-word-metrics.ts <issued.pdf> <size> <box> <face> <left> <right>
 *
 * `box`: the height pdftotext gives that size's word boxes (11.092 for 10pt in A/80/434);
 * `face`: regular or bold; `left`, `right`: the body's edges (pt). Prints
 * - scale, tracking: the least-squares fit of every word's drawn width (pdftotext -bbox) to
 *   scale × its nominal width + tracking × its glyphs other than the last;
 * - fit: the range of factors f for which f × nominal width, at each full line's end, holds the
 *   line's text and not the next word (lines ending at `right`), and how many line ends each
 *   factor in the range leaves unexplained;
 * - shrink: the other model of those breaks, Word's own: every glyph at the width it is drawn
 *   with (scale, tracking as fitted, kerning included), and the spaces of a justified line
 *   closing up to `shrink` × a space's drawn width at the least. For each full line: the space
 *   width its words need to fit (at least `shrink`), and the one the next word would need (less
 *   than `shrink`, or it would have been set on the line); the range of shrink explaining most.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as fontkit from 'fontkit';

const [pdf, sizeArg, boxArg, face = 'regular', leftArg, rightArg] = process.argv.slice(2);
if (pdf === undefined || rightArg === undefined) {
  console.error('usage: measure-word-metrics <issued.pdf> <size> <box> <face> <left> <right>');
  process.exit(2);
}
const size = Number(sizeArg);
const box = Number(boxArg);
const left = Number(leftArg);
const right = Number(rightArg);

const require = createRequire(import.meta.url);
const fk = require('fontkit') as typeof fontkit;
const dir = dirname(require.resolve('@expo-google-fonts/tinos/package.json'));
const file = face === 'bold' ? '700Bold/Tinos_700Bold.ttf' : '400Regular/Tinos_400Regular.ttf';
const font = fk.openSync(join(dir, file)) as fontkit.Font;
const nominal = (t: string) => (font.layout(t).advanceWidth / font.unitsPerEm) * size;

interface Word {
  x0: number;
  x1: number;
  y: number;
  text: string;
}

const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
const pages = html
  .split('<page ')
  .slice(1)
  .map((p) =>
    [
      ...p.matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/gu,
      ),
    ]
      .filter((m) => Math.abs(Number(m[4]) - Number(m[2]) - box) < 0.05)
      .map((m) => ({
        x0: Number(m[1]),
        y: Number(m[2]),
        x1: Number(m[3]),
        text: (m[5] ?? '').replace(/&amp;/gu, '&').replace(/&#39;/gu, "'"),
      })),
  );

// 1. Drawn widths.
let sxx = 0;
let sxn = 0;
let snn = 0;
let sxy = 0;
let syn = 0;
let n = 0;
for (const w of pages.flat()) {
  if (!/^[\p{L},.;:()’-]+$/u.test(w.text)) continue;
  const x = nominal(w.text);
  const g = [...w.text].length - 1;
  const y = w.x1 - w.x0;
  sxx += x * x;
  sxn += x * g;
  snn += g * g;
  sxy += x * y;
  syn += g * y;
  n++;
}
const det = sxx * snn - sxn * sxn;
const scale = (sxy * snn - syn * sxn) / det;
const tracking = (sxx * syn - sxn * sxy) / det;
console.log(`drawn: ${n} words, scale ${scale.toFixed(4)}, tracking ${tracking.toFixed(3)}pt`);

// 2. Where lines break: each full line's text fits, with the next word it does not.
const lines: Word[][] = [];
for (const words of pages) {
  const byTop = new Map<string, Word[]>();
  for (const w of words) {
    if (w.x0 < left - 1) continue;
    const k = w.y.toFixed(1);
    byTop.set(k, [...(byTop.get(k) ?? []), w]);
  }
  for (const [, l] of [...byTop].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    l.sort((a, b) => a.x0 - b.x0);
    // Words split by the extraction ("Chair ’s") are one word.
    const merged: Word[] = [];
    for (const w of l) {
      const last = merged.at(-1);
      if (last !== undefined && w.x0 - last.x1 < 1.2) {
        last.x1 = w.x1;
        last.text += w.text;
      } else merged.push({ ...w });
    }
    lines.push(merged);
  }
}
const fits: { text: string; room: number; width: number }[] = [];
// Per full line, for the shrink model: its words' drawn widths, its spaces, and the next word's.
const drawnWidth = (t: string) => scale * nominal(t) + tracking * [...t].length;
const space = drawnWidth(' ');
const squeezed: { text: string; next: string; need: number; needNext: number }[] = [];
const overflows: { text: string; room: number; width: number }[] = [];
lines.forEach((line, i) => {
  const next = lines[i + 1]?.[0];
  const last = line.at(-1);
  if (next === undefined || last === undefined || last.x1 < right - 2) return;
  const words = line.filter((w, j) => !(j === 0 && /^\d+\.$/u.test(w.text)));
  if (/^\d+\.$/u.test(next.text) || words[0] === undefined) return;
  const room = right - words[0].x0;
  const text = words.map((w) => w.text).join(' ');
  fits.push({ text, room, width: nominal(text) });
  // A compound broken at its hyphen offers its first part.
  const longer = `${text} ${next.text.replace(/^([^-]*-).*/u, '$1')}`;
  overflows.push({ text: longer, room, width: nominal(longer) });
  const letters = words.reduce((sum, w) => sum + drawnWidth(w.text), 0);
  const gaps = words.length - 1;
  const piece = next.text.replace(/^([^-]*-).*/u, '$1');
  // A line whose words overrun the measure is not body text (the masthead's symbol).
  if (gaps > 0 && letters < room)
    squeezed.push({
      text,
      next: piece,
      need: (room - letters) / gaps / space,
      needNext: (room - letters - drawnWidth(piece)) / (gaps + 1) / space,
    });
});
let best = { f: 0, bad: Number.POSITIVE_INFINITY };
const tally: string[] = [];
for (let f = 0.95; f <= 1.1; f += 0.0005) {
  const bad =
    fits.filter((l) => f * l.width > l.room).length +
    overflows.filter((l) => f * l.width <= l.room).length;
  if (bad < best.bad) best = { f, bad };
  if (bad <= best.bad + 1) tally.push(`${f.toFixed(4)}: ${bad}`);
}
console.log(
  `fit: ${fits.length} full lines; best ${best.f.toFixed(4)} leaves ${best.bad} of ${fits.length * 2} line ends unexplained`,
);
console.log(tally.filter((t) => t.endsWith(`: ${best.bad}`)).join('\n'));

let bestShrink = { s: 0, bad: Number.POSITIVE_INFINITY };
const shrinkTally: string[] = [];
for (let k = 0.6; k <= 1.0; k += 0.0005) {
  const bad = squeezed.filter((l) => l.need < k || l.needNext >= k).length;
  if (bad < bestShrink.bad) bestShrink = { s: k, bad };
  shrinkTally.push(`${k.toFixed(4)}: ${bad}`);
}
console.log(
  `shrink: space drawn ${space.toFixed(3)}pt; ${squeezed.length} full lines; best ${bestShrink.s.toFixed(4)} leaves ${bestShrink.bad} unexplained`,
);
console.log(shrinkTally.filter((t) => t.endsWith(`: ${bestShrink.bad}`)).join('\n'));
for (const l of squeezed)
  if (l.need < bestShrink.s || l.needNext >= bestShrink.s)
    console.log(
      `  unexplained: ${l.text.slice(-40)} | ${l.next}: fits at ${l.need.toFixed(3)}, with the next word at ${l.needNext.toFixed(3)}`,
    );
// The margins of the range: the lines set closest up, the next words refused closest to fitting.
const tight = [...squeezed].sort((a, b) => a.need - b.need).slice(0, 4);
const near = [...squeezed].sort((a, b) => b.needNext - a.needNext).slice(0, 6);
for (const l of tight) console.log(`  set at ${l.need.toFixed(4)}: ${l.text.slice(-48)}`);
for (const l of near)
  console.log(`  refused at ${l.needNext.toFixed(4)}: ${l.text.slice(-40)} | ${l.next}`);
