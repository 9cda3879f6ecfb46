/**
 * The logical structure of a UN document as a tagged PDF shows it (ISO 32000-1 §14.8, PDF/UA-1):
 * which structure element each printed thing belongs to, in reading order. Built from the model
 * alone; the node builders (pdf/body.ts, pdf/furniture.ts) put each element's id on what they
 * print (`undocTag`), and pdf/tags.ts marks the drawing with it and writes the tree.
 *
 * Choices, so that a screen reader hears the document as it is read on paper:
 * - Numbered paragraphs are `P` with their number as their first words, as Word tags them in the
 *   issued documents: they are prose cited by number ("paragraph 12"), not items of one list (a
 *   heading between two of them would split such a list), and the number is read with its text.
 * - Sub-items "(a)", "(i)" are lists: `L` after their paragraph, each `LI` with its label as `Lbl`
 *   and its text as `LBody`; deeper items are an `L` inside the `LBody`.
 * - A footnote call is a `Reference` inside its paragraph, and the note a `Note` right after the
 *   first call (with the `/ID` PDF/UA asks of notes), so that the note is read where it is called.
 * - Headings: the title and each annex heading `H1`; an annex title `H2`; chapters `H2`, lettered
 *   headings `H3`, numbered ones `H4`, sub-headings one level under the heading before them; a
 *   level never skips one (a lettered heading straight after the annex heading is `H2`).
 * - Page 1's job number, barcode and QR code follow the masthead and the session columns, before
 *   the title: they identify the document as the masthead does.
 * - The emblem, the barcode and the QR code are `Figure`s with alternative text (the emblem's
 *   label from its SVG, the barcode's number, the QR code's address); the QR code sits in a `Link`
 *   with its annotation. Running headers, footers, page numbers, rules and the recycling mark are
 *   artifacts.
 * - Bookmarks: the title (the letter, or the report), each annex, and each chapter under its annex.
 */
import type { Block, Rich, SubItem, UnDocument } from '../../model.js';
import { plainText } from '../../model.js';

/** The standard structure types undoc writes (no role map needed). */
export type Role =
  | 'Document'
  | 'P'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'H4'
  | 'H5'
  | 'H6'
  | 'L'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Note'
  | 'Reference'
  | 'Figure'
  | 'Link';

/** Tags of drawn things that are not content: page furniture and decoration. */
export const ARTIFACT = {
  /** Running headers, footers, page numbers (PDF artifact type Pagination). */
  page: '~pagination',
  /** Rules and marks that only decorate (artifact type Layout). */
  layout: '~layout',
} as const;

/** The id every node builder puts on what it prints (`undocTag`), by element. */
export const TAG = {
  emblem: 'm.emblem',
  unitedNations: 'm.un',
  symbol: 'm.symbol',
  organ: (i: number) => `m.organ${i}`,
  distribution: (i: number) => `m.distr${i}`,
  /** A line of organ column `i`: "heading", `body${j}`, "session", "dates", "label", or `item${j}`. */
  column: (i: number, line: string) => `c${i}.${line}`,
  title: 'title',
  subtitle: 'subtitle',
  letter: (i: number) => `l${i}`,
  /** Line `line` of signature `i` (0: the name line). */
  signature: (i: number, line: number) => `s${i}.${line}`,
  /** An annex's "heading", "original", "title", "subtitle", "date" or "place". */
  annex: (i: number, part: string) => `x${i}.${part}`,
  /** A content block, by the key the body gives it (`b3`, `a0.12`). */
  block: (key: string) => key,
  itemLabel: (key: string) => `${key}#lbl`,
  itemBody: (key: string) => `${key}#body`,
  note: (id: string) => `n:${id}`,
  /** The heading of a document's endnotes. */
  endnotes: 'notes',
  jobNumber: 'f.job',
  barcode: 'f.barcode',
  qr: 'f.qr',
} as const;

/** Where a bookmark (outline item) sits: at the top, or under the last top-level one. */
export interface Bookmark {
  readonly title: string;
  readonly nested: boolean;
}

/** One structure element of the plan. */
export interface PlanNode {
  readonly role: Role;
  /** The `undocTag` of what is printed as this element's own content. */
  readonly id?: string;
  /** Alternative text (figures). */
  readonly alt?: string;
  /** The language of the element's text when it is not the document's (`/Lang`). */
  readonly lang?: string;
  /** A Note's footnote id (its `/ID`, and where its calls point). */
  readonly noteId?: string;
  readonly bookmark?: Bookmark;
  /** Elements after the element's own content (a list after its body, a figure in a link). */
  readonly children: readonly PlanNode[];
}

/** The structure of one document: its root and its elements by id. */
export interface StructurePlan {
  readonly root: PlanNode;
  readonly byId: ReadonlyMap<string, PlanNode>;
  /** The Note of each footnote id. */
  readonly notes: ReadonlyMap<string, PlanNode>;
}

const el = (role: Role, id?: string, extra: Partial<PlanNode> = {}): PlanNode => ({
  role,
  ...(id === undefined ? {} : { id }),
  children: [],
  ...extra,
});

function itemsList(items: readonly SubItem[], key: string): PlanNode[] {
  if (items.length === 0) return [];
  const lis = items.map((item, i) => {
    const k = `${key}.${i}`;
    return el('LI', undefined, {
      children: [
        el('Lbl', TAG.itemLabel(k)),
        el('LBody', TAG.itemBody(k), { children: itemsList(item.items, k) }),
      ],
    });
  });
  return [el('L', undefined, { children: lis })];
}

const HEADING: readonly Role[] = ['H1', 'H2', 'H3', 'H4', 'H5', 'H6'];

/** Heading levels of one part (a body or an annex) after its `H1`: never skipping a level. */
class Levels {
  private last: number;
  constructor(start: number) {
    this.last = start;
  }
  /** The role of a heading of nominal level `level` (1-based), after the ones before it. */
  next(level: number): Role {
    const at = Math.min(level, this.last + 1, HEADING.length);
    this.last = at;
    return HEADING[at - 1] ?? 'H6';
  }
  /** A sub-heading: one level under the heading before it. */
  under(): Role {
    return this.next(this.last + 1);
  }
}

const text = (r: Rich) => plainText(r).replace(/\s+/gu, ' ').trim();

function block(b: Block, key: string, levels: Levels, nested: boolean): PlanNode[] {
  switch (b.kind) {
    case 'chapter':
      return [
        el(levels.next(2), TAG.block(key), {
          bookmark: { title: `${b.label} ${text(b.title)}`, nested },
        }),
      ];
    case 'heading':
      return [el(levels.next(b.level + 2), TAG.block(key))];
    case 'subheading':
      return [el(levels.under(), TAG.block(key))];
    case 'paragraph':
      return [el('P', TAG.block(key)), ...itemsList(b.items, key)];
  }
}

function blocks(list: readonly Block[], prefix: string, levels: Levels, nested: boolean) {
  return list.flatMap((b, i) => block(b, `${prefix}${i}`, levels, nested));
}

/** The language the model says the distribution block is printed in, where it says one. */
export function distributionLanguage(doc: UnDocument): string | undefined {
  const language = (doc as { readonly distributionLanguage?: unknown }).distributionLanguage;
  return typeof language === 'string' ? language : undefined;
}

/** Tags of codes, set left to right in every language: symbol, job number, codes, pagination. */
const CODE_TAGS: ReadonlySet<string> = new Set([
  TAG.symbol,
  TAG.jobNumber,
  TAG.barcode,
  TAG.qr,
  ARTIFACT.page,
]);

/**
 * The paragraph direction of the text each tag prints (pdf/bidi.ts): codes left to right, the
 * distribution block in the direction of the language it is printed in, everything else in the
 * document's. `dirOf` gives a language's direction (its table's `dir`).
 */
export function directionOfTags(
  doc: UnDocument,
  dirOf: (language: string) => 'ltr' | 'rtl' | undefined,
): (tag: string | undefined) => 'ltr' | 'rtl' {
  const own = dirOf(doc.language) ?? 'ltr';
  const distribution = dirOf(distributionLanguage(doc) ?? doc.language) ?? own;
  const distributed = new Set(doc.distributionLines.map((_, i) => TAG.distribution(i)));
  return (tag) => {
    if (tag === undefined) return own;
    if (CODE_TAGS.has(tag)) return 'ltr';
    return distributed.has(tag) ? distribution : own;
  };
}

/** The structure of `doc`; `emblemAlt` is the emblem's alternative text. */
export function planStructure(doc: UnDocument, emblemAlt: string): StructurePlan {
  // An emblem without a label (its SVG's aria-label) is drawn as decoration: a figure needs one.
  const top: PlanNode[] = emblemAlt === '' ? [] : [el('Figure', TAG.emblem, { alt: emblemAlt })];
  top.push(el('P', TAG.unitedNations));
  top.push(el('P', TAG.symbol));
  doc.organs.forEach((_, i) => {
    top.push(el('P', TAG.organ(i)));
  });
  // The distribution block may be printed in another language (English in ru, zh and ar
  // versions): its lines say so, for a screen reader's voice.
  const inLanguage = distributionLanguage(doc);
  const lang = inLanguage === undefined || inLanguage === doc.language ? {} : { lang: inLanguage };
  doc.distributionLines.forEach((line, i) => {
    if (line !== '') top.push(el('P', TAG.distribution(i), lang));
  });
  doc.organs.forEach((o, i) => {
    if (o.columnHeading !== undefined) top.push(el('P', TAG.column(i, 'heading')));
    o.bodies.forEach((_, j) => {
      top.push(el('P', TAG.column(i, `body${j}`)));
    });
    if (o.session !== undefined) top.push(el('P', TAG.column(i, 'session')));
    if (o.sessionDates !== undefined) top.push(el('P', TAG.column(i, 'dates')));
    if (o.agendaLabel !== undefined) top.push(el('P', TAG.column(i, 'label')));
    o.agendaItems.forEach((_, j) => {
      top.push(el('P', TAG.column(i, `item${j}`)));
    });
  });
  // The job number and its codes identify the document as the masthead does; they are read
  // with it, before the title (page 1 holds both, so each page's tree keeps the reading order).
  const job = doc.jobNumber;
  if (job !== undefined) {
    top.push(el('P', TAG.jobNumber), el('Figure', TAG.barcode, { alt: job.barcode }));
  }
  // The QR code goes with the symbol, job number or not.
  const url = doc.symbols[0]?.url;
  if (url !== undefined) {
    top.push(el('Link', undefined, { children: [el('Figure', TAG.qr, { alt: url })] }));
  }
  top.push(el('H1', TAG.title, { bookmark: { title: text(doc.title), nested: false } }));
  if (doc.subtitle !== undefined) top.push(el('P', TAG.subtitle));
  doc.letter?.paragraphs.forEach((_, i) => {
    top.push(el('P', TAG.letter(i)));
  });
  doc.letter?.signatories.forEach((s, i) => {
    for (let line = 0; line <= s.titleLines.length; line++) {
      top.push(el('P', TAG.signature(i, line)));
    }
  });
  top.push(...blocks(doc.body, 'b', new Levels(1), true));
  doc.annexes.forEach((a, i) => {
    top.push(
      el('H1', TAG.annex(i, 'heading'), { bookmark: { title: text(a.heading), nested: false } }),
    );
    if (a.originalNote !== undefined) top.push(el('P', TAG.annex(i, 'original')));
    const levels = new Levels(1);
    if (a.title !== undefined) top.push(el(levels.next(2), TAG.annex(i, 'title')));
    if (a.subtitle !== undefined) top.push(el('P', TAG.annex(i, 'subtitle')));
    if (a.dateLine !== undefined) top.push(el('P', TAG.annex(i, 'date')));
    if (a.placeDate !== undefined) top.push(el('P', TAG.annex(i, 'place')));
    top.push(...blocks(a.blocks, `a${i}.`, levels, true));
  });
  if (doc.footnotes.some((n) => n.endnote)) top.push(el('P', TAG.endnotes));
  const notes = new Map<string, PlanNode>();
  for (const n of doc.footnotes) notes.set(n.id, el('Note', TAG.note(n.id), { noteId: n.id }));
  const root = el('Document', undefined, { children: top });
  const byId = new Map<string, PlanNode>();
  const index = (n: PlanNode) => {
    if (n.id !== undefined) byId.set(n.id, n);
    n.children.forEach(index);
  };
  index(root);
  for (const n of notes.values()) index(n);
  return { root, byId, notes };
}
