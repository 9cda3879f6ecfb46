/**
 * The DOCX renderer: the document as the Secretariat's own Word file. Phases, in order: house
 * styles (docx/styles.ts), pictures (docx/images.ts), the first page's masthead table, the body
 * paragraph by paragraph in the house styles with numbers typed as text and a tab, footnotes,
 * headers and footers, then a deterministic package (docx/package.ts).
 */

import {
  AlignmentType,
  BorderStyle,
  BuilderElement,
  Document,
  EndnotePosition,
  EndnoteReferenceRun,
  Footer,
  FootnoteReferenceRun,
  FrameAnchorType,
  Header,
  HeightRule,
  HorizontalPositionRelativeFrom,
  ImageRun,
  type IParagraphOptions,
  NoBreakHyphen,
  NumberFormat,
  OverlapType,
  Packer,
  Paragraph,
  type ParagraphChild,
  SoftHyphen,
  StringContainer,
  Tab,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  TextWrappingType,
  VerticalAlignTable,
  VerticalPositionRelativeFrom,
  WidthType,
} from 'docx';
import { unzipSync } from 'fflate';
import {
  type Annex,
  type Block,
  endnotesOf,
  type Footnote,
  footOf,
  hasSessionBlock,
  nameParts,
  plainText,
  type Rich,
  type SubItem,
  SYMBOL_JOINER,
  symbolLine,
  symbolSlot,
  type UnDocument,
} from '../../model.js';
import type { Resources } from '../../resources.js';
import { jobNumberDates, jobNumberHead, pageNumberParts } from '../../style/forms.js';
import type { LanguageFonts } from '../../style/language.js';
import type { Style } from '../../style/style.js';
import { signedMark } from '../../text.js';
import type { Renderer } from '../types.js';
import { type DocxPictures, docxPictures, type Picture } from './images.js';
import { docxMeta, META_PROPERTY } from './meta.js';
import { normalizeDocx, type PartData } from './package.js';
import {
  BUILTIN,
  type DocxGeometry,
  docxGeometry,
  headerRuleSpace,
  ITEM_DEPTH,
  isHeadingStyle,
  stylesXml,
  UNDOC_STYLES,
  WORD_LOCALE,
} from './styles.js';
import { eighthPoint, emu, halfPoint, px96, twip } from './units.js';

/** Run formatting carried down through nested inline content. */
interface RunFormat {
  readonly bold?: boolean;
  readonly italics?: boolean;
  /** Type size in points. */
  readonly size?: number;
}

const runFormat = (f: RunFormat) => ({
  ...(f.bold ? { bold: true } : {}),
  ...(f.italics ? { italics: true } : {}),
  ...(f.size !== undefined ? { size: halfPoint(f.size) } : {}),
});

/**
 * Right-to-left script (Arabic): a run of it, with the spaces and punctuation inside it, becomes
 * a Word run marked w:rtl (set in the complex-script font and size, ordered right to left); Latin
 * runs around it ("A/61/859", a name) stay plain runs, in the Latin font.
 */
const RTL_RUN =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff](?:[\s\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff.,:;!?()«»"'’‘/\-–—0-9]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])?/g;

/** A text as runs by direction: `[text, rtl]` pieces in logical order (one piece when uniform). */
export function directionRuns(t: string): [string, boolean][] {
  const out: [string, boolean][] = [];
  let at = 0;
  for (const m of t.matchAll(RTL_RUN)) {
    if (m.index > at) out.push([t.slice(at, m.index), false]);
    out.push([m[0], true]);
    at = m.index + m[0].length;
  }
  if (at < t.length || out.length === 0) out.push([t.slice(at), false]);
  return out;
}

/** Hyphens Word writes as elements, not characters: U+2011 and U+00AD. */
const WORD_HYPHEN = /([\u2011\u00ad])/;

/**
 * Text runs of one text, split by direction (an English text gives one plain run). A
 * non-breaking hyphen (U+2011) or soft hyphen (U+00AD) is written as Word writes it, a run of its
 * own holding `<w:noBreakHyphen/>` or `<w:softHyphen/>`, so Word and LibreOffice draw and break
 * it as their own hyphen.
 */
function textRuns(t: string, f: RunFormat): TextRun[] {
  return directionRuns(t).flatMap(([piece, rtl]) => {
    const o = { ...runFormat(f), ...(rtl ? { rightToLeft: true } : {}) };
    return piece
      .split(WORD_HYPHEN)
      .filter((part, i) => part !== '' || (i === 0 && piece === ''))
      .map((part) =>
        part === '\u2011'
          ? new TextRun({ children: [new NoBreakHyphen()], ...o })
          : part === '\u00ad'
            ? new TextRun({ children: [new SoftHyphen()], ...o })
            : new TextRun({ text: part, ...o }),
      );
  });
}

/** Inline content to runs; a note call becomes a Word footnote reference. */
function runs(rich: Rich, f: RunFormat = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const node of rich) {
    if (node.kind === 'text') out.push(...textRuns(node.text, f));
    else if (node.kind === 'italic') out.push(...runs(node.children, { ...f, italics: true }));
    else if (node.kind === 'bold') out.push(...runs(node.children, { ...f, bold: true }));
    else if (node.endnote === true) out.push(new EndnoteReferenceRun(node.number));
    else out.push(new FootnoteReferenceRun(node.number));
  }
  return out;
}

/**
 * One run of furniture text ("(أ)", a name, a label); marked right to left when it holds
 * right-to-left letters and no left-to-right ones.
 */
const text = (t: string, f: RunFormat = {}): TextRun => {
  const rtl = directionRuns(t).some(([, r]) => r) && !/\p{L}/u.test(t.replace(RTL_RUN, ''));
  return new TextRun({ text: t, ...runFormat(f), ...(rtl ? { rightToLeft: true } : {}) });
};
const tab = (f: RunFormat = {}): TextRun => new TextRun({ children: [new Tab()], ...runFormat(f) });

/** A right-to-left document's tables run their columns from the right (w:bidiVisual). */
const mirrored = (c: Ctx) => (c.doc.direction === 'rtl' ? { visuallyRightToLeft: true } : {});

/**
 * A paragraph of Latin furniture in a right-to-left document (the English distribution block, the
 * job number line) is a left-to-right paragraph: "4 April 2007" keeps its order.
 */
const latinParagraph = (c: Ctx) => (c.doc.direction === 'rtl' ? { bidirectional: false } : {});

/** Word's single line spacing: `auto` spacing counts 240ths of the font's line. */
const SINGLE_LINE = 240;

/** Everything the paragraph builders need, computed once per document. */
interface Ctx {
  readonly doc: UnDocument;
  readonly style: Style;
  readonly g: DocxGeometry;
  readonly pics: DocxPictures;
  /** Pages in undoc's own layout of the document: NUMPAGES's stored result. */
  readonly pageCount: number;
}

const ids = (c: Ctx) => c.style.word.styles;

/** A paragraph in a house heading style with no number: text at the body edge, not hanging. */
function unnumberedHeading(
  c: Ctx,
  styleId: string,
  children: ParagraphChild[],
  extra: IParagraphOptions = {},
): Paragraph {
  return new Paragraph({
    style: styleId,
    children,
    ...extra,
    indent: { left: twip(c.g.bodyLeft), hanging: 0, ...extra.indent },
  });
}

// ---------------------------------------------------------------------------------------------
// Masthead

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'auto' } as const;
const rule = (width: number) => ({
  style: BorderStyle.SINGLE,
  size: eighthPoint(width),
  color: 'auto',
});

/** A layout table's cell margins and borders: none, as the Secretariat's masthead tables have. */
const BORDERLESS = {
  margins: { left: 0, right: 0, top: 0, bottom: 0 },
  borders: {
    top: NO_BORDER,
    bottom: NO_BORDER,
    left: NO_BORDER,
    right: NO_BORDER,
    insideHorizontal: NO_BORDER,
    insideVertical: NO_BORDER,
  },
} as const;

function cell(
  width: number,
  children: Paragraph[],
  opts: { span?: number; ruleWidth: number; vAlign?: 'top' | 'bottom' },
): TableCell {
  return new TableCell({
    width: { size: twip(width), type: WidthType.DXA },
    ...(opts.span ? { columnSpan: opts.span } : {}),
    verticalAlign: opts.vAlign === 'bottom' ? VerticalAlignTable.BOTTOM : VerticalAlignTable.TOP,
    borders: { top: NO_BORDER, left: NO_BORDER, right: NO_BORDER, bottom: rule(opts.ruleWidth) },
    children,
  });
}

/** Where a picture floats: its top-left corner from the page's, in points. */
interface At {
  readonly x: number;
  readonly y: number;
}

/** Image options shared by PNG and SVG pictures: size, alternative text, page position. */
function imageOptions(p: Picture, name: string, at?: At) {
  return {
    transformation: { width: px96(p.width), height: px96(p.height) },
    altText: { name, description: name, title: name },
    ...(at
      ? {
          floating: {
            horizontalPosition: {
              relative: HorizontalPositionRelativeFrom.PAGE,
              offset: emu(at.x),
            },
            verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: emu(at.y) },
            wrap: { type: TextWrappingType.NONE },
            allowOverlap: true,
          },
        }
      : {}),
  };
}

function imageRun(p: Picture, name: string, at?: At): ImageRun {
  return new ImageRun({ type: 'png', data: p.png, ...imageOptions(p, name, at) });
}

/**
 * Picture runs that recur in every document (the emblem, the recycle mark), kept per process: the
 * docx package names a picture by a SHA-1 of its bytes, computed in JavaScript when the run is
 * made (~3 ms a document warm, ~30 ms cold). A run is the same XML in every file that holds it;
 * the docx package writes its picture into each file it compiles, and docx/package.ts numbers
 * the drawings per file. Keyed by the very byte arrays (docx/images.ts keeps them per process)
 * and by everything else the run is made from.
 */
const svgRuns = new WeakMap<Uint8Array, WeakMap<Uint8Array, Map<string, ImageRun>>>();

/** A drawing as SVG for Word, with its PNG for readers without SVG support. */
function svgImageRun(svg: Uint8Array, p: Picture, name: string, at?: At): ImageRun {
  let bySvg = svgRuns.get(svg);
  if (bySvg === undefined) {
    bySvg = new WeakMap();
    svgRuns.set(svg, bySvg);
  }
  let byPng = bySvg.get(p.png);
  if (byPng === undefined) {
    byPng = new Map();
    bySvg.set(p.png, byPng);
  }
  const key = JSON.stringify([p.width, p.height, name, at?.x, at?.y]);
  const kept = byPng.get(key);
  if (kept !== undefined) return kept;
  const run = new ImageRun({
    type: 'svg',
    data: svg,
    fallback: { type: 'png', data: p.png },
    ...imageOptions(p, name, at),
  });
  // A few runs per drawing (one per language's label): a bound, not an eviction policy.
  if (byPng.size >= 32) byPng.clear();
  byPng.set(key, run);
  return run;
}

/** The symbol as printed: each series letter large, the rest small, symbols joined by a dash. */
function symbolRuns(c: Ctx): TextRun[] {
  const s = c.style.masthead.symbol;
  if (c.doc.symbols.length === 0)
    return [text(c.doc.labels.symbolUnassigned, { size: s.restSize })];
  const out: TextRun[] = [];
  c.doc.symbols.forEach((sym, i) => {
    if (i > 0) out.push(text(SYMBOL_JOINER, { size: s.restSize }));
    out.push(text(sym.series, { size: s.seriesSize }), text(sym.rest, { size: s.restSize }));
  });
  return out;
}

/** The first page's masthead: the Secretariat's floating borderless table, rules as borders. */
function mastheadTable(c: Ctx): Table {
  const { style, doc, pics } = c;
  const m = style.masthead;
  const normal = BUILTIN.normal.id;
  const col1 = m.unitedNations.x - style.frame.left;
  const col2 = style.docx.masthead.secondColumn;
  const col3 = m.distribution.x - style.frame.left - col1 - col2;
  const col4 = c.g.frameWidth - col1 - col2 - col3;
  const row1 = style.docx.masthead.firstRow;
  const row2 = m.thickRule.y - m.thinRule.y;
  const after = twip(style.docx.masthead.ruleGap);
  const thin = m.thinRule.width;
  const thick = m.thickRule.width;
  const below = (y: number) => twip(y - m.thinRule.y);

  const first = new TableRow({
    cantSplit: true,
    height: { value: twip(row1), rule: HeightRule.EXACT },
    children: [
      cell(col1, [new Paragraph({ style: normal, spacing: { after } })], {
        ruleWidth: thin,
        vAlign: 'bottom',
      }),
      cell(
        col2,
        [
          new Paragraph({
            style: normal,
            spacing: { after },
            children: [text(c.doc.labels.unitedNations, { size: m.unitedNations.size })],
          }),
        ],
        { ruleWidth: thin, vAlign: 'bottom' },
      ),
      cell(
        col3 + col4,
        [
          new Paragraph({
            style: normal,
            alignment: AlignmentType.RIGHT,
            spacing: { after },
            children: symbolRuns(c),
          }),
        ],
        { span: 2, ruleWidth: thin, vAlign: 'bottom' },
      ),
    ],
  });

  const emblem = new Paragraph({
    style: normal,
    spacing: { before: below(m.emblem.y) },
    children: [svgImageRun(pics.emblemSvg, pics.emblem, pics.emblemAlt)],
  });
  const organs = doc.organs.map(
    (o, i) =>
      new Paragraph({
        style: normal,
        spacing: {
          ...(i === 0 ? { before: below(m.organ.y) } : {}),
          line: twip(m.organ.step),
          lineRule: 'exact',
        },
        children: [text(o.name, { bold: true, size: m.organ.size })],
      }),
  );
  const distribution = doc.distributionLines.map(
    (line, i) =>
      new Paragraph({
        style: normal,
        ...latinParagraph(c),
        spacing: {
          ...(i === 0 ? { before: below(m.distribution.y) } : {}),
          line: twip(m.distribution.step),
          lineRule: 'exact',
        },
        children: line === '' ? [] : [text(line, { size: m.distribution.size })],
      }),
  );
  const second = new TableRow({
    cantSplit: true,
    height: { value: twip(row2), rule: HeightRule.EXACT },
    children: [
      cell(col1, [emblem], { ruleWidth: thick }),
      cell(col2 + col3, organs, { span: 2, ruleWidth: thick }),
      cell(col4, distribution, { ruleWidth: thick }),
    ],
  });

  return new Table({
    ...mirrored(c),
    rows: [first, second],
    width: { size: twip(c.g.frameWidth), type: WidthType.DXA },
    columnWidths: [col1, col2, col3, col4].map(twip),
    layout: TableLayoutType.FIXED,
    ...BORDERLESS,
    float: {
      horizontalAnchor: TableAnchorType.PAGE,
      verticalAnchor: TableAnchorType.PAGE,
      absoluteHorizontalPosition: twip(style.frame.left),
      absoluteVerticalPosition: twip(m.thinRule.y - row1),
      overlap: OverlapType.NEVER,
    },
  });
}

/** One organ's session and agenda lines, as under the thick rule. */
function sessionParagraphs(c: Ctx, o: UnDocument['organs'][number], first: boolean): Paragraph[] {
  const s = c.style.masthead.session;
  const gap = twip(s.y - c.style.masthead.thickRule.y);
  // The first body line of a session block ("Human Rights Council") is set larger, on its step.
  const headingLine = o.columnHeading ? -1 : o.bodies.length > 0 ? 0 : -1;
  const para = (children: ParagraphChild[], i: number) =>
    new Paragraph({
      style: BUILTIN.normal.id,
      keepNext: true,
      spacing: {
        ...(i === 0 && first ? { before: gap } : {}),
        line: twip(i === headingLine ? s.headingStep : s.step),
        lineRule: 'exact',
      },
      children,
    });
  const lines: ParagraphChild[][] = [];
  if (o.columnHeading) lines.push([text(o.columnHeading, { bold: true, size: s.size })]);
  o.bodies.forEach((b, j) => {
    lines.push([text(b, { bold: true, size: j === 0 ? s.headingSize : s.size })]);
  });
  if (o.session) lines.push([text(o.session, { bold: true, size: s.size })]);
  if (o.sessionDates) lines.push([text(o.sessionDates, { size: s.size })]);
  if (o.agendaLabel) lines.push(runs(o.agendaLabel, { size: s.size }));
  for (const item of o.agendaItems) lines.push(runs(item.title, { bold: true, size: s.size }));
  return lines.map(para);
}

/** The session block: paragraphs for one organ, a borderless table of columns for several. */
function sessionBlock(c: Ctx): (Paragraph | Table)[] {
  // An organ with nothing under the rule has no column (a joint document where only one organ
  // has a session block).
  const organs = c.doc.organs.filter(hasSessionBlock);
  const first = organs[0];
  if (!first) return [];
  if (organs.length === 1) return sessionParagraphs(c, first, true);
  const s = c.style.masthead.session;
  const gap = s.columnGap;
  // Word joins two adjacent tables into one: a paragraph as tall as the gap under the thick rule
  // keeps the session table apart from the masthead table (the Secretariat's file does the same).
  const spacer = new Paragraph({
    style: BUILTIN.normal.id,
    keepNext: true,
    spacing: { line: twip(s.y - c.style.masthead.thickRule.y), lineRule: 'exact' },
  });
  // Three organs at the two-column gap would overrun the frame (a negative width, which docx
  // refuses): then the columns share the frame equally.
  const step = gap * (organs.length - 1) < c.g.frameWidth ? gap : c.g.frameWidth / organs.length;
  const widths = organs.map((_, i) =>
    i < organs.length - 1 ? step : c.g.frameWidth - step * (organs.length - 1),
  );
  return [
    spacer,
    new Table({
      ...mirrored(c),
      width: { size: twip(c.g.frameWidth), type: WidthType.DXA },
      columnWidths: widths.map(twip),
      layout: TableLayoutType.FIXED,
      ...BORDERLESS,
      rows: [
        new TableRow({
          cantSplit: true,
          children: organs.map(
            (o, i) =>
              new TableCell({
                width: { size: twip(widths[i] ?? 0), type: WidthType.DXA },
                children: sessionParagraphs(c, o, false),
              }),
          ),
        }),
      ],
    }),
  ];
}

/**
 * Title and subtitle in the title style, which holds the house values (bold, size, leading, the
 * gaps, the short right edge): the subtitle stands a title gap below the title, as in the PDF.
 */
function titleParagraphs(c: Ctx): Paragraph[] {
  const { title, subtitle } = ids(c);
  const out = [styledTitle(c, title.id, runs(c.doc.title))];
  if (c.doc.subtitle) {
    out.push(
      subtitle.id === title.id
        ? new Paragraph({ style: title.id, spacing: { before: 0 }, children: runs(c.doc.subtitle) })
        : styledTitle(c, subtitle.id, runs(c.doc.subtitle)),
    );
  }
  return out;
}

/**
 * A title line in its style. In a heading style (Geneva's HChG, H1G: the number hangs at the
 * frame, the text at the body edge) it starts with two tabs, as the Secretariat types it: one to
 * the number's stop, one to the body edge.
 */
function styledTitle(c: Ctx, styleId: string, children: ParagraphChild[]): Paragraph {
  if (!isHeadingStyle(c.style, styleId)) return new Paragraph({ style: styleId, children });
  return new Paragraph({
    style: styleId,
    children: [new TextRun({ children: [new Tab(), new Tab()] }), ...children],
  });
}

// ---------------------------------------------------------------------------------------------
// Letter and body

function letterParagraphs(c: Ctx): Paragraph[] {
  const letter = c.doc.letter;
  if (!letter) return [];
  const last = letter.paragraphs.length - 1;
  const out = letter.paragraphs.map(
    (p, i) =>
      new Paragraph({
        style: UNDOC_STYLES.letter.id,
        // The last paragraph keeps with the signature (as the PDF does): with widow control,
        // Word carries its last two lines over rather than the signature alone.
        ...(i === last && letter.signatories.length > 0 ? { keepNext: true } : {}),
        children: runs(p.text),
      }),
  );
  const sig = c.style.signature;
  letter.signatories.forEach((s, i) => {
    const name: ParagraphChild[] = [];
    if (s.signed) name.push(...runs(signedMark(c.doc)));
    nameParts(s).forEach((p, k) => {
      if (k > 0 && s.nameSeparator !== '') name.push(text(s.nameSeparator));
      name.push(p.surname ? text(p.text, { bold: true }) : text(p.text));
    });
    const lines = [name, ...s.titleLines.map((l) => runs(l))];
    lines.forEach((children, j) => {
      out.push(
        new Paragraph({
          // Flush right, kept together, no space after: all in the style; only the gap above
          // each signatory and the block's last line (not kept with what follows) are the line's.
          style: UNDOC_STYLES.signature.id,
          ...(j < lines.length - 1 ? {} : { keepNext: false }),
          ...(j === 0
            ? { spacing: { before: twip(i === 0 ? sig.gapBefore : sig.gapBetween) } }
            : {}),
          children,
        }),
      );
    });
  });
  return out;
}

function itemParagraphs(c: Ctx, items: readonly SubItem[], depth: number): Paragraph[] {
  const levelTabs = Math.min(depth, ITEM_DEPTH);
  return items.flatMap((item) => [
    new Paragraph({
      style: ids(c).body.id,
      children: [
        ...Array.from({ length: levelTabs }, () => tab()),
        text(item.label),
        tab(),
        ...runs(item.text),
      ],
    }),
    ...itemParagraphs(c, item.items, depth + 1),
  ]);
}

function blockParagraphs(c: Ctx, b: Block): Paragraph[] {
  const w = ids(c);
  switch (b.kind) {
    case 'chapter':
      return [
        new Paragraph({
          style: w.chapter.id,
          children: [tab(), text(b.label), tab(), ...runs(b.title)],
        }),
      ];
    case 'heading':
      return [
        new Paragraph({
          style: b.level === 1 ? w.h1.id : w.h2.id,
          children: [tab(), text(b.label), tab(), ...runs(b.title)],
        }),
      ];
    case 'subheading':
      return [unnumberedHeading(c, w.subheading.id, runs(b.title))];
    case 'paragraph': {
      const head: ParagraphChild[] = b.label === undefined ? [] : [text(b.label), tab()];
      return [
        new Paragraph({ style: w.body.id, children: [...head, ...runs(b.text)] }),
        ...itemParagraphs(c, b.items, 1),
      ];
    }
  }
}

function annexParagraphs(c: Ctx, a: Annex): Paragraph[] {
  const w = ids(c);
  const x = c.style.annex;
  // Heading, title and subtitle take everything from their styles (styles.ts).
  const out = [new Paragraph({ style: UNDOC_STYLES.annexHeading.id, children: runs(a.heading) })];
  if (a.originalNote) {
    out.push(
      new Paragraph({
        style: w.body.id,
        alignment: AlignmentType.RIGHT,
        spacing: { after: twip(x.originalNote.after) },
        children: [text(a.originalNote, { size: x.originalNote.size })],
      }),
    );
  }
  for (const line of [a.title, a.subtitle]) {
    if (line) out.push(new Paragraph({ style: UNDOC_STYLES.annexTitle.id, children: runs(line) }));
  }
  if (a.dateLine) {
    out.push(
      new Paragraph({
        style: w.body.id,
        alignment: AlignmentType.RIGHT,
        spacing: { after: twip(x.dateLine.after) },
        children: runs(a.dateLine, { size: x.dateLine.size }),
      }),
    );
  }
  if (a.placeDate) {
    out.push(
      new Paragraph({
        style: w.body.id,
        spacing: { after: twip(x.placeDate.after) },
        children: runs(a.placeDate, { size: x.placeDate.size }),
      }),
    );
  }
  out.push(...a.blocks.flatMap((b) => blockParagraphs(c, b)));
  return out;
}

/** The short centred rule that ends the document. */
function closingRule(c: Ctx): Paragraph {
  const r = c.style.closingRule;
  const side = twip((c.g.frameWidth - r.length) / 2);
  return new Paragraph({
    style: BUILTIN.normal.id,
    keepLines: true,
    spacing: { before: twip(r.gapBefore) },
    indent: { left: side, right: side },
    border: { bottom: rule(r.width) },
  });
}

// ---------------------------------------------------------------------------------------------
// Notes, headers, footers

/** Notes by Word id (the note's number: footnotes and endnotes never share one), in `styleId`. */
function notesPart(
  list: readonly Footnote[],
  styleId: string,
): Record<string, { children: Paragraph[] }> {
  const out: Record<string, { children: Paragraph[] }> = {};
  for (const n of list) {
    out[String(n.number)] = {
      children: [new Paragraph({ style: styleId, children: [tab(), ...runs(n.text)] })],
    };
  }
  return out;
}

/** The notes at the foot of the page that calls them: all, unless the notes are endnotes. */
const footnotes = (c: Ctx) => notesPart(footOf(c.doc), BUILTIN.footnoteText.id);

/**
 * A document's endnotes: Word's own, at the end of the document, numbered 1, 2, 3 (Word's default
 * for endnotes is i, ii, iii); none for a document without.
 */
function endnoteOptions(c: Ctx) {
  const list = endnotesOf(c.doc);
  if (list.length === 0) return { document: {}, section: {} };
  return {
    document: { endnotes: notesPart(list, BUILTIN.endnoteText.id) },
    section: {
      endnoteProperties: {
        position: EndnotePosition.DOCUMENT_END,
        numberFormat: { type: NumberFormat.DECIMAL },
      },
    },
  };
}

function runningHeader(c: Ctx, alignment: 'left' | 'right'): Header {
  const lines = symbolSlot(c.doc);
  return new Header({
    children: lines.map(
      (t) =>
        new Paragraph({
          style: BUILTIN.header.id,
          alignment: alignment === 'left' ? AlignmentType.LEFT : AlignmentType.RIGHT,
          children: [text(t)],
        }),
    ),
  });
}

/**
 * A field with its result stored (begin, instruction, separate, result, end), so that a reader
 * that shows fields without updating them shows the number; Word updates it as it lays out.
 */
function storedField(instruction: string, result: string, f: RunFormat): TextRun[] {
  const fldChar = (type: 'begin' | 'separate' | 'end') =>
    new TextRun({
      children: [
        new BuilderElement<{ type: string }>({
          name: 'w:fldChar',
          attributes: { type: { key: 'w:fldCharType', value: type } },
        }),
      ],
      ...runFormat(f),
    });
  return [
    fldChar('begin'),
    new TextRun({ children: [new StringContainer('w:instrText', instruction)], ...runFormat(f) }),
    fldChar('separate'),
    new TextRun({ text: result, ...runFormat(f) }),
    fldChar('end'),
  ];
}

/**
 * Later pages' footer: "n/N" bold on the outer side, the short job number on the inner side.
 * PAGE stores the first page this footer prints on (2 for even pages, 3 for odd ones), NUMPAGES
 * the page count of undoc's own layout.
 */
function runningFooter(c: Ctx, side: 'even' | 'odd'): Footer {
  const f = c.style.footer;
  const format: RunFormat = { bold: true, size: f.pageNumberSize };
  // The layout's form: "2/5" (New York) or "2" (Geneva), each number a field with its result.
  const page = pageNumberParts(c.style).flatMap((p) =>
    'text' in p
      ? [text(p.text, format)]
      : p.counter === 'page'
        ? storedField('PAGE', side === 'even' ? '2' : '3', format)
        : storedField('NUMPAGES', String(c.pageCount), format),
  );
  // Geneva prints no job number on later pages.
  const job = text(f.jobNumber ? (c.doc.jobNumber?.short ?? '') : '', { size: f.jobNumberSize });
  const children = side === 'even' ? [...page, tab(), job] : [job, tab(), ...page];
  return new Footer({
    children: [
      new Paragraph({
        style: BUILTIN.footer.id,
        tabStops: [{ type: TabStopType.RIGHT, position: twip(c.g.frameWidth) }],
        children,
      }),
    ],
  });
}

/** Page 1's footer: job number and dates, the barcode under them, "Please recycle", QR code. */
function firstFooter(c: Ctx): Footer {
  const { doc, style, pics } = c;
  const p = style.firstPageFooter;
  // A right-to-left document's footer is mirrored as the PDF's page is (pdf/bidi.ts): each frame
  // and picture moved across the page, the job number set from the right.
  const rtl = doc.direction === 'rtl';
  const across = (x: number, width: number) => (rtl ? style.page.width - x - width : x);
  // A frame whose left edge is at `left` on the page, as given (not mirrored).
  const frameAt = (left: number, y: number, width: number) => ({
    type: 'absolute' as const,
    position: { x: twip(left), y: twip(y) },
    width: twip(width),
    anchor: { horizontal: FrameAnchorType.PAGE, vertical: FrameAnchorType.PAGE },
  });
  const frame = (x: number, y: number, width: number) => frameAt(across(x, width), y, width);
  const paragraphs: Paragraph[] = [];
  const job = doc.jobNumber;
  if (job) {
    const size = p.jobNumber.size;
    const head = text(jobNumberHead(style, job), { size });
    const dated = jobNumberDates(style, job);
    const dates = dated.length === 0 ? [] : [text(dated.join(' '), { size })];
    paragraphs.push(
      new Paragraph({
        style: BUILTIN.footer.id,
        ...latinParagraph(c),
        frame: frame(p.jobNumber.x, p.jobNumber.y, p.recycle.x - p.jobNumber.x),
        // Set from the right, the dates follow two en spaces rather than a tab stop measured
        // from the frame's left.
        ...(rtl
          ? {
              alignment: AlignmentType.RIGHT,
              children: [
                head,
                ...(dates.length === 0 ? [] : [text('\u2002\u2002', { size })]),
                ...dates,
              ],
            }
          : {
              tabStops: [
                { type: TabStopType.LEFT, position: twip(style.docx.firstPageFooter.dateTab) },
              ],
              children: [head, ...(dates.length === 0 ? [] : [tab({ size })]), ...dates],
            }),
      }),
    );
  }
  if (job && pics.barcode) {
    // The barcode as the Secretariat's Word files set it: the payload "*0729358*" as text in a
    // Code 39 font (embedded in the package, docx/package.ts), drawn as wide as the PDF's bars
    // (a character scale); single-spaced, so that its baseline is the font's ascent below the
    // frame's top in Word and LibreOffice alike (LibreOffice sets an exact line's text lower).
    const { bars } = pics.barcode;
    paragraphs.push(
      new Paragraph({
        style: BUILTIN.footer.id,
        ...latinParagraph(c),
        // The text starts where the bars' box (mirrored in a right-to-left document) puts it; the
        // frame a size wider than the text, so that no reader's rounding wraps its last bar.
        frame: frameAt(
          across(p.barcode.x, bars.width) - bars.left,
          p.barcode.y - bars.barTop,
          bars.advance + bars.size,
        ),
        spacing: { line: SINGLE_LINE, lineRule: 'auto' },
        children: [
          new TextRun({
            text: bars.text,
            font: bars.family,
            size: halfPoint(bars.size),
            scale: Math.round(bars.scale * 100),
          }),
        ],
      }),
    );
  }
  // "Please recycle" right-aligned against the mark, which fills the box's right end (mirrored:
  // left-aligned against the mark on its left).
  const markX = p.recycle.x + p.recycle.width - pics.recycle.width;
  paragraphs.push(
    new Paragraph({
      style: BUILTIN.footer.id,
      ...(rtl ? latinParagraph(c) : {}),
      frame: frame(p.recycle.x, p.recycle.y + p.recycle.labelTop, markX - p.recycle.x),
      alignment: rtl ? AlignmentType.LEFT : AlignmentType.RIGHT,
      spacing: { line: twip(p.recycle.size), lineRule: 'exact' },
      children: [text(c.doc.labels.pleaseRecycle, { bold: true, size: p.recycle.size })],
    }),
  );
  const anchored: ParagraphChild[] = [
    svgImageRun(pics.recycleSvg, pics.recycle, c.doc.labels.pleaseRecycle, {
      x: across(markX, pics.recycle.width),
      y: p.recycle.y,
    }),
  ];

  const first = doc.symbols[0];
  if (pics.qr && first) {
    anchored.push(imageRun(pics.qr, first.url, { x: across(p.qr.x, pics.qr.width), y: p.qr.y }));
  }
  // The framed and anchored items do not push the body up; this paragraph, as tall as the
  // footer from the style's page-1 limit down, does: page 1's text and footnotes stop above the
  // job number and codes (Geneva's sit higher than the later pages' footer).
  const reserve = style.page.height - footerDistance(style) - p.top;
  paragraphs.push(
    new Paragraph({
      style: BUILTIN.footer.id,
      // Left to right, so that the pictures' offsets count from the page's left edge as written
      // (LibreOffice counts them from the right in a right-to-left paragraph).
      ...latinParagraph(c),
      spacing: { line: twip(reserve), lineRule: 'exact' },
      children: anchored,
    }),
  );
  return new Footer({ children: paragraphs });
}

/** From the page's bottom edge to the later pages' footer line (one running-header step tall). */
function footerDistance(style: Style): number {
  return style.page.height - style.footer.y - style.runningHeader.step;
}

// ---------------------------------------------------------------------------------------------

/** Renders the DOCX: the Secretariat's house styles, a Word masthead, real footnotes and fields. */
export const renderDocx: Renderer = async (doc, style, resources) => {
  const fonts = resources.languages[doc.language].fonts;
  return packDocx(doc, style, await docxFile(doc, style, resources), packageParts, fonts);
};

/** The docx package's document for `doc`, before it is packed. */
export async function docxFile(
  doc: UnDocument,
  style: Style,
  resources: Resources,
): Promise<Document> {
  const pics = await docxPictures(doc, style, resources);
  const { pdfPageCount } = await import('../pdf/index.js');
  const pageCount = await pdfPageCount(doc, style, resources);
  const c: Ctx = { doc, style, g: docxGeometry(style), pics, pageCount };
  const hd = style.runningHeader;
  const headerLines = Math.max(1, doc.symbols.length);
  const headerDistance = hd.ruleY - headerRuleSpace(style) - headerLines * hd.step;

  const children = [
    mastheadTable(c),
    ...sessionBlock(c),
    ...titleParagraphs(c),
    ...letterParagraphs(c),
    ...doc.body.flatMap((b) => blockParagraphs(c, b)),
    ...doc.annexes.flatMap((a) => annexParagraphs(c, a)),
    closingRule(c),
  ];
  const symbol = symbolLine(doc);
  const ends = endnoteOptions(c);
  return new Document({
    title: plainText(doc.title),
    subject: symbol,
    creator: 'undoc',
    lastModifiedBy: 'undoc',
    revision: 1,
    keywords: doc.keywords.join(', '),
    description: [symbol, doc.date.text].filter((s) => s !== '').join(', '),
    // What `undoc import` needs beyond the page's text, invisibly (docx/meta.ts).
    customProperties: [{ name: META_PROPERTY, value: JSON.stringify(docxMeta(doc)) }],
    evenAndOddHeaderAndFooters: true,
    // The barcode font, embedded (obfuscated as Word requires; keyed per font in
    // docx/package.ts) for the barcode's text.
    fonts: pics.barcode ? [{ name: pics.barcode.bars.family, data: pics.barcode.font }] : [],
    defaultTabStop: twip(style.font.numberTab),
    footnotes: footnotes(c),
    ...ends.document,
    sections: [
      {
        properties: {
          ...ends.section,
          titlePage: true,
          page: {
            size: { width: twip(style.page.width), height: twip(style.page.height) },
            margin: {
              top: twip(style.page.top),
              bottom: twip(style.page.bottom),
              left: twip(style.frame.left),
              right: twip(style.page.width - style.frame.right),
              header: twip(headerDistance),
              footer: twip(footerDistance(style)),
              gutter: 0,
            },
          },
        },
        headers: {
          first: new Header({ children: [new Paragraph({ style: BUILTIN.normal.id })] }),
          default: runningHeader(c, 'right'),
          even: runningHeader(c, 'left'),
        },
        footers: {
          first: firstFooter(c),
          default: runningFooter(c, 'odd'),
          even: runningFooter(c, 'even'),
        },
        children,
      },
    ],
  });
}

/** Packs `file` (made by docxFile from `doc`) as the deterministic DOCX. */
export async function packDocx(
  doc: UnDocument,
  style: Style,
  file: Document,
  parts: (file: Document) => Promise<ReadonlyMap<string, PartData>> = packageParts,
  fonts: LanguageFonts = {},
): Promise<Uint8Array> {
  const hasEndnotes = endnotesOf(doc).length > 0;
  return normalizeDocx(await parts(file), {
    date: doc.date.iso,
    language: WORD_LOCALE[doc.language],
    stylesXml: stylesXml(style, doc.language, {
      fonts,
      rtl: doc.direction === 'rtl',
      ...(hasEndnotes ? { endnotes: true } : {}),
    }),
    ...(hasEndnotes ? { endnoteSeparator: endnotesHeading(doc, style) } : {}),
    customMarks: new Map(
      doc.footnotes
        .filter((n) => n.mark !== String(autoMark(doc, n.number)))
        .map((n) => [n.number, n.mark]),
    ),
  });
}

/**
 * The endnotes' heading as the paragraph Word prints before them (their separator): the
 * language's "Notes" at the frame's edge (the section's margin), in the template's size and face,
 * with its gaps above and below.
 */
function endnotesHeading(doc: UnDocument, style: Style): string {
  const e = style.endnotes;
  const at = style.body.left + e.headingX - style.frame.left;
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const face = e.headingItalic ? '<w:i/><w:iCs/>' : '';
  const half = halfPoint(e.headingSize);
  return (
    `<w:p><w:pPr><w:keepNext/><w:spacing w:before="${twip(e.gapBefore)}" w:after="${twip(e.gapAfter)}" w:line="${twip(style.font.leading)}" w:lineRule="exact"/>` +
    `<w:ind w:left="${twip(at)}"/></w:pPr>` +
    `<w:r><w:rPr>${face}<w:sz w:val="${half}"/><w:szCs w:val="${half}"/></w:rPr>` +
    `<w:t xml:space="preserve">${esc(doc.labels.endnotes)}</w:t></w:r></w:p>`
  );
}

/** The docx package's compiler, which `Packer` holds but does not export in its types. */
interface PartCompiler {
  readonly compile: (file: Document) => ReadonlyMap<string, PartData>;
}

function partCompiler(): PartCompiler | undefined {
  const compiler: unknown = Reflect.get(Packer, 'compiler');
  if (typeof compiler !== 'object' || compiler === null) return undefined;
  const compile: unknown = Reflect.get(compiler, 'compile');
  return typeof compile === 'function'
    ? {
        compile: (file) =>
          Reflect.apply(compile, compiler, [file]) as ReadonlyMap<string, PartData>,
      }
    : undefined;
}

/**
 * The package's parts as `Packer.toBuffer` would zip them (path → data, in its order). Its
 * compiler gives them before zipping: zipping them there only for normalizeDocx to unzip them
 * again cost a third of the DOCX time. Where a docx release no longer has that compiler, the
 * packed file is unzipped (same parts; test/docx-package.test.ts compares the two).
 */
export async function packageParts(file: Document): Promise<ReadonlyMap<string, PartData>> {
  const compiler = partCompiler();
  if (compiler) return compiler.compile(file);
  return zippedParts(file);
}

/** The parts of `Packer.toBuffer`'s zip file, in its order. */
export async function zippedParts(file: Document): Promise<ReadonlyMap<string, PartData>> {
  return new Map(Object.entries(unzipSync(new Uint8Array(await Packer.toBuffer(file)))));
}

/** The mark Word's automatic numbering gives note `number`: custom-marked notes don't count. */
function autoMark(doc: UnDocument, number: number): number {
  let auto = 0;
  for (const n of doc.footnotes) {
    if (!/^\d+$/.test(n.mark)) continue;
    auto++;
    if (n.number === number) return auto;
  }
  return -1;
}
