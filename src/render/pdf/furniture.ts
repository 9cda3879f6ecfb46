/**
 * What sits at fixed places on a page, laid out absolutely as measured: page 1's masthead and
 * footer (job number, Code 39 barcode, recycle mark, QR code), later pages' running header and
 * footer, and the footnotes at the foot of the page that calls them.
 */
import { type Footnote, SYMBOL_JOINER, symbolSlot, type UnDocument } from '../../model.js';
import type { Resources } from '../../resources.js';
import { jobNumberDates, jobNumberHead, pageNumberText } from '../../style/forms.js';
import { barcodeExtras, barcodeText, code39Modules } from '../barcode-font.js';
import { qrRects } from './codes.js';
import { ARTIFACT, TAG } from './structure.js';
import { lineHeight, noteNode, type PdfInline, type PdfNode, type TextKit } from './text.js';

/** Where the notes of one page go and how tall each note is. */
export interface NotePlan {
  /** Notes to print on a page (1-based), in number order. */
  readonly notesOn: (page: number) => readonly Footnote[];
  /** Lines of a note as last laid out (1 until measured). */
  readonly linesOf: (id: string) => number;
  /** y where the body stops on the page, before any room for notes. */
  readonly baseLimit: (page: number) => number;
}

/** Note nodes laid out on this pass, by note id: their `positions` tell how many lines they took. */
export type LaidNotes = Map<string, PdfNode>;

/**
 * Places `node` with its left edge at `x`, its top at `y` and its right edge at `right` (page
 * coordinates, pt). The furniture is laid out in pdfmake's footer area, which this renderer makes
 * the whole page; the inner margin ends the lines at `right`.
 */
function placed(kit: TextKit, x: number, y: number, right: number, node: PdfNode): PdfNode {
  return { absolutePosition: { x, y }, stack: [widened(kit, right, node)] };
}

/** `node` with the right margin that ends its lines at `right` inside the footer area. */
function widened(kit: TextKit, right: number, node: PdfNode): PdfNode {
  return { ...node, margin: [0, 0, kit.style.page.width - right, 0] };
}

function rule(y: number, width: number, left: number, right: number): PdfNode {
  return {
    absolutePosition: { x: left, y: y - width / 2 },
    canvas: [
      {
        type: 'line',
        x1: 0,
        y1: width / 2,
        x2: right - left,
        y2: width / 2,
        lineWidth: width,
        undocTag: ARTIFACT.layout,
      },
    ],
  };
}

function symbolRuns(kit: TextKit, doc: UnDocument): PdfInline[] {
  const s = kit.style.masthead.symbol;
  const runs: PdfInline[] = [];
  doc.symbols.forEach((sym, i) => {
    const tag = TAG.symbol;
    if (i > 0) runs.push({ text: SYMBOL_JOINER, fontSize: s.restSize, undocTag: tag });
    runs.push(
      { text: sym.series, fontSize: s.seriesSize, undocTag: tag },
      { text: sym.rest, fontSize: s.restSize, undocTag: tag },
    );
  });
  return runs;
}

function masthead(kit: TextKit, doc: UnDocument, resources: Resources): PdfNode[] {
  const { masthead: m, frame, font } = kit.style;
  const out: PdfNode[] = [
    {
      absolutePosition: { x: m.emblem.x, y: m.emblem.y },
      svg: resources.emblemSvg,
      undocTag: TAG.emblem,
      width: m.emblem.width,
      height: m.emblem.height,
    },
    placed(kit, m.unitedNations.x, m.unitedNations.y, frame.right, {
      text: [{ text: doc.labels.unitedNations, undocTag: TAG.unitedNations }],
      fontSize: m.unitedNations.size,
    }),
  ];
  // A draft has no symbol yet: its slot says so, in the symbol's small size, rather than
  // showing an invented one.
  out.push(
    placed(kit, frame.left, m.symbol.y, frame.right, {
      text:
        doc.symbols.length > 0
          ? symbolRuns(kit, doc)
          : [
              {
                text: doc.labels.symbolUnassigned,
                fontSize: m.symbol.restSize,
                undocTag: TAG.symbol,
              },
            ],
      alignment: 'right',
    }),
  );
  out.push(rule(m.thinRule.y, m.thinRule.width, frame.left, frame.right));
  doc.organs.forEach((o, i) => {
    out.push(
      placed(kit, m.organ.x, m.organ.y + i * m.organ.step, m.distribution.x, {
        text: [{ text: o.name, bold: true, undocTag: TAG.organ(i) }],
        bold: true,
        fontSize: m.organ.size,
        lineHeight: lineHeight(kit, m.organ.size, m.organ.step),
      }),
    );
  });
  doc.distributionLines.forEach((line, i) => {
    if (line === '') return;
    out.push(
      placed(kit, m.distribution.x, m.distribution.y + i * m.distribution.step, frame.right, {
        text: [{ text: line, undocTag: TAG.distribution(i) }],
        fontSize: m.distribution.size,
        lineHeight: lineHeight(kit, m.distribution.size, font.leading),
      }),
    );
  });
  out.push(rule(m.thickRule.y, m.thickRule.width, frame.left, frame.right));
  return out;
}

/** Code 39 symbols encoded in this process, by payload (page 1's footer, every layout pass). */
const symbols = new Map<string, readonly number[]>();

/** `code39Modules(payload)`, remembered: bwip-js's encoder costs ~0.15 ms a call. */
function modulesOf(payload: string): readonly number[] {
  let modules = symbols.get(payload);
  if (modules === undefined) {
    modules = code39Modules(payload);
    if (symbols.size >= SYMBOLS) symbols.clear();
    symbols.set(payload, modules);
  }
  return modules;
}

/** Symbols remembered at most (a batch has one job number per document). */
const SYMBOLS = 64;

/**
 * The job number's barcode set as text in the barcode font (pdfmake family `family`), its bars'
 * top-left corner where the style puts it: the payload "*0729358*" is text in the PDF.
 */
function barcodeNodes(
  kit: TextKit,
  resources: Resources,
  payload: string,
  family: string,
): PdfNode[] {
  const b = kit.style.firstPageFooter.barcode;
  const bars = barcodeText(resources, kit.style, payload);
  const out: PdfNode[] = [
    {
      absolutePosition: { x: b.x - bars.left, y: b.y - bars.barTop },
      text: [{ text: bars.text, undocTag: TAG.barcode }],
      font: family,
      fontSize: bars.size,
      lineHeight: 1,
    },
  ];
  // Taller bars and the human-readable line, where the layout prints them (Geneva): the bars'
  // lower part is part of the barcode's figure, the line under it is what the bars say again.
  const extras = barcodeExtras(kit.style, bars, modulesOf(payload));
  const rects = extras.flatMap((p) =>
    p.kind === 'bar'
      ? [
          {
            type: 'rect',
            x: p.x,
            y: p.y,
            w: p.width,
            h: p.height,
            color: 'black',
            lineWidth: 0,
            undocTag: TAG.barcode,
          },
        ]
      : [],
  );
  if (rects.length > 0) out.push({ absolutePosition: { x: 0, y: 0 }, canvas: rects });
  for (const p of extras) {
    if (p.kind !== 'digit') continue;
    const half = kit.metrics.width(p.text, p.size, 'normal') / 2;
    out.push({
      absolutePosition: { x: p.centre - half, y: p.y },
      text: [{ text: p.text, undocTag: ARTIFACT.layout }],
      fontSize: p.size,
      lineHeight: 1,
    });
  }
  return out;
}

function firstPageFooter(
  kit: TextKit,
  doc: UnDocument,
  resources: Resources,
  barcodeFamily: string,
): PdfNode[] {
  const f = kit.style.firstPageFooter;
  const out: PdfNode[] = [];
  const job = doc.jobNumber;
  if (job !== undefined) {
    const size = f.jobNumber.size;
    const dates = jobNumberDates(kit.style, job);
    const gap = '  ';
    const gapSpacing = f.jobNumber.dateGap - kit.metrics.width(gap, size, 'normal');
    out.push(
      placed(kit, f.jobNumber.x, f.jobNumber.y, f.recycle.x, {
        text: [
          { text: jobNumberHead(kit.style, job), undocTag: TAG.jobNumber },
          ...(dates.length === 0
            ? []
            : [
                { text: gap, characterSpacing: gapSpacing, undocTag: TAG.jobNumber },
                { text: dates.join(' '), undocTag: TAG.jobNumber },
              ]),
        ],
        fontSize: size,
      }),
      ...barcodeNodes(kit, resources, job.barcode, barcodeFamily),
    );
  }
  const r = f.recycle;
  const markX = r.x + r.width - r.height;
  out.push(
    placed(kit, r.x, r.y + r.labelTop, markX, {
      text: [{ text: doc.labels.pleaseRecycle, bold: true, undocTag: ARTIFACT.layout }],
      bold: true,
      fontSize: r.size,
      alignment: 'right',
    }),
    {
      absolutePosition: { x: markX, y: r.y },
      svg: resources.recycleSvg,
      undocTag: ARTIFACT.layout,
      width: r.height,
      height: r.height,
    },
  );
  // The QR code carries the symbol's address: it prints whenever there is a symbol, with a job
  // number or without one.
  const url = doc.symbols[0]?.url;
  if (url !== undefined) {
    const canvas = qrRects(url, f.qr.size).map((r) => ({ ...r, undocTag: TAG.qr }));
    out.push({ absolutePosition: { x: f.qr.x, y: f.qr.y }, canvas });
  }
  return out;
}

function runningHeader(kit: TextKit, doc: UnDocument, page: number, pageCount: number): PdfNode[] {
  const { runningHeader: h, footer, frame } = kit.style;
  const odd = page % 2 === 1;
  const alignment = odd ? 'right' : 'left';
  // The last symbol line sits at `y`, over the rule; a joint document's others stack above it.
  // A draft prints its unassigned slot there.
  const slot = symbolSlot(doc);
  const lines = slot.length;
  const out: PdfNode[] = slot.map((s, i) =>
    placed(kit, frame.left, h.y - (lines - 1 - i) * h.step, frame.right, {
      text: [{ text: s, bold: true, undocTag: ARTIFACT.page }],
      bold: true,
      fontSize: h.size,
      alignment,
    }),
  );
  out.push(rule(h.ruleY, h.ruleWidth, frame.left, frame.right));
  const pageTag = { undocTag: ARTIFACT.page };
  const number = {
    text: [{ text: pageNumberText(kit.style, page, pageCount), bold: true, ...pageTag }],
    bold: true,
    fontSize: footer.pageNumberSize,
  };
  const job = footer.jobNumber &&
    doc.jobNumber && {
      text: [{ text: doc.jobNumber.short, ...pageTag }],
      fontSize: footer.jobNumberSize,
    };
  // The page number sits on the outer side, the job number on the inner side.
  const outer = { ...number, alignment };
  out.push(placed(kit, frame.left, footer.y, frame.right, outer));
  if (job)
    out.push(
      placed(kit, frame.left, footer.y, frame.right, { ...job, alignment: odd ? 'left' : 'right' }),
    );
  return out;
}

/** Height of the notes block of a page (rule gaps included), in pt; 0 without notes. */
export function notesHeight(kit: TextKit, plan: NotePlan, page: number): number {
  const notes = plan.notesOn(page);
  if (notes.length === 0) return 0;
  const f = kit.style.footnote;
  const lines = notes.reduce((n, note) => n + plan.linesOf(note.id), 0);
  return f.gapAbove + f.ruleGap + lines * f.leading;
}

function notes(kit: TextKit, plan: NotePlan, page: number, laid: LaidNotes): PdfNode[] {
  const list = plan.notesOn(page);
  if (list.length === 0) return [];
  const { footnote: f, body } = kit.style;
  const limit = plan.baseLimit(page);
  let y = limit - (notesHeight(kit, plan, page) - f.gapAbove - f.ruleGap);
  const ruleLeft = body.left + f.ruleIndent;
  const out: PdfNode[] = [rule(y - f.ruleGap, f.ruleWidth, ruleLeft, ruleLeft + f.ruleLength)];
  for (const note of list) {
    const node = widened(kit, body.right, noteNode(kit, note));
    // pdfmake records each laid-out line on this very object: the next pass reads its height.
    laid.set(note.id, node);
    out.push({ absolutePosition: { x: body.left, y }, stack: [node] });
    y += plan.linesOf(note.id) * f.leading;
  }
  return out;
}

/**
 * Everything drawn at fixed places on `page` (1-based) of `pageCount` but its notes: a function
 * of the page and the page count (the layout lays it out again in each pass, the same nodes: its
 * text is measured once). `barcodeFamily` is the pdfmake family of the barcode font (registered
 * when the document has a job number).
 */
export function pageFurniture(
  kit: TextKit,
  doc: UnDocument,
  resources: Resources,
  page: number,
  pageCount: number,
  barcodeFamily: string,
): PdfNode[] {
  return page === 1
    ? [...masthead(kit, doc, resources), ...firstPageFooter(kit, doc, resources, barcodeFamily)]
    : runningHeader(kit, doc, page, pageCount);
}

/**
 * The notes at the foot of `page` (1-based) as `plan` places them, each note's node recorded in
 * `laid` (pdfmake records its lines there): new nodes for each layout pass.
 */
export function pageNotes(kit: TextKit, plan: NotePlan, page: number, laid: LaidNotes): PdfNode[] {
  return notes(kit, plan, page, laid);
}
