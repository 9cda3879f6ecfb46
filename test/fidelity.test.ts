/**
 * Line for line with issued documents: undoc renders transcriptions of issued UN documents
 * (test/fixtures/issued/*.yaml) and every body line must end, and every page begin, where the
 * issued PDF has it (its lines extracted by scripts/reference-lines.ts into *.lines.json, so the
 * test needs neither poppler nor the issued PDF). Target: ≥ 95 % of the line ends inside
 * paragraphs, every page break.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { bodyLines, compareBreaks, type Reference } from './line-breaks.js';
import { readPdf } from './pdf-read.js';

const ISSUED = join(PACKAGE_ROOT, 'test/fixtures/issued');

/** Transcription `name` loaded and rendered, its PDF read back, and the issued PDF's lines. */
async function rendered(name: string) {
  const { model, diagnostics } = loadSource(
    readFileSync(join(ISSUED, `${name}.yaml`), 'utf8'),
    name,
  );
  if (model === undefined) throw new Error(diagnostics.map((p) => p.message).join('; '));
  const resources = loadResources();
  const style = resources.styles[model.style];
  const pdf = await readPdf(await renderPdf(model, style, resources));
  const reference = JSON.parse(
    readFileSync(join(ISSUED, `${name}.lines.json`), 'utf8'),
  ) as Reference;
  return { model, style, pdf, reference };
}

async function compare(name: string) {
  const { style, pdf, reference } = await rendered(name);
  const lines = bodyLines(pdf.pages, {
    page1Top: style.masthead.thickRule.y,
    titleSize: style.masthead.title.size,
    top: style.runningHeader.ruleY,
    bottom: style.page.height - style.page.bottom + style.font.leading,
    left: style.body.left,
  });
  const report = compareBreaks(lines, reference);
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  console.log(
    `${name}: inner line ends ${report.innerSame}/${report.inner} (${pct(report.innerSame, report.inner)}), ` +
      `all line ends ${report.linesSame}/${report.lines}, pages ${lines.length} (issued ${reference.pages.length})` +
      `${report.missed.length > 0 ? `\n  missed: ${report.missed.join('\n          ')}` : ''}`,
  );
  return { report, pages: lines.length, pdf, style };
}

describe('line and page breaks as issued', () => {
  it('A/80/434-S/2025/632 (New York), in full', async () => {
    const { report, pages } = await compare('A-80-434');
    expect(report.textDiffers).toBeUndefined();
    // Measured 172/176 (97.7 %; the target is 95 %): the annex's first paragraph breaks one word
    // early in Word ("United Nations | in") where the width model does not, and three of its
    // line ends follow (templates/ny.yaml, font.wordMetrics).
    expect(report.innerSame / report.inner).toBeGreaterThanOrEqual(0.97);
    expect(report.pageStarts.filter((p) => !p.same)).toEqual([]);
    // Every page, page 1 included, ends on the issued line.
    expect(report.pageEnds.filter((p) => !p.same)).toEqual([]);
    expect(pages).toBe(5);
  });

  it('A/80/434-S/2025/632: justified lines, spaces closed up as Word does, stay inside the measure', async () => {
    const { pdf, style } = await compare('A-80-434');
    const body = pdf.pages.flatMap((p) =>
      p.lines.filter(
        (l) => l.size === style.font.size && (l.words[0]?.x ?? 0) >= style.body.left - 1,
      ),
    );
    const rights = body.map((l) => l.words.at(-1)?.right ?? 0);
    // Full lines end at the measure (closed up or stretched; their last glyph's tracking, 0.18pt,
    // is the only space after it), none past it.
    expect(Math.max(...rights)).toBeLessThanOrEqual(style.body.right + 0.05);
    expect(rights.filter((r) => style.body.right - r < 0.25).length).toBeGreaterThan(150);
  });
});

/** The published sources, one a language, and the seed. */
const SOURCES = [
  'A-61-859',
  'A-61-859.fr',
  'A-61-859.es',
  'A-61-859.ru',
  'A-61-859.zh',
  'A-61-859.ar',
  'A-61-seed',
];

describe('every language inside the measure', () => {
  // Word's widths and closed-up spaces (font.wordMetrics) must never push a line past the text
  // block in any language: its body-size lines that start in the block end inside it (a
  // right-to-left document's mirrored: start at its right edge, end at its left).
  it.each(SOURCES)('source/%s.yaml: no body line past the measure', async (name) => {
    const { model, diagnostics } = loadSource(
      readFileSync(join(PACKAGE_ROOT, 'source', `${name}.yaml`), 'utf8'),
      name,
    );
    if (model === undefined) throw new Error(diagnostics.map((p) => p.message).join('; '));
    const resources = loadResources();
    const style = resources.styles[model.style];
    const pdf = await readPdf(await renderPdf(model, style, resources));
    const rtl = model.direction === 'rtl';
    const width = style.page.width;
    // The measure as drawn: [left, right] on the page, mirrored for right to left.
    const [left, right] = rtl
      ? [width - style.body.right, width - style.body.left]
      : [style.body.left, style.body.right];
    const top = style.runningHeader.ruleY;
    const bottom = style.page.height - style.page.bottom;
    const body = pdf.pages.flatMap((p) =>
      p.lines
        .filter((l) => l.size === style.font.size && l.baseline > top && l.baseline < bottom)
        .map((l) => ({
          page: p.number,
          text: l.words.map((w) => w.text).join(' '),
          start: Math.min(...l.words.map((w) => w.x)),
          end: Math.max(...l.words.map((w) => w.right)),
        }))
        .filter((l) => (rtl ? l.end <= right + 1 : l.start >= left - 1)),
    );
    expect(body.length).toBeGreaterThan(100);
    const past = body.filter((l) => (rtl ? l.start < left - 0.05 : l.end > right + 0.05));
    expect(past.map((l) => `p. ${l.page} [${l.start}, ${l.end}]: ${l.text}`)).toEqual([]);
    // Justified lines reach the measure: it is the measure they are set to.
    const full = body.filter((l) => (rtl ? l.start - left < 0.5 : right - l.end < 0.5));
    expect(full.length).toBeGreaterThan(body.length / 3);
  });
});

/** Page 1 of A/HRC/WG.6/34/ITA/3: below its session block, above its title (pt). */
const PAGE1_TOP = 265;

describe('line and page breaks as issued, Geneva', () => {
  // A/HRC/WG.6/34/ITA/3, pages 1-3 (its lines extracted with page 1's body ending above the
  // starred note: scripts/reference-lines.ts … 265 60 800 3 740). The issued report sets its
  // numbered notes as endnotes, and so does the transcription (`notes: endnotes`): only the
  // starred title note sits at the foot of page 1, and each page holds the running text alone.
  // Compared: each page's lines (undoc's notes, set smaller, left out), with the note calls and
  // numbers taken out on both sides, as the reader sets a heading's call on a line of its own.
  it('A/HRC/WG.6/34/ITA/3, pages 1-3: line ends and page breaks', async () => {
    const name = 'A-HRC-WG.6-34-ITA-3';
    const { model, style, pdf, reference } = await rendered(name);
    expect(model.notes).toBe('endnotes');
    const strip = (s: string) => s.replace(/[\d*]/gu, '').trim();
    const bottom = style.page.height - style.page.bottom + style.font.leading;
    const ours = pdf.pages.map((page, i) =>
      page.lines
        .filter(
          (l) =>
            l.baseline > (i === 0 ? PAGE1_TOP : style.runningHeader.ruleY) &&
            l.baseline < bottom &&
            // Headings' numbers hang left of the body; the footer's codes sit further out.
            (l.words[0]?.x ?? 0) >= style.body.left - 40 &&
            // The starred note is set smaller; a call alone on its line is kept (and stripped).
            (l.size >= style.font.size - 0.01 ||
              /^[*\d]+$/u.test(l.words.map((w) => w.text).join(''))),
        )
        .map((l) => strip(l.words.map((w) => w.text).join(' ')))
        .filter((s) => s !== ''),
    );
    const issued: Reference = {
      ...reference,
      pages: reference.pages.map((p) =>
        p.map((l) => ({ ...l, text: strip(l.text) })).filter((l) => l.text !== ''),
      ),
    };
    const report = compareBreaks(ours, issued);
    const starts = report.pageStarts.map(
      (p) => `${p.same ? '=' : '≠'} "${p.issued}" / "${p.undoc}"`,
    );
    console.log(
      `${name}: inner line ends ${report.innerSame}/${report.inner}, all ${report.linesSame}/${report.lines}, pages ${pdf.pages.length}` +
        `\n  page starts: ${starts.join('; ')}` +
        `${report.missed.length > 0 ? `\n  missed: ${report.missed.join('\n          ')}` : ''}`,
    );
    expect(report.textDiffers).toBeUndefined();
    expect(report.pageStarts.filter((p) => !p.same)).toEqual([]);
    expect(report.pageEnds.filter((p) => !p.same)).toEqual([]);
    expect(report.innerSame / report.inner).toBeGreaterThanOrEqual(0.95);
  });
});
