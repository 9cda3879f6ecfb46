/**
 * Points to Word's units, in one place: every length the DOCX renderer writes passes through
 * here (twips for paragraph geometry, half-points for type sizes, eighths of a point for borders,
 * EMUs for drawings, 96-dpi pixels for the docx package's image sizes).
 */
import type { Pt } from '../../style/style.js';

/** Twentieths of a point: indents, spacing, tab stops, page geometry. */
export function twip(pt: Pt): number {
  return Math.round(pt * 20);
}

/** Half-points: run sizes (`w:sz`). */
export function halfPoint(pt: Pt): number {
  return Math.round(pt * 2);
}

/** Eighths of a point: border widths (`w:sz` of a border). */
export function eighthPoint(pt: Pt): number {
  return Math.round(pt * 8);
}

/** English Metric Units (12 700 per point): drawing positions. */
export function emu(pt: Pt): number {
  return Math.round(pt * 12_700);
}

/** Pixels at 96 per inch: the docx package sizes images in these. */
export function px96(pt: Pt): number {
  return (pt * 96) / 72;
}

/** Image pixels for a length at a resolution in dots per inch. */
export function dots(pt: Pt, dpi: number): number {
  return Math.max(1, Math.round((pt / 72) * dpi));
}

/** Millimetres (bwip-js takes bar heights in these). */
export function mm(pt: Pt): number {
  return (pt * 25.4) / 72;
}

/** Whole points: the space between a paragraph and its border (`w:space`). */
export function wholePoint(pt: Pt): number {
  return Math.round(pt);
}
