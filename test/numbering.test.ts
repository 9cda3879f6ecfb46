/**
 * Numbering as issued, per language (issue 11): the language tables' `numbering` gives the printed
 * number of chapters, lettered and numbered headings and paragraphs ("I." "A." "1." in English,
 * "أولا -" "ألف -" "1 -" in Arabic); the model carries it as `label`, every format prints it, and
 * the importer reads it back.
 */
import { readFileSync } from 'node:fs';
import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importDocx } from '../src/import/index.js';
import { roman } from '../src/load/build.js';
import { Furniture } from '../src/load/furniture.js';
import { loadSource } from '../src/load/index.js';
import {
  type Block,
  LANGUAGES,
  type LanguageCode,
  plainText,
  type UnDocument,
} from '../src/model.js';
import { renderAkn } from '../src/render/akn/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { parseHtml } from '../src/render/html/dom.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { fontsOf, loadLanguageTables, loadResources } from '../src/resources.js';
import { NUMBERING_KINDS } from '../src/style/language.js';
import { openPackage, paragraphs } from './docx-read.js';
import { readLines } from './html-read.js';
import { drawnItems } from './pdf-read.js';

const resources = loadResources();
const tables = loadLanguageTables();
const FIXTURE = 'test/fixtures/scripts/ar-report.yaml';

function model(text: string | Uint8Array = readFileSync(FIXTURE)): UnDocument {
  const r = loadSource(text, 'ar-report', FIXTURE, fontsOf(resources));
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics));
  return r.model;
}

/** Each numbered block's label and title (or text), in order. */
const numbered = (blocks: readonly Block[]) =>
  blocks.flatMap((b) =>
    b.kind === 'subheading' || b.label === undefined
      ? []
      : [[b.label, plainText(b.kind === 'paragraph' ? b.text : b.title)] as const],
  );

describe('the tables', () => {
  it('English numbers "I." "A." "1." "1."', () => {
    const en = new Furniture(tables, 'en');
    expect(en.numberLabel('chapter', 'IV', 4)).toBe('IV.');
    expect(en.numberLabel('section', 'B', 2)).toBe('B.');
    expect(en.numberLabel('subsection', '3', 3)).toBe('3.');
    expect(en.numberLabel('paragraph', '12', 12)).toBe('12.');
  });

  it('Russian numbers as English does', () => {
    const ru = new Furniture(tables, 'ru');
    expect(ru.numberLabel('chapter', 'II', 2)).toBe('II.');
    expect(ru.numberLabel('section', 'A', 1)).toBe('A.');
    expect(ru.numberLabel('paragraph', '1', 1)).toBe('1.');
  });

  it('Arabic numbers chapters with ordinals, headings with letter names, paragraphs "1 -"', () => {
    const ar = new Furniture(tables, 'ar');
    const chapters = [1, 2, 3, 4].map((n) => ar.numberLabel('chapter', roman(n), n));
    expect(chapters).toEqual(['أولا -', 'ثانيا -', 'ثالثا -', 'رابعا -']);
    const letters = ['A', 'B', 'C', 'D'].map((l, i) => ar.numberLabel('section', l, i + 1));
    expect(letters).toEqual(['ألف -', 'باء -', 'جيم -', 'دال -']);
    expect(ar.numberLabel('paragraph', '4', 4)).toBe('4 -');
    // At least 20 of each; beyond its names a number prints as English does.
    expect(ar.table.numbering.chapter.names?.length).toBeGreaterThanOrEqual(20);
    expect(ar.table.numbering.section.names?.length).toBeGreaterThanOrEqual(20);
    expect(ar.numberLabel('chapter', 'XXI', 21)).toBe('XXI.');
  });

  it('every label of every language reads back to its number', () => {
    for (const code of Object.keys(LANGUAGES) as LanguageCode[]) {
      const words = new Furniture(tables, code);
      for (const kind of NUMBERING_KINDS) {
        for (let n = 1; n <= 60; n++) {
          const shown =
            kind === 'chapter'
              ? roman(n)
              : kind === 'section'
                ? String.fromCharCode(64 + (((n - 1) % 26) + 1)).repeat(Math.ceil(n / 26))
                : String(n);
          const label = words.numberLabel(kind, shown, n);
          expect(words.readNumber(kind, label, roman), `${code} ${kind} ${label}`).toBe(shown);
        }
      }
      // English labels read in any language (a document typed with them).
      expect(words.readNumber('paragraph', '7.', roman)).toBe('7');
      expect(words.readNumber('chapter', 'text', roman)).toBeUndefined();
    }
  });
});

describe('an Arabic report, in every format', () => {
  const doc = model();
  const expected = [
    ['أولا -', 'مقدمة'],
    ['1 -', 'نُظم المؤتمر الدولي المعني بالاتجار بالنساء والفتيات في مقر الأمم المتحدة.'],
    ['2 -', 'ونُظم المؤتمر في إطار المناقشة المواضيعية غير الرسمية للجمعية العامة.'],
    ['ثانيا -', 'المناقشة'],
    ['ألف -', 'الجلسة الأولى'],
    ['3 -', 'وحضر المؤتمر ما يزيد على 400 شخص يمثلون الدول الأعضاء.'],
    ['باء -', 'الجلسة الثانية'],
    ['1 -', 'الاستنتاجات'],
    ['4 -', 'وركز المؤتمر على سبل كفالة استجابة شاملة ومتكاملة.'],
    ['جيم -', 'الجلسة الثالثة'],
    ['5 -', 'ويجسد المؤتمر استمرار العملية المنبثقة عن توافق الآراء.'],
    ['دال -', 'الجلسة الرابعة'],
    ['6 -', 'وتولى الرئاسة المشتركة للمؤتمر الممثلان الدائمان.'],
    ['ثالثا -', 'الاستنتاجات'],
    ['7 -', 'وافتتح المناسبة رئيس الجمعية العامة.'],
    ['حادي عشر -', 'التوصيات'],
    ['8 -', 'وأدار حلقات النقاش رئيس وحدة الاتجار بالبشر.'],
  ];

  it('the model carries the printed labels, and the numbers beside them', () => {
    expect(numbered(doc.body)).toEqual(expected);
    const chapters = doc.body.flatMap((b) => (b.kind === 'chapter' ? [b.number] : []));
    expect(chapters).toEqual(['I', 'II', 'III', 'XI']);
  });

  it('the PDF reads back each label before its text, in order', async () => {
    const bytes = await renderPdf(doc, resources.styles.ny, resources);
    const squeeze = (s: string) => s.replace(/[\s\u200e\u200f\u202a-\u202e]+/gu, '');
    const read = squeeze((await drawnItems(bytes)).flatMap((p) => p.map((i) => i.str)).join(''));
    let at = 0;
    for (const [label, text] of expected) {
      const next = read.indexOf(squeeze(`${label} ${text}`), at);
      expect(next, `${label} ${text}`).toBeGreaterThanOrEqual(at);
      at = next + 1;
    }
  });

  it('the DOCX holds each label, then a tab, then its text', async () => {
    const bytes = await renderDocx(doc, resources.styles.ny, resources);
    const pkg = openPackage(bytes);
    const read = paragraphs(pkg.xml('word/document.xml'), new Map())
      .map((p) => p.text.replace(/^\t/u, ''))
      .filter((t) => expected.some(([label]) => t.startsWith(`${label}\t`)));
    expect(read).toEqual(expected.map(([label, text]) => `${label}\t${text}`));
  });

  it('the HTML reads each label before its text', async () => {
    const html = strFromU8(await renderHtml(doc, resources.styles.ny, resources));
    const lines = readLines(parseHtml(html)).map((l) => l.replace(/\s+/gu, ' ').trim());
    const read = lines.filter((l) => expected.some(([label]) => l.startsWith(`${label} `)));
    expect(read).toEqual(expected.map(([label, text]) => `${label} ${text}`));
  });

  it('Akoma Ntoso prints the label in <num>, the eId keeps the number', async () => {
    const xml = strFromU8(await renderAkn(doc, resources.styles.ny, resources));
    const nums = [...xml.matchAll(/<num>([^<]*)<\/num>/gu)].map((m) => m[1]);
    expect(nums).toEqual(expected.map(([label]) => label));
    expect(xml).toContain('eId="chp_XI"');
    expect(xml).toContain('eId="chp_II__sec_A"');
  });

  it('the importer maps the printed labels back: DOCX → import → the same numbering', async () => {
    const bytes = await renderDocx(doc, resources.styles.ny, resources);
    const r = importDocx(bytes, { name: 'ar-report', tracked: 'refuse' });
    const back = model(r.yaml);
    expect(numbered(back.body)).toEqual(expected);
    const numbers = (d: UnDocument) =>
      d.body.flatMap((b) => (b.kind === 'subheading' ? [] : [[b.kind, b.number]]));
    expect(numbers(back)).toEqual(numbers(doc));
  });
});
