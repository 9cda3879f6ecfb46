/**
 * Tagged drawing (hook 13 of pdf/engine.ts): the pages pdfmake laid out are drawn as its
 * Renderer draws them, with each piece of content inside marked content (`BDC`/`EMC` with an
 * MCID) of the structure element pdf/structure.ts planned for it, and furniture inside artifacts;
 * then the structure tree, its parent tree and the bookmarks are written.
 *
 * pdfkit's own structure elements (`doc.struct`) write an element as soon as it ends, and an
 * annotation's page as whatever page is current then; here an element's children come from
 * pages drawn in any order (page 1's footnote and masthead after its body), so the tree is
 * recorded while drawing and written once at the end, with pdfkit's marked-content calls
 * (`markStructureContent`, `markContent`, `endMarkedContent`) and its parent tree.
 *
 * Words are tagged one by one, as pdfmake's `renderLine` draws them: a line may hold a label and
 * its text, or a paragraph and a footnote call. A marked sequence stays open across the words and
 * lines of one element and closes when the element changes, at a drawing, and at the page's end.
 */
import { drawTellingWords, laidSize } from './engine.js';
import type { Bookmark, PlanNode, StructurePlan } from './structure.js';
import { ARTIFACT } from './structure.js';

/** A pdfkit object reference (PDFReference): its dictionary, written by `end()`. */
interface PdfRef {
  readonly data: Record<string, unknown>;
  end(): void;
}

interface PdfPage {
  readonly dictionary: PdfRef;
  readonly height: number;
  readonly width: number;
  readonly annotations: PdfRef[];
}

interface Outline {
  addItem(title: string, options?: Record<string, unknown>): Outline;
}

/** The pdfkit document members tagging uses (pdf/engine.ts `CALLED`, checked at start-up). */
export interface TaggedDocument {
  page: PdfPage;
  readonly outline: Outline;
  addPage(options: Record<string, unknown>): unknown;
  ref(data: Record<string, unknown>): PdfRef;
  markContent(tag: string, options?: Record<string, unknown> | null): unknown;
  markStructureContent(
    tag: string,
    options?: Record<string, unknown>,
  ): {
    readonly refs: readonly { readonly pageRef: PdfRef; readonly mcid: number }[];
  };
  endMarkedContent(): unknown;
  getStructTreeRoot(): PdfRef;
  getStructParentTree(): { get(key: unknown): unknown; add(key: number, value: unknown): void };
  createStructParentTreeNextKey(): number;
  link(x: number, y: number, w: number, h: number, url: string, options: object): unknown;
}

/** A line inline as pdfmake draws it, with the tags the node builders put on it. */
interface DrawnInline {
  readonly text: string;
  readonly undocTag?: string;
  readonly undocNote?: string;
}

interface DrawnLine {
  readonly inlines: readonly DrawnInline[];
  readonly x: number;
  readonly y: number;
}

/** A canvas vector or SVG as pdfmake draws it. */
interface DrawnShape {
  readonly undocTag?: string;
  readonly type?: string;
  readonly x?: number;
  readonly y?: number;
  readonly w?: number;
  readonly h?: number;
}

interface PageItem {
  readonly type: string;
  readonly item: unknown;
}

/** A page pdfmake laid out. */
export interface DrawnPage {
  readonly pageSize: { readonly width: number; readonly height: number };
  readonly items: readonly PageItem[];
  readonly watermark?: unknown;
}

/** pdfmake's Renderer as tagged drawing drives it. */
export interface RendererLike {
  pdfDocument: unknown;
  renderLine(line: unknown, x: number, y: number): void;
  renderVector(vector: unknown): void;
  renderSVG(svg: unknown): void;
  renderImage?(image: unknown): void;
  renderAttachment?(attachment: unknown): void;
  beginClip?(rect: unknown): void;
  endClip?(): void;
  beginVerticalAlignment?(item: unknown): void;
  endVerticalAlignment?(item: unknown): void;
  renderWatermark(page: unknown): void;
}

/** Marked content of one element: its page and MCID. */
interface Marked {
  readonly page: PdfRef;
  readonly mcid: number;
}

/** An element as drawn: its plan, and its own content and inline elements in drawing order. */
interface Drawn {
  readonly plan: PlanNode;
  readonly seq: (Marked | Drawn)[];
  /** Its figure's box on its page (pt, from the top left): x0, y0, x1, y1. */
  box?: [number, number, number, number];
  boxPage?: PdfPage;
}

/** A link annotation drawn over a figure, for its `Link` element. */
interface LinkAnnotation {
  readonly annotation: PdfRef;
  readonly page: PdfRef;
  readonly key: number;
}

/** Records and writes the structure of one document as its pages are drawn. */
export class Tagger {
  private readonly drawn = new Map<PlanNode, Drawn>();
  private readonly notesPlaced = new Set<string>();
  private readonly links = new Map<PlanNode, LinkAnnotation>();
  private open: Drawn | string | undefined;
  private topBookmark: Outline | undefined;
  private doc: TaggedDocument | undefined;

  constructor(private readonly plan: StructurePlan) {}

  private drawnOf(plan: PlanNode): Drawn {
    let d = this.drawn.get(plan);
    if (d === undefined) {
      d = { plan, seq: [] };
      this.drawn.set(plan, d);
    }
    return d;
  }

  private close(doc: TaggedDocument): void {
    if (this.open === undefined) return;
    doc.endMarkedContent();
    this.open = undefined;
  }

  /** Opens the marked content of `target` (an element, or an artifact type) unless it is open. */
  private enter(doc: TaggedDocument, target: Drawn | string, top?: number): void {
    if (this.open === target) return;
    this.close(doc);
    if (typeof target === 'string') {
      doc.markContent('Artifact', { type: target === ARTIFACT.page ? 'Pagination' : 'Layout' });
    } else {
      const first = target.seq.every((s) => !('mcid' in s));
      const content = doc.markStructureContent(target.plan.role);
      const ref = content.refs[0];
      if (ref === undefined) throw new Error('PDF engine: pdfkit marked content without an MCID');
      target.seq.push({ page: ref.pageRef, mcid: ref.mcid });
      const bookmark = target.plan.bookmark;
      if (first && bookmark !== undefined) this.bookmark(doc, bookmark, top ?? 0);
    }
    this.open = target;
  }

  private bookmark(doc: TaggedDocument, b: Bookmark, top: number): void {
    const parent = b.nested && this.topBookmark !== undefined ? this.topBookmark : doc.outline;
    // pdfkit's XYZ destination: left is the page width less `left`, top the height less `top`.
    const item = parent.addItem(b.title, { top, left: doc.page.width, expanded: true });
    if (!b.nested) this.topBookmark = item;
  }

  /** The element or artifact a word belongs to; a footnote call opens its Reference. */
  private targetOfWord(inline: DrawnInline): Drawn | string {
    const tag = inline.undocTag;
    if (tag === undefined) {
      throw new Error(`PDF structure: the text "${inline.text}" belongs to no element`);
    }
    if (tag.startsWith('~')) return tag;
    const plan = this.plan.byId.get(tag);
    if (plan === undefined) throw new Error(`PDF structure: no element ${tag}`);
    const owner = this.drawnOf(plan);
    const noteId = inline.undocNote;
    if (noteId === undefined) return owner;
    const reference: Drawn = { plan: REFERENCE, seq: [] };
    owner.seq.push(reference);
    const note = this.plan.notes.get(noteId);
    if (note !== undefined && !this.notesPlaced.has(noteId)) {
      this.notesPlaced.add(noteId);
      owner.seq.push(this.drawnOf(note));
    }
    return reference;
  }

  private shape(doc: TaggedDocument, shape: DrawnShape, draw: () => void): void {
    const tag = shape.undocTag;
    const plan = tag === undefined || tag.startsWith('~') ? undefined : this.plan.byId.get(tag);
    if (plan === undefined) {
      this.enter(doc, tag ?? ARTIFACT.layout);
      draw();
      return;
    }
    const target = this.drawnOf(plan);
    this.enter(doc, target);
    draw();
    const x = shape.x ?? 0;
    const y = shape.y ?? 0;
    const measured = laidSize(shape);
    const w = shape.w ?? measured.width ?? 0;
    const h = shape.h ?? measured.height ?? 0;
    const b = target.box;
    target.box = b
      ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x + w), Math.max(b[3], y + h)]
      : [x, y, x + w, y + h];
    target.boxPage = doc.page;
  }

  /** The link annotations of figures in a `Link` drawn on this page, made as the page ends. */
  private linkFigures(doc: TaggedDocument): void {
    for (const link of this.linksOf(this.plan.root)) {
      const figure = link.children[0];
      const drawn = figure === undefined ? undefined : this.drawn.get(figure);
      if (drawn?.box === undefined || drawn.boxPage !== doc.page || this.links.has(link)) continue;
      const url = figure?.alt ?? '';
      const [x0, y0, x1, y1] = drawn.box;
      const key = doc.createStructParentTreeNextKey();
      doc.link(x0, y0, x1 - x0, y1 - y0, url, { StructParent: key, Contents: new String(url) });
      const annotation = doc.page.annotations.at(-1);
      if (annotation === undefined) throw new Error('PDF engine: pdfkit made no link annotation');
      // PDF/UA: a page with annotations orders them as its structure does.
      doc.page.dictionary.data.Tabs = 'S';
      this.links.set(link, { annotation, page: doc.page.dictionary, key });
    }
  }

  private *linksOf(node: PlanNode): Generator<PlanNode> {
    if (node.role === 'Link') yield node;
    for (const c of node.children) yield* this.linksOf(c);
  }

  /** Draws `pages` as pdfmake's `Renderer.renderPages` does, tagging every item. */
  draw(renderer: RendererLike, pages: readonly DrawnPage[]): void {
    const doc = renderer.pdfDocument as TaggedDocument;
    this.doc = doc;
    let line: DrawnLine | undefined;
    let word = 0;
    // pdfmake's renderLine draws a line's inlines in order, one text() call each.
    const onWord = (_: object, value: unknown) => {
      const inline = line?.inlines[word++];
      if (inline === undefined || inline.text !== value) {
        throw new Error('PDF engine: pdfmake drew a word that is not the next of its line');
      }
      this.enter(doc, this.targetOfWord(inline), line?.y);
    };
    drawTellingWords(doc, pages, onWord, () => {
      for (const page of pages) {
        doc.addPage({ size: [page.pageSize.width, page.pageSize.height] });
        for (const { type, item } of page.items) {
          switch (type) {
            case 'line':
              line = item as DrawnLine;
              word = 0;
              renderer.renderLine(line, line.x, line.y);
              line = undefined;
              break;
            case 'vector':
              this.shape(doc, item as DrawnShape, () => renderer.renderVector(item));
              break;
            case 'svg':
              this.shape(doc, item as DrawnShape, () => renderer.renderSVG(item));
              break;
            default:
              // Images, clips, attachments: undoc lays none out; drawn as pdfmake would.
              this.close(doc);
              other(renderer, type, item);
          }
        }
        if (page.watermark) {
          this.enter(doc, ARTIFACT.layout);
          renderer.renderWatermark(page);
        }
        this.close(doc);
        this.linkFigures(doc);
      }
    });
  }

  /** The pdfkit document drawn into. */
  document(): object {
    if (this.doc === undefined) throw new Error('PDF structure: nothing drawn');
    return this.doc;
  }

  /** Writes the structure tree (before the document ends). */
  finish(): void {
    const doc = this.doc;
    if (doc === undefined) throw new Error('PDF structure: nothing drawn');
    const root = doc.getStructTreeRoot();
    const parents = doc.getStructParentTree();
    const marked = new Set<PdfRef>();
    const write = (node: Drawn, parent: PdfRef): PdfRef => {
      const plan = node.plan;
      const ref = doc.ref({ Type: 'StructElem', S: plan.role, P: parent });
      const data = ref.data;
      const kids: unknown[] = [];
      for (const s of node.seq) {
        if ('mcid' in s) {
          data.Pg ??= s.page;
          marked.add(s.page);
          kids.push(data.Pg === s.page ? s.mcid : { Type: 'MCR', Pg: s.page, MCID: s.mcid });
          const array = parents.get(s.page.data.StructParents) as unknown[];
          array[s.mcid] = ref;
        } else if (hasContent(s, this.drawn)) kids.push(write(s, ref));
      }
      for (const child of plan.children) {
        const d = this.drawn.get(child) ?? { plan: child, seq: [] };
        if (hasContent(d, this.drawn)) kids.push(write(d, ref));
      }
      const link = this.links.get(plan);
      if (link !== undefined) {
        kids.push({ Type: 'OBJR', Obj: link.annotation, Pg: link.page });
        parents.add(link.key, ref);
      }
      if (plan.alt !== undefined) data.Alt = new String(plan.alt);
      if (plan.lang !== undefined) data.Lang = new String(plan.lang);
      if (plan.noteId !== undefined) data.ID = new String(`note-${plan.noteId}`);
      if (node.box !== undefined && node.boxPage !== undefined) {
        const [x0, y0, x1, y1] = node.box;
        const h = node.boxPage.height;
        data.A = { O: 'Layout', BBox: [x0, h - y1, x1, h - y0].map(round) };
      }
      data.K = kids;
      ref.end();
      return ref;
    };
    // A note no call placed (none in a valid document) still reads, at the end.
    const unplaced = [...this.plan.notes].filter(([id]) => !this.notesPlaced.has(id));
    const children = [...this.plan.root.children, ...unplaced.map(([, n]) => n)];
    const top = write({ plan: { ...this.plan.root, children }, seq: [] }, root);
    root.data.K = [top];
    for (const page of marked) {
      const array = parents.get(page.data.StructParents) as unknown[];
      if (array.some((e) => e === null || e === undefined)) {
        throw new Error('PDF structure: marked content that no element holds');
      }
    }
  }
}

/** A footnote call's element (one per call). */
const REFERENCE: PlanNode = { role: 'Reference', children: [] };

const round = (n: number) => Math.round(n * 100) / 100;

function hasContent(node: Drawn, drawn: ReadonlyMap<PlanNode, Drawn>): boolean {
  if (node.seq.length > 0) return true;
  return node.plan.children.some((c) => hasContent(drawn.get(c) ?? { plan: c, seq: [] }, drawn));
}

/** Items undoc never lays out, drawn with pdfmake's own method for each. */
function other(renderer: RendererLike, type: string, item: unknown): void {
  switch (type) {
    case 'image':
      renderer.renderImage?.(item);
      break;
    case 'attachment':
      renderer.renderAttachment?.(item);
      break;
    case 'beginClip':
      renderer.beginClip?.(item);
      break;
    case 'endClip':
      renderer.endClip?.();
      break;
    case 'beginVerticalAlignment':
      renderer.beginVerticalAlignment?.(item);
      break;
    case 'endVerticalAlignment':
      renderer.endVerticalAlignment?.(item);
      break;
  }
}
