/**
 * A language's typography as its table names it (templates/lang/*.yaml `typography`, `names`):
 * Chinese full-width punctuation beside Chinese text, Latin runs left alone, applied across a
 * text's runs; names joined by "·", or by nothing when written surname first; read back from the
 * DOCX, the HTML and the PDF of a Chinese document written with ASCII marks, and imported again.
 */
import { describe, expect, it } from 'vitest';
import { importDocx } from '../src/import/index.js';
import { loadSource } from '../src/load/index.js';
import { nameText, plainText, type UnDocument } from '../src/model.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources } from '../src/resources.js';
import { fullWidthPunctuation, typeset } from '../src/style/typography.js';
import { bodyLines, signatureNameLine } from '../src/text.js';
import { openPackage, paragraphs } from './docx-read.js';
import { byTag, parseHtml, readLines } from './html-read.js';
import { readPdf } from './pdf-read.js';

const resources = loadResources();
const one = (text: string) => fullWidthPunctuation([text])[0];

describe('Chinese full-width punctuation', () => {
  it.each([
    ['中文,英文', '中文，英文'],
    ['中文, 英文', '中文，英文'],
    ['如下: 第一; 第二!', '如下：第一；第二！'],
    ['是否可取?', '是否可取？'],
    ['联合国儿童基金会(儿基会)', '联合国儿童基金会（儿基会）'],
    ['联合国儿童基金会 (UNICEF) 和', '联合国儿童基金会（UNICEF）和'],
    ['(见E/2002/68/Add.1)', '（见E/2002/68/Add.1）'],
    ['见A/61/859,第3段', '见A/61/859，第3段'],
    ['议程项目61(a)', '议程项目61(a)'],
    ['如下:(a) 第一;(b) 第二', '如下：(a) 第一；(b) 第二'],
    ['10:30, https://undocs.org/A/61/859?x=1', '10:30, https://undocs.org/A/61/859?x=1'],
    ['The Convention (1979), in English: yes!', 'The Convention (1979), in English: yes!'],
    ['“生命之声”(Vital Voices)', '“生命之声”（Vital Voices）'],
    ['已经是全角：（见附件）。', '已经是全角：（见附件）。'],
  ])('"%s"', (input, output) => {
    expect(one(input)).toBe(output);
  });

  it('reads the marks across runs: a mark after *emphasis* sees the emphasised word', () => {
    expect(fullWidthPunctuation(['见', '附件', ', 以及', ' (', '英文', ')'])).toEqual([
      '见',
      '附件',
      '，以及',
      '（',
      '英文',
      '）',
    ]);
  });

  it('is what the Chinese table names, and only the Chinese table', () => {
    const named = Object.fromEntries(
      Object.values(resources.languages).map((t) => [t.code, t.typography]),
    );
    expect(named).toEqual({
      ar: [],
      en: [],
      es: [],
      fr: ['frenchSpacing'],
      ru: [],
      zh: ['fullWidthPunctuation'],
    });
    expect(typeset(['fullWidthPunctuation'], ['中文,英文'])).toEqual(['中文，英文']);
    expect(typeset([], ['中文,英文'])).toEqual(['中文,英文']);
  });
});

const SOURCE = `style: ny
docType: officialLetter
language: zh
originalLanguage: en
distribution: General
docDate: 2007-04-04
docAuthority:
  - organ: General Assembly
    docNumber: A/61/859
    session: Sixty-first session
    agendaItems:
      - number: 61 (a)
        title: 提高妇女地位
docTitle: 常驻联合国代表给秘书长的信(草稿)
letter:
  paragraphs:
    - "谨请将本函作为大会文件分发为荷(见A/61/859, 第3段)。"
    - "会议的重点是: 第一, *贩运人口*; 第二, 儿童基金会(UNICEF)的作用。是否可取?"
  signatures:
    - givenNames: 安德烈
      surname: 达普基乌纳斯
      role: [常驻联合国代表]
    - givenNames: 英凡
      surname: 王
      nameOrder: surname-first
      role: [常驻联合国代表]
`;

const EXPECTED = [
  '常驻联合国代表给秘书长的信（草稿）',
  '谨请将本函作为大会文件分发为荷（见A/61/859，第3段）。',
  '会议的重点是：第一，贩运人口；第二，儿童基金会（UNICEF）的作用。是否可取？',
];
/** A transliterated name joined by "·" (U+00B7), a Chinese name surname first with nothing. */
const NAMES = ['安德烈\u00b7达普基乌纳斯', '王英凡'];

function model(source = SOURCE): UnDocument {
  const result = loadSource(new TextEncoder().encode(source), 'zh-marks', 'zh-marks.yaml');
  if (!result.model) throw new Error(JSON.stringify(result.diagnostics));
  return result.model;
}

describe('a Chinese document written with ASCII marks', () => {
  const doc = model();

  it('carries the full-width marks in its model, the agenda item "61(a)" as written', () => {
    expect(bodyLines(doc).slice(0, 3)).toEqual(EXPECTED);
    expect(plainText(doc.organs[0]?.agendaLabel ?? [])).toBe('议程项目61(a)');
  });

  it('joins names as the Chinese table says; the same names in English keep a space', () => {
    const signatories = doc.letter?.signatories ?? [];
    expect(signatories.map((s) => signatureNameLine(doc, s))).toEqual(
      NAMES.map((n) => `（签名）${n}`),
    );
    const en = model(SOURCE.replace('language: zh', 'language: en').replace('(C)', '(E)'));
    expect((en.letter?.signatories ?? []).map(nameText)).toEqual([
      '安德烈 达普基乌纳斯',
      '王 英凡',
    ]);
  });

  it('comes back from its DOCX through the importer: marks, names and their order', async () => {
    const r = importDocx(await renderDocx(doc, resources.styles.ny, resources), {
      name: 'zh-marks',
      tracked: 'refuse',
    });
    expect(r.warnings).toEqual([]);
    const back = model(r.yaml);
    expect(bodyLines(back)).toEqual(bodyLines(doc));
    expect((back.letter?.signatories ?? []).map((s) => [s.nameOrder, nameText(s)])).toEqual([
      ['given-first', NAMES[0]],
      ['surname-first', NAMES[1]],
    ]);
  });

  it('prints them in the DOCX', async () => {
    const pkg = openPackage(await renderDocx(doc, resources.styles.ny, resources));
    const read = paragraphs(pkg.xml('word/document.xml'), new Map()).map((p) => p.text);
    for (const line of EXPECTED) expect(read).toContain(line);
    for (const name of NAMES) expect(read).toContain(`（签名）${name}`);
  });

  it('prints them in the HTML', async () => {
    const html = new TextDecoder().decode(await renderHtml(doc, resources.styles.ny, resources));
    const body = byTag(parseHtml(html), 'body')[0];
    if (!body) throw new Error('no body');
    const read = readLines(body);
    for (const line of EXPECTED) expect(read).toContain(line);
    for (const name of NAMES) expect(read).toContain(`（签名）${name}`);
  });

  it('prints them in the PDF', async () => {
    const pdf = await readPdf(await renderPdf(doc, resources.styles.ny, resources));
    const read = pdf.pages
      .flatMap((p) => p.lines)
      .map((l) => l.words.map((w) => w.text).join(''))
      .join('');
    for (const line of [...EXPECTED, ...NAMES]) expect(read).toContain(line);
  });
});

describe('a transliterated Chinese name at the end of a line', () => {
  // The interpunct "·" (U+00B7) never starts a line between Chinese characters (GB/T 15834);
  // UAX #14 would let it. Forty paragraphs move the name along the line's end by a few points
  // each (a run of "i" before it), so the end falls at every place in the name.
  const NAME = '安东尼奥\u00b7古特雷斯';
  const paragraphs = Array.from(
    { length: 40 },
    (_, j) => `    - "${'i'.repeat(j + 1)}${'会'.repeat(28)}由${NAME}主持，会议通过了报告。"`,
  );
  const source = SOURCE.replace(
    /letter:\n {2}paragraphs:\n(?: {4}- .*\n)+/,
    `letter:\n  paragraphs:\n${paragraphs.join('\n')}\n`,
  );

  it('keeps "·" off the start of every line, and the name is broken elsewhere', async () => {
    const doc = model(source);
    expect(doc.letter?.paragraphs).toHaveLength(40);
    const pdf = await readPdf(await renderPdf(doc, resources.styles.ny, resources));
    const lines = pdf.pages
      .flatMap((p) => p.lines)
      .filter((l) => l.size === resources.styles.ny.font.size)
      .map((l) => l.words.map((w) => w.text).join(''));
    // Every paragraph's name is printed whole (across a line end or not).
    expect(lines.join('').split(NAME)).toHaveLength(41);
    expect(lines.filter((l) => l.startsWith('\u00b7'))).toEqual([]);
    // The line end fell inside the name: after the interpunct, and before the character it
    // follows (which then carries it to the next line).
    const ends = new Set(lines.slice(0, -1).map((l, i) => `${l.at(-1)}|${lines[i + 1]?.[0]}`));
    expect(ends).toContain('\u00b7|古');
    expect(ends).toContain('尼|奥');
    expect(ends).not.toContain('奥|\u00b7');
  });
});
