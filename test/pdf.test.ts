/**
 * The PDF read back: every page's text in reading order against the model, the page furniture on
 * every page, page sizes, fonts, metadata, the measured positions, and byte-identical re-renders.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { plainText, symbolLine, symbolSlot, type UnDocument } from '../src/model.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { jobNumberLine, pageNumberText } from '../src/style/forms.js';
import type { Style } from '../src/style/style.js';
import { bodyLines, footnoteLines, mastheadLines, words } from '../src/text.js';
import { FIXTURES, type FixtureName, type Rendered, renderFixture } from './pdf-fixtures.js';
import { type Line, type Page, type ReadPdf, readPdf, type Word, wordsOf } from './pdf-read.js';

/** A superscript sits at most this far (pt) above its line's baseline. */
const SUPERSCRIPT_RISE = 5;
/** Positions are compared to the style within this (pt): rounding in the PDF and in pdfjs. */
const NEAR = 0.35;

interface Parts {
  readonly masthead: Line[];
  readonly body: Line[][];
  readonly notes: Line[][];
  readonly header: Line[][];
  readonly footer: Line[][];
}

/** Splits each page's lines into masthead, body, notes, running header and footer. */
function parts(read: ReadPdf, doc: UnDocument, style: Style): Parts {
  const out: Parts = { masthead: [], body: [], notes: [], header: [], footer: [] };
  const firstTitleWord = words(plainText(doc.title))[0];
  read.pages.forEach((page, i) => {
    const body: Line[] = [];
    const notes: Line[] = [];
    const header: Line[] = [];
    const footer: Line[] = [];
    let inMasthead = i === 0;
    for (const line of page.lines) {
      const first = line.words[0];
      if (i === 0 && line.baseline > style.firstPageFooter.top) footer.push(line);
      else if (i > 0 && line.baseline < style.runningHeader.ruleY) header.push(line);
      else if (i > 0 && line.baseline > style.page.height - style.page.bottom) footer.push(line);
      else if (line.size === style.footnote.size) notes.push(line);
      else {
        if (
          inMasthead &&
          line.size === style.masthead.title.size &&
          line.baseline > style.masthead.thickRule.y &&
          first?.text === firstTitleWord
        ) {
          inMasthead = false;
        }
        if (inMasthead) out.masthead.push(line);
        else body.push(line);
      }
    }
    out.body.push(body);
    out.notes.push(notes);
    out.header.push(header);
    out.footer.push(footer);
  });
  return out;
}

function lineStarting(read: ReadPdf, text: string): { page: Page; index: number } {
  for (const page of read.pages) {
    const index = page.lines.findIndex((l) => l.words[0]?.text === text);
    if (index >= 0) return { page, index };
  }
  throw new Error(`no line starts with ${text}`);
}

function wordAt(page: Page, index: number, n: number): Word {
  const w = page.lines[index]?.words[n];
  if (!w) throw new Error(`page ${page.number}: no word ${n} on line ${index}`);
  return w;
}

const NAMES: FixtureName[] = ['seed', 'draft', 'features', 'geneva'];
const rendered = new Map<FixtureName, Rendered>();
const read = new Map<FixtureName, ReadPdf>();

function get(name: FixtureName): { r: Rendered; pdf: ReadPdf; p: Parts } {
  const r = rendered.get(name);
  const pdf = read.get(name);
  if (!r || !pdf) throw new Error(`${name} not rendered`);
  return { r, pdf, p: parts(pdf, r.doc, r.style) };
}

beforeAll(async () => {
  for (const name of NAMES) {
    const r = await renderFixture(name);
    rendered.set(name, r);
    read.set(name, await readPdf(r.bytes));
  }
});

describe.each(NAMES)('PDF of %s', (name) => {
  it('has the style’s page size on every page', () => {
    const { r, pdf } = get(name);
    expect(pdf.pages.length).toBeGreaterThan(1);
    for (const page of pdf.pages) {
      expect(page.width).toBeCloseTo(r.style.page.width, 1);
      expect(page.height).toBeCloseTo(r.style.page.height, 1);
    }
  });

  it('prints the masthead lines, and nothing else, above the title', () => {
    const { r, p } = get(name);
    const printed = wordsOf(p.masthead).flatMap((w) => w.split(/(?<=\d)-(?=[A-Z])/u));
    const text = ` ${printed.join(' ')} `;
    const expected = mastheadLines(r.doc);
    for (const line of expected) expect(text).toContain(` ${words(line).join(' ')} `);
    expect(printed.length).toBe(expected.flatMap(words).length);
  });

  it('prints the body, in reading order, word for word', () => {
    const { r, p } = get(name);
    const printed = wordsOf(p.body.flat());
    expect(printed).toEqual(words(bodyLines(r.doc).join(' ')));
  });

  it('prints every footnote at the foot of the page that calls it', () => {
    const { r, pdf, p } = get(name);
    expect(wordsOf(p.notes.flat())).toEqual(words(footnoteLines(r.doc).join(' ')));
    pdf.pages.forEach((page, i) => {
      const notes = p.notes[i] ?? [];
      const marks = notes
        .filter((l) => l.words[0] && r.doc.footnotes.some((n) => n.mark === l.words[0]?.text))
        .map((l) => l.words[0]?.text);
      // Calls are the superscripts above the notes (a numbered note's own mark is superior too).
      const notesTop = Math.min(...notes.map((l) => l.baseline)) - SUPERSCRIPT_RISE;
      const calls = page.small.filter((s) => s.baseline < notesTop).map((s) => s.text);
      expect(marks.sort()).toEqual([...calls].sort());
      const lowestText = Math.max(...(p.body[i] ?? []).map((l) => l.baseline), 0);
      for (const note of notes) expect(note.baseline).toBeGreaterThan(lowestText);
    });
  });

  it('prints the furniture: page-1 footer, then symbol header and n/N footer on later pages', () => {
    const { r, pdf, p } = get(name);
    const { doc } = r;
    const job = doc.jobNumber;
    const first = wordsOf(p.footer[0] ?? []);
    // The job number as the layout prints it, and its barcode: the payload set in the barcode font,
    // and where the layout prints it (Geneva), the payload again under the bars, a character each.
    const readable = r.style.firstPageFooter.barcode.digits && job ? [...`*${job.barcode}*`] : [];
    const jobWords = job
      ? [...words(jobNumberLine(r.style, job)), `*${job.barcode}*`, ...readable]
      : [];
    expect(first.sort()).toEqual([...jobWords, 'Please', 'recycle'].sort());
    const n = pdf.pages.length;
    for (let i = 1; i < n; i++) {
      // The symbols, or a draft's unassigned slot.
      expect((p.header[i] ?? []).map((l) => l.words.map((w) => w.text).join(' '))).toEqual(
        symbolSlot(doc),
      );
      const footer = wordsOf(p.footer[i] ?? []);
      const short = job && r.style.footer.jobNumber ? [job.short] : [];
      expect(footer.sort()).toEqual([pageNumberText(r.style, i + 1, n), ...short].sort());
    }
  });

  it('sets the running header left on even pages and right on odd ones', () => {
    const { r, pdf, p } = get(name);
    if (r.doc.symbols.length === 0) return;
    for (let i = 1; i < pdf.pages.length; i++) {
      const symbol = p.header[i]?.[0]?.words[0];
      if (!symbol) throw new Error(`page ${i + 1}: no running header`);
      const even = (i + 1) % 2 === 0;
      if (even) expect(symbol.x).toBeCloseTo(r.style.frame.left, 0);
      else expect(Math.abs(symbol.right - r.style.frame.right)).toBeLessThan(NEAR);
    }
  });

  it('embeds only Tinos subsets (and the barcode font) and records the metadata', () => {
    const { r, pdf } = get(name);
    const raw = Buffer.from(r.bytes).toString('latin1');
    const fonts = [...raw.matchAll(/\/BaseFont\s*\/([^\s/>]+)/gu)].map((m) => m[1]);
    expect(fonts.length).toBeGreaterThan(0);
    // Tinos, and the barcode font where there is a job number to print.
    const allowed = r.doc.jobNumber ? /^[A-Z]{6}\+(Tinos-|LibreBarcode39-)/u : /^[A-Z]{6}\+Tinos-/u;
    for (const f of fonts) expect(f).toMatch(allowed);
    expect([...raw.matchAll(/\/FontFile2\b/gu)].length).toBe(new Set(fonts).size);
    expect(pdf.info.Title).toBe(plainText(r.doc.title));
    if (r.doc.symbols.length > 0) expect(pdf.info.Subject).toBe(symbolLine(r.doc));
    expect(pdf.info.Author).toBe(r.doc.organs.map((o) => o.name).join(', '));
    expect(pdf.info.Keywords).toBe(r.doc.keywords.join(', '));
    expect(String(pdf.info.CreationDate)).toMatch(
      new RegExp(`^D:${r.doc.date.iso.replaceAll('-', '')}`),
    );
    expect(raw).toContain(`/Lang (${r.doc.language})`);
  });
});

describe('PDF positions (as measured in the reference documents)', () => {
  it('numbers annex paragraphs 1–40 at the body edge, text at the tab, later lines back', () => {
    const { r, pdf } = get('seed');
    const { body, font } = r.style;
    for (let n = 1; n <= 40; n++) {
      const { page, index } = lineStarting(pdf, `${n}.`);
      expect(Math.abs(wordAt(page, index, 0).x - body.left)).toBeLessThan(NEAR);
      expect(Math.abs(wordAt(page, index, 1).x - (body.left + font.numberTab))).toBeLessThan(NEAR);
    }
    const { page, index } = lineStarting(pdf, '12.');
    expect(Math.abs(wordAt(page, index + 1, 0).x - body.left)).toBeLessThan(NEAR);
    // Justified: the line ends at the body's right edge.
    expect(
      Math.abs(wordAt(page, index, -1 + (page.lines[index]?.words.length ?? 0)).right - body.right),
    ).toBeLessThan(NEAR);
  });

  it('indents letter paragraphs, sets signatures flush right', () => {
    const { r, pdf } = get('seed');
    const { body, font } = r.style;
    const { page, index } = lineStarting(pdf, 'We');
    expect(Math.abs(wordAt(page, index, 0).x - (body.left + font.firstLineIndent))).toBeLessThan(
      NEAR,
    );
    const sig = lineStarting(pdf, '(Signed)');
    const line = sig.page.lines[sig.index];
    expect(Math.abs((line?.words.at(-1)?.right ?? 0) - body.right)).toBeLessThan(NEAR);
  });

  it.each(['features', 'geneva'] as const)(
    'hangs heading numbers and indents sub-items (%s)',
    (name) => {
      const { r, pdf } = get(name);
      const { body, font, headings } = r.style;
      const chapter = lineStarting(pdf, 'I.');
      // The number starts at numberX (New York) or ends there, at a right tab (Geneva).
      const number = wordAt(chapter.page, chapter.index, 0);
      const edge = headings.numberAlign === 'right' ? number.right : number.x;
      expect(Math.abs(edge - headings.chapter.numberX)).toBeLessThan(NEAR);
      expect(Math.abs(wordAt(chapter.page, chapter.index, 1).x - body.left)).toBeLessThan(NEAR);
      const a = lineStarting(pdf, '(a)');
      expect(Math.abs(wordAt(a.page, a.index, 0).x - (body.left + font.itemIndent))).toBeLessThan(
        NEAR,
      );
      expect(
        Math.abs(wordAt(a.page, a.index, 1).x - (body.left + font.itemIndent + font.itemTab)),
      ).toBeLessThan(NEAR);
      const i = lineStarting(pdf, '(i)');
      expect(
        Math.abs(wordAt(i.page, i.index, 0).x - (body.left + 2 * font.itemIndent)),
      ).toBeLessThan(NEAR);
    },
  );

  it('places the masthead as measured', () => {
    const { r, pdf } = get('features');
    const m = r.style.masthead;
    const page = pdf.pages[0];
    if (!page) throw new Error('no page 1');
    const find = (text: string) => {
      for (const line of page.lines) for (const w of line.words) if (w.text === text) return w;
      throw new Error(`no ${text} on page 1`);
    };
    expect(find('United').x).toBeCloseTo(m.unitedNations.x, 1);
    expect(Math.abs(find('A/78/789-S/2024/163').right - r.style.frame.right)).toBeLessThan(NEAR);
    expect(find('Distr.:').x).toBeCloseTo(m.distribution.x, 1);
    const columns = page.lines.find(
      (l) => l.words[0]?.text === 'General' && l.size === m.session.size,
    );
    const council = columns?.words.find((w) => w.text === 'Security');
    expect(columns?.words[0]?.x).toBeCloseTo(m.session.x, 1);
    expect(council?.x).toBeCloseTo(m.session.x + m.session.columnGap, 1);
  });
});

/** Headings ending a page, widows and orphans, as "page N …" messages. */
function pageBreakFaults(r: Rendered, pdf: ReadPdf): string[] {
  const p = parts(pdf, r.doc, r.style);
  const { font, body, headings } = r.style;
  const headingSizes = new Set([headings.chapter.size, headings.h1.size]);
  const gapAfter = (lines: Line[], i: number) => {
    const a = lines[i];
    const b = lines[i + 1];
    return !a || !b || b.baseline - a.baseline > font.leading + 1;
  };
  // A justified text line (body size, starting at an indent, not a flush-right signature line)
  // that runs to the right edge continues its paragraph.
  const continues = (line: Line | undefined) =>
    line !== undefined &&
    line.size === font.size &&
    (line.words[0]?.x ?? 0) < body.left + 3 * font.itemIndent &&
    Math.abs((line.words.at(-1)?.right ?? 0) - body.right) < NEAR;
  const faults: string[] = [];
  for (let i = 1; i < pdf.pages.length; i++) {
    const before = p.body[i - 1] ?? [];
    const here = p.body[i] ?? [];
    const last = before.at(-1);
    if (last && headingSizes.has(last.size)) faults.push(`page ${i} ends with a heading`);
    if (continues(last) && here[0]?.size === font.size && gapAfter(here, 0)) {
      faults.push(`page ${i + 1} starts with a widow`);
    }
    if (continues(last) && gapAfter(before, before.length - 2)) {
      faults.push(`page ${i} ends with an orphan`);
    }
  }
  return faults;
}

describe('PDF typography at page breaks', () => {
  it.each(['seed', 'features'] as const)('strands no heading, widow or orphan (%s)', (name) => {
    const { r, pdf } = get(name);
    expect(pageBreakFaults(r, pdf)).toEqual([]);
  });

  it('keeps that true as the text shifts down the page', async () => {
    // Short paragraphs added before the annex move every later break down, 36 pt (two
    // paragraphs) a step over a page's height, so that some shift brings each heading (which
    // needs about 50 pt below it) and each paragraph's first or last line to a page's foot.
    const resources = loadResources();
    const seed = readFileSync(join(PACKAGE_ROOT, FIXTURES.seed.file), 'utf8');
    const faults: string[] = [];
    for (let shift = 2; shift <= 36; shift += 2) {
      const added = '      - para: An added paragraph of one line.\n'.repeat(shift);
      const text = seed.replace('    content:\n', `    content:\n${added}`);
      const doc = loadSource(text, `shift-${shift}`).model;
      if (!doc) throw new Error('shifted seed does not load');
      const style = resources.styles[doc.style];
      const bytes = await renderPdf(doc, style, resources);
      for (const f of pageBreakFaults({ doc, style, bytes }, await readPdf(bytes))) {
        faults.push(`shift ${shift}: ${f}`);
      }
    }
    expect(faults).toEqual([]);
  });
});

describe('a signature never alone at the top of a page', () => {
  it("keeps the letter's last lines with the first signature as the letter grows", async () => {
    // One-line paragraphs added to the letter move its end down 36 pt a step (two paragraphs),
    // over page 1's foot and page 2's, so that some step ends the letter just above a page's
    // foot, where the signature (18 pt below the last line, three lines: a 54 pt window) would
    // otherwise go over alone (it did at 10–12 and 47–49 added lines).
    const resources = loadResources();
    const seed = readFileSync(join(PACKAGE_ROOT, FIXTURES.seed.file), 'utf8');
    const faults: string[] = [];
    const pages = new Set<number>();
    for (let added = 0; added <= 56; added += 2) {
      const lines = '    - An added paragraph of the letter, one line.\n'.repeat(added);
      const text = seed.replace('  paragraphs:\n', `  paragraphs:\n${lines}`);
      const doc = loadSource(text, `letter-${added}`).model;
      if (!doc?.letter) throw new Error('grown seed does not load');
      const style = resources.styles[doc.style];
      const pdf = await readPdf(await renderPdf(doc, style, resources));
      const body = parts(pdf, doc, style).body;
      const surname = doc.letter.signatories[0]?.surname ?? '';
      const page = body.findIndex((lines) =>
        lines.some((l) => l.words.some((w) => w.text === surname.split(' ')[0])),
      );
      const first = body[page]?.[0];
      if (page < 0 || first === undefined) throw new Error(`letter-${added}: no signature read`);
      pages.add(page);
      if (first.words.some((w) => w.text === surname.split(' ')[0])) {
        faults.push(`${added} lines added: page ${page + 1} starts with the signature`);
      }
    }
    expect(faults).toEqual([]);
    // The letter's end did cross page feet.
    expect(pages.size).toBeGreaterThanOrEqual(3);
  });
});

describe('PDF determinism', () => {
  it('gives the same bytes on a second render', async () => {
    const again = await renderFixture('features');
    expect(Buffer.from(again.bytes).equals(Buffer.from(get('features').r.bytes))).toBe(true);
  });

  it('gives the same bytes however many documents the process rendered before', async () => {
    // Later documents reuse the first one's shaping; accented letters are composite glyphs,
    // which pdfkit's subsetter rewrites inside the parsed font it is given.
    const accents = 'à é î õ ü ñ ç Å Č Ę Ğ İ Ł Ń Ő Ř Ş Š Ț Ů Ű Ź Ž ǅ ő ű ẞ Ё й';
    const text = readFileSync(join(PACKAGE_ROOT, FIXTURES.features.file), 'utf8').replace(
      'subtitle: Note verbale for the record',
      `subtitle: Note verbale for the record ${accents}`,
    );
    const resources = loadResources();
    const doc = loadSource(text, 'accents').model;
    if (!doc) throw new Error('accented features do not load');
    const style = resources.styles[doc.style];
    const first = await renderPdf(doc, style, resources);
    const second = await renderPdf(doc, style, resources);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    const seed = await renderFixture('seed');
    // The seed was this process's first render, before any sharing.
    expect(Buffer.from(seed.bytes).equals(Buffer.from(get('seed').r.bytes))).toBe(true);
  });
});
