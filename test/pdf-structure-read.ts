/**
 * Reads a tagged PDF's logical structure back with pdf.js: each page's structure tree
 * (`getStructTree`) with the text of every marked-content sequence it points to, what text lies
 * outside any marked content, artifacts, the outline, the document language and metadata.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** One structure element as a page shows it: its role, alternative text and children. */
export interface TreeNode {
  readonly role: string;
  readonly alt?: string;
  readonly lang?: string;
  readonly children: readonly TreeKid[];
}

/** A child: an element, the text of marked content, or an annotation/object reference. */
export type TreeKid = TreeNode | { readonly text: string } | { readonly object: string };

/** One page read back. */
export interface StructurePage {
  /** The page's structure tree (elements with content on this page, with their ancestors). */
  readonly root: TreeNode | undefined;
  /** Text shown inside an `/Artifact` sequence. */
  readonly artifactText: string;
  /** Text shown outside any marked content (PDF/UA forbids it). */
  readonly unmarkedText: string;
  /** Link annotations: their address and `/Contents`. */
  readonly links: readonly { readonly url: string; readonly contents: string }[];
  /** pdf.js's drawing operators of the page, marked-content ones left out, with their arguments. */
  readonly ops: readonly string[];
  /** How many marked-content operators the page has. */
  readonly markedOps: number;
}

/** One outline item. */
export interface OutlineItem {
  readonly title: string;
  readonly items: readonly OutlineItem[];
}

/** A document's structure read back. */
export interface ReadStructure {
  readonly pages: readonly StructurePage[];
  readonly language: string | undefined;
  readonly info: Readonly<Record<string, unknown>>;
  /** The XMP metadata's properties pdf.js parsed, names in lower case (`pdfaid:part`). */
  readonly xmp: ReadonlyMap<string, unknown>;
  readonly outline: readonly OutlineItem[];
  readonly markInfo: { readonly Marked?: boolean } | null;
}

interface RawNode {
  role?: string;
  alt?: string;
  lang?: string;
  type?: string;
  id?: string;
  children?: RawNode[];
}

function convert(n: RawNode, texts: ReadonlyMap<string, string>): TreeKid {
  if (n.type === 'content') return { text: texts.get(n.id ?? '') ?? '' };
  if (n.type === 'object' || n.type === 'annotation') return { object: n.id ?? '' };
  return {
    role: n.role ?? '',
    ...(n.alt === undefined ? {} : { alt: n.alt }),
    ...(n.lang === undefined ? {} : { lang: n.lang }),
    children: (n.children ?? []).map((c) => convert(c, texts)),
  };
}

/** pdf.js operators of marked content (begin, begin with properties, end). */
const MARKED_OPS = new Set(['beginMarkedContent', 'beginMarkedContentProps', 'endMarkedContent']);
/** pdf.js's own loading steps in an operator list (a font's first use), not drawing. */
const LOADING_OPS = new Set(['dependency']);

/** Reads `bytes` (copied: pdf.js detaches what it is given). */
export async function readStructure(bytes: Uint8Array): Promise<ReadStructure> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const opName = new Map(Object.entries(pdfjs.OPS).map(([k, v]) => [v as number, k]));
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  const pages: StructurePage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const texts = new Map<string, string>();
    const stack: string[] = [];
    let artifactText = '';
    let unmarkedText = '';
    for (const item of content.items) {
      if ('type' in item) {
        if (item.type === 'endMarkedContent') stack.pop();
        else stack.push(item.id ?? `#${(item as { tag?: string }).tag ?? ''}`);
        continue;
      }
      const str = item.str + (item.hasEOL ? '\n' : '');
      // The innermost sequence with an MCID holds the text (pdf.js gives artifacts no id).
      const id = [...stack].reverse().find((s) => !s.startsWith('#'));
      if (stack.includes('#Artifact')) artifactText += str;
      else if (id === undefined) unmarkedText += str;
      else texts.set(id, (texts.get(id) ?? '') + str);
    }
    const tree = (await page.getStructTree()) as RawNode | null;
    const root = tree?.children?.[0] ? (convert(tree.children[0], texts) as TreeNode) : undefined;
    const annotations = (await page.getAnnotations()) as {
      subtype: string;
      url?: string;
      contentsObj?: { str: string };
    }[];
    const links = annotations
      .filter((a) => a.subtype === 'Link')
      .map((a) => ({ url: a.url ?? '', contents: a.contentsObj?.str ?? '' }));
    const list = await page.getOperatorList();
    const ops: string[] = [];
    let markedOps = 0;
    list.fnArray.forEach((fn, i) => {
      const name = opName.get(fn) ?? String(fn);
      if (MARKED_OPS.has(name)) markedOps++;
      else if (!LOADING_OPS.has(name)) {
        // pdf.js names a font after the document it loaded it in (g_d0_f1): not the drawing.
        const args = JSON.stringify(list.argsArray[i] ?? null).replace(/g_d\d+_/gu, 'g_');
        ops.push(`${name} ${args}`);
      }
    });
    pages.push({ root, artifactText, unmarkedText, links, ops, markedOps });
  }
  const meta = await doc.getMetadata();
  const xmp = new Map<string, unknown>();
  const parsed = meta.metadata as Iterable<[string, unknown]> | null;
  for (const [k, v] of parsed ?? []) xmp.set(k, v);
  const raw = (await doc.getOutline()) ?? [];
  const outline = (items: typeof raw): OutlineItem[] =>
    items.map((i) => ({ title: i.title, items: outline(i.items) }));
  const markInfo = (await doc.getMarkInfo()) as { Marked?: boolean } | null;
  const info = meta.info as Record<string, unknown>;
  await doc.destroy();
  return {
    pages,
    language: typeof info.Language === 'string' ? info.Language : undefined,
    info,
    xmp,
    outline: outline(raw),
    markInfo,
  };
}

/** An element's own text (its marked content, not its child elements'), whitespace removed. */
export function ownText(node: TreeNode): string {
  return node.children
    .map((k) => ('text' in k ? k.text : ''))
    .join('')
    .replace(/\s+/gu, '');
}

/** All text under `node` in tree order, whitespace removed. */
export function treeText(node: TreeKid): string {
  if ('text' in node) return node.text.replace(/\s+/gu, '');
  if ('object' in node) return '';
  return node.children.map(treeText).join('');
}
