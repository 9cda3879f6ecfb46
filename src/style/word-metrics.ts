/**
 * Word's text metrics as style data: Word sets a glyph wider than the font's nominal advance
 * (the New York template by ~6.7 % at 10 pt), so a renderer that breaks lines where Word does
 * measures and draws every glyph with the advance Word gives it. The model is per size, as
 * measured in issued documents (templates/*.yaml, `font.wordMetrics`).
 */
import type { Pt, Style, WordMetrics } from './style.js';

/**
 * How one size is set: lines break as if text were `fit` × its nominal width; each glyph is
 * drawn `scale` × its nominal advance + `tracking` pt.
 */
export interface SizeMetrics {
  readonly fit: number;
  readonly scale: number;
  readonly tracking: Pt;
}

/** Nominal advances: what a size not measured gets. */
export const NOMINAL: SizeMetrics = { fit: 1, scale: 1, tracking: 0 };

/** Sizes within this many points of a listed size take its metrics (9.96 pt is 10 pt). */
const SAME_SIZE = 0.05;

/** The metrics of `size` pt in `style`, or nominal ones when the style lists none for it. */
export function metricsAt(style: Style, size: Pt): SizeMetrics {
  return metricsIn(style.font.wordMetrics, size);
}

/** The metrics of `size` pt from a list of measured sizes. */
export function metricsIn(list: readonly WordMetrics[], size: Pt): SizeMetrics {
  for (const m of list) if (Math.abs(m.size - size) <= SAME_SIZE) return m;
  return NOMINAL;
}

/**
 * Advance (pt) of a text of `glyphs` glyphs whose nominal advance is `nominal` pt, as Word
 * draws it.
 */
export function wordAdvance(m: SizeMetrics, nominal: Pt, glyphs: number): Pt {
  return m.scale * nominal + m.tracking * glyphs;
}

/** Glyphs Word's tracking is added to: one per code point (Tinos has no ligatures). */
export function glyphCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The PDF horizontal scaling (Tz, percent) that draws glyphs `scale` × their nominal advance. */
export function horizontalScaling(m: SizeMetrics): number {
  return Math.round(m.scale * 1e6) / 1e4;
}
