/**
 * WordprocessingML read into paragraphs: each with its style (id, name and the role undoc gives
 * it), alignment, page break, and its runs as inline content (italic, bold, tabs, footnote calls).
 * Tracked changes are counted, and accepted or rejected as a whole when asked; tables become one
 * paragraph per row, cells joined, so that no word is dropped.
 */
import type { Element, Node, Document as XmlDocument } from '@xmldom/xmldom';
import { DocxError } from './package.js';

/** The WordprocessingML namespace. */
export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** What to do with tracked changes: refuse the file (default), or accept or reject them all. */
export type TrackedPolicy = 'refuse' | 'accept' | 'reject';

/**
 * A run of text with its emphasis, a tab, or a note call: a footnote by its Word id, an endnote
 * by its Word id after "e" (the two parts number their notes apart).
 */
export type WordRun =
  | { readonly kind: 'text'; readonly text: string; readonly b: boolean; readonly i: boolean }
  | { readonly kind: 'tab' }
  | {
      readonly kind: 'note';
      readonly id: string;
      readonly custom?: boolean;
      readonly endnote?: boolean;
    };

/** The importer's id of Word endnote `id` (footnotes keep theirs). */
export const endnoteKey = (id: string): string => `e${id}`;

/** What undoc reads a paragraph style as. */
export type Role = 'body' | 'chapter' | 'h1' | 'h2' | 'subheading' | 'title' | 'normal' | 'unknown';

/** One paragraph (or one table row), in reading order. */
export interface WordParagraph {
  /** 1-based position among the body's paragraphs, as a reader counts them in warnings. */
  readonly index: number;
  readonly styleId: string;
  readonly styleName: string;
  readonly role: Role;
  /** The style sets bold for the whole paragraph. */
  readonly styleBold: boolean;
  readonly runs: readonly WordRun[];
  readonly align: string;
  readonly pageBreakBefore: boolean;
  /** Word's automatic numbering (w:numPr): the number is not in the text. */
  readonly autoNumbered: boolean;
  /** Set for a table row: its table's 1-based number in the body. */
  readonly table?: number;
}

const el = (n: Node | null | undefined): Element | undefined =>
  n && n.nodeType === 1 ? (n as Element) : undefined;

function children(e: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let c = e.firstChild; c; c = c.nextSibling) {
    const x = el(c);
    if (x && x.namespaceURI === W && (name === undefined || x.localName === name)) out.push(x);
  }
  return out;
}
const child = (e: Element | undefined, name: string): Element | undefined =>
  e ? children(e, name)[0] : undefined;
const val = (e: Element | undefined): string | undefined =>
  e ? (e.getAttributeNS(W, 'val') ?? e.getAttribute('w:val') ?? undefined) : undefined;

/** A toggle property (w:b, w:i) is on unless its value says off. */
function toggle(rPr: Element | undefined, name: string): boolean | undefined {
  const p = child(rPr, name);
  if (!p) return undefined;
  const v = val(p);
  return !(v === '0' || v === 'false' || v === 'off');
}

/** Paragraph styles: id → name, the role undoc reads it as, and its run emphasis. */
export interface StyleInfo {
  readonly name: string;
  readonly role: Role;
  readonly b: boolean;
  readonly i: boolean;
  /** The style's paragraph alignment (w:jc, through its basedOn chain); "" when none. */
  readonly jc?: string;
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_]/g, '');

/** The house styles (New York and Geneva sets) and Word's built-ins, by id or squashed name. */
function roleOfName(id: string, name: string): Role | undefined {
  for (const key of [squash(id), squash(name)]) {
    const k = key.replace(/g$/, '');
    if (k === 'singletxt') return 'body';
    if (k === 'hch') return 'chapter';
    if (k === 'h1') return 'h1';
    if (k === 'h23' || k === 'h2/3') return 'h2';
    if (k === 'h4' || k === 'h56' || k === 'h5/6') return 'subheading';
    if (k === 'hm' || key === 'title') return 'title';
    if (key === 'normal' || key === 'default' || key === 'normalweb' || key === 'bodytext')
      return 'normal';
    if (key === 'heading1') return 'chapter';
    if (key === 'heading2') return 'h1';
    if (key === 'heading3') return 'h2';
    if (/^heading[4-9]$/.test(key)) return 'subheading';
    if (key === 'listparagraph') return 'body';
  }
  return undefined;
}

/** Reads styles.xml: each paragraph style's name and role (through its basedOn chain). */
export function readStyles(styles: XmlDocument | undefined): Map<string, StyleInfo> {
  const raw = new Map<
    string,
    { name: string; basedOn?: string; b: boolean; i: boolean; jc?: string }
  >();
  const list = styles?.getElementsByTagNameNS(W, 'style');
  for (let k = 0; list && k < list.length; k++) {
    const s = list.item(k);
    if (s?.getAttributeNS(W, 'type') !== 'paragraph') continue;
    const id = s.getAttributeNS(W, 'styleId') ?? '';
    const rPr = child(s, 'rPr');
    const basedOn = val(child(s, 'basedOn'));
    const jc = val(child(child(s, 'pPr'), 'jc'));
    raw.set(id, {
      name: val(child(s, 'name')) ?? id,
      ...(basedOn ? { basedOn } : {}),
      ...(jc ? { jc } : {}),
      b: toggle(rPr, 'b') ?? false,
      i: toggle(rPr, 'i') ?? false,
    });
  }
  const out = new Map<string, StyleInfo>();
  for (const [id, s] of raw) {
    let role = roleOfName(id, s.name);
    let jc = s.jc;
    let up = s.basedOn;
    for (let depth = 0; (!role || !jc) && up && depth < 20; depth++) {
      const parent = raw.get(up);
      role ??= parent ? roleOfName(up, parent.name) : undefined;
      jc ??= parent?.jc;
      up = parent?.basedOn;
    }
    out.set(id, { name: s.name, role: role ?? 'unknown', b: s.b, i: s.i, ...(jc ? { jc } : {}) });
  }
  return out;
}

/** Counts and, by policy, applies tracked changes while paragraphs are read. */
class Changes {
  count = 0;
  first?: string;
  constructor(readonly policy: TrackedPolicy) {}
  /** Notes one change at `where`; in refuse mode nothing is applied (the caller throws later). */
  saw(where: string): void {
    this.count++;
    this.first ??= where;
  }
  /** Whether content inserted by a change is kept. */
  get keepInserted(): boolean {
    return this.policy !== 'reject';
  }
}

interface RunFormat {
  readonly b: boolean;
  readonly i: boolean;
}

function runFormat(r: Element, base: RunFormat, changes: Changes, where: string): RunFormat {
  let rPr = child(r, 'rPr');
  const change = child(rPr, 'rPrChange');
  if (change) {
    changes.saw(where);
    if (changes.policy === 'reject') rPr = child(change, 'rPr');
  }
  return { b: toggle(rPr, 'b') ?? base.b, i: toggle(rPr, 'i') ?? base.i };
}

/** The runs of a paragraph-level element's content, recursing into links, fields and changes. */
function readRuns(
  e: Element,
  base: RunFormat,
  changes: Changes,
  where: string,
  out: WordRun[],
): void {
  for (const c of children(e)) {
    switch (c.localName) {
      case 'r': {
        const f = runFormat(c, base, changes, where);
        // A custom mark ("*") follows its call as text in the same run: it is the call's.
        let markFollows = false;
        for (const x of children(c)) {
          const name = x.localName;
          if (markFollows && name === 't') {
            markFollows = false;
            continue;
          }
          if (name === 't' || name === 'delText') {
            out.push({ kind: 'text', text: x.textContent ?? '', ...f });
          } else if (name === 'tab' || name === 'ptab') out.push({ kind: 'tab' });
          else if (name === 'br' || name === 'cr') out.push({ kind: 'text', text: ' ', ...f });
          else if (name === 'noBreakHyphen') out.push({ kind: 'text', text: '\u2011', ...f });
          else if (name === 'softHyphen') out.push({ kind: 'text', text: '\u00ad', ...f });
          else if (name === 'footnoteReference') {
            const custom = ['1', 'true', 'on'].includes(
              x.getAttributeNS(W, 'customMarkFollows') ?? '',
            );
            markFollows = custom;
            out.push({
              kind: 'note',
              id: x.getAttributeNS(W, 'id') ?? '',
              ...(custom ? { custom } : {}),
            });
          } else if (name === 'endnoteReference') {
            out.push({
              kind: 'note',
              id: endnoteKey(x.getAttributeNS(W, 'id') ?? ''),
              endnote: true,
            });
          } else if (name === 'sym') {
            const code = Number.parseInt(x.getAttributeNS(W, 'char') ?? '', 16);
            if (Number.isFinite(code) && code >= 0x20) {
              // Symbol fonts map to the private-use area; keep the character as Word stores it.
              out.push({ kind: 'text', text: String.fromCodePoint(code), ...f });
            }
          }
        }
        break;
      }
      case 'ins':
      case 'moveTo':
        changes.saw(where);
        if (changes.keepInserted) readRuns(c, base, changes, where, out);
        break;
      case 'del':
      case 'moveFrom':
        changes.saw(where);
        if (changes.policy === 'reject') readRuns(c, base, changes, where, out);
        break;
      case 'hyperlink':
      case 'smartTag':
      case 'fldSimple':
      case 'customXml':
      case 'dir':
      case 'bdo':
        readRuns(c, base, changes, where, out);
        break;
      case 'sdt':
        for (const content of children(c, 'sdtContent'))
          readRuns(content, base, changes, where, out);
        break;
      default:
        break;
    }
  }
}

/** Paragraph properties as read under the change policy. */
function paragraphProps(p: Element, changes: Changes, where: string) {
  let pPr = child(p, 'pPr');
  const change = child(pPr, 'pPrChange');
  const markRPr = child(pPr, 'rPr');
  const markInserted = !!child(markRPr, 'ins');
  const markDeleted = !!child(markRPr, 'del');
  if (markInserted || markDeleted) changes.saw(where);
  const current = pPr;
  if (change) {
    changes.saw(where);
    if (changes.policy === 'reject') pPr = child(change, 'pPr') ?? pPr;
  }
  return {
    styleId: val(child(pPr, 'pStyle')) ?? val(child(current, 'pStyle')) ?? 'Normal',
    align: val(child(pPr, 'jc')),
    pageBreakBefore: toggle(pPr, 'pageBreakBefore') ?? false,
    autoNumbered: !!child(pPr, 'numPr'),
    // The paragraph mark itself was deleted (accept: join the next paragraph) or inserted
    // (reject: join the next paragraph).
    joinsNext:
      (markDeleted && changes.policy === 'accept') || (markInserted && changes.policy === 'reject'),
    dropped: false,
  };
}

/** A paragraph's plain text so far, for naming it in a message. */
export function runText(runs: readonly WordRun[]): string {
  return runs.map((r) => (r.kind === 'text' ? r.text : r.kind === 'tab' ? '\t' : '')).join('');
}

/** Reads the block-level content of a body (document or footnote) in order. */
export function readParagraphs(
  container: Element,
  styles: ReadonlyMap<string, StyleInfo>,
  policy: TrackedPolicy,
  what: string,
): { paragraphs: WordParagraph[]; changes: number; firstChange?: string } {
  const changes = new Changes(policy);
  const out: WordParagraph[] = [];
  let tables = 0;
  let pending: { runs: WordRun[]; props: ReturnType<typeof paragraphProps> } | undefined;

  const styleOf = (id: string) =>
    styles.get(id) ?? { name: id, role: roleOfName(id, id) ?? 'unknown', b: false, i: false };

  const push = (p: Element, table?: number) => {
    const where = `${what} paragraph ${out.length + 1}`;
    const props = paragraphProps(p, changes, where);
    const style = styleOf(props.styleId);
    const runs: WordRun[] = [];
    // Emphasis is what a run says itself: a heading style's bold is the style's, not the text's.
    readRuns(p, { b: false, i: false }, changes, where, runs);
    if (pending) {
      runs.unshift(...pending.runs);
      pending = undefined;
    }
    if (props.joinsNext) {
      pending = { runs, props };
      return;
    }
    out.push({
      index: out.length + 1,
      styleId: props.styleId,
      styleName: style.name,
      role: style.role,
      styleBold: style.b,
      runs,
      // A paragraph's own alignment, else its style's (undoc's signature style is flush right).
      align: props.align ?? style.jc ?? '',
      pageBreakBefore: props.pageBreakBefore,
      autoNumbered: props.autoNumbered,
      ...(table !== undefined ? { table } : {}),
    });
  };

  const walk = (e: Element, table?: number) => {
    for (const c of children(e)) {
      if (c.localName === 'p') push(c, table);
      else if (c.localName === 'tbl') {
        const n = table ?? ++tables;
        for (const tr of children(c, 'tr')) {
          const trPr = child(tr, 'trPr');
          const ins = !!child(trPr, 'ins');
          const del = !!child(trPr, 'del');
          if (ins || del) changes.saw(`${what} table ${n}`);
          if ((ins && policy === 'reject') || (del && policy === 'accept')) continue;
          // One row, one paragraph: its cells' paragraphs joined by tabs.
          const cells: WordRun[][] = [];
          for (const tc of children(tr, 'tc')) {
            const before = out.length;
            walk(tc, n);
            const inner = out.splice(before);
            const cellRuns: WordRun[] = [];
            for (const p of inner) {
              // A cell's paragraphs apart as its cells are: a tab (a space in the text).
              if (cellRuns.length > 0 && p.runs.length > 0) cellRuns.push({ kind: 'tab' });
              cellRuns.push(...p.runs);
            }
            if (runText(cellRuns).trim() !== '' || cellRuns.some((r) => r.kind === 'note'))
              cells.push(cellRuns);
          }
          if (cells.length === 0) continue;
          const runs: WordRun[] = [];
          cells.forEach((cell, k) => {
            if (k > 0) runs.push({ kind: 'tab' });
            runs.push(...cell);
          });
          out.push({
            index: out.length + 1,
            styleId: 'TableRow',
            styleName: 'table row',
            role: 'normal',
            styleBold: false,
            runs,
            align: '',
            pageBreakBefore: false,
            autoNumbered: false,
            table: n,
          });
        }
      } else if (c.localName === 'sdt') {
        for (const content of children(c, 'sdtContent')) walk(content, table);
      } else if (c.localName === 'ins' || c.localName === 'moveTo') {
        changes.saw(`${what} paragraph ${out.length + 1}`);
        if (policy !== 'reject') walk(c, table);
      } else if (c.localName === 'del' || c.localName === 'moveFrom') {
        changes.saw(`${what} paragraph ${out.length + 1}`);
        if (policy === 'reject') walk(c, table);
      } else if (c.localName === 'customXml') walk(c, table);
    }
  };
  walk(container);
  return {
    paragraphs: out,
    changes: changes.count,
    ...(changes.first ? { firstChange: changes.first } : {}),
  };
}

/** Refuses a file with tracked changes unless the policy says what to do with them. */
export function refuseChanges(
  count: number,
  first: string | undefined,
  policy: TrackedPolicy,
): void {
  if (count === 0 || policy !== 'refuse') return;
  throw new DocxError(
    'tracked-changes',
    `the file has ${count} tracked change${count === 1 ? '' : 's'} (the first in ${first ?? 'the document'}); nothing was imported`,
    'accept or reject them in Word, or import with --accept-changes or --reject-changes (all of them, never some)',
  );
}
