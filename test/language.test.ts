/**
 * The language tables (templates/lang/*.yaml): ordinals generated from the number in every
 * language, checked against issued documents and read back for 1–120; the masthead's furniture
 * of a document in each language; French spacing; session-mismatch in every language.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSource } from '../src/load/index.js';
import { LANGUAGES, type LanguageCode, plainText } from '../src/model.js';
import { loadLanguageTables, PACKAGE_ROOT } from '../src/resources.js';
import {
  formatDate,
  frenchSpacing,
  parseLanguageTable,
  readSessionLine,
  sessionLine,
} from '../src/style/language.js';
import { ResourceFailure } from '../src/style/load.js';

const tables = loadLanguageTables();
const CODES = Object.keys(LANGUAGES) as LanguageCode[];
const SEED = readFileSync(new URL('../source/A-61-859.yaml', import.meta.url), 'utf8');

/** The seed as another language version: same text, that language's furniture. */
function seedIn(language: LanguageCode, edit: (s: string) => string = (s) => s) {
  const letter = LANGUAGES[language].letter;
  const text = edit(
    SEED.replace('language: en', `language: ${language}`).replaceAll(
      '(E) 110407',
      `(${letter}) 110407`,
    ),
  );
  const result = loadSource(text, `A-61-859.${language}`);
  return result;
}

describe('session ordinals, from the number', () => {
  // Issued documents (and issue 11's examples): language, kind, number, line.
  it.each([
    ['en', 'session', 61, 'Sixty-first session'],
    ['en', 'year', 62, 'Sixty-second year'],
    ['en', 'session', 80, 'Eightieth session'],
    ['fr', 'session', 61, 'Soixante et unième session'],
    ['fr', 'session', 53, 'Cinquante-troisième session'],
    ['fr', 'session', 51, 'Cinquante et unième session'],
    ['fr', 'session', 66, 'Soixante-sixième session'],
    ['fr', 'session', 82, 'Quatre-vingt-deuxième session'],
    ['es', 'session', 61, 'Sexagésimo primer período de sesiones'],
    ['es', 'session', 53, 'Quincuagésimo tercer período de sesiones'],
    ['es', 'session', 70, 'Septuagésimo período de sesiones'],
    ['ru', 'session', 61, 'Шестьдесят первая сессия'],
    ['ru', 'session', 34, 'Тридцать четвертая сессия'],
    ['zh', 'session', 61, '第六十一届会议'],
    ['zh', 'session', 54, '第五十四届会议'],
    ['zh', 'session', 59, '第五十九届会议'],
    ['ar', 'session', 61, 'الدورة الحادية والستون'],
    ['ar', 'session', 67, 'الدورة السابعة والستون'],
    ['ar', 'session', 72, 'الدورة الثانية والسبعون'],
    ['ar', 'session', 74, 'الدورة الرابعة والسبعون'],
  ] as const)('%s %s %i is "%s"', (code, kind, n, line) => {
    expect(sessionLine(tables[code], kind, n)).toBe(line);
  });

  // The forms the rules must get right beyond the examples (French "et", 70–99, Chinese 100+).
  it.each([
    ['fr', 71, 'Soixante et onzième session'],
    ['fr', 77, 'Soixante-dix-septième session'],
    ['fr', 80, 'Quatre-vingtième session'],
    ['fr', 81, 'Quatre-vingt-unième session'],
    ['fr', 91, 'Quatre-vingt-onzième session'],
    ['fr', 101, 'Cent unième session'],
    ['fr', 121, 'Cent vingt et unième session'],
    ['es', 13, 'Decimotercer período de sesiones'],
    ['es', 101, 'Centésimo primer período de sesiones'],
    ['ru', 100, 'Сотая сессия'],
    ['ru', 120, 'Сто двадцатая сессия'],
    ['zh', 10, '第十届会议'],
    ['zh', 11, '第十一届会议'],
    ['zh', 101, '第一百零一届会议'],
    ['zh', 110, '第一百一十届会议'],
    ['zh', 115, '第一百一十五届会议'],
    ['ar', 11, 'الدورة الحادية عشرة'],
    ['ar', 101, 'الدورة الحادية بعد المائة'],
    ['en', 101, 'One hundred and first session'],
  ] as const)('%s session %i is "%s"', (code, n, line) => {
    expect(sessionLine(tables[code], 'session', n)).toBe(line);
  });

  it.each(CODES)(
    '%s: every session and year 1–120 has its own line, read back to its number',
    (code) => {
      for (const kind of ['session', 'year'] as const) {
        const seen = new Set<string>();
        for (let n = 1; n <= 120; n++) {
          const line = sessionLine(tables[code], kind, n);
          expect(line, `${code} ${kind} ${n}`).toBeDefined();
          expect(seen.has(line ?? '')).toBe(false);
          seen.add(line ?? '');
          expect(readSessionLine(tables[code], line ?? '')).toEqual({ n, kind });
        }
      }
    },
  );
});

describe('dates', () => {
  it.each([
    ['en', '2007-04-04', '4 April 2007'],
    ['fr', '2007-04-01', '1er avril 2007'],
    ['fr', '2007-04-04', '4 avril 2007'],
    ['es', '1998-06-15', '15 de junio de 1998'],
    ['ru', '2019-11-04', '4 ноября 2019 года'],
    ['zh', '2007-04-04', '2007年4月4日'],
    ['ar', '2003-03-13', '13 آذار/مارس 2003'],
  ] as const)('%s %s is "%s"', (code, iso, text) => {
    expect(formatDate(tables[code], iso)).toBe(text);
  });
});

describe('French spacing', () => {
  it.each([
    ['Original: anglais', 'Original\u00a0: anglais'],
    ['Original : anglais', 'Original\u00a0: anglais'],
    ['Pourquoi ? Parce que ; enfin !', 'Pourquoi\u202f? Parce que\u202f; enfin\u202f!'],
    ['le «projet» et « le texte »', 'le «\u00a0projet\u00a0» et «\u00a0le texte\u00a0»'],
    ['à 10:30, voir https://undocs.org/A/61/859', 'à 10:30, voir https://undocs.org/A/61/859'],
    [': en tête après *emphase*', ': en tête après *emphase*'],
  ])('"%s"', (input, output) => {
    expect(frenchSpacing(input)).toBe(output);
  });
});

describe('a document in each language prints its furniture in that language', () => {
  it('fr: organ, session, agenda, distribution block in French with no-break spaces', () => {
    const doc = seedIn('fr').model;
    expect(doc?.labels.unitedNations).toBe('Nations Unies');
    expect(doc?.organs[0]?.name).toBe('Assemblée générale');
    expect(doc?.organs[0]?.session).toBe('Soixante et unième session');
    expect(plainText(doc?.organs[0]?.agendaLabel ?? [])).toBe('Point 61 a) de l’ordre du jour');
    expect(doc?.distributionLines).toEqual([
      'Distr. générale',
      '4 avril 2007',
      '',
      'Français',
      'Original\u00a0: anglais',
    ]);
    expect(plainText(doc?.labels.signed ?? [])).toBe('(Signé)');
    expect(doc?.direction).toBe('ltr');
  });

  it('es', () => {
    const doc = seedIn('es').model;
    expect(doc?.labels.unitedNations).toBe('Naciones Unidas');
    expect(doc?.organs[0]?.name).toBe('Asamblea General');
    expect(doc?.organs[0]?.session).toBe('Sexagésimo primer período de sesiones');
    expect(plainText(doc?.organs[0]?.agendaLabel ?? [])).toBe('Tema 61 a) del programa');
    expect(doc?.distributionLines).toEqual([
      'Distr. general',
      '4 de abril de 2007',
      '',
      'Español',
      'Original: inglés',
    ]);
  });

  it('ru: the distribution block stays in English, date included (A/HRC/WG.6/34/ITA/3)', () => {
    const doc = seedIn('ru').model;
    expect(doc?.labels.unitedNations).toBe('Организация Объединенных Наций');
    expect(doc?.organs[0]?.name).toBe('Генеральная Ассамблея');
    expect(doc?.organs[0]?.session).toBe('Шестьдесят первая сессия');
    expect(doc?.distributionLanguage).toBe('en');
    expect(doc?.distributionLines).toEqual([
      'Distr.: General',
      '4 April 2007',
      '',
      'Russian',
      'Original: English',
    ]);
  });

  it('zh', () => {
    const doc = seedIn('zh').model;
    expect(doc?.labels.unitedNations).toBe('联合国');
    expect(doc?.organs[0]?.name).toBe('大会');
    expect(doc?.organs[0]?.session).toBe('第六十一届会议');
    expect(doc?.date.text).toBe('2007年4月4日');
    expect(doc?.distributionLines[3]).toBe('Chinese');
  });

  it('ar: right to left, Arabic letters in agenda numbers', () => {
    const doc = seedIn('ar').model;
    expect(doc?.direction).toBe('rtl');
    expect(doc?.labels.unitedNations).toBe('الأمم المتحدة');
    expect(doc?.organs[0]?.name).toBe('الجمعية العامة');
    expect(doc?.organs[0]?.session).toBe('الدورة الحادية والستون');
    expect(plainText(doc?.organs[0]?.agendaLabel ?? [])).toBe('البند 61 (أ) من جدول الأعمال');
    expect(doc?.distributionLines).toEqual([
      'Distr.: General',
      '4 April 2007',
      '',
      'Arabic',
      'Original: English',
    ]);
  });

  it('ar: two items take the dual, as issued ("البندان 7 و 133 من جدول الأعمال")', () => {
    const doc = seedIn('ar', (s) =>
      s.replace(
        '      - number: 61 (a)\n        title: Advancement of women\n',
        '      - number: "7"\n        title: Organization of work\n      - number: "133"\n        title: Pattern of conferences\n',
      ),
    ).model;
    expect(plainText(doc?.organs[0]?.agendaLabel ?? [])).toBe('البندان 7 و 133 من جدول الأعمال');
  });

  it('an organ and session written in the document language are kept (and read for the check)', () => {
    const doc = seedIn('fr', (s) =>
      s
        .replace('organ: General Assembly', 'organ: Assemblée générale')
        .replace('session: Sixty-first session', 'session: Soixante et unième session'),
    ).model;
    expect(doc?.organs[0]?.name).toBe('Assemblée générale');
    expect(doc?.organs[0]?.session).toBe('Soixante et unième session');
  });

  it('French text gets its no-break spaces in the model (source text too)', () => {
    const doc = seedIn('fr', (s) =>
      s.replace('We have the honour to request', 'Nous avons « l’honneur » : demander'),
    ).model;
    expect(plainText(doc?.letter?.paragraphs[0]?.text ?? [])).toContain(
      'Nous avons «\u00a0l’honneur\u00a0»\u00a0: demander',
    );
  });

  it.each(CODES)('%s: the seed loads and every organ and session is translated', (code) => {
    const result = seedIn(code);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.model?.organs[0]?.name).toBe(tables[code].organs['General Assembly']);
    expect(result.model?.organs[0]?.session).toBe(sessionLine(tables[code], 'session', 61));
  });
});

describe('session-mismatch in every language', () => {
  it.each([
    ['fr', 'Soixante-deuxième session', 'Soixante et unième session'],
    ['es', 'Sexagésimo segundo período de sesiones', 'Sexagésimo primer período de sesiones'],
    ['ru', 'Шестьдесят вторая сессия', 'Шестьдесят первая сессия'],
    ['zh', '第六十二届会议', '第六十一届会议'],
    ['ar', 'الدورة الثانية والستون', 'الدورة الحادية والستون'],
    ['fr', 'Sixty-second session', 'Sixty-first session'],
  ] as const)('%s: "%s" on A/61/859 is refused with the right line', (code, wrong, right) => {
    const result = seedIn(code, (s) =>
      s.replace('session: Sixty-first session', `session: ${wrong}`),
    );
    const d = result.diagnostics.find((x) => x.code === 'session-mismatch');
    expect(d?.line).toBe(15);
    expect(d?.message).toContain(
      'sixty-second, but the symbol A/61/859 belongs to the sixty-first',
    );
    expect(d?.hint).toBe(`write "${right}", or check the symbol`);
  });
});

describe('a broken table fails with one line naming its key', () => {
  const en = readFileSync(new URL('../templates/lang/en.yaml', import.meta.url), 'utf8');
  it.each([
    [
      en.replace('unitedNations: United Nations', 'unitedNations: ""'),
      '`unitedNations` must be a non-empty text',
    ],
    [en.replace('dir: ltr', 'dir: up'), '`dir` must be ltr or rtl'],
    [
      en.replace('ordinals: plain }', 'ordinals: gendered }'),
      '`session.session.ordinals` must be one of',
    ],
    [en.replace('November, December]', 'November]'), '`date.months` must be twelve month names'],
    [`${en}\nwordMetrics: no\n`, '`wordMetrics` must be true or false'],
  ])('%#', (text, message) => {
    expect(() => parseLanguageTable('en', text)).toThrow(message);
    expect(() => parseLanguageTable('en', text)).toThrow(/^templates\/lang\/en\.yaml: /);
  });
});

describe('what the PDF renderer asks of a language, as data', () => {
  it("Word's metrics apply where the table does not turn them off (Arabic, Chinese)", () => {
    const off = CODES.filter((c) => !tables[c].wordMetrics).sort();
    expect(off).toEqual(['ar', 'zh']);
  });

  it('src/render branches on no language code: what differs by language is in the tables', () => {
    const files = readdirSync(new URL('../src/render', import.meta.url), {
      recursive: true,
    }).filter((f): f is string => typeof f === 'string' && f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(new URL(`../src/render/${f}`, import.meta.url), 'utf8');
      // A branch on a language code (`language !== 'zh'`), either way round.
      const codes = CODES.join('|');
      const branch = new RegExp(`[!=]==\\s*'(${codes})'|'(${codes})'\\s*[!=]==`, 'gu');
      for (const m of text.matchAll(branch)) found.push(`${f}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });
});

describe('templates/lang.schema.json (what editors check the tables against)', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../templates/lang.schema.json', import.meta.url), 'utf8'),
  ) as object;
  const validate = new Ajv2020({ strict: true }).compile(schema);
  it.each(CODES)('templates/lang/%s.yaml is valid', (code) => {
    const text = readFileSync(new URL(`../templates/lang/${code}.yaml`, import.meta.url), 'utf8');
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('a broken language table', () => {
  const copy = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'undoc-lang-'));
    cpSync(join(PACKAGE_ROOT, 'templates', 'lang'), dir, { recursive: true });
    return dir;
  };

  it('is an invalid resource naming the file and key, not an internal error', () => {
    const dir = copy();
    const file = join(dir, 'fr.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^unitedNations: .*\n/m, ''));
    let failure: unknown;
    try {
      loadLanguageTables(dir);
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(ResourceFailure);
    expect((failure as ResourceFailure).kind).toBe('invalid');
    expect((failure as ResourceFailure).message).toMatch(/fr\.yaml.*bad-value.*unitedNations/);
  });

  it('is an unreadable resource when the file is missing', () => {
    const dir = copy();
    rmSync(join(dir, 'ru.yaml'));
    let failure: unknown;
    try {
      loadLanguageTables(dir);
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(ResourceFailure);
    expect((failure as ResourceFailure).message).toContain('ru.yaml');
  });
});
