/**
 * A Word file to a document model, then to a source (source-of.ts). Two readers share one
 * paragraph classifier:
 * - undoc's own DOCX carries its metadata invisibly (docx/meta.ts): the codes and dates behind
 *   the masthead, footnote ids, which optional lines exist; the words come from the page, so an
 *   edit made in Word comes back;
 * - any other Word file in the Secretariat's house styles (SingleTxt_G, HCh_G, H1_G, H23_G …) or
 *   Word's built-in headings: the masthead is read from its table and first lines, the first
 *   heading is the title, the rest is the body of a report.
 * Numbers typed in the text ("12.<tab>", "(a)<tab>", "II.<tab>") become structure, never text:
 * paragraph numbers follow the loader's numbering (an added paragraph is numbered in its place),
 * except a restart at 1. A paragraph in a style undoc does not know is read by its formatting and
 * named in a warning; nothing is dropped.
 */
import type { Element } from '@xmldom/xmldom';
import { fromRoman, itemLabel, languageFurniture, roman as romanOf } from '../load/build.js';
import { Furniture } from '../load/furniture.js';
import { parseInline } from '../load/inline.js';
import type {
  Annex,
  Block,
  DocDate,
  Footnote,
  Inline,
  LanguageCode,
  Rich,
  Signatory,
  SubItem,
  UnDocument,
} from '../model.js';
import { type DocxMeta, META_PROPERTY, META_VERSION } from '../render/docx/meta.js';
import { loadLanguageTables } from '../resources.js';
import type { LanguageTables, NumberingKind } from '../style/language.js';
import { FurnitureReader } from './furniture-read.js';
import { DocxError, type DocxPackage } from './package.js';
import {
  endnoteKey,
  readParagraphs,
  readStyles,
  refuseChanges,
  runText,
  type TrackedPolicy,
  W,
  type WordParagraph,
  type WordRun,
} from './word.js';

/** A warning about the import, naming the paragraph it concerns. */
export interface ImportWarning {
  readonly where: string;
  readonly message: string;
}

const SPAN = { line: 0, col: 0 } as const;
const date = (iso: string): DocDate => ({ iso, text: iso });

/** Reads the `undoc` custom property, if the file is undoc's own. */
function readMeta(pkg: DocxPackage): DocxMeta | undefined {
  const props = pkg.custom?.getElementsByTagName('property');
  for (let i = 0; props && i < props.length; i++) {
    const p = props.item(i);
    if (p?.getAttribute('name') !== META_PROPERTY) continue;
    let meta: unknown;
    try {
      meta = JSON.parse(p.textContent ?? '');
    } catch {
      throw new DocxError('bad-docx', `the ${META_PROPERTY} document property is not valid JSON`);
    }
    if (typeof meta !== 'object' || meta === null || (meta as DocxMeta).version !== META_VERSION) {
      throw new DocxError(
        'bad-docx',
        `the ${META_PROPERTY} document property is of another undoc version`,
        'import it with the undoc that wrote it',
      );
    }
    return meta as DocxMeta;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Runs to inline content

/** Inline content from runs; tabs are spaces; `noteId` names a call from its Word id. */
function rich(runs: readonly WordRun[], noteId: (wid: string) => string): Rich {
  const out: Inline[] = [];
  for (const r of runs) {
    if (r.kind === 'note') {
      out.push({
        kind: 'noteRef',
        id: noteId(r.id),
        number: 0,
        mark: '',
        ...(r.endnote === true ? { endnote: true } : {}),
      });
      continue;
    }
    const text = r.kind === 'tab' ? ' ' : r.text;
    const b = r.kind === 'text' && r.b;
    const i = r.kind === 'text' && r.i;
    let node: Inline = { kind: 'text', text };
    if (b) node = { kind: 'bold', children: [node] };
    if (i) node = { kind: 'italic', children: [node] };
    out.push(node);
  }
  return out;
}

/** Leading tabs, the label before the next tab, and the runs after it ("(a)", "12.", "II."). */
function prefix(runs: readonly WordRun[]): { tabs: number; label: string; rest: WordRun[] } {
  let k = 0;
  let tabs = 0;
  while (k < runs.length) {
    const r = runs[k];
    if (r?.kind === 'tab') tabs++;
    else if (!(r?.kind === 'text' && r.text.trim() === '')) break;
    k++;
  }
  let label = '';
  let j = k;
  for (; j < runs.length; j++) {
    const r = runs[j];
    if (r?.kind === 'tab') break;
    if (r?.kind !== 'text') return { tabs, label: '', rest: runs.slice(k) };
    label += r.text;
    if (label.length > 16) return { tabs, label: '', rest: runs.slice(k) };
  }
  if (j >= runs.length) return { tabs, label: '', rest: runs.slice(k) };
  return { tabs, label: label.trim(), rest: runs.slice(j + 1) };
}

const sectionOf = (n: number) => itemLabel(2, n).slice(0, -1).toUpperCase();

const blank = (p: WordParagraph) =>
  runText(p.runs).trim() === '' && !p.runs.some((r) => r.kind === 'note');

// ---------------------------------------------------------------------------------------------
// Blocks

/** Sub-item labels in the document's language: which typed labels are one, and the loader's. */
interface SubItemLabels {
  isLabel(label: string): boolean;
  label(depth: number, n: number): string;
  /** The number a chapter's, heading's or paragraph's printed label stands for ("IV", "B", "12"). */
  number(kind: NumberingKind, label: string): string | undefined;
  /** That number as the document's language prints it ("IV.", "رابعا -"). */
  numberLabel(kind: NumberingKind, shown: string, n: number | undefined): string;
}

/** Mutable versions of the model's blocks, while they are being read. */
type MutableItem = { label: string; text: Rich; items: MutableItem[]; span: typeof SPAN };
type MutablePara = {
  kind: 'paragraph';
  number?: number;
  label?: string;
  text: Rich;
  items: MutableItem[];
  span: typeof SPAN;
};

class BlockReader {
  readonly blocks: Block[] = [];
  private para = 0;
  private chapter = 0;
  private section = 0;
  constructor(
    private readonly noteId: (wid: string) => string,
    private readonly warn: (p: WordParagraph, message: string) => void,
    private readonly where: string,
    private readonly labels: SubItemLabels,
    /** Numbers that skip on purpose (an excerpt's original numbers), from undoc's metadata. */
    private readonly skips: ReadonlySet<number> = new Set(),
  ) {}

  private lastPara(): MutablePara | undefined {
    const b = this.blocks[this.blocks.length - 1];
    return b?.kind === 'paragraph' ? (b as MutablePara) : undefined;
  }

  /** Reads one paragraph into a block (or a sub-item of the last paragraph). */
  add(p: WordParagraph): void {
    if (blank(p)) return;
    const r = (runs: readonly WordRun[]) => rich(runs, this.noteId);
    const { tabs, label, rest } = prefix(p.runs);
    const number = this.labels.number('paragraph', label);
    const letter = this.labels.number('section', label);
    const subsection = this.labels.number('subsection', label);
    const heading = p.role === 'chapter' || p.role === 'h1' || p.role === 'h2';
    if (p.table !== undefined) {
      this.push({ kind: 'paragraph', text: r(p.runs), items: [], span: SPAN });
      return;
    }
    const roman = this.labels.number('chapter', label) ?? '';
    const chapter = (n: number): Block => ({
      kind: 'chapter',
      number: roman,
      label: this.labels.numberLabel('chapter', roman, n),
      title: r(rest),
      span: SPAN,
    });
    if (p.role === 'chapter' && roman !== '') {
      this.chapter = fromRoman(roman);
      this.section = 0;
      this.blocks.push(chapter(this.chapter));
      return;
    }
    // Geneva files number chapters in H1_G too: a Roman numeral that continues the chapters.
    if (
      heading &&
      roman !== '' &&
      roman === romanOf(this.chapter + 1) &&
      letter !== sectionOf(this.section + 1)
    ) {
      this.chapter += 1;
      this.section = 0;
      this.blocks.push(chapter(this.chapter));
      return;
    }
    if (p.role === 'h1' && letter) {
      this.section += 1;
      const n = letter === sectionOf(this.section) ? this.section : undefined;
      const shown = this.labels.numberLabel('section', letter, n);
      this.blocks.push({
        kind: 'heading',
        level: 1,
        number: letter,
        label: shown,
        title: r(rest),
        span: SPAN,
      });
      return;
    }
    if (p.role === 'h2' && subsection) {
      const shown = this.labels.numberLabel('subsection', subsection, Number(subsection));
      this.blocks.push({
        kind: 'heading',
        level: 2,
        number: subsection,
        label: shown,
        title: r(rest),
        span: SPAN,
      });
      return;
    }
    if (heading || p.role === 'subheading' || p.role === 'title') {
      this.blocks.push({ kind: 'subheading', title: r(p.runs), span: SPAN });
      return;
    }
    if (p.role === 'unknown') {
      const words = p.runs.filter((x) => x.kind === 'text' && x.text.trim() !== '');
      const bold =
        words.length > 0 && (p.styleBold || words.every((x) => x.kind === 'text' && x.b));
      this.warn(
        p,
        `style "${p.styleName}" is not one undoc knows: read as ${bold ? 'a sub-heading (its text is bold)' : 'a paragraph'}`,
      );
      if (bold) {
        this.blocks.push({ kind: 'subheading', title: r(p.runs), span: SPAN });
        return;
      }
    }
    if (tabs === 0 && number) {
      const n = Number(number);
      const expected = this.para + 1;
      const restart = n === 1 && this.para > 0;
      const skip = n > expected && this.skips.has(n);
      if (n !== expected && !restart && !skip) {
        this.warn(p, `typed as paragraph ${n}: numbered ${expected}, in its place`);
      }
      this.para = restart ? 1 : skip ? n : expected;
      this.push({ kind: 'paragraph', number: this.para, text: r(rest), items: [], span: SPAN });
      return;
    }
    if (tabs >= 1 && this.labels.isLabel(label)) {
      const depth = Math.min(tabs, 3);
      let list = this.lastPara()?.items;
      for (let d = 1; list && d < depth; d++) list = list[list.length - 1]?.items;
      if (list) {
        list.push({ label, text: r(rest), items: [], span: SPAN });
        return;
      }
    }
    if (p.autoNumbered && p.role === 'body') {
      this.para += 1;
      this.push({ kind: 'paragraph', number: this.para, text: r(p.runs), items: [], span: SPAN });
      return;
    }
    this.push({ kind: 'paragraph', text: r(p.runs), items: [], span: SPAN });
  }

  private push(b: MutablePara): void {
    if (b.number !== undefined) {
      b.label = this.labels.numberLabel('paragraph', String(b.number), b.number);
    }
    this.blocks.push(b as Block);
  }

  /** The blocks, sub-item labels as the loader gives them (the typed ones may be edited). */
  done(): Block[] {
    const relabel = (items: MutableItem[], depth: number): SubItem[] =>
      items.map((it, k) => ({
        ...it,
        label: this.labels.label(depth, k + 1),
        items: relabel(it.items, depth + 1),
      }));
    return this.blocks.map((b) =>
      b.kind === 'paragraph' ? { ...b, items: relabel(b.items as MutableItem[], 0) } : b,
    );
  }

  /** Names the reader's place for warnings. */
  get scope(): string {
    return this.where;
  }
}

// ---------------------------------------------------------------------------------------------
// Footnotes

/** The footnotes and endnotes parts' notes (endnotes under their `endnoteKey`), as runs. */
function readNotes(pkg: DocxPackage, policy: TrackedPolicy, customMarks: ReadonlySet<string>) {
  const out = new Map<string, WordRun[]>();
  let changes = 0;
  let first: string | undefined;
  const styles = new Map();
  const parts = [
    { root: pkg.footnotes?.documentElement, element: 'footnote', key: (id: string) => id },
    { root: pkg.endnotes?.documentElement, element: 'endnote', key: endnoteKey },
  ];
  for (const { root, element, key } of parts) {
    for (let c = root?.firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== 1) continue;
      const e = c as Element;
      if (e.localName !== element) continue;
      const type = e.getAttributeNS(W, 'type');
      if (type && type !== 'normal') continue;
      const id = key(e.getAttributeNS(W, 'id') ?? '');
      const read = readParagraphs(e, styles, policy, `${element} ${id}`);
      changes += read.changes;
      first ??= read.firstChange;
      const runs: WordRun[] = [];
      for (const p of read.paragraphs) {
        if (runs.length > 0) runs.push({ kind: 'text', text: ' ', b: false, i: false });
        runs.push(...p.runs);
      }
      // The note's own mark (Word's footnoteRef, or a custom mark such as "*") and its tab; an
      // editor may write a custom mark without the tab (LibreOffice).
      const tab = runs.findIndex((r) => r.kind === 'tab');
      if (tab >= 0 && runText(runs.slice(0, tab)).trim().length <= 3) {
        runs.splice(0, tab + 1);
        // LibreOffice writes a custom mark twice, before and after the tab.
        const first = runs[0];
        if (first?.kind === 'text' && customMarks.has(id) && /^\*+/.test(first.text)) {
          runs[0] = { ...first, text: first.text.replace(/^\*+\s*/, '') };
        }
      } else {
        const first = runs[0];
        if (first?.kind === 'text' && /^\*+/.test(first.text) && customMarks.has(id)) {
          runs[0] = { ...first, text: first.text.replace(/^\*+\s*/, '') };
        }
      }
      out.set(id, runs);
    }
  }
  return { notes: out, changes, ...(first ? { firstChange: first } : {}) };
}

// ---------------------------------------------------------------------------------------------
// The masthead of a Word file not written by undoc

interface Masthead {
  organ?: string;
  docNumber?: string;
  distribution?: string;
  docDate?: string;
  original?: LanguageCode;
  language?: LanguageCode;
  session?: string;
  /** Lines kept as text at the start of the body. */
  rest: string[];
}

/**
 * The masthead lines of a Word file undoc did not write, in any of the six languages: symbol,
 * organ, distribution, date, original language, the version's language, session.
 */
function readMasthead(lines: readonly string[], read: FurnitureReader): Masthead {
  const m: Masthead = { rest: [] };
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line === '' || Object.values(read.tables).some((t) => t.unitedNations === line)) continue;
    const distribution = m.distribution ? undefined : read.distribution(line);
    const docDate = m.docDate ? undefined : read.date(line);
    const original = m.original ? undefined : read.original(line);
    const language = m.language ? undefined : read.versionLanguage(line);
    if (!m.docNumber && /^[A-Z]{1,5}(\/[A-Za-z0-9.]+)+$/.test(line) && line.includes('/')) {
      m.docNumber = line;
    } else if (!m.organ && read.isOrgan(line)) m.organ = line;
    else if (distribution) m.distribution = distribution;
    else if (docDate) m.docDate = docDate;
    else if (original) m.original = original;
    else if (language) m.language = language;
    else if (!m.session && read.isSession(line)) m.session = line;
    else m.rest.push(line);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------

/** Options of an import. */
export interface ImportOptions {
  /** What to do with tracked changes. */
  readonly tracked: TrackedPolicy;
  /** The source's name (the model's name: outputs are named after it). */
  readonly name: string;
  /** The language tables labels are read back with (default: the package's). */
  readonly tables?: LanguageTables;
}

/** Reads a Word package into a document model; warnings name what was read approximately. */
export function modelOfDocx(
  pkg: DocxPackage,
  options: ImportOptions,
): { doc: UnDocument; warnings: ImportWarning[] } {
  const warnings: ImportWarning[] = [];
  const languageTables: LanguageTables = options.tables ?? loadLanguageTables();
  const furniture = new FurnitureReader(languageTables, romanOf);
  const meta = readMeta(pkg);
  const styles = readStyles(pkg.styles);
  const body = pkg.document.getElementsByTagNameNS(W, 'body').item(0);
  if (!body) throw new DocxError('bad-docx', 'word/document.xml has no body');
  const read = readParagraphs(body, styles, options.tracked, 'paragraph');
  const customMarks = new Set(
    read.paragraphs.flatMap((p) =>
      p.runs.flatMap((r) => (r.kind === 'note' && r.custom ? [r.id] : [])),
    ),
  );
  const notesRead = readNotes(pkg, options.tracked, customMarks);
  refuseChanges(
    read.changes + notesRead.changes,
    read.firstChange ?? notesRead.firstChange,
    options.tracked,
  );
  const paras = read.paragraphs;
  const warn = (p: WordParagraph, message: string) => {
    const text = runText(p.runs).replace(/\s+/g, ' ').trim();
    warnings.push({
      where: `paragraph ${p.index} (“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”)`,
      message,
    });
  };

  // Footnote ids. Word keeps its footnote ids when it saves; LibreOffice renumbers them. So
  // undoc's own ids are taken by Word id when every call's id is one undoc wrote, else by the
  // order of first calls (the order undoc numbered them in); other files' notes are n1, n2 …
  const calls: string[] = [];
  const called = (runs: readonly WordRun[]) => {
    for (const r of runs) if (r.kind === 'note' && !calls.includes(r.id)) calls.push(r.id);
  };
  for (const p of paras) called(p.runs);
  for (const runs of notesRead.notes.values()) called(runs);
  // undoc numbers footnotes and endnotes in one sequence and gives each its number as Word id.
  const metaKey = (wid: string) => wid.replace(/^e/u, '');
  const byWordId =
    meta !== undefined && calls.every((wid) => meta.notes[metaKey(wid)] !== undefined);
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const noteId = (wid: string): string => {
    const known = ids.get(wid);
    if (known) return known;
    const order = calls.indexOf(wid) + 1;
    let id = (byWordId ? meta?.notes[metaKey(wid)] : meta?.notes[String(order)]) ?? `n${order}`;
    while (taken.has(id)) id = `${id}x`;
    ids.set(wid, id);
    taken.add(id);
    return id;
  };

  let k = 0;
  const at = () => paras[k];
  const isAnnexStart = (p: WordParagraph) =>
    p.role === 'chapter' &&
    (p.pageBreakBefore || (meta !== undefined && prefix(p.runs).label === '')) &&
    !blank(p);
  const isHeading = (p: WordParagraph | undefined) =>
    !!p && (p.role === 'chapter' || p.role === 'h1' || p.role === 'h2' || p.role === 'title');
  const text = (p: WordParagraph) => rich(p.runs, noteId);
  // A heading's leading tabs (the house styles indent with them) are not text.
  const trimmed = (p: WordParagraph) => {
    const pre = prefix(p.runs);
    return rich(pre.label === '' ? pre.rest : p.runs, noteId);
  };
  // The masthead's notes are called first (the provisional-agenda note).
  const mastheadCalls: string[] = [];
  for (const p of paras) {
    if (isHeading(p)) break;
    for (const r of p.runs) if (r.kind === 'note') mastheadCalls.push(r.id);
  }
  const organsOfMeta = meta?.docAuthority.map((o) => organOf(o, meta, noteId, mastheadCalls));

  // The masthead: tables and plain paragraphs before the title.
  const mastheadLines: string[] = [];
  while (at() && !isHeading(at())) {
    const p = at() as WordParagraph;
    if (p.table !== undefined) mastheadLines.push(...runText(p.runs).split('\t'));
    else mastheadLines.push(runText(p.runs));
    k++;
  }
  const titlePara = at();
  if (!titlePara)
    throw new DocxError('bad-docx', 'no title found: no heading paragraph in the document');
  k++;
  const title = trimmed(titlePara);
  let subtitle: Rich | undefined;
  if (meta?.subtitle && isHeading(at())) {
    subtitle = trimmed(at() as WordParagraph);
    k++;
  }

  const masthead = meta ? undefined : readMasthead(mastheadLines, furniture);
  const language: LanguageCode = meta?.language ?? masthead?.language ?? masthead?.original ?? 'en';
  const words = new Furniture(languageTables, language);
  const subItems: SubItemLabels = {
    isLabel: (label) => furniture.isItemLabel(language, label),
    label: (depth, n) => words.itemLabel(depth, n, romanOf),
    number: (kind, label) => words.readNumber(kind, label, romanOf),
    numberLabel: (kind, shown, n) => words.numberLabel(kind, shown, n),
  };
  if (meta) {
    // The masthead's codes come from the document property; an edit made to them on the page
    // is not taken, but never passes unnoticed either.
    const shown = mastheadLines.join(' ').replace(/\s+/g, '');
    const expected = meta.docAuthority.flatMap((o) => [
      ...(o.docNumber ? [['symbol', o.docNumber]] : []),
      ['organ', o.organ],
      ...(o.bodies ?? []).map((b) => ['bodies', b]),
      ...(o.session ? [['session', o.session]] : []),
      ...(o.sessionDates ? [['sessionDates', o.sessionDates]] : []),
    ]);
    for (const [what, value] of expected) {
      if (value && !shown.includes(value.replace(/\s+/g, ''))) {
        warnings.push({
          where: 'masthead',
          message: `the ${what} “${value}” is no longer on the page; the masthead is taken from the document's undoc property: edit ${what === 'symbol' ? 'docNumber' : what} in the source instead`,
        });
      }
    }
  }
  const reader = new BlockReader(noteId, warn, 'body', subItems, new Set(meta?.bodySkips ?? []));
  if (masthead && masthead.rest.length > 0) {
    warnings.push({
      where: 'masthead',
      message: `lines undoc has no masthead field for are kept as the first paragraphs of the body: ${masthead.rest.map((l) => `“${l}”`).join(', ')}`,
    });
  }

  // The letter and its signatures (undoc's own letters).
  let letter: UnDocument['letter'];
  if (meta?.letter) {
    const paragraphs: { text: Rich; span: typeof SPAN }[] = [];
    while (
      at() &&
      (at() as WordParagraph).role === 'body' &&
      at()?.align !== 'right' &&
      prefix((at() as WordParagraph).runs).label === '' &&
      !isAnnexStart(at() as WordParagraph)
    ) {
      const p = at() as WordParagraph;
      if (!blank(p)) paragraphs.push({ text: text(p), span: SPAN });
      k++;
    }
    const signatories: Signatory[] = [];
    const signedMark = furniture.signedMark(language);
    while (
      at() &&
      (at() as WordParagraph).role === 'body' &&
      at()?.align === 'right' &&
      !(meta.annexes.length > 0 && false)
    ) {
      const p = at() as WordParagraph;
      k++;
      if (blank(p)) continue;
      const boldRuns = p.runs.filter((r) => r.kind === 'text' && r.b && r.text !== '');
      const current = signatories[signatories.length - 1] as
        | (Signatory & { titleLines: Rich[] })
        | undefined;
      if (boldRuns.length > 0 || !current) {
        // "(Signed) Given Surname": the surname is the bold run, the given names before it; or
        // "(Signed) Surname Given" (a name written surname first): the given names after it.
        const all = runText(p.runs);
        const isBold = (r: (typeof p.runs)[number]) => r.kind === 'text' && r.b && r.text !== '';
        const firstBold = p.runs.findIndex(isBold);
        const lastBold = p.runs.findLastIndex(isBold);
        const before = runText(firstBold < 0 ? p.runs : p.runs.slice(0, firstBold));
        // The parts are joined as the language table says: "Andrei Dapkiunas", "安德烈·达普基乌纳斯".
        const { names } = words.table;
        const after = withoutAffix(
          firstBold < 0 ? '' : runText(p.runs.slice(lastBold + 1)).trim(),
          names['surname-first'],
          'start',
        );
        const signed = before.startsWith(signedMark);
        const surname = boldRuns.map((r) => (r.kind === 'text' ? r.text : '')).join('');
        const beforeName = withoutAffix(
          (signed ? before.slice(signedMark.length) : before).replace(/^ /, ''),
          names['given-first'],
          'end',
        );
        const surnameFirst = beforeName === '' && after !== '';
        const given = surnameFirst ? after : beforeName;
        const i = signatories.length;
        const forWhom = meta.signatoriesFor[i] ?? '';
        signatories.push({
          signed,
          givenNames: given,
          surname: surname === '' ? all.trim() : surname,
          nameOrder: surnameFirst ? 'surname-first' : 'given-first',
          nameSeparator: names[surnameFirst ? 'surname-first' : 'given-first'],
          titleLines: [],
          ...(forWhom !== '' ? { for: forWhom } : {}),
          span: SPAN,
        });
      } else {
        current.titleLines.push(text(p));
      }
    }
    letter = { paragraphs, signatories };
  }

  if (masthead) {
    for (const line of masthead.rest)
      reader.add({
        index: 0,
        styleId: 'Masthead',
        styleName: 'masthead',
        role: 'body',
        styleBold: false,
        runs: [{ kind: 'text', text: line, b: false, i: false }],
        align: '',
        pageBreakBefore: false,
        autoNumbered: false,
      });
  }
  const tables = new Set<number>();
  while (at() && !isAnnexStart(at() as WordParagraph)) {
    const p = at() as WordParagraph;
    if (p.table !== undefined && !tables.has(p.table)) {
      tables.add(p.table);
      warn(p, `table ${p.table} is read as one unnumbered paragraph per row (undoc has no tables)`);
    }
    reader.add(p);
    k++;
  }

  // Annexes.
  const annexes: Annex[] = [];
  while (at()) {
    const head = at() as WordParagraph;
    k++;
    const shape = meta?.annexes[annexes.length];
    const a: {
      heading: Rich;
      title?: Rich;
      subtitle?: Rich;
      dateLine?: Rich;
      placeDate?: Rich;
      originalLanguage?: LanguageCode;
      originalNote?: string;
    } = {
      heading: trimmed(head),
    };
    const next = at();
    const note = next?.align === 'right' ? runText(next.runs).trim() : '';
    const noted = note === '' ? undefined : furniture.annexOriginal(note, language);
    if (shape ? shape.originalLanguage !== undefined : noted !== undefined) {
      // The page's note is kept as printed; its language is the metadata's, else the note's.
      const original = shape?.originalLanguage ?? noted;
      if (original) a.originalLanguage = original;
      a.originalNote = note;
      k++;
    }
    const unnumberedHeading = (p: WordParagraph | undefined) =>
      !!p && p.role === 'h1' && prefix(p.runs).label === '';
    if ((shape ? shape.title : false) && unnumberedHeading(at())) {
      a.title = trimmed(at() as WordParagraph);
      k++;
    }
    if (shape?.subtitle && unnumberedHeading(at())) {
      a.subtitle = trimmed(at() as WordParagraph);
      k++;
    }
    if (shape?.dateLine && at()?.role === 'body' && at()?.align === 'right') {
      a.dateLine = text(at() as WordParagraph);
      k++;
    }
    if (
      shape?.placeDate &&
      at()?.role === 'body' &&
      prefix((at() as WordParagraph).runs).label === ''
    ) {
      a.placeDate = text(at() as WordParagraph);
      k++;
    }
    const annexReader = new BlockReader(
      noteId,
      warn,
      `annex ${annexes.length + 1}`,
      subItems,
      new Set(shape?.skips ?? []),
    );
    while (at() && !isAnnexStart(at() as WordParagraph)) {
      annexReader.add(at() as WordParagraph);
      k++;
    }
    annexes.push({ ...a, blocks: annexReader.done(), span: SPAN });
  }

  // Footnotes in the order of their ids' first use, with their texts. A footnote with a custom
  // mark ("*") is a starred note; Word's endnotes are endnotes.
  const footnotes: Footnote[] = [];
  const noteOf = (wid: string, id: string, runs: readonly WordRun[]): Footnote => ({
    id,
    number: footnotes.length + 1,
    mark: customMarks.has(wid) ? '*' : '',
    text: rich(runs, noteId),
    endnote: wid.startsWith('e'),
  });
  const used = new Map(ids);
  for (const [wid, id] of used) {
    const runs = notesRead.notes.get(wid);
    if (!runs) {
      warnings.push({
        where: `footnote ${wid}`,
        message: 'called in the text but missing from the footnotes part: left out',
      });
      continue;
    }
    footnotes.push(noteOf(wid, id, runs));
  }
  // A note called only from another note is numbered after it.
  for (const [wid, id] of ids) {
    if (used.has(wid)) continue;
    const runs = notesRead.notes.get(wid);
    if (runs) footnotes.push(noteOf(wid, id, runs));
  }
  const endnotes = footnotes.some((n) => n.endnote);
  // undoc sets a document's numbered notes one way: Word's numbered footnotes beside its endnotes
  // are read as endnotes, each named.
  if (endnotes) {
    for (const n of footnotes) {
      if (n.endnote || n.mark !== '') continue;
      warnings.push({
        where: `footnote ${n.id}`,
        message:
          'a numbered footnote in a document with endnotes: read as an endnote (undoc sets a document’s numbered notes all one way)',
      });
    }
  }

  const docDateIso = meta?.docDate ?? masthead?.docDate;
  if (!docDateIso) {
    throw new DocxError(
      'bad-docx',
      'no distribution date found in the masthead (a line such as “8 February 2018”)',
      'add it in Word, or write docDate in the source by hand',
    );
  }
  const organs = organsOfMeta
    ? organsOfMeta
    : [
        {
          name: masthead?.organ ?? 'General Assembly',
          bodies: [],
          ...(masthead?.session ? { session: masthead.session } : {}),
          agendaItems: [],
        },
      ];
  if (masthead && !masthead.organ) {
    warnings.push({
      where: 'masthead',
      message:
        'no organ found in the masthead: “General Assembly” was written; correct docAuthority',
    });
  }
  const symbols = (
    meta
      ? meta.docAuthority.flatMap((o) => (o.docNumber ? [o.docNumber] : []))
      : masthead?.docNumber
        ? [masthead.docNumber]
        : []
  ).map((s) => {
    const slash = s.indexOf('/');
    return {
      text: s,
      series: s.slice(0, slash),
      rest: s.slice(slash),
      url: `https://undocs.org/${s}`,
    };
  });
  const blocksOfBody = reader.done();
  const job = meta?.docketNumber ? jobOf(meta.docketNumber) : undefined;
  const docType = meta?.docType ?? 'report';
  const original = meta?.originalLanguage ?? masthead?.original ?? language;
  const doc: UnDocument = {
    name: options.name,
    style: (meta?.style ?? (isA4(pkg) ? 'geneva' : 'ny')) as UnDocument['style'],
    docType,
    language,
    originalLanguage: original,
    originalLanguages: meta?.originalLanguages ?? [original],
    ...languageFurniture(language, languageTables),
    organs,
    symbols,
    distribution: meta?.distribution ?? masthead?.distribution ?? 'General',
    date: date(docDateIso),
    distributionLines: [],
    ...(job ? { jobNumber: job } : {}),
    title,
    ...(subtitle ? { subtitle } : {}),
    ...(meta?.senderDate ? { senderDate: date(meta.senderDate) } : {}),
    ...(letter ? { letter } : {}),
    annexes,
    body: blocksOfBody,
    footnotes,
    notes: endnotes ? 'endnotes' : 'footnotes',
    keywords: meta?.keywords ?? [],
  };
  return { doc, warnings };
}

/** `text` without `affix` at its start or end (an empty affix: the text as it is). */
function withoutAffix(text: string, affix: string, at: 'start' | 'end'): string {
  if (affix === '') return text;
  if (at === 'start') return text.startsWith(affix) ? text.slice(affix.length) : text;
  return text.endsWith(affix) ? text.slice(0, -affix.length) : text;
}

/** An organ from the metadata: agenda titles parsed, calls named through the Word ids. */
function organOf(
  o: DocxMeta['docAuthority'][number],
  meta: DocxMeta,
  noteId: (wid: string) => string,
  mastheadCalls: string[],
): UnDocument['organs'][number] {
  // The masthead's calls in their order on the page (label, then agenda titles): Word ids are
  // not stable across editors, their order is.
  const call = (id: string): string => {
    const wid = mastheadCalls.shift() ?? Object.entries(meta.notes).find(([, v]) => v === id)?.[0];
    return wid ? noteId(wid) : id;
  };
  const provisional = o.provisionalAgenda?.id;
  const label = provisional
    ? ([{ kind: 'noteRef', id: call(provisional), number: 0, mark: '*' }] as Rich)
    : undefined;
  const parse = (text: string): Rich =>
    parseInline(
      text,
      (id) => ({ number: 0, mark: '', id: call(id) }) as { number: number; mark: string },
    );
  const items = (o.agendaItems ?? []).map((a) => ({ number: a.number, title: parse(a.title) }));
  return {
    name: o.organ,
    bodies: o.bodies ?? [],
    ...(o.session ? { session: o.session } : {}),
    ...(o.sessionDates ? { sessionDates: o.sessionDates } : {}),
    ...(label ? { agendaLabel: label } : {}),
    agendaItems: items,
  };
}

function jobOf(line: string): UnDocument['jobNumber'] {
  const m = /^(\d{2}-\d{5})(\*?) \(([A-Z])\) (\d{6})(?: (\d{6}))?$/.exec(line);
  if (!m) return undefined;
  const [, number = '', star = '', letter = '', first = '', second] = m;
  const dates = second ? [first, second] : [first];
  return {
    number,
    letter,
    dates,
    reissue: star === '*',
    line,
    short: `${number}${star}`,
    barcode: number.replace('-', ''),
  };
}

/** Whether the first section's page is A4 (Geneva) rather than US Letter (New York). */
function isA4(pkg: DocxPackage): boolean {
  const size = pkg.document.getElementsByTagNameNS(W, 'pgSz').item(0);
  const width = Number(size?.getAttributeNS(W, 'w') ?? 0);
  return Math.abs(width - 11906) < 60;
}
