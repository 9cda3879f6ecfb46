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
  /**
   * What the page draws (`drawnOps`): each glyph run, path and image with the state it is drawn
   * in, whatever operators put it there.
   */
  readonly drawn: readonly DrawnOp[];
  /** How many marked-content operators the page has. */
  readonly markedOps: number;
}

/**
 * One thing a page draws, as a reader draws it: `key` names the operator, its non-numeric
 * arguments and the graphics state it is drawn in (colours, opacity, line style, font); `numbers`
 * are where (the matrix from text or user space to the page) and the other numbers.
 */
export interface DrawnOp {
  readonly key: string;
  readonly numbers: readonly number[];
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

/** pdf.js operators of the text state and text position (drawn glyph runs carry their effect). */
const TEXT_OPS = new Set([
  'beginText',
  'endText',
  'setTextMatrix',
  'moveText',
  'setLeadingMoveText',
  'nextLine',
  'setFont',
  'setCharSpacing',
  'setWordSpacing',
  'setHScale',
  'setLeading',
  'setTextRise',
  'setTextRenderingMode',
]);

/** Text state parameters at the start of a page (ISO 32000-1, 9.3.1), as pdf.js's operators give them. */
const TEXT_DEFAULTS = [
  ['setCharSpacing', 0],
  ['setWordSpacing', 0],
  ['setHScale', 100],
  ['setLeading', 0],
  ['setTextRise', 0],
  ['setTextRenderingMode', 0],
] as const;

type Matrix = readonly [number, number, number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` then `n` (PDF's row-vector convention: a point goes through `m` first). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

const matrixOf = (args: unknown): Matrix => {
  const a = Array.from(args as ArrayLike<number>);
  return [a[0] ?? 1, a[1] ?? 0, a[2] ?? 0, a[3] ?? 1, a[4] ?? 0, a[5] ?? 0];
};

/** A value's numbers (in order) and its shape with each number as `#`. */
function split(value: unknown, numbers: number[]): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (typeof v === 'number') {
      numbers.push(v);
      return '#';
    }
    // pdf.js names a font after the document it loaded it in (g_d0_f1): not the drawing.
    if (typeof v === 'string') return v.replace(/g_d\d+_/gu, 'g_');
    return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v;
  });
}

/**
 * What an operator list draws (see `DrawnOp`): the graphics state (`save`/`restore`, `transform`,
 * every `set…`) and the text state and position are followed, and each other operator is given
 * with the state it is drawn in.
 */
export function drawnOps(names: readonly string[], argsOf: (i: number) => unknown): DrawnOp[] {
  interface State {
    ctm: Matrix;
    set: Record<string, string>;
    setNumbers: Record<string, number[]>;
  }
  let state: State = { ctm: IDENTITY, set: {}, setNumbers: {} };
  // The text state a page starts with: an operator setting it again changes nothing.
  for (const [op, value] of TEXT_DEFAULTS) {
    const numbers: number[] = [];
    state.set[op] = split([value], numbers);
    state.setNumbers[op] = numbers;
  }
  const stack: State[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  const out: DrawnOp[] = [];
  names.forEach((name, i) => {
    const given = argsOf(i);
    const args = Array.isArray(given) ? [...(given as unknown[])] : (given as unknown[] | null);
    if (name === 'save')
      stack.push({ ...state, set: { ...state.set }, setNumbers: { ...state.setNumbers } });
    else if (name === 'restore') state = stack.pop() ?? state;
    else if (name === 'transform') state.ctm = multiply(matrixOf(args), state.ctm);
    else if (name === 'beginText') tm = tlm = IDENTITY;
    else if (name === 'setTextMatrix') tm = tlm = matrixOf(args?.[0] ?? args);
    else if (name === 'moveText') {
      tlm = multiply([1, 0, 0, 1, Number(args?.[0]), Number(args?.[1])], tlm);
      tm = tlm;
    } else if (name.startsWith('set') || TEXT_OPS.has(name)) {
      if (TEXT_OPS.has(name) && !name.startsWith('set')) return;
      const numbers: number[] = [];
      state.set[name] = split(args, numbers);
      state.setNumbers[name] = numbers;
    } else {
      const numbers: number[] = [];
      const text = name === 'showText' || name === 'showSpacedText';
      // A path with nothing in it paints nothing (pdfkit's `fill(colour)` before a word).
      if (name === 'constructPath' && !(args?.[1] as unknown[] | undefined)?.some((d) => d != null))
        return;
      if (text && Array.isArray(args?.[0])) {
        // An adjustment after a run's last glyph moves only the text position, which is not drawn.
        const glyphs = [...(args[0] as unknown[])];
        while (typeof glyphs.at(-1) === 'number') glyphs.pop();
        args[0] = glyphs;
      }
      const key = `${name} ${split(args, numbers)} ${JSON.stringify(state.set)}`;
      numbers.push(...(text ? multiply(tm, state.ctm) : state.ctm));
      for (const k of Object.keys(state.setNumbers).sort())
        numbers.push(...(state.setNumbers[k] ?? []));
      out.push({ key, numbers });
    }
  });
  return out;
}

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
    const names: string[] = [];
    const argsAt: number[] = [];
    let markedOps = 0;
    list.fnArray.forEach((fn, i) => {
      const name = opName.get(fn) ?? String(fn);
      if (MARKED_OPS.has(name)) markedOps++;
      else if (!LOADING_OPS.has(name)) {
        // pdf.js names a font after the document it loaded it in (g_d0_f1): not the drawing.
        const args = JSON.stringify(list.argsArray[i] ?? null).replace(/g_d\d+_/gu, 'g_');
        ops.push(`${name} ${args}`);
        names.push(name);
        argsAt.push(i);
      }
    });
    const drawn = drawnOps(names, (k) => list.argsArray[argsAt[k] ?? -1] ?? null);
    pages.push({ root, artifactText, unmarkedText, links, ops, drawn, markedOps });
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
