/**
 * Builds the document model from a source that has passed the schema and the semantic checks.
 * All numbering happens here, once: paragraph numbers, chapter numerals, heading letters,
 * sub-item labels and footnote marks, so that no renderer computes them.
 */
import type {
  AgendaItem,
  Annex,
  Block,
  DocDate,
  DocLabels,
  DocSymbol,
  Footnote,
  JobNumber,
  LanguageCode,
  Letter,
  OrganBlock,
  Rich,
  Signatory,
  Span,
  StyleName,
  SubItem,
  UnDocument,
} from '../model.js';
import { hasSessionBlock } from '../model.js';
import { loadLanguageTables } from '../resources.js';
import type { LanguageTables } from '../style/language.js';
import { Furniture } from './furniture.js';
import { parseInline } from './inline.js';
import type * as S from './source-types.js';

/** Finds the source position of the node at a path of keys and indices. */
export type SpanAt = (path: readonly (string | number)[]) => Span;

/** A job number: `07-29358 (E) 110407`, reissue `07-29358* (E) 110407 120407`. */
/**
 * A job number as sources write it: Geneva's "GE." may lead and its "(E)" may follow the number
 * without a space ("GE.19-13879(E) 140819"); the layout's form prints its own prefix.
 */
export const JOB_NUMBER = /^(?:GE\.)?(\d{2}-\d{5})(\*?) ?\(([ACEFRS])\) (\d{6})(?: (\d{6}))?$/;

/**
 * Builds the model. `name` is the source file's base name without extension; `tables` are the
 * language tables (templates/lang/*.yaml) every label is taken from.
 */
export function buildModel(
  src: S.Source,
  name: string,
  spanAt: SpanAt,
  tables: LanguageTables = loadLanguageTables(),
): UnDocument {
  const language = src.language;
  const words = new Furniture(tables, language);
  const placement = src.notes ?? 'footnotes';
  const notes = new NoteBook(src.footnotes ?? {}, words, placement === 'endnotes');
  const joint = src.docAuthority.length > 1;
  const organs = src.docAuthority.map((o) => organBlock(o, notes, joint, words));
  const symbols = src.docAuthority.flatMap((o) => (o.docNumber ? [docSymbol(o.docNumber)] : []));
  const title = notes.text(src.docTitle);
  const subtitle = src.subtitle === undefined ? undefined : notes.text(src.subtitle);
  const letter = src.letter ? buildLetter(src.letter, notes, spanAt) : undefined;
  const body = src.body ? buildBlocks(src.body, notes, spanAt, ['body']) : [];
  const annexes = (src.annexes ?? []).map((a, i) =>
    buildAnnex(a, notes, spanAt, ['annexes', i], words),
  );
  const date = docDate(src.docDate, words);
  const originals: readonly LanguageCode[] =
    typeof src.originalLanguage === 'string' ? [src.originalLanguage] : src.originalLanguage;
  const distributionLines = words.distributionLines(src.distribution, src.docDate, originals);
  return {
    name,
    style: src.style as StyleName,
    docType: src.docType ?? 'officialLetter',
    language,
    originalLanguage: originals[0] ?? language,
    originalLanguages: originals,
    direction: words.table.dir,
    distributionLanguage: words.table.distribution.in,
    labels: docLabels(words, notes),
    organs,
    symbols,
    distribution: src.distribution,
    date,
    distributionLines,
    ...(src.docketNumber ? { jobNumber: jobNumber(src.docketNumber) } : {}),
    title,
    ...(subtitle ? { subtitle } : {}),
    ...(src.senderDate ? { senderDate: docDate(src.senderDate, words) } : {}),
    ...(letter ? { letter } : {}),
    annexes,
    body,
    footnotes: notes.list(),
    notes: placement,
    keywords: src.keywords ?? [],
  };
}

/**
 * What a model carries of its language besides its text: direction, the distribution block's
 * language and the furniture's words (for models made elsewhere than from a source: the importer).
 */
export function languageFurniture(
  language: LanguageCode,
  tables: LanguageTables = loadLanguageTables(),
): Pick<UnDocument, 'direction' | 'distributionLanguage' | 'labels'> {
  const words = new Furniture(tables, language);
  return {
    direction: words.table.dir,
    distributionLanguage: words.table.distribution.in,
    labels: docLabels(words, new NoteBook({}, words)),
  };
}

/** English sub-item labels by depth, (a), (i), a. (a language's own come from its table). */
export function itemLabel(depth: number, n: number): string {
  if (depth === 0) return `(${letters(n)})`;
  if (depth === 1) return `(${roman(n).toLowerCase()})`;
  return `${letters(n)}.`;
}

/** The furniture's fixed words; the "(Signed)" mark is parsed for its *italic*. */
function docLabels(words: Furniture, notes: NoteBook): DocLabels {
  const l = words.table.labels;
  return {
    unitedNations: words.polish(words.table.unitedNations),
    signed: notes.plain(l.signed),
    pleaseRecycle: words.polish(l.pleaseRecycle),
    annex: words.polish(l.annex),
    notes: words.polish(l.notes),
    backToText: words.polish(l.backToText),
    otherLanguages: words.polish(l.otherLanguages),
    draft: words.polish(l.draft),
    symbolUnassigned: words.polish(l.symbolUnassigned),
    endnotes: words.polish(l.endnotes),
  };
}

/**
 * Numbers footnotes in order of first call; masthead notes get "*" marks. Every text it parses
 * gets the language's typography on its text nodes, read as one text (a mark after *emphasis*
 * sees the emphasised word).
 */
class NoteBook {
  private readonly byId = new Map<string, Footnote>();
  private readonly pending: string[] = [];
  private starCount = 0;
  private numberCount = 0;

  private readonly defs: Map<string, string>;
  /** Notes the source marks `starred: true`: "*" wherever they are called. */
  private readonly starred: Set<string>;

  constructor(
    defs: NonNullable<S.Source['footnotes']>,
    readonly words: Furniture,
    /** Numbered notes are endnotes (starred ones stay at the foot of their page). */
    private readonly endnotes = false,
  ) {
    const entries = Object.entries(defs);
    this.defs = new Map(entries.map(([id, d]) => [id, typeof d === 'string' ? d : d.text]));
    this.starred = new Set(
      entries.flatMap(([id, d]) => (typeof d !== 'string' && d.starred === true ? [id] : [])),
    );
  }

  /** Adds a note defined outside `footnotes:` (the provisional-agenda note). */
  define(id: string, text: string): void {
    this.defs.set(id, text);
  }

  /** Parses a text field, numbering any calls in it. */
  text(source: string, starred = false): Rich {
    return this.polish(parseInline(source, (id) => this.call(id, starred)));
  }

  /** Parses a label that calls no note (its *italic* only). */
  plain(source: string): Rich {
    return this.polish(parseInline(source, () => ({ number: 0, mark: '' })));
  }

  private polish(rich: Rich): Rich {
    if (this.words.table.typography.length === 0) return rich;
    const runs: string[] = [];
    const collect = (r: Rich): void => {
      for (const node of r) {
        if (node.kind === 'text') runs.push(node.text);
        else if (node.kind !== 'noteRef') collect(node.children);
      }
    };
    collect(rich);
    const done = this.words.polishRuns(runs);
    let next = 0;
    const rebuild = (r: Rich): Rich =>
      r.map((node) =>
        node.kind === 'text'
          ? { ...node, text: done[next++] ?? node.text }
          : node.kind === 'noteRef'
            ? node
            : { ...node, children: rebuild(node.children) },
      );
    return rebuild(rich);
  }

  private call(id: string, starred: boolean): { number: number; mark: string } {
    const known = this.byId.get(id);
    if (known) return known;
    const star = starred || this.starred.has(id);
    const mark = star ? '*'.repeat(++this.starCount) : String(++this.numberCount);
    const endnote = this.endnotes && !star;
    const note: Footnote = { id, number: this.byId.size + 1, mark, text: [], endnote };
    this.byId.set(id, note);
    this.pending.push(id);
    return note;
  }

  /** The notes in call order, their texts parsed (a note's own calls are numbered after). */
  list(): readonly Footnote[] {
    const done = new Map<string, Footnote>();
    while (this.pending.length > 0) {
      const id = this.pending.shift() ?? '';
      const note = this.byId.get(id);
      if (note) done.set(id, { ...note, text: this.text(this.defs.get(id) ?? '') });
    }
    return [...done.values()].sort((a, b) => a.number - b.number);
  }
}

function organBlock(o: S.Organ, notes: NoteBook, joint: boolean, words: Furniture): OrganBlock {
  const items: AgendaItem[] = (o.agendaItems ?? []).map((a) => ({
    number: words.itemNumber(a.number),
    title: notes.text(a.title),
  }));
  const label = agendaLabel(items, o.provisionalAgenda, notes, words);
  const name = words.organName(o.organ);
  const block: OrganBlock = {
    name,
    bodies: o.bodies ?? [],
    ...(o.session ? { session: words.session(o.session) } : {}),
    ...(o.sessionDates ? { sessionDates: o.sessionDates } : {}),
    ...(label ? { agendaLabel: label } : {}),
    agendaItems: items,
  };
  return joint && hasSessionBlock(block) ? { ...block, columnHeading: name } : block;
}

function agendaLabel(
  items: readonly AgendaItem[],
  provisional: S.Organ['provisionalAgenda'],
  notes: NoteBook,
  words: Furniture,
): Rich | undefined {
  if (items.length === 0) return undefined;
  const numbers = items.map((i) => i.number);
  const wording = words.agendaWording(numbers, provisional !== undefined);
  if (provisional === undefined) return [{ kind: 'text', text: wording }];
  const id = provisional.id ?? 'provisional-agenda';
  notes.define(id, provisional.note);
  // The wording is ours, not the author's: no *emphasis* or note call inside it is read.
  const call = notes.text(`[^${id}]`, true);
  return [{ kind: 'text', text: wording }, ...call];
}

/** Splits a symbol for the masthead and derives its undocs.org address. */
export function docSymbol(text: string): DocSymbol {
  const slash = text.indexOf('/');
  return {
    text,
    series: slash < 0 ? text : text.slice(0, slash),
    rest: slash < 0 ? '' : text.slice(slash),
    url: `https://undocs.org/${text}`,
  };
}

/**
 * An ISO date with its printed form in the document's language ("4 April 2007", "4 avril 2007"),
 * from the language table's pattern and month names (not ICU: the same words on every Node).
 */
export function docDate(iso: string, words: Furniture): DocDate {
  return { iso, text: words.date(iso) };
}

/** Parses a job number already checked against JOB_NUMBER. */
export function jobNumber(text: string): JobNumber {
  const m = JOB_NUMBER.exec(text.trim());
  if (!m) throw new Error(`not a job number: ${text}`);
  const [, number = '', star = '', letter = '', first = '', second] = m;
  const dates = second ? [first, second] : [first];
  return {
    number,
    letter,
    dates,
    reissue: star === '*',
    line: `${number}${star} (${letter}) ${dates.join(' ')}`,
    short: `${number}${star}`,
    barcode: number.replace('-', ''),
  };
}

function buildLetter(l: S.Letter, notes: NoteBook, spanAt: SpanAt): Letter {
  const paragraphs = l.paragraphs.map((p, i) => ({
    text: notes.text(p),
    span: spanAt(['letter', 'paragraphs', i]),
  }));
  const signatories: Signatory[] = (l.signatures ?? []).map((s, i) => ({
    signed: s.signed ?? true,
    givenNames: notes.words.polish(s.givenNames ?? ''),
    surname: notes.words.polish(s.surname),
    nameOrder: s.nameOrder ?? 'given-first',
    nameSeparator: notes.words.table.names[s.nameOrder ?? 'given-first'],
    titleLines: (s.role ?? []).map((r) => notes.text(r)),
    ...(s.for ? { for: s.for } : {}),
    span: spanAt(['letter', 'signatures', i]),
  }));
  return { paragraphs, signatories };
}

function buildAnnex(
  a: S.Annex,
  notes: NoteBook,
  spanAt: SpanAt,
  path: readonly (string | number)[],
  words: Furniture,
): Annex {
  const heading = notes.text(a.heading);
  const title = a.title === undefined ? undefined : notes.text(a.title);
  const subtitle = a.subtitle === undefined ? undefined : notes.text(a.subtitle);
  const dateLine = a.dateLine === undefined ? undefined : notes.text(a.dateLine);
  const placeDate = a.placeDate === undefined ? undefined : notes.text(a.placeDate);
  return {
    heading,
    ...(title ? { title } : {}),
    ...(subtitle ? { subtitle } : {}),
    ...(dateLine ? { dateLine } : {}),
    ...(placeDate ? { placeDate } : {}),
    ...(a.originalLanguage
      ? {
          originalLanguage: a.originalLanguage,
          originalNote: words.annexOriginal(a.originalLanguage),
        }
      : {}),
    blocks: buildBlocks(a.content ?? [], notes, spanAt, [...path, 'content']),
    span: spanAt(path),
  };
}

const ROMAN: readonly [number, string][] = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

/** 4 → "IV". */
export function roman(n: number): string {
  let out = '';
  let rest = n;
  for (const [value, digits] of ROMAN) {
    while (rest >= value) {
      out += digits;
      rest -= value;
    }
  }
  return out;
}

/** "B" → 2, "AA" → 27 (a lettered heading's letters); undefined for anything else. */
function headingLetterIndex(letters: string): number | undefined {
  const m = /^([A-Z])\1*$/.exec(letters);
  if (!m?.[1]) return undefined;
  return (letters.length - 1) * 26 + (m[1].charCodeAt(0) - 64);
}

/** 1 → "a", 27 → "aa" (as the Editorial Manual continues the alphabet). */
function letters(n: number): string {
  const base = String.fromCharCode(96 + (((n - 1) % 26) + 1));
  return base.repeat(Math.floor((n - 1) / 26) + 1);
}

function buildItems(
  items: readonly S.Item[],
  notes: NoteBook,
  spanAt: SpanAt,
  path: readonly (string | number)[],
  depth: number,
): SubItem[] {
  return items.map((item, i) => {
    const p = [...path, i];
    const text = typeof item === 'string' ? item : item.text;
    const sub = typeof item === 'string' ? [] : (item.items ?? []);
    return {
      label: notes.words.itemLabel(depth, i + 1, roman),
      text: notes.text(text),
      items: buildItems(sub, notes, spanAt, [...p, 'items'], depth + 1),
      span: spanAt(p),
    };
  });
}

/** Builds a body, numbering paragraphs on across headings; an explicit number restarts there. */
export function buildBlocks(
  content: readonly S.ContentBlock[],
  notes: NoteBook,
  spanAt: SpanAt,
  path: readonly (string | number)[],
): Block[] {
  let para = 0;
  let chapter = 0;
  let section = 0;
  let subsection = 0;
  return content.map((block, i): Block => {
    const p = [...path, i];
    const span = spanAt(p);
    if ('chapter' in block) {
      const c = typeof block.chapter === 'string' ? { title: block.chapter } : block.chapter;
      chapter = c.number ? fromRoman(c.number) : chapter + 1;
      section = 0;
      const number = c.number ?? roman(chapter);
      const label = notes.words.numberLabel('chapter', number, chapter);
      return { kind: 'chapter', number, label, title: notes.text(c.title), span };
    }
    if ('section' in block) {
      const c = typeof block.section === 'string' ? { title: block.section } : block.section;
      section += 1;
      subsection = 0;
      const number = c.number ?? letters(section).toUpperCase();
      const n = c.number === undefined ? section : headingLetterIndex(c.number);
      const label = notes.words.numberLabel('section', number, n);
      return { kind: 'heading', level: 1, number, label, title: notes.text(c.title), span };
    }
    if ('subsection' in block) {
      const c =
        typeof block.subsection === 'string' ? { title: block.subsection } : block.subsection;
      subsection += 1;
      const number = c.number ?? String(subsection);
      const n = /^\d+$/.test(number) ? Number(number) : undefined;
      const label = notes.words.numberLabel('subsection', number, n);
      return { kind: 'heading', level: 2, number, label, title: notes.text(c.title), span };
    }
    if ('subheading' in block) {
      return { kind: 'subheading', title: notes.text(block.subheading), span };
    }
    if ('text' in block) {
      const t = typeof block.text === 'string' ? { text: block.text } : block.text;
      const items = buildItems(t.items ?? [], notes, spanAt, [...p, 'text', 'items'], 0);
      return { kind: 'paragraph', text: notes.text(t.text), items, span };
    }
    const t = typeof block.para === 'string' ? { text: block.para } : block.para;
    para = t.number ?? para + 1;
    const items = buildItems(t.items ?? [], notes, spanAt, [...p, 'para', 'items'], 0);
    const label = notes.words.numberLabel('paragraph', String(para), para);
    return { kind: 'paragraph', number: para, label, text: notes.text(t.text), items, span };
  });
}

/** "IV" → 4 (only for numerals the schema has already accepted). */
export function fromRoman(numeral: string): number {
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < numeral.length; i++) {
    const v = values[numeral[i] ?? ''] ?? 0;
    const next = values[numeral[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}
