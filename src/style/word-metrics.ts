/**
 * Word's text metrics as style data: Word sets a glyph wider than the font's nominal advance
 * (the New York template by ~6.7 % at 10 pt), so a renderer that breaks lines where Word does
 * measures and draws every glyph with the advance Word gives it. The model is per size, as
 * measured in issued documents (templates/*.yaml, `font.wordMetrics`).
 */
import type { Pt, Style, WordMetrics } from './style.js';

/**
 * How one size is set: each glyph is drawn `scale` × its nominal advance + `tracking` pt, and
 * lines break by those drawn widths, the spaces of a justified line closing up to `shrink` ×
 * their drawn width at the least.
 */
export interface SizeMetrics {
  readonly shrink: number;
  readonly scale: number;
  readonly tracking: Pt;
}

/** Nominal advances, spaces that do not close up: what a size not measured gets. */
export const NOMINAL: SizeMetrics = { shrink: 1, scale: 1, tracking: 0 };

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

/**
 * Width (pt) by which Word breaks a line at a text of `glyphs` glyphs, `spaces` of them spaces
 * (U+0020), whose nominal advance is `nominal` pt and a space's `space` pt: its drawn width, less
 * what its spaces may close up in a `justified` line (`shrink`).
 */
export function breakAdvance(
  m: SizeMetrics,
  nominal: Pt,
  glyphs: number,
  spaces: number,
  space: Pt,
  justified: boolean,
): Pt {
  const drawn = wordAdvance(m, nominal, glyphs);
  if (!justified || spaces === 0) return drawn;
  return drawn - spaces * (1 - m.shrink) * wordAdvance(m, space, 1);
}

/** Spaces (U+0020) in `text`: the gaps a justified line stretches or closes up. */
export function spaceCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) n++;
  return n;
}

/** Glyphs Word's tracking is added to: one per code point (Tinos has no ligatures). */
export function glyphCount(text: string): number {
  // As counting `for (const _ of text)` does, without the iterator: a high surrogate followed by
  // a low one is one code point, any other code unit one.
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      n--;
      i++;
    }
  }
  return n;
}

/** The PDF horizontal scaling (Tz, percent) that draws glyphs `scale` × their nominal advance. */
export function horizontalScaling(m: SizeMetrics): number {
  return Math.round(m.scale * 1e6) / 1e4;
}
