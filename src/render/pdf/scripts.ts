/**
 * Font runs in the PDF: every text of a pdfmake definition cut where the family that prints it
 * changes (style/script-fonts.ts decides by script), each run naming its pdfmake family. A text
 * the body font prints whole is left as it is: a document in English or any language Tinos
 * prints gets the very same definition, and reads no other font.
 *
 * A fallback family has its own ascent and descent (Noto Serif SC's natural line is 1.44 em,
 * Tinos's 1.11): its runs get a line-height factor scaled so that a line holds the layout's
 * leading whatever the script.
 */
import type { ScriptFonts } from '../../style/script-fonts.js';
import type { PdfNode } from './text.js';

/** What cutting needs: the families, and each one's pdfmake name and natural line (em). */
export interface RunFonts {
  readonly fonts: ScriptFonts;
  /** The pdfmake family name of a layout family (registered on first use). */
  pdfFamily(family: string): string;
  /** (ascent − descent) / units per em of a family's regular face. */
  naturalLine(family: string): number;
}

type Inline = string | { readonly [key: string]: unknown };

/** The runs of one inline, or undefined when the body prints it whole. */
function cutInline(inline: Inline, run: RunFonts, factor: number): Inline[] | undefined {
  const text = typeof inline === 'string' ? inline : inline.text;
  if (typeof text !== 'string') return undefined;
  const { fonts } = run;
  if (fonts.bodyPrints(text)) return undefined;
  const base = typeof inline === 'string' ? {} : inline;
  const own = typeof inline === 'string' ? undefined : inline.lineHeight;
  const lh = typeof own === 'number' ? own : factor;
  const bodyLine = run.naturalLine(fonts.body);
  return fonts.runs(text).map((r) => {
    if (r.family === undefined || r.family === fonts.body) return { ...base, text: r.text };
    return {
      ...base,
      text: r.text,
      font: run.pdfFamily(r.family),
      lineHeight: (lh * bodyLine) / run.naturalLine(r.family),
    };
  });
}

/** A node's `text` with its runs cut, or undefined when nothing changes. */
function cutText(value: unknown, run: RunFonts, factor: number): unknown {
  if (typeof value === 'string') return cutInline(value, run, factor);
  if (!Array.isArray(value)) return undefined;
  let changed = false;
  const out: unknown[] = [];
  for (const item of value as unknown[]) {
    if (typeof item === 'string' || (item !== null && typeof item === 'object')) {
      const nested =
        typeof item === 'object' && Array.isArray((item as { text?: unknown }).text)
          ? withRuns(item as PdfNode, run, factor)
          : undefined;
      const cut = nested === undefined ? cutInline(item as Inline, run, factor) : [nested];
      if (cut !== undefined && (nested === undefined || nested !== item)) {
        changed = true;
        out.push(...cut);
        continue;
      }
    }
    out.push(item);
  }
  return changed ? out : undefined;
}

/**
 * The node tree with every text cut into font runs; nodes whose texts the body font prints are
 * returned as they are (the same objects: pdfmake's measurement is kept per node).
 */
export function withRuns<T>(node: T, run: RunFonts, factor: number): T {
  if (Array.isArray(node)) {
    let changed = false;
    const out = node.map((n) => {
      const m = withRuns(n, run, factor);
      if (m !== n) changed = true;
      return m;
    });
    return (changed ? out : node) as T;
  }
  if (node === null || typeof node !== 'object') return node;
  const obj = node as { readonly [key: string]: unknown };
  const own = obj.lineHeight;
  const lh = typeof own === 'number' ? own : factor;
  let copy: { [key: string]: unknown } | undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'svg' || key === 'image' || key === 'qr') continue;
    let next: unknown;
    if (key === 'text') next = cutText(value, run, lh);
    else if (value !== null && typeof value === 'object') {
      const m = withRuns(value, run, lh);
      next = m === value ? undefined : m;
    }
    if (next !== undefined) {
      copy ??= { ...obj };
      copy[key] = next;
    }
  }
  return (copy ?? node) as T;
}
