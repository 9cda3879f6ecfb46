/**
 * The UN layout as one typed object. Every length is in points (1/72 in), converted once from the
 * units written in `templates/*.yaml`; each renderer converts points to its own unit. The
 * templates are read and checked against templates/style.schema.json by style/load.ts.
 */
import type { StyleName } from '../model.js';

/** A length in points. */
export type Pt = number;

/** A positioned text element of the masthead or footer. */
export interface Placed {
  readonly x: Pt;
  readonly y: Pt;
  readonly size: Pt;
}

/** Size and spacing of a heading kind. */
export interface HeadingStyle {
  readonly size: Pt;
  readonly leading: Pt;
  readonly before: Pt;
  readonly after: Pt;
}

/**
 * How Word sets one size: it draws each glyph `scale` × its nominal advance plus `tracking` pt
 * (kerning included) and breaks lines by those widths, the spaces of a justified line closing up
 * to `shrink` × their drawn width at the least.
 */
export interface WordMetrics {
  readonly size: Pt;
  readonly shrink: number;
  readonly scale: number;
  readonly tracking: Pt;
}

/** A Word paragraph style: the id Word stores and the name staff see. */
export interface WordStyleName {
  readonly id: string;
  readonly name: string;
}

/** Where a font family's four faces are: an npm package, and a file of it for each face. */
export interface FontFamilyFiles {
  /** The npm package that ships the TrueType files. */
  readonly package: string;
  /** Each face's file, relative to the package's folder. */
  readonly normal: string;
  readonly bold: string;
  readonly italics: string;
  readonly bolditalics: string;
  /** OpenType features turned on or off for this family's text in the PDF (`kern: false`). */
  readonly features?: Readonly<Record<string, boolean>>;
}

/** One UN layout, every length in points. */
export interface Style {
  readonly name: StyleName;
  readonly page: { readonly width: Pt; readonly height: Pt; readonly top: Pt; readonly bottom: Pt };
  readonly frame: { readonly left: Pt; readonly right: Pt };
  readonly body: { readonly left: Pt; readonly right: Pt };
  readonly font: {
    readonly family: string;
    /**
     * Families for the characters the body family lacks, tried in order (a Chinese font, an
     * Arabic one); each is a key of `fontFiles`.
     */
    readonly fallback: readonly string[];
    readonly size: Pt;
    readonly leading: Pt;
    readonly paragraphGap: Pt;
    readonly firstLineIndent: Pt;
    readonly numberTab: Pt;
    readonly itemIndent: Pt;
    readonly itemTab: Pt;
    /** How Word sets the type at each size it was measured at (see word-metrics.ts). */
    readonly wordMetrics: readonly WordMetrics[];
  };
  /** Every font family the layout prints with, by name: the body's and the fallbacks. */
  readonly fontFiles: Readonly<Record<string, FontFamilyFiles>>;
  readonly masthead: {
    readonly unitedNations: Placed;
    readonly symbol: { readonly y: Pt; readonly seriesSize: Pt; readonly restSize: Pt };
    readonly thinRule: { readonly y: Pt; readonly width: Pt };
    readonly emblem: { readonly x: Pt; readonly y: Pt; readonly width: Pt; readonly height: Pt };
    readonly organ: Placed & { readonly step: Pt };
    readonly distribution: Placed & { readonly step: Pt };
    readonly thickRule: { readonly y: Pt; readonly width: Pt };
    readonly session: Placed & {
      readonly step: Pt;
      readonly columnGap: Pt;
      readonly headingSize: Pt;
      readonly headingStep: Pt;
    };
    readonly title: {
      readonly size: Pt;
      readonly leading: Pt;
      readonly gapBefore: Pt;
      readonly gapAfter: Pt;
      readonly right: Pt;
    };
    /** The subtitle; `gapBefore` stands between it and the title (the larger of it and the title's gapAfter). */
    readonly subtitle: { readonly size: Pt; readonly leading: Pt; readonly gapBefore: Pt };
  };
  readonly headings: {
    /** `left`: a heading number starts at its numberX; `right`: it ends there. */
    readonly numberAlign: 'left' | 'right';
    readonly chapter: HeadingStyle & { readonly numberX: Pt };
    readonly h1: HeadingStyle & { readonly numberX: Pt };
    readonly h2: HeadingStyle & { readonly numberX: Pt };
    readonly subheading: HeadingStyle;
  };
  readonly annex: {
    /** Where annex headings and titles end (their lines are shorter than the body's). */
    readonly right: Pt;
    readonly heading: { readonly size: Pt; readonly leading: Pt; readonly after: Pt };
    readonly title: { readonly size: Pt; readonly leading: Pt; readonly after: Pt };
    readonly placeDate: { readonly size: Pt; readonly after: Pt };
    /** A date line flush right under the title ("15 June 2025"). */
    readonly dateLine: { readonly size: Pt; readonly after: Pt };
    /** "[Original: French]", flush right under the heading. */
    readonly originalNote: { readonly size: Pt; readonly after: Pt };
  };
  readonly signature: { readonly gapBefore: Pt; readonly gapBetween: Pt };
  readonly footnote: {
    readonly size: Pt;
    readonly leading: Pt;
    readonly ruleLength: Pt;
    readonly ruleWidth: Pt;
    readonly gapAbove: Pt;
    /** From a note's mark to its text: the mark's box (`markAlign: left`) or the gap after it. */
    readonly numberWidth: Pt;
    readonly markAlign: 'left' | 'right';
    /** Where the short rule starts, from the body's left edge (negative: in the margin). */
    readonly ruleIndent: Pt;
    /** From the rule above the notes to the first note's text box. */
    readonly ruleGap: Pt;
  };
  readonly runningHeader: {
    readonly y: Pt;
    readonly step: Pt;
    readonly size: Pt;
    readonly ruleY: Pt;
    readonly ruleWidth: Pt;
  };
  readonly footer: {
    readonly y: Pt;
    readonly pageNumberSize: Pt;
    readonly jobNumberSize: Pt;
    /** Later pages' number: `{page}` and `{pages}` filled in ("{page}/{pages}"). */
    readonly pageNumber: string;
    /** Whether later pages print the short job number. */
    readonly jobNumber: boolean;
  };
  readonly firstPageFooter: {
    /** Body text on page 1 stops above this y (the footer's codes and job number sit below). */
    readonly top: Pt;
    readonly jobNumber: Placed & {
      readonly dateGap: Pt;
      /** `{number}` and `{letter}` filled in: "{number} ({letter})". */
      readonly form: string;
      /** Whether the processing dates follow the job number. */
      readonly dates: boolean;
    };
    readonly barcode: {
      readonly x: Pt;
      /** Top edge of the bars. */
      readonly y: Pt;
      /** The Code 39 font the payload is set in (a key of `fontFiles`). */
      readonly family: string;
      /** Its type size: the bars' height follows from the font's design. */
      readonly size: Pt;
      /** The bars' height when taller than the font draws them (absent or 0: the font's). */
      readonly height?: Pt;
      /** The human-readable line under the bars (absent: none): its text box's top and size. */
      readonly digits?: { readonly y: Pt; readonly size: Pt };
      /** The bars' width, first bar's left edge to last bar's right edge: drawn scaled to it. */
      readonly width: Pt;
    };
    readonly recycle: {
      readonly x: Pt;
      readonly y: Pt;
      readonly width: Pt;
      readonly height: Pt;
      readonly size: Pt;
      /** From the box's top to the top of the "Please recycle" line (`size` high). */
      readonly labelTop: Pt;
    };
    readonly qr: { readonly x: Pt; readonly y: Pt; readonly size: Pt };
  };
  /** The notes section of a document whose notes are endnotes; the notes set as `footnote`. */
  readonly endnotes: {
    /** Where the heading starts, from the body's left edge (negative: in the margin). */
    readonly headingX: Pt;
    readonly headingSize: Pt;
    readonly headingItalic: boolean;
    readonly gapBefore: Pt;
    readonly gapAfter: Pt;
    readonly gapBetween: Pt;
  };
  readonly closingRule: { readonly length: Pt; readonly width: Pt; readonly gapBefore: Pt };
  readonly word: {
    readonly styles: {
      readonly body: WordStyleName;
      readonly chapter: WordStyleName;
      readonly h1: WordStyleName;
      readonly h2: WordStyleName;
      readonly subheading: WordStyleName;
      readonly h56: WordStyleName;
      readonly title: WordStyleName;
      readonly subtitle: WordStyleName;
    };
  };
  /** Word-only values (the other positions come from the shared keys above). */
  readonly docx: {
    /** Font name written into the Word file (Tinos is metric-compatible with it). */
    readonly fontFamily: string;
    /** Resolution the emblem, barcode and QR code are rasterized at, in dots per inch. */
    readonly imageDpi: number;
    readonly masthead: {
      /** Height of row 1 ("United Nations", symbol); the table starts this far above the thin rule. */
      readonly firstRow: Pt;
      /** Width of column 2 (where row 1's "United Nations" sits; the symbol cell starts after it). */
      readonly secondColumn: Pt;
      /** Space between row 1's text and the thin rule under it. */
      readonly ruleGap: Pt;
    };
    /**
     * Right-aligned tab, from the frame's left edge, where heading numbers ("I.", "A.", "1.") end:
     * the house heading styles hang numbers against it, so "VIII." never pushes its text on.
     */
    readonly headingNumberRight: Pt;
    readonly firstPageFooter: {
      /** From the job number's left edge to the date's (a tab stop). */
      readonly dateTab: Pt;
    };
  };
  /** HTML-only values (every other length of the web page comes from the shared keys above). */
  readonly html: {
    /** Viewport width below which the masthead columns stack and body indents fold (phones). */
    readonly narrowWidth: Pt;
    /** Side margin of the page on a narrow screen. */
    readonly narrowMargin: Pt;
  };
}

const POINTS_PER: Readonly<Record<string, number>> = {
  pt: 1,
  mm: 72 / 25.4,
  cm: 72 / 2.54,
  in: 72,
};
const LENGTH = /^(-?\d+(?:\.\d+)?)(pt|mm|cm|in)$/;

/** Converts a length written with a unit ("8.5mm", "12pt") to points; other values pass through. */
export function toPoints(value: unknown): unknown {
  if (typeof value === 'string') {
    const m = LENGTH.exec(value.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) {
      return Math.round(Number(m[1]) * (POINTS_PER[m[2]] ?? 1) * 1000) / 1000;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(toPoints);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPoints(v)]));
  }
  return value;
}
