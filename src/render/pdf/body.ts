/**
 * The flowing part of a UN document as pdfmake nodes: page 1's session columns and title, the
 * letter, signatures, body blocks, annexes and the closing rule. Spacing between blocks is the
 * larger of the upper block's "after" and the lower block's "before" (never both).
 */
import {
  type Annex,
  type Block,
  endnotesOf,
  hasSessionBlock,
  nameParts,
  plainText,
  type SubItem,
  type UnDocument,
} from '../../model.js';
import { signatureNameLine, signedMark } from '../../text.js';
import type { InlineTags } from './engine.js';
import { ARTIFACT, TAG } from './structure.js';
import {
  faceOf,
  inlines,
  labelWithTab,
  lineHeight,
  noteNode,
  type PdfInline,
  type PdfNode,
  type TextKit,
} from './text.js';

/** `headlineLevel` of nodes that must not end a page: headings, kept with what they head. */
const KEEP_WITH_NEXT = 1;

interface Spaced {
  readonly node: PdfNode;
  readonly before: number;
  readonly after: number;
  /** Starts a new page: no space above it. */
  readonly newPage?: boolean;
  /** Distance between its lines, when not the body's. */
  readonly leading?: number;
}

function para(kit: TextKit, text: PdfInline[], indent: number): PdfNode {
  const { font } = kit.style;
  return {
    text,
    alignment: 'justify',
    leadingIndent: indent,
    lineHeight: lineHeight(kit, font.size, font.leading),
  };
}

function subItems(kit: TextKit, items: readonly SubItem[], depth: number, key: string): Spaced[] {
  const { font } = kit.style;
  return items.flatMap((item, i) => {
    const k = `${key}.${i}`;
    const text = [
      ...labelWithTab(
        kit,
        item.label,
        font.itemTab,
        font.size,
        {},
        {
          undocPara: k,
          undocTag: TAG.itemLabel(k),
        },
      ),
      ...inlines(item.text, {}, { undocPara: k, undocTag: TAG.itemBody(k) }),
    ];
    const node = para(kit, text, depth * font.itemIndent);
    return [
      { node, before: font.paragraphGap, after: font.paragraphGap },
      ...subItems(kit, item.items, depth + 1, k),
    ];
  });
}

function hangingHeading(
  kit: TextKit,
  label: string,
  title: PdfInline[],
  h: { size: number; leading: number; numberX: number },
  run: { bold?: boolean },
  tags: InlineTags,
): PdfNode {
  const { body, headings } = kit.style;
  const start =
    headings.numberAlign === 'right'
      ? h.numberX - kit.metrics.width(label, h.size, faceOf(run))
      : h.numberX;
  const hang = body.left - start;
  return {
    text: [...labelWithTab(kit, label, hang, h.size, run, tags), ...title],
    fontSize: h.size,
    lineHeight: lineHeight(kit, h.size, h.leading),
    leadingIndent: -hang,
    headlineLevel: KEEP_WITH_NEXT,
  };
}

function block(kit: TextKit, b: Block, key: string): Spaced[] {
  const { font, headings } = kit.style;
  const tag: InlineTags = { undocTag: TAG.block(key) };
  switch (b.kind) {
    case 'chapter': {
      const h = headings.chapter;
      const title = inlines(b.title, { bold: true }, tag);
      const node = hangingHeading(kit, b.label, title, h, { bold: true }, tag);
      return [{ node, before: h.before, after: h.after }];
    }
    case 'heading': {
      const h = b.level === 1 ? headings.h1 : headings.h2;
      const title = inlines(b.title, { bold: true }, tag);
      const node = hangingHeading(kit, b.label, title, h, { bold: true }, tag);
      return [{ node, before: h.before, after: h.after }];
    }
    case 'subheading': {
      const h = headings.subheading;
      const node = {
        text: inlines(b.title, { italics: true }, tag),
        fontSize: h.size,
        lineHeight: lineHeight(kit, h.size, h.leading),
        headlineLevel: KEEP_WITH_NEXT,
      };
      return [{ node, before: h.before, after: h.after, leading: h.leading }];
    }
    case 'paragraph': {
      const tags: InlineTags = { undocPara: key, ...tag };
      const node =
        b.label === undefined
          ? para(kit, inlines(b.text, {}, tags), font.firstLineIndent)
          : para(
              kit,
              [
                ...labelWithTab(kit, b.label, font.numberTab, font.size, {}, tags),
                ...inlines(b.text, {}, tags),
              ],
              0,
            );
      return [
        { node, before: font.paragraphGap, after: font.paragraphGap },
        ...subItems(kit, b.items, 1, key),
      ];
    }
  }
}

function annexBlocks(kit: TextKit, a: Annex, index: number): Spaced[] {
  const { annex, font, body } = kit.style;
  const bold = { bold: true };
  const short = [0, 0, body.right - annex.right, 0];
  const out: Spaced[] = [
    {
      node: {
        text: inlines(a.heading, bold, { undocTag: TAG.annex(index, 'heading') }),
        fontSize: annex.heading.size,
        lineHeight: lineHeight(kit, annex.heading.size, annex.heading.leading),
        pageBreak: 'before',
        headlineLevel: KEEP_WITH_NEXT,
        margin: short,
      },
      before: 0,
      after: annex.heading.after,
      leading: annex.heading.leading,
      newPage: true,
    },
  ];
  // A line flush right, kept with what follows: the original-language note, the date line.
  const flushRight = (text: PdfInline[], s: { size: number; after: number }) =>
    out.push({
      node: {
        text,
        fontSize: s.size,
        alignment: 'right',
        lineHeight: lineHeight(kit, s.size, font.leading),
        headlineLevel: KEEP_WITH_NEXT,
      },
      before: 0,
      after: s.after,
    });
  if (a.originalNote !== undefined) {
    flushRight(
      [{ text: a.originalNote, undocTag: TAG.annex(index, 'original') }],
      annex.originalNote,
    );
  }
  for (const [part, t] of [
    ['title', a.title],
    ['subtitle', a.subtitle],
  ] as const) {
    if (t === undefined) continue;
    out.push({
      node: {
        text: inlines(t, bold, { undocTag: TAG.annex(index, part) }),
        fontSize: annex.title.size,
        lineHeight: lineHeight(kit, annex.title.size, annex.title.leading),
        headlineLevel: KEEP_WITH_NEXT,
        margin: short,
      },
      before: 0,
      after: annex.title.after,
      leading: annex.title.leading,
    });
  }
  if (a.dateLine !== undefined) {
    flushRight(inlines(a.dateLine, {}, { undocTag: TAG.annex(index, 'date') }), annex.dateLine);
  }
  if (a.placeDate !== undefined) {
    out.push({
      node: {
        text: inlines(a.placeDate, {}, { undocTag: TAG.annex(index, 'place') }),
        fontSize: annex.placeDate.size,
        lineHeight: lineHeight(kit, annex.placeDate.size, font.leading),
        headlineLevel: KEEP_WITH_NEXT,
      },
      before: 0,
      after: annex.placeDate.after,
    });
  }
  a.blocks.forEach((b, i) => {
    out.push(...block(kit, b, `a${index}.${i}`));
  });
  return out;
}

/** The organ columns under the thick rule: organ, session, agenda label, agenda item titles. */
function sessionColumns(kit: TextKit, doc: UnDocument): PdfNode {
  const { masthead, frame, body, page } = kit.style;
  const s = masthead.session;
  const lh = lineHeight(kit, s.size, s.step);
  // Three organs at the two-column gap would push the last column off the frame, and pdfmake
  // drops a column with no width left: then the columns share the frame equally.
  const room = frame.right - s.x;
  // An organ with nothing under the rule has no column (a joint document where only one organ
  // has a session block); each column keeps its organ's index for its tags.
  const shown = doc.organs.flatMap((o, i) => (hasSessionBlock(o) ? [{ o, i }] : []));
  const n = shown.length;
  const step = s.columnGap * (n - 1) < room ? s.columnGap : room / n;
  const columns = shown.map(({ o, i }, k) => {
    const lines: PdfNode[] = [];
    const line = (part: string): InlineTags => ({ undocTag: TAG.column(i, part) });
    if (o.columnHeading !== undefined) {
      lines.push({ text: [{ text: o.columnHeading, bold: true, ...line('heading') }], bold: true });
    }
    o.bodies.forEach((b, j) => {
      const first = j === 0;
      lines.push({
        text: [{ text: b, bold: true, ...line(`body${j}`) }],
        bold: true,
        ...(first
          ? { fontSize: s.headingSize, lineHeight: lineHeight(kit, s.headingSize, s.headingStep) }
          : {}),
      });
    });
    if (o.session !== undefined) {
      lines.push({ text: [{ text: o.session, bold: true, ...line('session') }], bold: true });
    }
    if (o.sessionDates !== undefined) {
      lines.push({ text: [{ text: o.sessionDates, ...line('dates') }] });
    }
    if (o.agendaLabel !== undefined)
      lines.push({ text: inlines(o.agendaLabel, {}, line('label')) });
    o.agendaItems.forEach((item, j) => {
      lines.push({ text: inlines(item.title, { bold: true }, line(`item${j}`)) });
    });
    const last = k === shown.length - 1;
    return { width: last ? '*' : step, stack: lines };
  });
  return {
    columns,
    columnGap: 0,
    fontSize: s.size,
    lineHeight: lh,
    // The columns span the frame, wider than the body the flow is set in.
    margin: [s.x - body.left, s.y - page.top, body.right - frame.right, 0],
  };
}

/** Whether lines of body text, wrapped to the body width, surely fit in one page's body. */
function fitsOnAPage(kit: TextKit, lines: readonly string[]): boolean {
  const { page, body, font } = kit.style;
  const width = body.right - body.left;
  // Bold is the widest face; one extra row per line covers the wrapping's slack.
  const rows = lines.reduce(
    (n, l) => n + Math.ceil(kit.metrics.width(l, font.size, 'bold') / width) + 1,
    0,
  );
  return rows * font.leading < page.height - page.top - page.bottom;
}

function signatures(kit: TextKit, doc: UnDocument): Spaced[] {
  const { signature, font } = kit.style;
  return (doc.letter?.signatories ?? []).map((s, i) => {
    const tag = (line: number): InlineTags => ({ undocTag: TAG.signature(i, line) });
    const name: PdfInline[] = [];
    if (s.signed) name.push(...inlines(signedMark(doc), {}, tag(0)));
    nameParts(s).forEach((p, k) => {
      if (k > 0 && s.nameSeparator !== '') name.push({ text: s.nameSeparator, ...tag(0) });
      name.push({ text: p.text, ...(p.surname ? { bold: true } : {}), ...tag(0) });
    });
    // The printed line must read as the model's signature line.
    if (name.map((n) => n.text).join('') !== signatureNameLine(doc, s)) {
      throw new Error(`signature of ${s.surname}: printed line differs from the model's`);
    }
    const lines = [signatureNameLine(doc, s), ...s.titleLines.map(plainText)];
    const node = {
      stack: [
        { text: name },
        ...s.titleLines.map((t, j) => ({ text: inlines(t, {}, tag(j + 1)) })),
      ],
      alignment: 'right',
      // pdfmake drops an unbreakable block taller than a page (its issue #207): keep a
      // signature together only when it fits on one.
      unbreakable: fitsOnAPage(kit, lines),
      lineHeight: lineHeight(kit, font.size, font.leading),
    };
    const before = i === 0 ? signature.gapBefore : signature.gapBetween;
    return { node, before, after: font.paragraphGap };
  });
}

/** The title block of page 1, after the session columns. */
function titleBlock(kit: TextKit, doc: UnDocument): Spaced[] {
  const t = kit.style.masthead.title;
  const rightPad = kit.style.body.right - t.right;
  const out: Spaced[] = [
    {
      node: {
        text: inlines(doc.title, { bold: true }, { undocTag: TAG.title }),
        fontSize: t.size,
        lineHeight: lineHeight(kit, t.size, t.leading),
        margin: [0, 0, rightPad, 0],
        headlineLevel: KEEP_WITH_NEXT,
      },
      before: t.gapBefore,
      after: t.gapAfter,
      leading: t.leading,
    },
  ];
  if (doc.subtitle !== undefined) {
    const s = kit.style.masthead.subtitle;
    out.push({
      node: {
        text: inlines(doc.subtitle, { bold: true }, { undocTag: TAG.subtitle }),
        fontSize: s.size,
        lineHeight: lineHeight(kit, s.size, s.leading),
        margin: [0, 0, rightPad, 0],
        headlineLevel: KEEP_WITH_NEXT,
      },
      before: s.gapBefore,
      after: t.gapAfter,
      leading: s.leading,
    });
  }
  return out;
}

/**
 * The notes section of a document whose notes are endnotes: its heading, then each note as a
 * footnote is set (its mark hanging before the text), flowing over pages as the text does.
 */
function endnoteSection(kit: TextKit, doc: UnDocument): Spaced[] {
  const list = endnotesOf(doc);
  if (list.length === 0) return [];
  const { endnotes: e, footnote: f } = kit.style;
  const out: Spaced[] = [
    {
      node: {
        text: [
          {
            text: doc.labels.endnotes,
            ...(e.headingItalic ? { italics: true } : {}),
            undocTag: TAG.endnotes,
          },
        ],
        fontSize: e.headingSize,
        lineHeight: lineHeight(kit, e.headingSize, kit.style.font.leading),
        margin: [e.headingX, 0, 0, 0],
        headlineLevel: KEEP_WITH_NEXT,
      },
      before: e.gapBefore,
      after: e.gapAfter,
    },
  ];
  list.forEach((note, i) => {
    out.push({
      node: noteNode(kit, note),
      before: i === 0 ? 0 : e.gapBetween,
      after: e.gapBetween,
      leading: f.leading,
    });
  });
  return out;
}

function closingRule(kit: TextKit): Spaced {
  const { closingRule: r, body } = kit.style;
  const x = (body.right - body.left - r.length) / 2;
  return {
    node: {
      canvas: [
        {
          type: 'line',
          x1: x,
          y1: 0,
          x2: x + r.length,
          y2: 0,
          lineWidth: r.width,
          undocTag: ARTIFACT.layout,
        },
      ],
      unbreakable: true,
    },
    before: r.gapBefore,
    after: 0,
  };
}

/** Gives each node its top margin: the larger of the gap below the previous one and its own. */
function stackSpaced(items: readonly Spaced[]): PdfNode[] {
  let after = 0;
  return items.map((s) => {
    const gap = s.newPage ? 0 : Math.max(after, s.before);
    after = s.after;
    const margin = s.node.margin as number[] | undefined;
    const [l = 0, , r = 0, b = 0] = margin ?? [];
    const top = margin !== undefined ? (margin[1] ?? 0) + gap : gap;
    return { ...s.node, margin: [l, top, r, b] };
  });
}

/**
 * Keeps each heading with what it heads: the heading needs room below its top on the page (its
 * own lines, the headings chained after it, the gaps, and two lines of the text they head); the
 * flow moves it to the next page when the room is not there (pdf/engine.ts). Its inlines carry a
 * key, under which its room is given to the flow and its line count, once laid out, comes back.
 */
function keepHeadingsWithText(kit: TextKit, items: readonly Spaced[]): Omit<BodyFlow, 'tails'> {
  const body = kit.style.font.leading;
  const out = [...items];
  const key = (i: number) => `k${i}`;
  out.forEach((s, i) => {
    if (s.node.headlineLevel !== KEEP_WITH_NEXT) return;
    const text = s.node.text;
    const runs: PdfInline[] = Array.isArray(text)
      ? (text as PdfInline[])
      : [{ text: String(text) }];
    out[i] = { ...s, node: { ...s.node, text: runs.map((r) => ({ ...r, undocPara: key(i) })) } };
  });
  const keeps = (lines: ReadonlyMap<string, number>) => {
    const room = new Map<string, number>();
    let below = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      const s = out[i];
      const next = out[i + 1];
      if (s === undefined) continue;
      const gap = next === undefined || next.newPage ? 0 : Math.max(s.after, next.before);
      if (s.node.headlineLevel !== KEEP_WITH_NEXT) {
        below = 2 * (s.leading ?? body);
        continue;
      }
      const keep =
        (lines.get(key(i)) ?? 1) * (s.leading ?? body) + gap + (next === undefined ? 0 : below);
      room.set(key(i), keep);
      below = keep;
    }
    return room;
  };
  return { content: stackSpaced(out), keeps };
}

/** The flow of a document as pdfmake nodes, and the room each heading needs below it. */
export interface BodyFlow {
  readonly content: PdfNode[];
  /**
   * Room (pt) each heading needs below its top, by the key its inlines carry, given the line
   * counts of paragraphs and headings from a layout pass (empty before the first).
   */
  readonly keeps: (lines: ReadonlyMap<string, number>) => Map<string, number>;
  /**
   * Room (pt) below a paragraph's last line that what follows it needs on the same page, by the
   * paragraph's key: the letter's last paragraph keeps the first signature, so that a signature
   * never stands alone at the top of a page.
   */
  readonly tails: ReadonlyMap<string, number>;
}

/** The whole flow of the document, page 1's session columns first. */
export function bodyFlow(kit: TextKit, doc: UnDocument): BodyFlow {
  const items: Spaced[] = [{ node: sessionColumns(kit, doc), before: 0, after: 0 }];
  items.push(...titleBlock(kit, doc));
  const { font } = kit.style;
  doc.letter?.paragraphs.forEach((p, i) => {
    const key = `l${i}`;
    const tags: InlineTags = { undocPara: key, undocTag: TAG.letter(i) };
    const node = para(kit, inlines(p.text, {}, tags), font.firstLineIndent);
    items.push({ node, before: font.paragraphGap, after: font.paragraphGap });
  });
  const signed = signatures(kit, doc);
  items.push(...signed);
  const tails = new Map<string, number>();
  const letters = doc.letter?.paragraphs.length ?? 0;
  const first = doc.letter?.signatories[0];
  if (letters > 0 && first !== undefined && signed[0] !== undefined) {
    // The first signature's lines (all of them when it is kept together, else its name line
    // and the next) and the gap above them.
    const lines = signed[0].node.unbreakable === true ? 1 + first.titleLines.length : 2;
    const gap = Math.max(font.paragraphGap, signed[0].before);
    tails.set(`l${letters - 1}`, gap + lines * font.leading);
  }
  doc.body.forEach((b, i) => {
    items.push(...block(kit, b, `b${i}`));
  });
  doc.annexes.forEach((a, i) => {
    items.push(...annexBlocks(kit, a, i));
  });
  // Endnotes after everything they are called from, annexes included, as Word prints a
  // document's endnotes at its end; the closing rule after them (A/HRC/WG.6/34/ITA/3, p. 16).
  items.push(...endnoteSection(kit, doc));
  items.push(closingRule(kit));
  return { ...keepHeadingsWithText(kit, items), tails };
}

/** Plain text of the title, for metadata. */
export function titleText(doc: UnDocument): string {
  return plainText(doc.title);
}
