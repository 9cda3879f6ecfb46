/**
 * A language's furniture as data: the words undoc prints around a document's own text (organ
 * names, the distribution block, session ordinals, agenda labels, dates, "(Signed)"…), read from
 * `templates/lang/<code>.yaml` (checked against `templates/lang.schema.json`). The loader resolves
 * every label of a document with these tables (src/load/build.ts); renderers only print them.
 */
import { parse } from 'yaml';
import { LANGUAGES, type LanguageCode, NAME_ORDERS, type NameOrder } from '../model.js';
import { TYPOGRAPHY_RULES, type TypographyRule } from './typography.js';

/** How a number without a word of its own is written: a base word, then the rest's ordinal. */
export interface OrdinalCompound {
  /** The base number (20, 60, 100): used for n in (base, next larger base). */
  readonly base: number;
  /** The base as it stands in a compound ("soixante", "sixty", "الستون"). */
  readonly word: string;
  /** "{base}-{rest}", "{rest} و{base}". */
  readonly form: string;
  /** Forms for particular rests: French "{base} et {rest}" for 1 and 11. */
  readonly forms?: Readonly<Record<string, string>>;
}

/** One set of ordinal words (a grammatical gender, or the only set of a language). */
export interface OrdinalTable {
  /** Numbers with a word of their own: 1 → "first", 20 → "twentieth". */
  readonly words: Readonly<Record<string, string>>;
  /** Words a number takes after a base only: French 1 → "unième" ("vingt et unième"). */
  readonly compoundWords?: Readonly<Record<string, string>>;
  /** Compounds, by base. */
  readonly compounds: readonly OrdinalCompound[];
}

/** Session or year line: a pattern around the ordinal, and which ordinal words it takes. */
export interface SessionPattern {
  /** "{Ordinal} session" ({Ordinal} capitalised), "第{ordinal}届会议". */
  readonly pattern: string;
  /** Key into `ordinals`. */
  readonly ordinals: string;
}

/** The distribution block's words (only in a table the block is printed from). */
export interface DistributionWords {
  /** The language whose table prints the block: Russian, Chinese and Arabic print it in English. */
  readonly in: LanguageCode;
  /** "Distr.: {value}". */
  readonly line?: string;
  /** "General" → "générale". */
  readonly values?: Readonly<Record<string, string>>;
  /** The line naming a translation's language, "{Language}" (capitalised name). */
  readonly version?: string;
  /** "Original: {language}". */
  readonly original?: string;
  /** What joins several original languages' names: "/" ("Original: English/French"). */
  readonly joiner?: string;
}

/** Agenda label wordings; {items} is the list of item numbers. */
export interface AgendaWords {
  readonly one: string;
  /** Arabic has a dual: "البندان 7 و 133 من جدول الأعمال". */
  readonly two?: string;
  readonly many: string;
  readonly provisionalOne: string;
  readonly provisionalTwo?: string;
  readonly provisionalMany: string;
  /** Between items but the last two: ", ". */
  readonly separator: string;
  /** Between the last two items: " and ". */
  readonly and: string;
  /** How a source item "61 (a)" is printed: "{number} ({letter})", "{number} {letter})". */
  readonly lettered: string;
}

/** Fonts other programs are asked for, for this language's script. */
export interface LanguageFonts {
  /** Web page families tried after the layout's Latin font (a Latin run keeps the Latin font). */
  readonly html?: readonly string[];
  /** Word's East Asian font slot (w:eastAsia). */
  readonly eastAsia?: string;
  /** Word's complex-script font slot (w:cs), for Arabic. */
  readonly complexScript?: string;
}

/** One language's table. */
export interface LanguageTable {
  readonly code: LanguageCode;
  /** The language's own name ("Français"), labelling links to this version. */
  readonly autonym: string;
  readonly dir: 'ltr' | 'rtl';
  /** Transforms applied to every text of a document in this language (src/style/typography.ts). */
  readonly typography: readonly TypographyRule[];
  /** Between a name's parts, by the order they print in (a space unless the table says). */
  readonly names: Readonly<Record<NameOrder, string>>;
  readonly unitedNations: string;
  /** Language names as this language writes them after "Original:". */
  readonly languageNames: Readonly<Record<LanguageCode, string>>;
  readonly distribution: DistributionWords;
  /** "[Original: {language}]" under an annex heading. */
  readonly annexOriginal: string;
  /** Organ names by their English name ("General Assembly" → "Assemblée générale"). */
  readonly organs: Readonly<Record<string, string>>;
  readonly date: {
    readonly pattern: string;
    readonly months: readonly string[];
    /** The first day of a month when it has its own form: French "1er". */
    readonly firstDay?: string;
  };
  readonly session: { readonly session: SessionPattern; readonly year: SessionPattern };
  readonly ordinals: Readonly<Record<string, OrdinalTable>>;
  readonly agenda: AgendaWords;
  /** "latin" (a, b, c …) or the letters in order. */
  readonly letters: 'latin' | readonly string[];
  /** Sub-item labels by depth, with {letter}, {roman} or {number}: "({letter})", "{roman})". */
  readonly itemLabels: readonly string[];
  /**
   * How chapters, lettered and numbered headings and paragraphs are numbered as printed, each a
   * form with {roman}, {letter} (A, B …), {number} or {name} (the `names` list, 1 first):
   * English "{roman}." "{letter}." "{number}." "{number}."; Arabic "{name} -" … "{number} -".
   */
  readonly numbering: Readonly<Record<NumberingKind, NumberingForm>>;
  readonly labels: {
    /** Before a signatory's name; *…* is italic. */
    readonly signed: string;
    readonly annex: string;
    readonly pleaseRecycle: string;
    readonly notes: string;
    /** The printed heading of a document's endnotes ("Notes"). */
    readonly endnotes: string;
    readonly backToText: string;
    /** Names the links to a document's other language versions. */
    readonly otherLanguages: string;
    readonly draft: string;
    /** The symbol's slot while the symbol is unassigned. */
    readonly symbolUnassigned: string;
  };
  readonly fonts: LanguageFonts;
  /**
   * Whether the PDF sets this language's documents with Word's text metrics (templates'
   * `font.wordMetrics`, measured on English text in the body font); false keeps nominal advances.
   */
  readonly wordMetrics: boolean;
}

/** What is numbered: chapters (I), lettered headings (A), numbered headings (1), paragraphs (1). */
export const NUMBERING_KINDS = ['chapter', 'section', 'subsection', 'paragraph'] as const;
export type NumberingKind = (typeof NUMBERING_KINDS)[number];

/** One kind's printed number: a form, and the names `{name}` takes by number (1 first). */
export interface NumberingForm {
  readonly form: string;
  readonly names?: readonly string[];
}

/** The numbering a table without a `numbering` section (or kind) prints: English "I." "A." "1.". */
export const DEFAULT_NUMBERING: Readonly<Record<NumberingKind, NumberingForm>> = {
  chapter: { form: '{roman}.' },
  section: { form: '{letter}.' },
  subsection: { form: '{number}.' },
  paragraph: { form: '{number}.' },
};

/** Every official language's table. */
export type LanguageTables = Readonly<Record<LanguageCode, LanguageTable>>;

/** Session or year. */
export type SessionKind = 'session' | 'year';

type Tree = { readonly [key: string]: unknown };

const isTree = (v: unknown): v is Tree => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads one value of a table, failing with the file and key path when it is missing or wrong. */
class TableReader {
  constructor(private readonly file: string) {}

  fail(path: string, expected: string): never {
    throw new Error(`${this.file}: \`${path}\` must be ${expected}`);
  }

  tree(v: unknown, path: string): Tree {
    return isTree(v) ? v : this.fail(path, 'a mapping');
  }

  text(v: unknown, path: string): string {
    return typeof v === 'string' && v !== '' ? v : this.fail(path, 'a non-empty text');
  }

  optText(v: unknown, path: string): string | undefined {
    return v === undefined ? undefined : this.text(v, path);
  }

  texts(v: unknown, path: string): string[] {
    if (!Array.isArray(v) || v.length === 0) this.fail(path, 'a list of texts');
    return v.map((x, i) => this.text(x, `${path}.${i}`));
  }

  textMap(v: unknown, path: string): Record<string, string> {
    const t = this.tree(v, path);
    return Object.fromEntries(Object.entries(t).map(([k, x]) => [k, this.text(x, `${path}.${k}`)]));
  }
}

const CODES = Object.keys(LANGUAGES) as LanguageCode[];

/** Parses and checks `templates/lang/<code>.yaml`; throws one clear line naming the key. */
export function parseLanguageTable(code: LanguageCode, text: string): LanguageTable {
  const file = `templates/lang/${code}.yaml`;
  const r = new TableReader(file);
  const t = r.tree(parse(text), '(top)');
  if (t.code !== code) r.fail('code', `"${code}"`);
  const dir = t.dir === 'rtl' ? 'rtl' : t.dir === 'ltr' ? 'ltr' : r.fail('dir', 'ltr or rtl');
  const names = r.textMap(t.languageNames, 'languageNames');
  for (const c of CODES) r.text(names[c], `languageNames.${c}`);
  const d = r.tree(t.distribution, 'distribution');
  const dIn = d.in;
  if (typeof dIn !== 'string' || !CODES.includes(dIn as LanguageCode)) {
    r.fail('distribution.in', 'a language code');
  }
  const distribution: DistributionWords = {
    in: dIn as LanguageCode,
    ...(d.line === undefined ? {} : { line: r.text(d.line, 'distribution.line') }),
    ...(d.values === undefined ? {} : { values: r.textMap(d.values, 'distribution.values') }),
    ...(d.version === undefined ? {} : { version: r.text(d.version, 'distribution.version') }),
    ...(d.original === undefined ? {} : { original: r.text(d.original, 'distribution.original') }),
    ...(d.joiner === undefined ? {} : { joiner: r.text(d.joiner, 'distribution.joiner') }),
  };
  const date = r.tree(t.date, 'date');
  const months = r.texts(date.months, 'date.months');
  if (months.length !== 12) r.fail('date.months', 'twelve month names');
  const firstDay = r.optText(date.firstDay, 'date.firstDay');
  const ordinals = Object.fromEntries(
    Object.entries(r.tree(t.ordinals, 'ordinals')).map(([k, v]) => [
      k,
      ordinalTable(r, v, `ordinals.${k}`),
    ]),
  );
  const session = r.tree(t.session, 'session');
  const pattern = (kind: SessionKind): SessionPattern => {
    const s = r.tree(session[kind], `session.${kind}`);
    const set = r.text(s.ordinals, `session.${kind}.ordinals`);
    if (!ordinals[set]) r.fail(`session.${kind}.ordinals`, `one of the tables under \`ordinals\``);
    return { pattern: r.text(s.pattern, `session.${kind}.pattern`), ordinals: set };
  };
  const a = r.tree(t.agenda, 'agenda');
  const opt = (k: string) => {
    const v = r.optText(a[k], `agenda.${k}`);
    return v === undefined ? {} : { [k]: v };
  };
  const agenda: AgendaWords = {
    one: r.text(a.one, 'agenda.one'),
    many: r.text(a.many, 'agenda.many'),
    provisionalOne: r.text(a.provisionalOne, 'agenda.provisionalOne'),
    provisionalMany: r.text(a.provisionalMany, 'agenda.provisionalMany'),
    separator: r.text(a.separator, 'agenda.separator'),
    and: r.text(a.and, 'agenda.and'),
    lettered: r.text(a.lettered, 'agenda.lettered'),
    ...opt('two'),
    ...opt('provisionalTwo'),
  };
  const letters = t.letters === 'latin' ? 'latin' : r.texts(t.letters, 'letters');
  const l = r.tree(t.labels, 'labels');
  const label = (k: string) => r.text(l[k], `labels.${k}`);
  const f = t.fonts === undefined ? {} : r.tree(t.fonts, 'fonts');
  const n = t.names === undefined ? {} : r.tree(t.names, 'names');
  const nameSeparators = Object.fromEntries(
    NAME_ORDERS.map((order) => {
      const v = n[order];
      // An empty separator is meaningful: a Chinese name written surname first has none.
      if (v !== undefined && typeof v !== 'string') r.fail(`names.${order}`, 'a text');
      return [order, v ?? ' '];
    }),
  ) as Record<NameOrder, string>;
  const typography = (t.typography === undefined ? [] : r.texts(t.typography, 'typography')).map(
    (rule, i) =>
      (TYPOGRAPHY_RULES as readonly string[]).includes(rule)
        ? (rule as TypographyRule)
        : r.fail(`typography.${i}`, `one of ${TYPOGRAPHY_RULES.join(', ')}`),
  );
  const eastAsia = r.optText(f.eastAsia, 'fonts.eastAsia');
  const complexScript = r.optText(f.complexScript, 'fonts.complexScript');
  if (t.wordMetrics !== undefined && typeof t.wordMetrics !== 'boolean')
    r.fail('wordMetrics', 'true or false');
  return {
    code,
    autonym: r.text(t.autonym, 'autonym'),
    dir,
    typography,
    names: nameSeparators,
    unitedNations: r.text(t.unitedNations, 'unitedNations'),
    languageNames: names as Record<LanguageCode, string>,
    distribution,
    annexOriginal: r.text(t.annexOriginal, 'annexOriginal'),
    organs: r.textMap(t.organs, 'organs'),
    date: {
      pattern: r.text(date.pattern, 'date.pattern'),
      months,
      ...(firstDay ? { firstDay } : {}),
    },
    session: { session: pattern('session'), year: pattern('year') },
    ordinals,
    agenda,
    letters,
    itemLabels: r.texts(t.itemLabels, 'itemLabels'),
    numbering: numberingOf(r, t.numbering),
    labels: {
      signed: label('signed'),
      annex: label('annex'),
      pleaseRecycle: label('pleaseRecycle'),
      notes: label('notes'),
      endnotes: label('endnotes'),
      backToText: label('backToText'),
      otherLanguages: label('otherLanguages'),
      draft: label('draft'),
      symbolUnassigned: label('symbolUnassigned'),
    },
    fonts: {
      ...(f.html === undefined ? {} : { html: r.texts(f.html, 'fonts.html') }),
      ...(eastAsia ? { eastAsia } : {}),
      ...(complexScript ? { complexScript } : {}),
    },
    wordMetrics: t.wordMetrics !== false,
  };
}

function numberingOf(r: TableReader, v: unknown): Record<NumberingKind, NumberingForm> {
  const t = v === undefined ? {} : r.tree(v, 'numbering');
  for (const key of Object.keys(t)) {
    if (!(NUMBERING_KINDS as readonly string[]).includes(key))
      r.fail(`numbering.${key}`, `one of ${NUMBERING_KINDS.join(', ')}`);
  }
  return Object.fromEntries(
    NUMBERING_KINDS.map((kind) => {
      if (t[kind] === undefined) return [kind, DEFAULT_NUMBERING[kind]];
      const k = r.tree(t[kind], `numbering.${kind}`);
      const form = r.text(k.form, `numbering.${kind}.form`);
      const names = k.names === undefined ? undefined : r.texts(k.names, `numbering.${kind}.names`);
      if (form.includes('{name}') && !names) r.fail(`numbering.${kind}.names`, 'a list ({name})');
      return [kind, names ? { form, names } : { form }];
    }),
  ) as Record<NumberingKind, NumberingForm>;
}

function ordinalTable(r: TableReader, v: unknown, path: string): OrdinalTable {
  const t = r.tree(v, path);
  const compounds = Array.isArray(t.compounds)
    ? t.compounds
    : r.fail(`${path}.compounds`, 'a list');
  return {
    words: r.textMap(t.words, `${path}.words`),
    ...(t.compoundWords === undefined
      ? {}
      : { compoundWords: r.textMap(t.compoundWords, `${path}.compoundWords`) }),
    compounds: compounds
      .map((c: unknown, i: number): OrdinalCompound => {
        const p = `${path}.compounds.${i}`;
        const x = r.tree(c, p);
        if (typeof x.base !== 'number' || !Number.isInteger(x.base) || x.base < 2) {
          r.fail(`${p}.base`, 'a whole number above 1');
        }
        return {
          base: x.base,
          word: r.text(x.word, `${p}.word`),
          form: r.text(x.form, `${p}.form`),
          ...(x.forms === undefined ? {} : { forms: r.textMap(x.forms, `${p}.forms`) }),
        };
      })
      .sort((a, b) => b.base - a.base),
  };
}

const fill = (pattern: string, values: Readonly<Record<string, string>>): string =>
  pattern.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

/** Upper-cases the first letter (a no-op for scripts without case). */
export function capitalise(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const ch = String.fromCodePoint(first);
  return ch.toUpperCase() + text.slice(ch.length);
}

/** The ordinal of `n` (1–999) from a table, lower case; undefined when the table cannot say it. */
export function ordinalWord(
  table: OrdinalTable,
  n: number,
  inCompound = false,
): string | undefined {
  const key = String(n);
  if (inCompound && table.compoundWords?.[key] !== undefined) return table.compoundWords[key];
  const own = table.words[key];
  if (own !== undefined) return own;
  const c = table.compounds.find((x) => x.base < n);
  if (!c) return undefined;
  const rest = n - c.base;
  if (rest >= c.base) return undefined;
  const restWord = ordinalWord(table, rest, true);
  if (restWord === undefined) return undefined;
  return fill(c.forms?.[String(rest)] ?? c.form, { base: c.word, rest: restWord });
}

/** The session or year line for number `n`: "Sixty-first session", "第六十一届会议". */
export function sessionLine(
  table: LanguageTable,
  kind: SessionKind,
  n: number,
): string | undefined {
  const p = table.session[kind];
  const set = table.ordinals[p.ordinals];
  const word = set ? ordinalWord(set, n) : undefined;
  if (word === undefined) return undefined;
  return fill(p.pattern, { ordinal: word, Ordinal: capitalise(word) });
}

/** Highest session or year number a line is read back for (the tables reach further). */
export const SESSION_LIMIT = 150;

/**
 * A line compared loosely: case, ё/е and kinds of space do not matter. (No locale-sensitive case
 * mapping or normalisation: ICU state must not reach the start-up snapshot's heap, which V8
 * then refuses to write.)
 */
function lineKey(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

const sessionIndexes = new WeakMap<LanguageTable, Map<string, { n: number; kind: SessionKind }>>();

/** Reads a session or year line written in the table's language; undefined when it is not one. */
export function readSessionLine(
  table: LanguageTable,
  line: string,
): { readonly n: number; readonly kind: SessionKind } | undefined {
  let index = sessionIndexes.get(table);
  if (!index) {
    index = new Map();
    for (const kind of ['session', 'year'] as const) {
      for (let n = 1; n <= SESSION_LIMIT; n++) {
        const text = sessionLine(table, kind, n);
        if (text !== undefined) index.set(lineKey(text), { n, kind });
      }
    }
    sessionIndexes.set(table, index);
  }
  return index.get(lineKey(line));
}

/** "4 April 2007", "4 avril 2007", "2007年4月4日" from an ISO date (already checked to exist). */
export function formatDate(table: LanguageTable, iso: string): string {
  const [year = '', month = '', day = ''] = iso.split('-');
  const d = Number(day);
  return fill(table.date.pattern, {
    day: d === 1 && table.date.firstDay !== undefined ? table.date.firstDay : String(d),
    month: table.date.months[Number(month) - 1] ?? month,
    year: String(Number(year)),
  });
}

/** The n-th letter (1-based) of the table's sub-item letters: a … z, then aa … (as English). */
export function letterFor(table: LanguageTable, n: number): string {
  const letters = table.letters === 'latin' ? LATIN : table.letters;
  const base = letters[(n - 1) % letters.length] ?? '';
  return base.repeat(Math.floor((n - 1) / letters.length) + 1);
}

const LATIN = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));

/** The position (1-based) of a Latin sub-item letter "a" … "z"; undefined for anything else. */
export function latinLetterIndex(letter: string): number | undefined {
  const i = LATIN.indexOf(letter);
  return i < 0 ? undefined : i + 1;
}

/** Fills a label pattern's {placeholders}. */
export function fillPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return fill(pattern, values);
}

export { frenchSpacing } from './typography.js';
