/**
 * pdfmake text from the model: inline runs with their styles resolved on each leaf (pdfmake does
 * not inherit styles into nested text arrays), tabs built from measured widths, and the line
 * heights that give the style's leading.
 */
import type { Footnote, Rich } from '../../model.js';
import type { Style } from '../../style/style.js';
import type { InlineTags } from './engine.js';
import type { Face, FontMetrics } from './fonts.js';
import { TAG } from './structure.js';

/** A pdfmake content node; checked against pdfmake's own types where the definition is built. */
export type PdfNode = { readonly [key: string]: unknown };

/** One pdfmake text inline. */
export interface PdfInline extends InlineTags {
  readonly text: string;
  readonly bold?: boolean;
  readonly italics?: boolean;
  readonly sup?: boolean;
  readonly fontSize?: number;
  readonly characterSpacing?: number;
}

/** Bold/italic state of a run. */
export interface RunStyle {
  readonly bold?: boolean;
  readonly italics?: boolean;
}

/** pdfmake sets a superscript at this fraction of the size (its TextInlines). */
const SUPERSCRIPT_SCALE = 0.58;

/** Everything the node builders need besides the model. */
export interface TextKit {
  readonly style: Style;
  readonly metrics: FontMetrics;
}

/** The pdfmake face of a run. */
export function faceOf(run: RunStyle): Face {
  if (run.bold && run.italics) return 'bolditalics';
  if (run.bold) return 'bold';
  return run.italics ? 'italics' : 'normal';
}

/** pdfmake's `lineHeight` factor that makes lines of `size` pt text `leading` pt apart. */
export function lineHeight(kit: TextKit, size: number, leading: number): number {
  return leading / kit.metrics.naturalLineHeight(size);
}

/**
 * Bidirectional controls (LRM, RLM, ALM, embeddings, overrides, isolates): the PDF has no
 * bidirectional algorithm to give them meaning and prints nothing for them, so they are not
 * drawn; drawn, each would still take the spacing Word's metrics give every glyph.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Flattens inline content into pdfmake inlines, each carrying its own style and `tags`. */
export function inlines(rich: Rich, run: RunStyle = {}, tags: InlineTags = {}): PdfInline[] {
  const out: PdfInline[] = [];
  for (const node of rich) {
    switch (node.kind) {
      case 'text':
        out.push({ ...run, ...tags, text: node.text.replace(BIDI_CONTROLS, '') });
        break;
      case 'italic':
        out.push(...inlines(node.children, { ...run, italics: true }, tags));
        break;
      case 'bold':
        out.push(...inlines(node.children, { ...run, bold: true }, tags));
        break;
      case 'noteRef':
        out.push({ ...run, ...tags, text: node.mark, sup: true, undocNote: node.id });
        break;
    }
  }
  return out;
}

/** Width of a label in the regular face (superior when `sup`), in pt. */
export function markWidth(kit: TextKit, label: string, size: number, sup = false): number {
  return kit.metrics.width(label, sup ? size * SUPERSCRIPT_SCALE : size, 'normal');
}

/**
 * A label ("12.", "(a)", "I.") followed by a tab that brings the next word to `tab` pt from the
 * label's start, as Word's "1.⇥" does. The tab is two spaces widened by character spacing, so it
 * extracts as whitespace; justification never stretches it.
 */
export function labelWithTab(
  kit: TextKit,
  label: string,
  tab: number,
  size: number,
  run: RunStyle = {},
  tags: InlineTags = {},
  sup = false,
): PdfInline[] {
  const face = faceOf(run);
  const labelWidth = kit.metrics.width(label, sup ? size * SUPERSCRIPT_SCALE : size, face);
  const spaces = '  ';
  // A label wider than its tab ("أولا -" in a chapter's hang) keeps the spaces' own width after
  // it, as Word moves the text on to the next tab stop: never drawn over the text.
  const spacing = Math.max(0, tab - labelWidth - kit.metrics.width(spaces, size, face));
  return [
    { ...run, ...tags, text: label, fontSize: size, ...(sup ? { sup } : {}) },
    { ...run, ...tags, text: spaces, fontSize: size, characterSpacing: spacing, undocFixed: true },
  ];
}

/**
 * A note as it is set at the foot of a page and in an endnotes section: its mark hanging before
 * the text (a numbered note's mark superior, as its calls are; a mark ending at a right tab hangs
 * by its own width plus the gap before the text), justified, in the footnote size.
 */
export function noteNode(kit: TextKit, note: Footnote): PdfNode {
  const f = kit.style.footnote;
  const tags = { undocPara: `note:${note.id}`, undocTag: TAG.note(note.id) };
  const sup = /^\d+$/u.test(note.mark);
  const hang =
    f.markAlign === 'right'
      ? f.numberWidth + markWidth(kit, note.mark, f.size, sup)
      : f.numberWidth;
  return {
    text: [
      ...labelWithTab(kit, note.mark, hang, f.size, {}, tags, sup),
      ...inlines(note.text, {}, tags),
    ],
    fontSize: f.size,
    lineHeight: lineHeight(kit, f.size, f.leading),
    alignment: 'justify',
    leadingIndent: -hang,
  };
}
