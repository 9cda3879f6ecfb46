/**
 * The PDF renderer: the UN layout with pdfmake, in layout passes.
 *
 * pdfmake lays out once per pass. Each pass is told where the body must stop on each page (room
 * for the footnotes called on that page) and how many lines each paragraph has (so that it keeps
 * widows and orphans off page breaks as it flows), and reports where every footnote call and
 * paragraph line landed. When a pass reports what it was told, its layout is final and only then
 * drawn: a document needs one pass, or two when it has footnotes or a paragraph broke badly in the
 * first.
 */
import type { Footnote, UnDocument } from '../../model.js';
import { LANGUAGES, symbolLine } from '../../model.js';
import { fontsOf, type Resources } from '../../resources.js';
import type { Style } from '../../style/style.js';
import { metricsAt, NOMINAL, type SizeMetrics } from '../../style/word-metrics.js';
import { barcodeText } from '../barcode-font.js';
import { svgLabel } from '../svg-label.js';
import type { Renderer } from '../types.js';
import { type DocumentInfo, makeArchival } from './archive.js';
import { rightToLeft } from './bidi.js';
import { type BodyFlow, bodyFlow, titleText } from './body.js';
import { FlowProbe, PdfLayout, parseFont } from './engine.js';
import { assertEngine } from './engine-check.js';
import { asWordSets, prepareFallbackFont, prepareMirrorFont, preparePdfFonts } from './fonts.js';
import {
  type LaidNotes,
  type NotePlan,
  notesHeight,
  pageFurniture,
  pageNotes,
} from './furniture.js';
import { type RunFonts, withRuns } from './scripts.js';
import { directionOfTags, planStructure } from './structure.js';
import { Tagger } from './tags.js';
import { lineHeight, type PdfNode, type TextKit } from './text.js';

/** Passes after which the last layout is taken even if it still moved (never reached in tests). */
const MAX_PASSES = 6;

/** What one pass learned and the next one acts on. */
interface Knowledge {
  /** Page (1-based) of each footnote's call. */
  readonly notePages: ReadonlyMap<string, number>;
  /** Lines each footnote took. */
  readonly noteLines: ReadonlyMap<string, number>;
  /** Lines of each body paragraph (the next pass keeps widows and orphans off page breaks). */
  readonly paragraphLines: ReadonlyMap<string, number>;
  /**
   * Room held for notes at each page's foot so far (pt, by 1-based page), never given back: a
   * call pushed to the next page by its own note's room would otherwise return to the page it
   * left on the following pass, and back again, for ever.
   */
  readonly held: ReadonlyMap<number, number>;
}

function notesByPage(doc: UnDocument, notePages: ReadonlyMap<string, number>) {
  // Endnotes print after the text: only the others take room at the foot of a page.
  return (page: number): Footnote[] =>
    doc.footnotes.filter((n) => !n.endnote && notePages.get(n.id) === page);
}

function baseLimit(style: Style) {
  return (page: number): number => {
    const bottom = style.page.height - style.page.bottom;
    return page === 1 ? Math.min(bottom, style.firstPageFooter.top) : bottom;
  };
}

/** Whether a pass left a widow or an orphan: a paragraph with a single line on one side of a break. */
function hasWidowOrOrphan(probe: FlowProbe): boolean {
  const perPara = new Map<string, Map<number, number>>();
  for (const line of probe.lines) {
    if (line.para === undefined) continue;
    const pages = perPara.get(line.para) ?? new Map<number, number>();
    pages.set(line.page, (pages.get(line.page) ?? 0) + 1);
    perPara.set(line.para, pages);
  }
  for (const pages of perPara.values()) {
    const counts = [...pages.values()];
    if (counts.length > 1 && counts.some((n) => n === 1)) return true;
  }
  return false;
}

/** The room held for notes after a pass: the most each page has held so far. */
function heldAfter(known: Knowledge, heldNow: (page: number) => number): Map<number, number> {
  const held = new Map(known.held);
  for (const page of new Set(known.notePages.values())) {
    held.set(page, Math.max(held.get(page) ?? 0, heldNow(page)));
  }
  return held;
}

function sameMap<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function metadata(doc: UnDocument): DocumentInfo {
  // The document's own date, never the clock: two builds give the same bytes.
  const date = new Date(`${doc.date.iso}T00:00:00Z`);
  const subject = symbolLine(doc);
  const keywords = doc.keywords.join(', ');
  return {
    title: titleText(doc),
    ...(subject === '' ? {} : { subject }),
    author: doc.organs.map((o) => o.name).join(', '),
    ...(keywords === '' ? {} : { keywords }),
    creator: 'undoc',
    producer: 'undoc (pdfmake)',
    creationDate: date,
    modDate: date,
  };
}

interface Pass {
  readonly learned: Knowledge;
  readonly widowOrOrphan: boolean;
}

/** What the furniture of the layout under way draws its notes from. */
interface NoteState {
  plan: NotePlan;
  laid: LaidNotes;
}

/** The document's definition, built once and laid out by every pass. */
function definitionOf(
  doc: UnDocument,
  kit: TextKit,
  resources: Resources,
  family: string,
  notes: NoteState,
  content: unknown,
  tagged: boolean,
  runs: RunFonts,
  barcodeFamily: string,
) {
  const { style } = kit;
  const factor = lineHeight(kit, style.font.size, style.font.leading);
  // Each page's furniture but its notes, made once and laid out by every pass (as the content
  // is: pdfmake's measurement of its text is kept per node, hook 6).
  const made = new Map<string, PdfNode[]>();
  const fixed = (page: number, pageCount: number): PdfNode[] => {
    const key = `${page}/${pageCount}`;
    let nodes = made.get(key);
    if (nodes === undefined) {
      nodes = withRuns(
        pageFurniture(kit, doc, resources, page, pageCount, barcodeFamily),
        runs,
        factor,
      );
      made.set(key, nodes);
    }
    return nodes;
  };
  return {
    // Tagged (PDF/UA-1) and archival (PDF/A-2b): PDF 1.7, the title shown as the window's.
    ...(tagged ? { tagged: true, displayTitle: true, version: '1.7' } : {}),
    pageSize: { width: style.page.width, height: style.page.height },
    // pdfmake's footer area is the whole page (bottom margin = page height): the furniture is
    // drawn there, after the flow, when the page count and the footnote calls are known. The
    // body's own bottom comes from the probe's `limit`.
    pageMargins: {
      left: style.body.left,
      top: style.page.top,
      right: style.page.width - style.body.right,
      bottom: style.page.height,
    },
    content: withRuns(content, runs, factor),
    footer: (page: number, pageCount: number) => ({
      stack: [
        ...fixed(page, pageCount),
        ...withRuns(pageNotes(kit, notes.plan, page, notes.laid), runs, factor),
      ],
    }),
    defaultStyle: {
      font: family,
      fontSize: style.font.size,
      lineHeight: lineHeight(kit, style.font.size, style.font.leading),
    },
    info: metadata(doc),
    language: doc.language,
  };
}

async function layoutPass(
  doc: UnDocument,
  kit: TextKit,
  layout: PdfLayout,
  flow: BodyFlow,
  notes: NoteState,
  known: Knowledge,
): Promise<Pass> {
  const base = baseLimit(kit.style);
  const previous: NotePlan = {
    notesOn: notesByPage(doc, known.notePages),
    linesOf: (id) => known.noteLines.get(id) ?? 1,
    baseLimit: base,
  };
  const room = (page: number) =>
    Math.max(known.held.get(page) ?? 0, notesHeight(kit, previous, page));
  const limit = (page: number) => base(page) - room(page);
  const probe = new FlowProbe(
    limit,
    known.paragraphLines,
    flow.keeps(known.paragraphLines),
    flow.tails,
  );
  notes.plan = {
    notesOn: notesByPage(doc, probe.notePages),
    linesOf: previous.linesOf,
    baseLimit: base,
  };
  notes.laid = new Map();
  await layout.run(probe);
  const noteLines = new Map<string, number>();
  for (const [id, node] of notes.laid) {
    const positions = node.positions;
    if (Array.isArray(positions)) noteLines.set(id, positions.length);
  }
  return {
    learned: {
      held: heldAfter(known, (page) => notesHeight(kit, previous, page)),
      notePages: new Map(probe.notePages),
      noteLines,
      paragraphLines: probe.paragraphLineCounts(),
    },
    widowOrOrphan: hasWidowOrOrphan(probe),
  };
}

/** Letters of the right-to-left scripts (Arabic alef, Hebrew alef): a family that has one sets them. */
const RTL_LETTERS = [0x0627, 0x05d0];

function filesOf(style: Style, family: string) {
  const files = style.fontFiles[family];
  if (files === undefined) throw new Error(`templates: font family ${family} is not in fontFiles`);
  return files;
}

/** How a PDF is made: `tagged` (the default) is a tagged PDF/UA-1 and PDF/A-2b file. */
export interface PdfOptions {
  readonly tagged: boolean;
  /** With `tagged`: PDF/A-2b too (the default; off only to measure what it costs). */
  readonly archival?: boolean;
}

/** Renders the PDF of a document: tagged, PDF/UA-1 and PDF/A-2b. */
export const renderPdf: Renderer = (doc, style, resources) =>
  renderPdfWith(doc, style, resources, { tagged: true });

/** Page counts of the PDFs laid out in this process, by model (a build renders PDF first). */
const PAGE_COUNTS = new WeakMap<UnDocument, number>();

/** The number of page objects a PDF holds (pdfkit writes one `/Type /Page` dictionary each). */
function pagesIn(bytes: Uint8Array): number {
  return (
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      .toString('latin1')
      .match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0
  );
}

/**
 * How many pages undoc's layout gives a document: the DOCX stores it as its NUMPAGES field's
 * result, for readers that show fields without updating them. Laid out once per model.
 */
export async function pdfPageCount(
  doc: UnDocument,
  style: Style,
  resources: Resources,
): Promise<number> {
  const known = PAGE_COUNTS.get(doc);
  if (known !== undefined) return known;
  await renderPdf(doc, style, resources);
  return PAGE_COUNTS.get(doc) ?? 0;
}

/** Renders the PDF of a document as `options` say (untagged only to measure what tagging costs). */
export const renderPdfWith = async (
  doc: UnDocument,
  style: Style,
  resources: Resources,
  options: PdfOptions,
): Promise<Uint8Array> => {
  const { family, metrics } = preparePdfFonts(resources, style.font.family);
  // Word's metrics were measured on English documents in the body font (Times New Roman, Tinos):
  // languages whose table says otherwise (Arabic, Chinese), and fallback families in any
  // document, keep nominal advances.
  const wordSet = resources.languages[doc.language].wordMetrics;
  const kit: TextKit = { style, metrics: wordSet ? asWordSets(metrics, style) : metrics };
  await assertEngine(kit, family, resources.fonts.regular);
  let known: Knowledge = {
    notePages: new Map(),
    noteLines: new Map(),
    paragraphLines: new Map(),
    held: new Map(),
  };
  const flow = bodyFlow(kit, doc);
  const notes: NoteState = {
    plan: { notesOn: () => [], linesOf: () => 1, baseLimit: baseLimit(style) },
    laid: new Map(),
  };
  const fonts = fontsOf(resources)(doc.style);
  const runs: RunFonts = {
    fonts,
    pdfFamily: (name) =>
      name === fonts.body
        ? family
        : prepareFallbackFont(resources, name, filesOf(style, name)).family,
    naturalLine: (name) =>
      name === fonts.body
        ? metrics.naturalLineHeight(1)
        : prepareFallbackFont(resources, name, filesOf(style, name)).naturalLine,
  };
  // Right-to-left text draws its mirrored brackets with a second registration of the body
  // family and of each fallback that prints right-to-left letters (pdf/bidi.ts). pdfmake knows
  // only the families registered before the document is made: they are registered now.
  const rtl = LANGUAGES[doc.language].dir === 'rtl';
  const mirrors = new Map<string, string>();
  const tables = resources.languages as Readonly<Record<string, { readonly dir: 'ltr' | 'rtl' }>>;
  const direction = directionOfTags(doc, (language) => tables[language]?.dir);
  if (rtl) {
    mirrors.set(family, prepareMirrorFont(resources, family, resources.fonts));
    for (const name of style.font.fallback) {
      if (!RTL_LETTERS.some((cp) => fonts.has(name, cp))) continue;
      const files = filesOf(style, name);
      const pdfFamily = prepareFallbackFont(resources, name, files).family;
      mirrors.set(
        pdfFamily,
        prepareMirrorFont(resources, pdfFamily, resources.fontFamily(files), files.features),
      );
    }
  }
  // The barcode font is read by a document that has a job number to print, registered now.
  const barcode = style.firstPageFooter.barcode.family;
  const barcodeFamily =
    doc.jobNumber === undefined
      ? ''
      : prepareFallbackFont(resources, barcode, filesOf(style, barcode)).family;
  const definition = definitionOf(
    doc,
    kit,
    resources,
    family,
    notes,
    flow.content,
    options.tagged,
    runs,
    barcodeFamily,
  );
  const archival = options.archival ?? true;
  const draw = options.tagged ? drawer(doc, resources, archival) : undefined;
  // The barcode font drawn as wide as the style's bars (a PDF horizontal scaling).
  const bars = doc.jobNumber && barcodeMetrics(resources, style, doc.jobNumber.barcode);
  const layout = new PdfLayout(definition, draw, (size, name) =>
    bars !== undefined && name === bars.name
      ? bars.metrics
      : wordSet && name === style.font.family
        ? metricsAt(style, size)
        : NOMINAL,
  );
  for (let pass = 1; ; pass++) {
    const { learned, widowOrOrphan } = await layoutPass(doc, kit, layout, flow, notes, known);
    // A widow the pass could not avoid with the line counts it was given stays (never loops).
    const settled =
      sameMap(learned.notePages, known.notePages) &&
      sameMap(learned.noteLines, known.noteLines) &&
      (!widowOrOrphan || sameMap(learned.paragraphLines, known.paragraphLines));
    // Only the pass kept is drawn: the others cost their layout alone.
    if (settled || pass === MAX_PASSES) {
      const bytes = await layout.bytes(
        rtl ? rightToLeft((f) => mirrors.get(f), direction) : undefined,
      );
      PAGE_COUNTS.set(doc, pagesIn(bytes));
      return bytes;
    }
    known = learned;
  }
};

/** Draws a document's pages tagged, then makes it archival. */
function drawer(doc: UnDocument, resources: Resources, archival: boolean) {
  const emblemAlt = svgLabel(resources.emblemSvg) ?? '';
  const tagger = new Tagger(planStructure(doc, emblemAlt));
  return {
    draw: tagger.draw.bind(tagger),
    finish: () => {
      tagger.finish();
      const icc = archival ? resources.srgbIcc : undefined;
      makeArchival(tagger.document(), metadata(doc), doc.language, icc);
    },
  };
}

const fontNames = new WeakMap<Buffer, string>();

/**
 * The barcode font's family name as fontkit reads it (the name the layout's metrics are asked
 * for) and the metrics that draw `payload`'s bars the style's width.
 */
function barcodeMetrics(
  resources: Resources,
  style: Style,
  payload: string,
): { readonly name: string; readonly metrics: SizeMetrics } {
  const file = resources.fontFamily(filesOf(style, style.firstPageFooter.barcode.family)).regular;
  let name = fontNames.get(file);
  if (name === undefined) {
    const font = parseFont(file);
    name = 'familyName' in font ? font.familyName : '';
    fontNames.set(file, name);
  }
  const { scale } = barcodeText(resources, style, payload);
  return { name, metrics: { ...NOMINAL, scale } };
}
