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
import { bodyContent, KEEP_WITH_NEXT, PARAGRAPH, titleText } from './pdf-body.js';
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

/**
 * In-pass page-break rules (pdfmake lays the document out again after each break it is told to
 * make): a heading must have two lines of what it heads below it on its page, and a paragraph
 * must not leave its first line alone at a page's foot (an orphan).
 */
function pageBreakRules(kit: TextKit, limit: (page: number) => number) {
  const { font, page: pageStyle } = kit.style;
  const twoLines = 2 * font.leading;
  return (node: NodeInfo, nodes: NodeContainer): boolean => {
    const level = node.headlineLevel;
    if (level !== KEEP_WITH_NEXT && level !== PARAGRAPH) return false;
    const page = node.startPosition.pageNumber;
    // Already at the top of a page: moving it would not help (and would never stop).
    if (node.startPosition.top <= pageStyle.top || nodes.getPreviousNodesOnPage().length === 0) {
      return false;
    }
    if (level === PARAGRAPH) {
      return node.pageNumbers.length > 1 && node.startPosition.top + twoLines > limit(page);
    }
    const next = nodes.getFollowingNodesOnPage().find((n) => n.headlineLevel !== KEEP_WITH_NEXT);
    if (next === undefined) return true;
    if (next.startPosition.pageNumber !== page) return true;
    return next.startPosition.top + twoLines > limit(page);
  };
}

/**
 * The first widow of a pass (a paragraph's last line alone at a page's top): its paragraph's
 * previous page gives up one line (or the whole paragraph when only two lines were there), as
 * Word's widow control does. One page per pass, since the fix moves every later page.
 */
function widowFix(kit: TextKit, probe: FlowProbe, keep: ReadonlyMap<number, number>) {
  const leading = kit.style.font.leading;
  const perPara = new Map<string, Map<number, number>>();
  for (const line of probe.lines) {
    if (line.para === undefined) continue;
    const pages = perPara.get(line.para) ?? new Map<number, number>();
    pages.set(line.page, (pages.get(line.page) ?? 0) + 1);
    perPara.set(line.para, pages);
  }
  let first: { page: number; give: number } | undefined;
  for (const pages of perPara.values()) {
    const [before, after] = [...pages.entries()];
    if (before === undefined || after === undefined || after[1] !== 1 || before[1] < 2) continue;
    const give = (before[1] >= 3 ? 1 : before[1]) * leading;
    if (first === undefined || before[0] < first.page) first = { page: before[0], give };
  }
  if (first === undefined) return { keep, changed: false };
  const next = new Map(keep);
  next.set(first.page, (next.get(first.page) ?? 0) + first.give);
  return { keep: next, changed: true };
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
    pageBreakBefore: pageBreakRules(kit, limit),
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
  const widows = widowFix(kit, probe, known.keep);
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
