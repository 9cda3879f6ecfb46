/**
 * The furniture of one document in its language: organ names, the session line from its number,
 * the agenda label, the distribution block, dates, sub-item labels and the fixed labels, all from
 * the language tables (templates/lang/*.yaml). The language's typography (the table's
 * `typography`: French spacing, Chinese full-width punctuation) is applied here, to the labels and
 * (through `polishRuns`, which src/load/build.ts runs on every text) to the source's own text.
 */
import type { LanguageCode } from '../model.js';
import {
  capitalise,
  DEFAULT_NUMBERING,
  fillPattern,
  formatDate,
  type LanguageTable,
  type LanguageTables,
  latinLetterIndex,
  letterFor,
  type NumberingKind,
  readSessionLine,
  type SessionKind,
  sessionLine,
} from '../style/language.js';
import { typeset } from '../style/typography.js';

/** Every language's furniture for a document in `language`. */
export class Furniture {
  readonly table: LanguageTable;

  constructor(
    readonly tables: LanguageTables,
    readonly language: LanguageCode,
  ) {
    this.table = tables[language];
  }

  /** The language's typography applied to a text (French no-break spaces, Chinese full-width marks). */
  polish(text: string): string {
    return this.polishRuns([text])[0] ?? text;
  }

  /** The language's typography applied to a text's runs read as one text, each run in place. */
  polishRuns(runs: readonly string[]): string[] {
    return typeset(this.table.typography, runs);
  }

  /**
   * The organ's name in this language. A source may write an organ in English or in any
   * language's own words ("Assemblée générale"); a name no table knows is printed as written.
   */
  organName(name: string): string {
    const english = this.englishOrgan(name);
    return this.polish(english === undefined ? name : (this.table.organs[english] ?? name));
  }

  private englishOrgan(name: string): string | undefined {
    const key = name.trim();
    if (Object.hasOwn(this.tables.en.organs, key)) return key;
    for (const t of Object.values(this.tables)) {
      const hit = Object.entries(t.organs).find(([, v]) => v === key);
      if (hit) return hit[0];
    }
    return undefined;
  }

  /**
   * The session or year line in this language. A line any table reads ("Sixty-first session",
   * "Soixante et unième session") is written again from its number; another is kept as written.
   */
  session(line: string): string {
    const read = readSessionAnyLanguage(this.tables, line, this.language);
    const made = read && sessionLine(this.table, read.kind, read.n);
    return this.polish(made ?? line);
  }

  /** "61 (a)" as this language prints an agenda item number: "61 a)", "61 (أ)", "61(a)". */
  itemNumber(number: string): string {
    const m = /^(\d+)\s*\(([a-z])\)$/.exec(number.trim());
    const index = m ? latinLetterIndex(m[2] ?? '') : undefined;
    if (!m || index === undefined) return number;
    return fillPattern(this.table.agenda.lettered, {
      number: m[1] ?? '',
      letter: letterFor(this.table, index),
    });
  }

  /** The agenda label's words around the item numbers, e.g. "Agenda items 81 and 112". */
  agendaWording(numbers: readonly string[], provisional: boolean): string {
    const a = this.table.agenda;
    const count = numbers.length;
    const pattern = provisional
      ? count === 1
        ? a.provisionalOne
        : count === 2 && a.provisionalTwo !== undefined
          ? a.provisionalTwo
          : a.provisionalMany
      : count === 1
        ? a.one
        : count === 2 && a.two !== undefined
          ? a.two
          : a.many;
    const items =
      count <= 1
        ? numbers.join('')
        : `${numbers.slice(0, -1).join(a.separator)}${a.and}${numbers[count - 1]}`;
    return this.polish(fillPattern(pattern, { items }));
  }

  /** A date as this language prints it. */
  date(iso: string): string {
    return this.polish(formatDate(this.table, iso));
  }

  /**
   * The distribution block's lines, in the language the block is printed in (English for the
   * Russian, Chinese and Arabic versions, as issued): "Distr.: General", the date, "", the
   * version's own language when it is a translation, "Original: English".
   */
  distributionLines(
    distribution: string,
    iso: string,
    originals: readonly LanguageCode[],
  ): string[] {
    const block = this.tables[this.table.distribution.in];
    const d = block.distribution;
    const typo = (text: string) => typeset(block.typography, [text])[0] ?? text;
    // Several original languages print as one list: "Chinese/English/French/Russian/Spanish".
    const line = (pattern: string | undefined, codes: readonly LanguageCode[], value = '') => {
      const name = codes.map((c) => block.languageNames[c]).join(d.joiner ?? '');
      return typo(
        fillPattern(pattern ?? '', { value, language: name, Language: capitalise(name) }),
      );
    };
    return [
      line(d.line, originals, d.values?.[distribution] ?? distribution),
      typo(formatDate(block, iso)),
      '',
      ...(originals.includes(this.language) ? [] : [line(d.version, [this.language])]),
      line(d.original, originals),
    ];
  }

  /** "[Original: French]" under an annex heading. */
  annexOriginal(code: LanguageCode): string {
    return this.polish(
      fillPattern(this.table.annexOriginal, { language: this.table.languageNames[code] }),
    );
  }

  /**
   * A chapter's, heading's or paragraph's number as printed (`numbering` in the table): `shown`
   * is the number as English writes it ("IV", "B", "12"), `n` its value when it has one. A
   * `{name}` form beyond its names (or for a number without a value) prints as English does.
   */
  numberLabel(kind: NumberingKind, shown: string, n: number | undefined): string {
    const own = this.table.numbering[kind];
    const name = n === undefined ? undefined : own.names?.[n - 1];
    const form =
      own.form.includes('{name}') && name === undefined ? DEFAULT_NUMBERING[kind].form : own.form;
    return fillPattern(form, { roman: shown, letter: shown, number: shown, name: name ?? shown });
  }

  /**
   * The number a printed label stands for, as English writes it ("IV", "B", "12"), read with
   * this language's numbering and then English's; undefined when `label` is not one.
   */
  readNumber(kind: NumberingKind, label: string, roman: (n: number) => string): string | undefined {
    const text = label.replace(/[\s\u00a0\u202f]+/gu, ' ').trim();
    for (const own of [this.table.numbering[kind], DEFAULT_NUMBERING[kind]]) {
      const names = own.names ?? [];
      for (let i = 0; i < names.length; i++) {
        const n = i + 1;
        if (fillPattern(own.form, { name: names[i] ?? '' }) === text) {
          return kind === 'chapter' ? roman(n) : kind === 'section' ? latinLetters(n) : String(n);
        }
      }
      if (own.form.includes('{name}')) continue;
      const pattern = own.form
        .split(/(\{(?:roman|letter|number)\})/)
        .map((part) =>
          part === '{roman}'
            ? '([IVXLCDM]+)'
            : part === '{letter}'
              ? '([A-Z]{1,3})'
              : part === '{number}'
                ? '(\\d+)'
                : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      const hit = new RegExp(`^${pattern}$`, 'u').exec(text);
      if (hit?.[1] !== undefined) return hit[1];
    }
    return undefined;
  }

  /** A sub-item's label at `depth` (0: "(a)", 1: "(i)", 2: "a."), numbered `n` from 1. */
  itemLabel(depth: number, n: number, roman: (n: number) => string): string {
    const labels = this.table.itemLabels;
    const pattern = labels[Math.min(depth, labels.length - 1)] ?? '{letter}.';
    return fillPattern(pattern, {
      letter: letterFor(this.table, n),
      roman: roman(n).toLowerCase(),
      number: String(n),
    });
  }
}

/** 1 → "A", 27 → "AA" (as the Editorial Manual continues the alphabet). */
export function latinLetters(n: number): string {
  const base = String.fromCharCode(64 + (((n - 1) % 26) + 1));
  return base.repeat(Math.floor((n - 1) / 26) + 1);
}

/** Reads a session or year line in the document's language first, then English, then any. */
export function readSessionAnyLanguage(
  tables: LanguageTables,
  line: string,
  first: LanguageCode = 'en',
): { readonly n: number; readonly kind: SessionKind; readonly language: LanguageCode } | undefined {
  const order = [first, 'en', ...Object.keys(tables)] as LanguageCode[];
  for (const code of order) {
    const read = readSessionLine(tables[code], line);
    if (read) return { ...read, language: code };
  }
  return undefined;
}
