/**
 * The furniture read back from a page, in any of the six languages: the importer's side of the
 * language tables (templates/lang/*.yaml). Every label is recognised by writing it again with the
 * tables, as the loader prints it, and comparing (spaces of any width read alike), so the importer
 * knows exactly what undoc prints and nothing it does not.
 */
import { languageFurniture } from '../load/build.js';
import { Furniture, readSessionAnyLanguage } from '../load/furniture.js';
import { LANGUAGES, type LanguageCode, plainText } from '../model.js';
import { capitalise, fillPattern, type LanguageTables } from '../style/language.js';

const CODES = Object.keys(LANGUAGES) as LanguageCode[];
/** How far sub-item labels are recognised: (a) … (zz), (i) … (lx). */
const ITEM_LIMIT = 60;
const DISTRIBUTIONS = ['General', 'Limited', 'Restricted'] as const;

/** Spaces of any width (French no-break ones included) read as one space. */
const norm = (s: string): string => s.replace(/[\s\u00a0\u202f]+/gu, ' ').trim();

const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads furniture lines back to what they stand for. */
export class FurnitureReader {
  private readonly words: Readonly<Record<LanguageCode, Furniture>>;
  private readonly itemLabels = new Map<LanguageCode, ReadonlySet<string>>();

  constructor(
    readonly tables: LanguageTables,
    private readonly roman: (n: number) => string,
  ) {
    this.words = Object.fromEntries(CODES.map((c) => [c, new Furniture(tables, c)])) as Record<
      LanguageCode,
      Furniture
    >;
  }

  /** Whether `label` is a sub-item label as `language` (or English) prints one: "(a)", "a)", "(أ)". */
  isItemLabel(language: LanguageCode, label: string): boolean {
    return [language, 'en' as const].some((c) => this.labelsOf(c).has(norm(label)));
  }

  private labelsOf(code: LanguageCode): ReadonlySet<string> {
    const known = this.itemLabels.get(code);
    if (known) return known;
    const words = this.words[code];
    const set = new Set<string>();
    for (let depth = 0; depth < words.table.itemLabels.length; depth++) {
      for (let n = 1; n <= ITEM_LIMIT; n++) set.add(norm(words.itemLabel(depth, n, this.roman)));
    }
    this.itemLabels.set(code, set);
    return set;
  }

  /** "(Signed)", "(Signé)", "（签名）": the mark before a signatory's name, as plain text. */
  signedMark(language: LanguageCode): string {
    return plainText(languageFurniture(language, this.tables).labels.signed);
  }

  /** The language an annex's note names ("[Original : français]", "[原件：法文]"), any language. */
  annexOriginal(note: string, language: LanguageCode): LanguageCode | undefined {
    const text = norm(note);
    for (const table of [language, ...CODES]) {
      const hit = CODES.find((c) => norm(this.words[table].annexOriginal(c)) === text);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Whether a line is an organ's name some table prints ("Assemblée générale", "大会"). */
  isOrgan(line: string): boolean {
    const text = norm(line);
    return Object.values(this.tables).some(
      (t) => Object.hasOwn(t.organs, text) || Object.values(t.organs).some((v) => norm(v) === text),
    );
  }

  /** A distribution line in any language ("Distr.: General", "Distr. générale"). */
  distribution(line: string): (typeof DISTRIBUTIONS)[number] | undefined {
    const text = norm(line);
    for (const code of CODES) {
      const d = this.tables[code].distribution;
      if (d.line === undefined) continue;
      const hit = DISTRIBUTIONS.find(
        (v) =>
          norm(
            this.words[code].polish(fillPattern(d.line ?? '', { value: d.values?.[v] ?? v })),
          ) === text,
      );
      if (hit) return hit;
    }
    return undefined;
  }

  /** "Original: English", "Original : anglais", "Original: inglés": the language it names. */
  original(line: string): LanguageCode | undefined {
    return this.blockLine(line, (d) => d.original);
  }

  /** A translation's language line ("French", "Français"): the language it names. */
  versionLanguage(line: string): LanguageCode | undefined {
    return this.blockLine(line, (d) => d.version);
  }

  private blockLine(
    line: string,
    pattern: (d: LanguageTables[LanguageCode]['distribution']) => string | undefined,
  ): LanguageCode | undefined {
    const text = norm(line);
    for (const code of CODES) {
      const table = this.tables[code];
      const p = pattern(table.distribution);
      if (p === undefined) continue;
      const hit = CODES.find((c) => {
        const name = table.languageNames[c];
        const made = fillPattern(p, { language: name, Language: capitalise(name) });
        return norm(this.words[code].polish(made)) === text;
      });
      if (hit) return hit;
    }
    return undefined;
  }

  /** A date in any table's form ("8 février 2018", "2018年2月8日") as ISO, or undefined. */
  date(line: string): string | undefined {
    const text = norm(line);
    for (const table of Object.values(this.tables)) {
      const d = table.date;
      const day = d.firstDay ? `\\d{1,2}|${literal(d.firstDay)}` : '\\d{1,2}';
      const month = d.months.map(literal).join('|');
      const parts: string[] = [];
      const source = literal(norm(d.pattern)).replace(
        /\\\{(day|month|year)\\\}/g,
        (_m, k: string) => {
          parts.push(k);
          return k === 'day' ? `(${day})` : k === 'month' ? `(${month})` : '(\\d{4})';
        },
      );
      const m = new RegExp(`^${source}$`, 'u').exec(text);
      if (!m) continue;
      const got = Object.fromEntries(parts.map((k, i) => [k, m[i + 1] ?? '']));
      const monthIndex = d.months.indexOf(got.month ?? '');
      const dayNumber = got.day === d.firstDay ? 1 : Number(got.day);
      if (monthIndex < 0 || !(dayNumber >= 1 && dayNumber <= 31)) continue;
      return `${got.year}-${String(monthIndex + 1).padStart(2, '0')}-${String(dayNumber).padStart(2, '0')}`;
    }
    return undefined;
  }

  /** Whether a line is a session or year line some table reads ("Soixante et unième session"). */
  isSession(line: string): boolean {
    return readSessionAnyLanguage(this.tables, norm(line)) !== undefined;
  }
}
