/**
 * Fonts for every script (issue 11): each layout family's coverage as its cmap gives it, the
 * font runs the PDF cuts texts into, the missing-glyph error through the command in every
 * format, and the Chinese and Arabic fixtures read back from their PDFs: every word, no .notdef
 * glyph, no Chinese line starting with a mark that may not start one, nothing past the margin.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSource } from '../src/load/index.js';
import { plainText, type Rich, type UnDocument } from '../src/model.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { fontsOf, loadResources } from '../src/resources.js';
import { cmapCoverage } from '../src/style/cmap.js';
import { shownGlyphCodes } from './pdf-glyph-codes.js';
import { readPdf } from './pdf-read.js';
import { hasPdftotext, pdftotext } from './pdftotext.js';
import { type PrivateCli, privateCli } from './private-cli.js';

const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as {
  create(b: Buffer): { hasGlyphForCodePoint(cp: number): boolean };
};
const resources = loadResources();
const ny = resources.styles.ny;
const fonts = fontsOf(resources)('ny');

function load(text: string | Buffer, name = 'doc') {
  return loadSource(text, name, `${name}.yaml`, fontsOf(resources));
}

function model(path: string): UnDocument {
  const m = load(readFileSync(path), path.replace(/.*\//, '').replace('.yaml', '')).model;
  if (!m) throw new Error(`${path} does not load`);
  return m;
}

describe('font coverage from the cmap', () => {
  it.each(Object.keys(ny.fontFiles))('%s: the same characters as fontkit finds', (family) => {
    const files = ny.fontFiles[family];
    if (!files) throw new Error(family);
    const regular = resources.fontFamily(files).regular;
    const mine = cmapCoverage(regular);
    const theirs = fontkit.create(regular);
    let checked = 0;
    let covered = 0;
    // Every code point of the first plane (step 3 for the 30 000-glyph CJK font), and some beyond.
    const step = family === 'Noto Serif SC' ? 3 : 1;
    for (let cp = 0; cp < 0x10000; cp += step) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const has = theirs.hasGlyphForCodePoint(cp);
      expect(mine.has(cp), `U+${cp.toString(16)}`).toBe(has);
      checked++;
      if (has) covered++;
    }
    for (const cp of [0x1f600, 0x20000, 0x2a6d6, 0x1f1fa])
      expect(mine.has(cp)).toBe(theirs.hasGlyphForCodePoint(cp));
    expect(checked).toBeGreaterThan(20000);
    // A Code 39 font prints its 43 characters (and lower case as upper case), no more.
    expect(covered).toBeGreaterThan(family === ny.firstPageFooter.barcode.family ? 43 : 500);
  });

  it('the body font prints Latin and Cyrillic, the fallbacks Chinese and Arabic', () => {
    expect(fonts.familyOf(0x416)).toBe('Tinos'); // Ж
    expect(fonts.familyOf(0x4e2d)).toBe('Noto Serif SC'); // 中
    expect(fonts.familyOf(0x3002)).toBe('Noto Serif SC'); // 。
    expect(fonts.familyOf(0x0627)).toBe('Amiri'); // ا
    expect(fonts.familyOf(0x0915)).toBeUndefined(); // क
    expect(fonts.familyOf(0x1f600)).toBeUndefined(); // 😀
  });
});

describe('font runs', () => {
  const runs = (t: string) => fonts.runs(t).map((r) => [r.text, r.family]);

  it('a Latin run inside Chinese keeps the body font; digits and punctuation follow their text', () => {
    expect(runs('大会文件（A/61/859）分发')).toEqual([
      ['大会文件（', 'Noto Serif SC'],
      ['A/61/859', 'Tinos'],
      ['）分发', 'Noto Serif SC'],
    ]);
    expect(runs('2007年3月5日')).toEqual([['2007年3月5日', 'Noto Serif SC']]);
    expect(runs('以及Vital Voices全球')).toEqual([
      ['以及', 'Noto Serif SC'],
      ['Vital Voices', 'Tinos'],
      ['全球', 'Noto Serif SC'],
    ]);
  });

  it('Arabic keeps its marks and punctuation; a Latin symbol keeps the body font', () => {
    expect(runs('نُظم المؤتمر (A/61/859)، في')).toEqual([
      ['نُظم المؤتمر (', 'Amiri'],
      ['A/61/859)', 'Tinos'],
      ['، في', 'Amiri'],
    ]);
  });

  it('a text the body font prints is one run', () => {
    expect(runs('Генеральная Ассамблея, “Sixty-first”')).toEqual([
      ['Генеральная Ассамблея, “Sixty-first”', 'Tinos'],
    ]);
  });
});

const LETTER = (text: string) => `style: ny
language: zh
originalLanguage: en
distribution: General
docDate: 2007-04-04
docAuthority:
  - organ: General Assembly
docTitle: 致秘书长的信
letter:
  paragraphs:
    - ${text}
`;

/** Every string of a parsed YAML tree (keys included: tables are keyed by English names). */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  return out;
}

describe("undoc's own furniture is printable", () => {
  // The language tables (labels, organ names, ordinals, dates) where they exist.
  const dir = join(process.cwd(), 'templates', 'lang');
  const tables = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  if (tables.length === 0) console.log('skipped: no templates/lang/ tables yet');
  it.skipIf(tables.length === 0).each(tables)(
    'templates/lang/%s: every character has a font',
    (file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const missing = new Set<string>();
      for (const s of stringsOf(parse(text)))
        for (const ch of s)
          if (ch.trim() !== '' && fonts.familyOf(ch.codePointAt(0) ?? 0) === undefined)
            missing.add(ch);
      expect([...missing]).toEqual([]);
    },
  );

  it('the Chinese and Arabic masthead dates and month names print', () => {
    for (const t of ['2007年4月4日', '4 نيسان/أبريل 2007', '٤ أبريل'])
      expect(fonts.runs(t).every((r) => r.family !== undefined)).toBe(true);
  });
});

describe('missing-glyph: never a silent box', () => {
  it('an emoji is an error at its place, naming the character and the language', () => {
    const r = load(LETTER('AAA 😀😀 BBB 中文 DDD'));
    expect(r.model).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['missing-glyph', 11, 11]]);
    const message = r.diagnostics[0]?.message ?? '';
    expect(message).toContain('U+1F600 GRINNING FACE');
    expect(message).toContain('Chinese (zh)');
    expect(message).toContain('and 1 more time');
  });

  it('Devanagari and a flag: one error per character, each at its first place', () => {
    const r = load(LETTER('中文 क and 🇺🇳'));
    expect(r.diagnostics.map((d) => [d.line, d.col, d.message.split(' cannot')[0]])).toEqual([
      [11, 10, 'U+0915 DEVANAGARI LETTER KA'],
      [11, 16, 'U+1F1FA REGIONAL INDICATOR SYMBOL LETTER U'],
      [11, 18, 'U+1F1F3 REGIONAL INDICATOR SYMBOL LETTER N'],
    ]);
  });

  it('Chinese, Arabic, Cyrillic and accented Latin load', () => {
    expect(load(LETTER('中文 العربية Русский Éçœ “ok”')).diagnostics).toEqual([]);
  });

  describe('through the command', () => {
    let cli: PrivateCli;
    let dir: string;
    beforeAll(() => {
      cli = privateCli();
      dir = mkdtempSync(join(tmpdir(), 'undoc-glyph-'));
      writeFileSync(join(dir, 'bad.yaml'), LETTER('AAA 😀😀 BBB 中文 DDD'));
    });
    afterAll(() => {
      cli.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([
      ['validate', ['validate', 'bad.yaml']],
      ['build pdf', ['build', 'bad.yaml', '--out', 'o1', '--format', 'pdf']],
      ['build html', ['build', 'bad.yaml', '--out', 'o2', '--format', 'html']],
      ['build docx', ['build', 'bad.yaml', '--out', 'o3', '--format', 'docx']],
    ])('%s: exit 1, the error at bad.yaml:11:11, nothing written', async (_, args) => {
      const run = await cli.run(args, { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).toContain(
        'bad.yaml:11:11: error missing-glyph: U+1F600 GRINNING FACE',
      );
      const out = join(dir, args[3] ?? 'none');
      const written = existsSync(out) ? readdirSync(out).filter((f) => f.startsWith('bad.')) : [];
      expect(written).toEqual([]);
    });
  });
});

/** Every text of the model a reader sees, in order (body paragraphs, items, titles). */
function modelTexts(doc: UnDocument): string[] {
  const out: string[] = [plainText(doc.title)];
  const rich = (r: Rich) => out.push(plainText(r));
  for (const p of doc.letter?.paragraphs ?? []) rich(p.text);
  for (const a of doc.annexes) {
    rich(a.heading);
    if (a.title) rich(a.title);
    for (const b of a.blocks) {
      if (b.kind === 'paragraph') {
        rich(b.text);
        for (const i of b.items) rich(i.text);
      } else rich(b.title);
    }
  }
  return out;
}

const squeeze = (s: string) => s.replace(/\s+/gu, '');

/** Characters that may not start a line of Chinese (UAX #14 classes CL, CP, EX, IS, NS). */
const NO_LINE_START = /^[。，、；：？！）」』》〉】〕”’…·％]/u;

describe('the Chinese PDF', () => {
  const doc = model('test/fixtures/scripts/zh-letter.yaml');
  // A paragraph long enough to put every kind of closing mark at a line's end somewhere.
  const sentence =
    '与会者指出，贩运人口（包括“强迫劳动”）是严重犯罪。它影响所有国家、地区；是否如此？是！';
  const long = load(
    readFileSync('test/fixtures/scripts/zh-letter.yaml', 'utf8').replace(
      '谨请将关于',
      `${Array.from({ length: 14 }, (_, i) => sentence.slice(0, 5 + i) + sentence).join('')}谨请将关于`,
    ),
    'zh-long',
  ).model;
  let bytes: Buffer;
  let longBytes: Buffer;
  beforeAll(async () => {
    bytes = Buffer.from(await renderPdf(doc, ny, resources));
    if (!long) throw new Error('zh-long does not load');
    longBytes = Buffer.from(await renderPdf(long, ny, resources));
  });

  it('every text reads back in order (pdf.js), in the Chinese and the body fonts', async () => {
    const read = await readPdf(bytes);
    const all = squeeze(
      read.pages.flatMap((p) => p.lines.flatMap((l) => l.words.map((w) => w.text))).join(''),
    );
    let from = 0;
    for (const t of modelTexts(doc)) {
      const at = all.indexOf(squeeze(t), from);
      expect(at, t).toBeGreaterThanOrEqual(0);
      from = at + squeeze(t).length;
    }
    // undoc's own furniture too: the masthead in Chinese (the distribution block, date included,
    // is printed in English, as the Russian and Arabic versions print it: templates/lang/zh.yaml).
    expect(all).toContain(squeeze(`${doc.labels.unitedNations}A/61/859${doc.organs[0]?.name}`));
    for (const line of doc.distributionLines) expect(all).toContain(squeeze(line));
    const names = bytes.toString('latin1').match(/\/BaseFont \/[A-Z]{6}\+[\w-]+/g) ?? [];
    expect(names.some((n) => n.includes('NotoSerifSC'))).toBe(true);
    expect(names.some((n) => n.includes('Tinos'))).toBe(true);
  });

  it.skipIf(!hasPdftotext())('every text reads back in order (pdftotext)', () => {
    const text = squeeze(pdftotext(bytes));
    let from = 0;
    for (const t of modelTexts(doc)) {
      const at = text.indexOf(squeeze(t), from);
      expect(at, t).toBeGreaterThanOrEqual(0);
      from = at + squeeze(t).length;
    }
  });

  it('no glyph is .notdef', () => {
    const codes = shownGlyphCodes(bytes);
    expect(codes.length).toBeGreaterThan(500);
    expect(codes.filter((c) => c === '0000')).toEqual([]);
    expect(shownGlyphCodes(longBytes).filter((c) => c === '0000')).toEqual([]);
  });

  it('no line starts with a mark that may not start one, and lines are justified to the margin', async () => {
    const read = await readPdf(longBytes);
    // Below the masthead on page 1; every line of the later pages.
    const body = read.pages.flatMap((p, i) =>
      p.lines.filter(
        (l) => l.size === ny.font.size && (i > 0 || l.baseline > ny.masthead.thickRule.y + 30),
      ),
    );
    const starts = body.map((l) => l.words[0]?.text ?? '');
    expect(starts.length).toBeGreaterThan(40);
    expect(starts.filter((s) => NO_LINE_START.test(s))).toEqual([]);
    // Inner lines of the long paragraph end at the right margin (justified between characters).
    const full = body.filter((l) => (l.words.at(-1)?.right ?? 0) > ny.body.right - 12);
    expect(full.length).toBeGreaterThan(25);
    for (const l of full) expect(l.words.at(-1)?.right ?? 0).toBeCloseTo(ny.body.right, 0);
  });

  it('nothing runs past the margin', async () => {
    const read = await readPdf(longBytes);
    for (const p of read.pages)
      for (const l of p.lines)
        for (const w of l.words) {
          expect(w.right, w.text).toBeLessThanOrEqual(ny.frame.right + 0.5);
          if (
            l.size === ny.font.size &&
            l.baseline > ny.masthead.thickRule.y + 30 &&
            w.x > ny.body.left
          )
            expect(w.right, w.text).toBeLessThanOrEqual(ny.body.right + 0.5);
        }
  });
});
