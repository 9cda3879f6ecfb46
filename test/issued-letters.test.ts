/**
 * What issued letters need (issue 12, point 8), read back from the PDF, the DOCX and the HTML of
 * `test/fixtures/valid/issued.yaml`, and through `undoc import`: a name written surname first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { importDocx } from '../src/import/index.js';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { renderAkn } from '../src/render/akn/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { all, kids, openPackage, paragraphs } from './docx-read.js';
import { byTag, parseHtml, readLines } from './html-read.js';
import { readPdf } from './pdf-read.js';

const resources = loadResources();
const FIXTURE = 'test/fixtures/valid/issued.yaml';

function load(text: string, name = 'issued'): UnDocument {
  const r = loadSource(text, name);
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics, null, 1));
  return r.model;
}

const fixture = (): string => readFileSync(join(PACKAGE_ROOT, FIXTURE), 'utf8');

/** The three formats' text, one string per printed line (PDF) or paragraph (DOCX, HTML). */
interface Read {
  readonly pdf: string[];
  readonly docx: string[];
  readonly docxParagraphs: Element[];
  readonly html: string[];
  readonly htmlRoot: ReturnType<typeof parseHtml>;
}

async function readAll(doc: UnDocument): Promise<Read> {
  const style = resources.styles[doc.style];
  const pdf = await readPdf(await renderPdf(doc, style, resources));
  const pdfLines = pdf.pages.flatMap((p) =>
    p.lines.map((l) => l.words.map((w) => w.text).join(' ')),
  );
  const pkg = openPackage(await renderDocx(doc, style, resources));
  const ps = paragraphs(pkg.xml('word/document.xml'), new Map());
  const htmlRoot = parseHtml(new TextDecoder().decode(await renderHtml(doc, style, resources)));
  return {
    pdf: pdfLines,
    docx: ps.map((p) => p.text),
    docxParagraphs: ps.map((p) => p.el),
    html: readLines(htmlRoot),
    htmlRoot,
  };
}

/** The texts of a DOCX paragraph's bold runs (direct bold or a bold character style). */
function docxBold(p: Element): string[] {
  return all(p, 'r')
    .filter((r) => {
      const rPr = kids(r, 'rPr')[0];
      return rPr !== undefined && kids(rPr, 'b').length > 0;
    })
    .map((r) =>
      all(r, 't')
        .map((t) => t.textContent ?? '')
        .join(''),
    );
}

describe('a name written surname first', () => {
  const doc = load(fixture());
  const [wang, kovacs] = doc.letter?.signatories ?? [];

  it('the model knows the surname and the order', () => {
    expect(wang).toMatchObject({
      surname: 'Wang',
      givenNames: 'Yingfan',
      nameOrder: 'surname-first',
    });
    expect(kovacs).toMatchObject({ surname: 'Kovács', nameOrder: 'given-first' });
  });

  it('prints surname first, in bold, in the PDF, the DOCX and the HTML', async () => {
    const read = await readAll(doc);
    for (const [format, lines] of [
      ['pdf', read.pdf],
      ['docx', read.docx],
      ['html', read.html],
    ] as const) {
      expect(lines, format).toContain('(Signed) Wang Yingfan');
      expect(lines, format).toContain('(Signed) Anna Kovács');
      expect(lines.join('\n'), format).not.toContain('Yingfan Wang');
    }
    const p = read.docxParagraphs.find((e) => (e.textContent ?? '').includes('Wang Yingfan'));
    expect(p && docxBold(p)).toEqual(['Wang']);
    const sig = byTag(read.htmlRoot, 'p').find((e) => readLines(e).join(' ').includes('Yingfan'));
    expect(sig && byTag(sig, 'b').map((b) => readLines(b).join(''))).toEqual(['Wang']);
  });

  it('AKN names the person surname first', async () => {
    const xml = await renderAkn(doc, resources.styles[doc.style], resources);
    const text = new TextDecoder().decode(xml);
    expect(text).toContain('showAs="Wang Yingfan"');
    expect(text).toMatch(/<b>Wang<\/b> Yingfan/);
  });

  it('the order survives undoc import', async () => {
    const bytes = await renderDocx(doc, resources.styles[doc.style], resources);
    const back = load(importDocx(bytes, { name: 'issued' }).yaml);
    expect(back.letter?.signatories.map((s) => [s.surname, s.givenNames, s.nameOrder])).toEqual([
      ['Wang', 'Yingfan', 'surname-first'],
      ['Kovács', 'Anna', 'given-first'],
    ]);
  });
});

/** All the text of a format as one string, a line break (or wrap at "/") closed up. */
const joined = (lines: readonly string[]): string => lines.join('\n').replace(/\/\s+/g, '/');

describe('several original languages', () => {
  const doc = load(fixture());

  it('the model lists them in the source’s order; the first is the original', () => {
    expect(doc.originalLanguages).toEqual(['zh', 'en', 'fr', 'ru', 'es']);
    expect(doc.originalLanguage).toBe('zh');
    // English is one of them: no line naming this version's language.
    expect(doc.distributionLines).toContain('Original: Chinese/English/French/Russian/Spanish');
    expect(doc.distributionLines).not.toContain('English');
  });

  it('prints them in the PDF, the DOCX and the HTML', async () => {
    const read = await readAll(doc);
    for (const [format, lines] of [
      ['pdf', read.pdf],
      ['docx', read.docx],
      ['html', read.html],
    ] as const) {
      expect(joined(lines), format).toContain('Original: Chinese/English/French/Russian/Spanish');
    }
  });

  it('in every language version, with the labels of its table', () => {
    const lines = (language: string, originals: string): string[] => {
      const text = fixture()
        .replace(/^language: en$/m, `language: ${language}`)
        .replace(/^originalLanguage: .*$/m, `originalLanguage: ${originals}`);
      return load(text).distributionLines.filter((l) => l !== '');
    };
    expect(lines('fr', '[en, fr]')).toContain('Original\u00a0: anglais/français');
    expect(lines('es', '[en, fr]')).toContain('Original: inglés/francés');
    // Russian, Chinese and Arabic print the block in English, their own language named above.
    for (const code of ['ru', 'zh', 'ar']) {
      const l = lines(code, '[en, fr]');
      expect(l, code).toContain('Original: English/French');
      expect(l.length, code).toBe(4);
    }
    // A translation's own language is named when it is not one of the originals.
    expect(lines('en', '[fr, es]')).toEqual([
      'Distr.: General',
      '20 June 2025',
      'English',
      'Original: French/Spanish',
    ]);
  });

  it('survives undoc import', async () => {
    const bytes = await renderDocx(doc, resources.styles[doc.style], resources);
    const { yaml } = importDocx(bytes, { name: 'issued' });
    expect(yaml).toMatch(/originalLanguage:\s*\n?\s*-?\s*\[?zh/);
    expect(load(yaml).originalLanguages).toEqual(['zh', 'en', 'fr', 'ru', 'es']);
  });
});

describe('a joint document where only one organ has a session block', () => {
  const doc = load(fixture());

  it('prints only that organ’s column, headed by its name', async () => {
    expect(doc.organs.map((o) => o.columnHeading)).toEqual([undefined, 'Security Council']);
    const read = await readAll(doc);
    for (const [format, all] of [
      ['pdf', read.pdf],
      ['docx', read.docx],
      ['html', read.html],
    ] as const) {
      // "General Assembly" once (the masthead), "Security Council" twice (masthead, column),
      // before the title; the PDF reads a masthead line with the distribution block beside it
      // as one line.
      const lines = all.slice(
        0,
        all.findIndex((l) => l.startsWith('Letter dated')),
      );
      const starting = (w: string) => lines.filter((l) => l.startsWith(w));
      expect(starting('General Assembly').length, format).toBe(1);
      expect(starting('Security Council').length, format).toBe(2);
      const heading = lines.lastIndexOf('Security Council');
      expect(lines[heading + 1], format).toBe('Eightieth year');
    }
  });
});

describe('a date line flush right under an annex’s title', () => {
  const doc = load(fixture());
  const annex = doc.annexes[0];

  it('follows the title, right-aligned, in the PDF, the DOCX and the HTML', async () => {
    expect(annex?.dateLine).toEqual([{ kind: 'text', text: '15 June 2025' }]);
    const style = resources.styles[doc.style];
    const pdf = await readPdf(await renderPdf(doc, style, resources));
    const lines = pdf.pages.flatMap((p) => p.lines);
    const at = lines.findIndex((l) => l.words.map((w) => w.text).join(' ') === '15 June 2025');
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]?.words.map((w) => w.text).join(' ')).toBe(
      'Statement of the Ministry of Foreign Affairs of Ruritania',
    );
    const right = Math.max(...(lines[at]?.words.map((w) => w.right) ?? []));
    expect(Math.abs(right - style.body.right)).toBeLessThan(1);

    const read = await readAll(doc);
    const i = read.docx.indexOf('15 June 2025');
    expect(read.docx[i - 1]).toBe('Statement of the Ministry of Foreign Affairs of Ruritania');
    const jc = kids(kids(read.docxParagraphs[i] as Element, 'pPr')[0] as Element, 'jc')[0];
    expect(jc?.getAttribute('w:val')).toBe('right');

    const h = read.html.indexOf('15 June 2025');
    expect(read.html[h - 1]).toBe('Statement of the Ministry of Foreign Affairs of Ruritania');
    const p = byTag(read.htmlRoot, 'p').find((e) => readLines(e).join('') === '15 June 2025');
    expect(p?.attrs.find((a) => a.name === 'class')?.value).toBe('date-line');
  });

  it('survives undoc import', async () => {
    const bytes = await renderDocx(doc, resources.styles[doc.style], resources);
    const back = load(importDocx(bytes, { name: 'issued' }).yaml);
    expect(back.annexes[0]?.dateLine).toEqual(annex?.dateLine);
  });
});

describe('an excerpt whose paragraphs keep their original numbers', () => {
  const doc = load(fixture());

  it('numbers 21, 22, 53 where the source says the numbers skip', async () => {
    const numbers = doc.annexes[0]?.blocks.flatMap((b) =>
      b.kind === 'paragraph' && b.number !== undefined ? [b.number] : [],
    );
    expect(numbers).toEqual([21, 22, 53]);
    const read = await readAll(doc);
    for (const [format, lines] of [
      ['pdf', read.pdf],
      ['docx', read.docx],
      ['html', read.html],
    ] as const) {
      const starts = lines.flatMap((l) => /^(\d+)\.\s/.exec(l)?.slice(1) ?? []).map(Number);
      expect(starts, format).toEqual([21, 22, 53]);
    }
  });

  it('still refuses a skip the source does not say, and a number that goes back', () => {
    const accidental = loadSource(fixture().replace(/\n {10}skip: true\n/, '\n'), 'issued');
    expect(accidental.diagnostics.map((d) => [d.code, d.line])).toEqual([['paragraph-skip', 52]]);
    const back = loadSource(fixture().replace('number: 53', 'number: 20'), 'issued');
    expect(back.diagnostics.map((d) => d.code)).toEqual(['paragraph-repeat']);
    const alone = loadSource(fixture().replace(/number: 21\n {10}/, ''), 'issued');
    expect(alone.diagnostics.map((d) => d.code)).toEqual(['missing-key']);
  });

  it('survives undoc import', async () => {
    const bytes = await renderDocx(doc, resources.styles[doc.style], resources);
    const { yaml } = importDocx(bytes, { name: 'issued' });
    expect(yaml.match(/skip: true/g)?.length).toBe(2);
    expect(
      load(yaml).annexes[0]?.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.number] : [])),
    ).toEqual([21, 22, 53]);
  });
});

describe('a symbol without a job number yet', () => {
  const doc = load(fixture());

  it('prints the QR code in the DOCX and the HTML (the PDF: test/pdf-codes)', async () => {
    expect(doc.jobNumber).toBeUndefined();
    const style = resources.styles[doc.style];
    const pkg = openPackage(await renderDocx(doc, style, resources));
    const footer = Object.keys(pkg.files).filter((f) => /^word\/footer\d+\.xml$/.test(f));
    const alts = footer.flatMap((f) =>
      Array.from(pkg.xml(f).getElementsByTagName('wp:docPr')).map((e) => e.getAttribute('descr')),
    );
    expect(alts).toContain('https://undocs.org/A/79/950');
    const html = parseHtml(new TextDecoder().decode(await renderHtml(doc, style, resources)));
    const qr = byTag(html, 'a').find((a) => a.attrs.some((x) => x.value === 'qr'));
    expect(qr?.attrs.find((a) => a.name === 'href')?.value).toBe('https://undocs.org/A/79/950');
  });
});

describe('the unassigned symbol slot', () => {
  const draft = load(readFileSync(join(PACKAGE_ROOT, 'source/A-61-seed.yaml'), 'utf8'), 'draft');

  it('prints the language’s slot where the symbol goes, in the masthead and running header', async () => {
    expect(draft.symbols).toEqual([]);
    const slot = draft.labels.symbolUnassigned;
    expect(slot).toBe('[symbol unassigned]');
    const style = resources.styles[draft.style];
    const pdf = await readPdf(await renderPdf(draft, style, resources));
    const lineOf = (page: number) =>
      pdf.pages[page]?.lines.map((l) => l.words.map((w) => w.text).join(' ')) ?? [];
    // Page 1: the masthead's first line, flush right at the frame; page 2: the running header.
    expect(lineOf(0).slice(0, 2)).toEqual([slot, 'United Nations']);
    const right = Math.max(...(pdf.pages[0]?.lines[0]?.words.map((w) => w.right) ?? []));
    expect(Math.abs(right - style.frame.right)).toBeLessThan(1);
    expect(lineOf(1)).toContain(slot);

    const read = await readAll(draft);
    expect(read.docx.filter((t) => t !== '').slice(0, 2)).toEqual(['United Nations', slot]);
    expect(read.html).toContain(slot);
    // Every language says it in its own words.
    for (const code of ['fr', 'es', 'ru', 'zh', 'ar'] as const) {
      expect(resources.languages[code].labels.symbolUnassigned, code).not.toBe(slot);
    }
  });
});
