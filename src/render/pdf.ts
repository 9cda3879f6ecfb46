/**
 * The PDF renderer: the UN layout with pdfmake, in layout passes.
 *
 * pdfmake lays out once per pass. Each pass is told where the body must stop on each page (room
 * for the footnotes called on that page, one line less where the previous pass left a widow or an
 * orphan) and reports where every footnote call and paragraph line landed. When a pass reports
 * what it was told, its drawing is final: most documents need one pass, documents with notes two.
 */
import type { Footnote, UnDocument } from '../model.js';
import { symbolLine } from '../model.js';
import type { Resources } from '../resources.js';
import type { Style } from '../style/style.js';
import { bodyContent, KEEP_WITH_NEXT, titleText } from './pdf-body.js';
import {
  attachProbe,
  engine,
  FlowProbe,
  installLayoutHooks,
  type PdfOutput,
} from './pdf-engine.js';
import { preparePdfFonts } from './pdf-fonts.js';
import { furniture, type LaidNotes, type NotePlan, notesHeight } from './pdf-furniture.js';
import { lineHeight, type TextKit } from './pdf-text.js';
import type { Renderer } from './types.js';

/** Passes after which the last layout is taken even if it still moved (never reached in tests). */
const MAX_PASSES = 6;

/** What one pass learned and the next one acts on. */
interface Knowledge {
  /** Page (1-based) of each footnote's call. */
  readonly notePages: ReadonlyMap<string, number>;
  /** Lines each footnote took. */
  readonly noteLines: ReadonlyMap<string, number>;
  /** Points a page gives up at its foot for widow/orphan control, by 1-based page. */
  readonly keep: ReadonlyMap<number, number>;
}

interface NodeInfo {
  readonly headlineLevel?: number;
  readonly pageNumbers: readonly number[];
  readonly startPosition: { readonly pageNumber: number; readonly top: number };
}

interface NodeContainer {
  getFollowingNodesOnPage(): readonly NodeInfo[];
  getPreviousNodesOnPage(): readonly NodeInfo[];
}

function notesByPage(doc: UnDocument, notePages: ReadonlyMap<string, number>) {
  return (page: number): Footnote[] => doc.footnotes.filter((n) => notePages.get(n.id) === page);
}

function baseLimit(style: Style) {
  return (page: number): number => {
    const bottom = style.page.height - style.page.bottom;
    return page === 1 ? Math.min(bottom, style.firstPageFooter.top) : bottom;
  };
}

/** A heading must have two lines of what it heads below it on its page, or go to the next page. */
function keepHeadingsWithText(kit: TextKit, limit: (page: number) => number) {
  const { font, page: pageStyle } = kit.style;
  return (node: NodeInfo, nodes: NodeContainer): boolean => {
    if (node.headlineLevel !== KEEP_WITH_NEXT) return false;
    const page = node.startPosition.pageNumber;
    // Already at the top of a page: moving it would not help (and would never stop).
    if (node.startPosition.top <= pageStyle.top || nodes.getPreviousNodesOnPage().length === 0) {
      return false;
    }
    const next = nodes.getFollowingNodesOnPage().find((n) => n.headlineLevel !== KEEP_WITH_NEXT);
    if (next === undefined) return true;
    if (next.startPosition.pageNumber !== page) return true;
    return next.startPosition.top + 2 * font.leading > limit(page);
  };
}

/** Widow and orphan fixes seen in a pass, added to what earlier passes kept. */
function widowFixes(kit: TextKit, probe: FlowProbe, keep: ReadonlyMap<number, number>) {
  const leading = kit.style.font.leading;
  const perPara = new Map<string, Map<number, number>>();
  for (const line of probe.lines) {
    if (line.para === undefined) continue;
    const pages = perPara.get(line.para) ?? new Map<number, number>();
    pages.set(line.page, (pages.get(line.page) ?? 0) + 1);
    perPara.set(line.para, pages);
  }
  const next = new Map(keep);
  let changed = false;
  for (const pages of perPara.values()) {
    const [first, second] = [...pages.entries()];
    if (first === undefined || second === undefined) continue;
    const [page, before] = first;
    const after = second[1];
    // An orphan (one line at the foot) moves over; a widow (one line at the top) pulls one more
    // line over, or the whole paragraph when that would leave an orphan behind.
    let give = 0;
    if (before === 1) give = leading;
    else if (after === 1) give = (before >= 3 ? 1 : before) * leading;
    if (give > 0) {
      next.set(page, (next.get(page) ?? 0) + give);
      changed = true;
    }
  }
  return { keep: next, changed };
}

function sameMap<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function metadata(doc: UnDocument) {
  // The document's own date, never the clock: two builds give the same bytes.
  const date = new Date(`${doc.date.iso}T00:00:00Z`);
  const subject = symbolLine(doc);
  return {
    title: titleText(doc),
    ...(subject === '' ? {} : { subject }),
    author: doc.organs.map((o) => o.name).join(', '),
    keywords: doc.keywords.join(', '),
    creator: 'undoc',
    producer: 'undoc (pdfmake)',
    creationDate: date,
    modDate: date,
  };
}

interface Pass {
  readonly output: PdfOutput;
  readonly learned: Knowledge;
  readonly widowsMoved: boolean;
}

async function layoutPass(
  doc: UnDocument,
  kit: TextKit,
  resources: Resources,
  family: string,
  known: Knowledge,
): Promise<Pass> {
  const { style } = kit;
  const base = baseLimit(style);
  const previous: NotePlan = {
    notesOn: notesByPage(doc, known.notePages),
    linesOf: (id) => known.noteLines.get(id) ?? 1,
    baseLimit: base,
  };
  const limit = (page: number) =>
    base(page) - notesHeight(kit, previous, page) - (known.keep.get(page) ?? 0);
  const probe = new FlowProbe(limit);
  // pdfmake's footer area is the whole page (bottom margin = page height): the furniture is drawn
  // there, after the flow, when the page count and the footnote calls are known. The body's own
  // bottom comes from `limit`, through the probe.
  const pageMargins = {
    left: style.body.left,
    top: style.page.top,
    right: style.page.width - style.body.right,
    bottom: style.page.height,
  };
  attachProbe(pageMargins, probe);
  const laid: LaidNotes = new Map();
  const current: NotePlan = {
    notesOn: notesByPage(doc, probe.notePages),
    linesOf: previous.linesOf,
    baseLimit: base,
  };
  const definition = {
    pageSize: { width: style.page.width, height: style.page.height },
    pageMargins,
    content: bodyContent(kit, doc),
    footer: (page: number, pageCount: number) =>
      furniture(kit, doc, resources, current, laid, page, pageCount),
    pageBreakBefore: keepHeadingsWithText(kit, limit),
    defaultStyle: {
      font: family,
      fontSize: style.font.size,
      lineHeight: lineHeight(kit, style.font.size, style.font.leading),
    },
    info: metadata(doc),
    language: doc.language,
  };
  const output = engine.createPdf(definition);
  await output.getStream();
  const noteLines = new Map<string, number>();
  for (const [id, node] of laid) {
    const positions = node.positions;
    if (Array.isArray(positions)) noteLines.set(id, positions.length);
  }
  const widows = widowFixes(kit, probe, known.keep);
  return {
    output,
    learned: { notePages: new Map(probe.notePages), noteLines, keep: widows.keep },
    widowsMoved: widows.changed,
  };
}

/** Renders the PDF of a document. */
export const renderPdf: Renderer = async (doc, style, resources) => {
  installLayoutHooks();
  const { family, metrics } = preparePdfFonts(resources, style.font.family);
  const kit: TextKit = { style, metrics };
  let known: Knowledge = { notePages: new Map(), noteLines: new Map(), keep: new Map() };
  for (let pass = 1; ; pass++) {
    const { output, learned, widowsMoved } = await layoutPass(doc, kit, resources, family, known);
    const settled =
      !widowsMoved &&
      sameMap(learned.notePages, known.notePages) &&
      sameMap(learned.noteLines, known.noteLines);
    if (settled || pass === MAX_PASSES) return new Uint8Array(await output.getBuffer());
    known = learned;
  }
};
