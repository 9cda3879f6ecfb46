/**
 * pdfmake as undoc drives it: the server singleton typed with the members its type package omits,
 * and narrow hooks into its layout engine for what pdfmake 0.3 has no option for.
 *
 * 1. Where the body stops on each page (`FlowProbe.limit`): footnotes sit at the foot of the page
 *    that calls them (pdfmake has no footnotes, its issue #2133), widow/orphan control leaves a
 *    page a line short as Word does, and page 1 stops above its footer's codes. pdfmake's bottom
 *    margin is one value for every page (and here it is the whole page, so that the footer
 *    callback — the only one that knows the page count and runs after the flow — can draw the
 *    page furniture anywhere on the page); the hook sets each page's own limit instead.
 * 2. Where each line landed (`FlowProbe.lines`): the page of each footnote call and the lines of
 *    each paragraph, which the next layout pass acts on. Knowing from the previous pass how many
 *    lines a paragraph has (its width is the same on every page), the next pass keeps widows and
 *    orphans off page breaks as it flows: when a paragraph starts, the page gives up the one or two
 *    lines that would otherwise leave a single line behind or carry a single line over. A heading
 *    needs room below it (`FlowProbe.keeps`) and starts the next page when it is short.
 *    All of this happens as the text flows, in one layout: pdfmake's own `pageBreakBefore` lays
 *    the whole document out again for every break it asks for, which grows with the square of
 *    the length.
 * 3. Justification that stretches only real spaces: pdfmake spreads the slack evenly over every
 *    boundary between inlines, which opens a gap after the hyphen of a compound ("well-known" is
 *    two inlines) and between a word and a differently styled neighbour ("*Charter*,"). Here only
 *    boundaries after whitespace stretch, so the text keeps its own characters, and boundaries
 *    next to a Chinese character (pdf/linebreak.ts: Chinese is justified between characters).
 * 4. Fonts parsed and words shaped once per process (`shareFonts`): pdfkit parses the TrueType
 *    file and shapes every word again for every document (OpenType lookups, the bulk of its
 *    time; decoding the tables it needs to embed a subset, `post` alone ~5 ms a document). For the
 *    families named here, every document reuses the decoded tables of the fonts the renderer
 *    measures with (pdf/fonts.ts), and later documents the first one's shaping cache. Each document still opens its own fontkit font over those tables: fontkit caches
 *    glyph objects per font with the code points of the first request, and the subsetter requests
 *    the components of composite glyphs ("s" inside "š") with none, so a font object shared
 *    across documents lost those characters from later documents' text layer (printed "`a" as
 *    "a" after a hundred documents; test/fuzz-render.test.ts found it). Its own font also gives
 *    each document its own subset. What those fonts decode of each glyph (its glyf record and
 *    control box, read to subset and measure it) is kept per shared set of tables
 *    (`shareGlyphOutlines`): the same file gives the same records, which fontkit only reads.
 * 5. Drawing only the layout that is kept (`PdfLayout.bytes`): pdfmake draws every layout into
 *    pdfkit as soon as it is laid out (text encoding, and compression when the document ends);
 *    a layout pass whose result the next pass replaces needs only where things landed. The
 *    drawing of our layouts waits until the renderer asks for the bytes.
 * 6. Passes that share their setup (`PdfLayout.run`): every pass lays out the same definition
 *    again into the same pdfkit document, as pdfmake's own re-layout does, and reuses the first
 *    pass's measurement of each text node (styles resolved, words broken and measured: the
 *    bulk of a layout) instead of measuring it again: the same word objects, reset (a layout
 *    that split a word at the margin has its node measured again). What a pass changes lives
 *    in its probe.
 * 7. Content streams kept as text until they end: pdfkit turns every operator line it writes
 *    (eight or so per word) into a Buffer of its own; for our documents the lines are joined
 *    and turned into bytes once, the same bytes.
 * 8. SVG sizes read once: pdfmake parses an SVG text twice per layout to measure it and write
 *    its size in; both are functions of the text, remembered.
 * 9. Words measured with their style resolved once per text node (pdf/measure.ts) rather than
 *    once per word and property, each word made with all its measured values in one object;
 *    before they are, an interpunct between Chinese characters is kept off the start of a line
 *    (pdf/linebreak.ts `glueNonStarters`).
 * 10. SVG drawings replayed (pdf/svg-replay.ts): svg-to-pdfkit turns the emblem into the same
 *    ~900 pdfkit calls in every document (~6 ms of parsing and path arithmetic); the first
 *    drawing of an SVG at a place is recorded as those calls, later ones make them again, when
 *    the drawing neither read nor changed the document beyond its saved fill colour; a run of
 *    path operators (`PATH_OPERATORS`, most of the emblem's calls) is written as the lines they
 *    make, made once per recording by the operators themselves.
 * 11. Words drawn directly (pdf/direct-text.ts): pdfmake draws each word through pdfkit's whole
 *    text pipeline (options, line split, two layouts, glyph arrays concatenated); for the plain
 *    inlines of our documents the same content-stream lines are written directly, each glyph
 *    registered in the font's subset as pdfkit's encode does, and a text's glyph operators
 *    made once per document and font; the colour each word is filled with (resolved, then set
 *    and filled: two colour parses a word) is written as the lines pdfkit writes for it.
 * 12. A word wider than the line broken in linear time (pdf/long-word.ts): pdfmake measures the
 *    rest of the word again for every line it breaks off (quadratic time, and a shaping cache
 *    entry per prefix); here each grapheme is measured once and the piece that fits is found on
 *    the running sums, at grapheme boundaries, within the first line's indent. The line is then
 *    filled as pdfmake fills it (`nextLine`), but for the copy of the paragraph's remaining
 *    words that pdfmake makes for every word it adds (quadratic in a paragraph's length too).
 * 13. Tagged drawing (pdf/tags.ts): pdfmake draws no structure (tagged PDF, PDF/UA). The kept
 *    layout is drawn item by item as pdfmake's renderPages draws it, each item and word inside
 *    the marked content of its structure element or an artifact (pdfkit's marked-content calls),
 *    through the Renderer's own renderLine, renderVector and renderSVG; the tree is written once
 *    drawn. pdfkit's text() (hook 11) tells the drawing of each word first (`drawTellingWords`).
 *    The pdfkit and Renderer members it calls are in `CALLED`, checked with `PATCHES`.
 * 14. Word's text metrics (style/word-metrics.ts): Word sets each glyph wider than the font's
 *    nominal advance (New York: ~6.7 % at 10 pt), so our documents measure every word with the
 *    advances Word gives it (TextInlines.widthOfText) and draw it with the same advances, as a
 *    horizontal scale (Tz) and a spacing per glyph (Tc), so that lines break where Word breaks
 *    them. Sizes the style does not list keep pdfmake's own measurement and pdfkit's bytes.
 *    A word's nominal width is remembered per font shaping cache and size (`nominalWidth`): a
 *    word is measured some five times a document, and the same words in every document.
 * 15. PDF/A and PDF/UA metadata (pdf/archive.ts): pdfkit writes its XMP from the information
 *    dictionary without escaping it and without what PDF/A and PDF/UA ask; a document given its
 *    own XMP (`setDocumentXmp`) writes that instead (`_addInfo`), and its catalog takes the
 *    output intent pdfkit has no option for (`catalogOf`).
 * 16. Right-to-left fonts (pdf/bidi.ts): a mirrored bracket is drawn with the same face of a
 *    second registration of its family (`fontInFamily`, through pdfmake's font cache), whose
 *    ToUnicode map is then rewritten to the source's characters (`mapToUnicode`); pieces of a
 *    word are measured in their font (`fontWidth`). Fields, not methods: listed in `FIELDS` and
 *    checked on the canary's document.
 *
 * 17. Each glyph of a shaped run with its own characters (`layoutWithCharacters`,
 *    pdf/direct-text.ts `codeOf`): fontkit keeps one glyph object per id, with the code points of
 *    its first request, and pdfkit writes the ToUnicode map from them: a glyph fontkit adds to a
 *    character's own (Amiri's kashida in "لك") or shares between characters (the same kashida is
 *    the tatweel of "هـ"; the space glyph a no-break space) read back as another character.
 *
 * 20. Text runs (pdf/text-run.ts): pdfkit writes each word as a text object of its own, with its
 *    graphics state, text state and a stray `f` around it (~150 bytes a word, then deflated);
 *    our pages write consecutive words in one text object, each placed with `Td` from the one
 *    before, with only the text state that changed, and the opacity and fill colour pdfmake sets
 *    before each word written when they change (`opacity` and `fillWith` hold them back). Every
 *    write to a stream passes its run (hook 7's `write`), which closes the text object before
 *    anything else, marked content included, and when the stream ends.
 * 21. A page's content deflated at zlib's level 4 rather than pdfkit's 6 (`CONTENT_DEFLATE_LEVEL`,
 *    in hook 7's `finalize`, for streams in which hook 20 drew words): twice as fast on the runs'
 *    short lines of numbers, for 12 % more bytes, still fewer than before the runs.
 * 22. Font subsets encoded once per process (`installSubsetCache`): a subset asked for with the
 *    same glyph ids of the same shared tables (hook 4) gets the bytes fontkit encoded before.
 *
 * Hooks 1–3, 5, 6, 12 and 13 act only on layouts of a `PdfLayout` (found by their page-margin object),
 * hook 4 only on the named families, hooks 7, 9, 10, 11, 14 and 20 only on our documents, hook 7 gives
 * pdfmake's own answers, so any other pdfmake use in the process is untouched, and
 * concurrent renders never share layout state.
 *
 * Every member of pdfmake, pdfkit and fontkit that a hook replaces is listed in `PATCHES` (with its
 * hook and why), and reached through `reach` alone; the libraries are pinned to the exact
 * `ENGINE_VERSIONS` (package.json, with overrides for pdfkit and fontkit under pdfmake), and
 * pdf/engine-check.ts checks both, and a canary layout, before the first PDF is rendered.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import type * as fontkit from 'fontkit';
import pdfmake from 'pdfmake';
import {
  breakAdvance,
  glyphCount,
  horizontalScaling,
  NOMINAL,
  type SizeMetrics,
  spaceCount,
  wordAdvance,
} from '../../style/word-metrics.js';
import { drawText, fillLines, knownColor, type TextDocument, type TextPen } from './direct-text.js';
import { cjkGap, glueNonStarters } from './linebreak.js';
import { splitLongHead, type WidthOfText, type WrapInline } from './long-word.js';
import { type Measure, measureWith, type TextInlinesThis } from './measure.js';
import { type Recording, recordDrawing, replayDrawing } from './svg-replay.js';
import { TextRun } from './text-run.js';

/** The pdfmake document a definition becomes. */
export interface PdfOutput {
  /** Resolves once layout and drawing are done (the pdfkit document, not yet ended). */
  getStream(): Promise<unknown>;
  /** Ends the document and resolves to its bytes. */
  getBuffer(): Promise<Buffer>;
}

/** A pdfmake document definition (pdfmake's type package cannot know our inline tags). */
export type DocumentDefinition = { readonly [key: string]: unknown };

/** The pdfmake server singleton, with the members this renderer uses. */
export interface PdfEngine {
  readonly virtualfs: { writeFileSync(name: string, data: Buffer): void };
  addFonts(fonts: Record<string, Record<string, string>>): void;
  setUrlAccessPolicy(callback: (url: string) => boolean): void;
  setLocalAccessPolicy(callback: (path: string) => boolean): void;
  createPdf(definition: DocumentDefinition): PdfOutput;
}

/** pdfmake, typed for what we call on it. */
export const engine = pdfmake as unknown as PdfEngine;

/** The versions the hooks were written against, pinned exactly in package.json. */
export const ENGINE_VERSIONS = { pdfmake: '0.3.11', pdfkit: '0.19.1', fontkit: '2.0.4' } as const;

/** A library whose internals the hooks use. */
export type EngineLibrary = keyof typeof ENGINE_VERSIONS;

/** A class of pdfmake, pdfkit or fontkit whose prototype a hook patches. */
export type PatchedClass =
  | 'DocumentContext'
  | 'ElementWriter'
  | 'LayoutBuilder'
  | 'Line'
  | 'DocMeasure'
  | 'TextInlines'
  | 'SVGMeasure'
  | 'Renderer'
  | 'PDFDocument'
  | 'PDFReference'
  | 'TTFGlyph'
  | 'TTFFont'
  | 'TTFSubset';

/** One patched member: where it lives, the hook that replaces it, and why. */
export interface Patch {
  readonly library: EngineLibrary;
  readonly owner: PatchedClass;
  readonly member: string;
  /** The hook's number in the list above. */
  readonly hook: number;
  /** `feature`: the UN layout needs it; `speed`: a measured gain (README, "Speed"). */
  readonly kind: 'feature' | 'speed';
  readonly why: string;
}

/** Every member of pdfmake, pdfkit and fontkit that this module replaces. */
export const PATCHES: readonly Patch[] = [
  {
    library: 'pdfmake',
    owner: 'DocumentContext',
    member: 'initializePage',
    hook: 1,
    kind: 'feature',
    why: "each page's own body limit (room for its footnotes, page 1's footer)",
  },
  {
    library: 'pdfmake',
    owner: 'DocumentContext',
    member: 'moveTo',
    hook: 1,
    kind: 'feature',
    why: 'the same limit after pdfmake moves the cursor',
  },
  {
    library: 'pdfmake',
    owner: 'ElementWriter',
    member: 'addLine',
    hook: 2,
    kind: 'feature',
    why: 'where each line and footnote call landed; widows and orphans kept off breaks',
  },
  {
    library: 'pdfmake',
    owner: 'ElementWriter',
    member: 'alignLine',
    hook: 3,
    kind: 'feature',
    why: 'justification that stretches only real spaces',
  },
  {
    library: 'pdfmake',
    owner: 'Renderer',
    member: 'renderPages',
    hook: 5,
    kind: 'speed',
    why: 'only the kept layout pass is drawn',
  },
  {
    library: 'pdfmake',
    owner: 'LayoutBuilder',
    member: 'layoutDocument',
    hook: 6,
    kind: 'speed',
    why: 'later passes lay out again into the same pdfkit document',
  },
  {
    library: 'pdfmake',
    owner: 'DocMeasure',
    member: 'measureLeaf',
    hook: 6,
    kind: 'speed',
    why: "later passes reuse the first pass's measurement of each text",
  },
  {
    library: 'pdfmake',
    owner: 'SVGMeasure',
    member: 'measureSVG',
    hook: 8,
    kind: 'speed',
    why: "an SVG text's size parsed once",
  },
  {
    library: 'pdfmake',
    owner: 'SVGMeasure',
    member: 'writeDimensions',
    hook: 8,
    kind: 'speed',
    why: 'an SVG text with its drawn size written once',
  },
  {
    library: 'pdfmake',
    owner: 'TextInlines',
    member: 'measure',
    hook: 9,
    kind: 'speed',
    why: 'words measured with their style resolved once per text node',
  },
  {
    library: 'pdfmake',
    owner: 'Renderer',
    member: 'renderSVG',
    hook: 10,
    kind: 'speed',
    why: "the emblem's ~900 drawing calls recorded once and replayed",
  },
  {
    library: 'pdfmake',
    owner: 'PDFDocument',
    member: 'provideFont',
    hook: 4,
    kind: 'speed',
    why: 'font tables decoded and words shaped once per process',
  },
  {
    library: 'pdfmake',
    owner: 'PDFDocument',
    member: 'text',
    hook: 11,
    kind: 'speed',
    why: "words written as the content-stream lines pdfkit's text() writes (and, hook 13, each word of a tagged drawing reported before it is drawn)",
  },
  {
    library: 'pdfmake',
    owner: 'PDFDocument',
    member: 'fill',
    hook: 11,
    kind: 'speed',
    why: "a word's fill colour written as pdfkit writes it, made once",
  },
  {
    library: 'pdfmake',
    owner: 'PDFDocument',
    member: 'resolveColor',
    hook: 11,
    kind: 'speed',
    why: "a word's colour resolved once",
  },
  {
    library: 'pdfmake',
    owner: 'LayoutBuilder',
    member: 'buildNextLine',
    hook: 12,
    kind: 'speed',
    why: "a word wider than the line broken in linear time (pdfmake: quadratic); a line filled without copying the paragraph's remaining words for each word added",
  },
  {
    library: 'pdfmake',
    owner: 'TextInlines',
    member: 'widthOfText',
    hook: 14,
    kind: 'feature',
    why: "words measured as Word sets them (templates' font.wordMetrics), so lines break as issued",
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    member: '_addInfo',
    hook: 15,
    kind: 'feature',
    why: "the PDF/A and PDF/UA XMP written in place of pdfkit's, which escapes nothing (pdf/archive.ts)",
  },
  {
    library: 'pdfkit',
    owner: 'PDFReference',
    member: 'write',
    hook: 7,
    kind: 'speed',
    why: "content streams kept as text until they end; each write passes the stream's text run (hook 20)",
  },
  {
    library: 'pdfkit',
    owner: 'PDFReference',
    member: 'finalize',
    hook: 7,
    kind: 'speed',
    why: "the text kept by `write` turned into bytes once, the stream's text run closed first (hook 20), a page's content deflated at level 4 (hook 21)",
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    member: 'opacity',
    hook: 20,
    kind: 'speed',
    why: "the opacity set before each word held back by the page's text run, written when it changes",
  },
  {
    library: 'fontkit',
    owner: 'TTFGlyph',
    member: '_decode',
    hook: 4,
    kind: 'speed',
    why: "a glyph's outline decoded once per shared set of font tables",
  },
  {
    library: 'fontkit',
    owner: 'TTFGlyph',
    member: '_getCBox',
    hook: 4,
    kind: 'speed',
    why: "a glyph's control box computed once per shared set of font tables",
  },
  {
    library: 'fontkit',
    owner: 'TTFSubset',
    member: 'encode',
    hook: 22,
    kind: 'speed',
    why: 'a font subset encoded once per process for the same glyphs of the same shared font tables',
  },
];

/**
 * pdfkit's path operators: each writes one content-stream line made from its arguments alone
 * (`this.addContent(...)`, nothing else), so a replayed SVG drawing writes a run of them as the
 * lines they make (hook 10; the emblem is ~4 900 of them).
 */
const PATH_OPERATORS = [
  'moveTo',
  'lineTo',
  'bezierCurveTo',
  'quadraticCurveTo',
  'closePath',
  'rect',
] as const;

const NONE: ReadonlySet<unknown> = new Set();

/** Members the hooks call but do not replace: checked with `PATCHES` at start-up. */
export const CALLED: readonly Omit<Patch, 'kind'>[] = [
  ...PATH_OPERATORS.map((member) => ({
    library: 'pdfkit' as const,
    owner: 'PDFDocument' as const,
    member,
    hook: 10,
    why: 'a path operator: a replayed drawing writes its line, made by it once per recording (pdf/svg-replay.ts)',
  })),
  ...(
    [
      ['TTFFont', 'layout', "wrapped on each document's own font (hooks 4 and 17)"],
      [
        'TTFFont',
        'getGlyph',
        "replaced on a document's own font while its `layout` runs: a view of the glyph per request, with that request's code points",
      ],
      [
        'TTFSubset',
        'includeGlyph',
        "a glyph's code in the subset; a glyph that already stands for other characters is pushed on the subset's `glyphs` once more, for a code of its own (pdf/direct-text.ts)",
      ],
    ] as const
  ).map(([owner, member, why]) => ({
    library: 'fontkit' as const,
    owner,
    member,
    hook: 17,
    why,
  })),
  ...(
    [
      ['renderLine', "draws a line's words, one text() each, in order"],
      ['renderVector', 'draws a canvas vector (a rule, a bar of a code)'],
      ['renderSVG', 'draws an SVG (the emblem, the recycling mark)'],
      ['renderWatermark', 'draws a watermark (none in our documents)'],
    ] as const
  ).map(([member, why]) => ({
    library: 'pdfmake' as const,
    owner: 'Renderer' as const,
    member,
    hook: 13,
    why: `tagged drawing: ${why}`,
  })),
  ...(
    [
      ['markContent', 'opens an artifact'],
      ['markStructureContent', 'opens marked content with an MCID'],
      ['endMarkedContent', 'closes it'],
      ['getStructTreeRoot', 'the structure tree root the tree is written under'],
      ['getStructParentTree', "each page's MCIDs mapped to their elements"],
      ['createStructParentTreeNextKey', "the link annotation's key in the parent tree"],
      ['link', "the QR code's link annotation"],
      ['addPage', 'starts each page, as renderPages does'],
      ['ref', 'writes the structure elements, the ICC profile and the output intent'],
      ['appendXML', 'the PDF/A and PDF/UA XMP (pdf/archive.ts)'],
    ] as const
  ).map(([member, why]) => ({
    library: 'pdfkit' as const,
    owner: 'PDFDocument' as const,
    member,
    hook: 13,
    why,
  })),
  ...(
    [
      ['hasEnoughSpaceForInline', 'whether the next word fits on the line'],
      ['addInline', 'puts a word on the line'],
      ['getAvailableWidth', "the line's room left, for a word wider than it"],
    ] as const
  ).map(([member, why]) => ({
    library: 'pdfmake' as const,
    owner: 'Line' as const,
    member,
    hook: 12,
    why: `a line filled as buildNextLine fills it (\`nextLine\`): ${why}`,
  })),
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    member: '_normalizeColor',
    hook: 11,
    why: "parses a word's colour into components, once per colour (`fillWith`)",
  },
];

/** A field (not a method) of a library object that undoc reads or writes, and why. */
export interface Field {
  readonly library: EngineLibrary;
  /**
   * The object that holds it: a pdfkit document, its current page, a font in its `fontCache`, or
   * an SVG node as pdfmake laid it out (a page item of type `svg`).
   */
  readonly owner: 'PDFDocument' | 'PDFPage' | 'EmbeddedFont' | 'SVGNode';
  readonly field: string;
  /**
   * What it must be for the hooks that use it; `optional`: absent, null or an object (state
   * pdfkit sets only on some paths, which the hooks test for).
   */
  readonly type: 'object' | 'array' | 'function' | 'number' | 'optional';
  readonly hook: number;
  readonly why: string;
}

/**
 * Fields of pdfmake's and pdfkit's objects that the hooks read or write: instance state, which no
 * prototype shows, so the canary checks them on its own document (pdf/engine-check.ts).
 */
export const FIELDS: readonly Field[] = [
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    field: '_root',
    type: 'object',
    hook: 15,
    why: 'the catalog, which gets the PDF/A output intent (`catalogOf`)',
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    field: 'version',
    type: 'number',
    hook: 15,
    why: 'PDF/A-2 wants PDF 1.7, which the tagged definition asks for',
  },
  {
    library: 'pdfmake',
    owner: 'PDFDocument',
    field: 'fontCache',
    type: 'object',
    hook: 16,
    why: 'the family and face of a drawn font (`fontInFamily`)',
  },
  {
    library: 'pdfkit',
    owner: 'EmbeddedFont',
    field: 'unicode',
    type: 'array',
    hook: 16,
    why: "the code points of each glyph of the subset, its ToUnicode map's source (`mapToUnicode`)",
  },
  {
    library: 'pdfkit',
    owner: 'EmbeddedFont',
    field: 'widthOfString',
    type: 'function',
    hook: 16,
    why: "a piece of a right-to-left word measured in its font (`fontWidth`; hook 14's nominal width)",
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    field: '_font',
    type: 'object',
    hook: 11,
    why: 'the font text() draws with (`textPen`): pdfmake sets it before each word',
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    field: '_fontSize',
    type: 'number',
    hook: 11,
    why: 'the size text() draws at (`textPen`)',
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    field: '_textOptions',
    type: 'optional',
    hook: 11,
    why: 'the options of a continued text, which pdfkit carries to the next call: a word is drawn directly only when there are none (`textPen`)',
  },
  {
    library: 'pdfkit',
    owner: 'PDFDocument',
    field: '_fillColor',
    type: 'array',
    hook: 11,
    why: "the fill colour and its opacity, which `fillWith` sets as pdfkit's fillColor does and svg-to-pdfkit saves and restores around a drawing (hook 10, `FILL_COLOR`)",
  },
  {
    library: 'pdfmake',
    owner: 'SVGNode',
    field: '_width',
    type: 'number',
    hook: 13,
    why: "an SVG's laid-out width, its figure's box and, right to left, where it is mirrored to (`laidSize`)",
  },
  {
    library: 'pdfmake',
    owner: 'SVGNode',
    field: '_height',
    type: 'number',
    hook: 13,
    why: "an SVG's laid-out height, its figure's box (`laidSize`)",
  },
  {
    library: 'pdfkit',
    owner: 'PDFPage',
    field: 'content',
    type: 'object',
    hook: 20,
    why: "the page's content stream (a PDFReference), which holds the page's text run (`runOf`)",
  },
  {
    library: 'pdfkit',
    owner: 'EmbeddedFont',
    field: 'subset',
    type: 'object',
    hook: 17,
    why: "fontkit's subset: a glyph that already stands for other characters is pushed on its `glyphs` once more, for a code of its own (pdf/direct-text.ts)",
  },
];

/** What each field type is, in words. */
const TYPE_WORDS: Readonly<Record<Field['type'], string>> = {
  object: 'an object',
  array: 'an array',
  function: 'a function',
  number: 'a number',
  optional: 'absent, null or an object',
};

/** Whether `value` is what `type` says. */
function isOfType(value: unknown, type: Field['type']): boolean {
  if (type === 'optional') return value == null || typeof value === 'object';
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null;
  return typeof value === type;
}

/**
 * The first field of `FIELDS` that a pdfkit document made by pdfmake (`pdfDocument`, with at least
 * one font used) does not have as the hooks expect, in words; undefined when all are there.
 */
export function fieldProblem(pdfDocument: object, svgNodes: readonly object[]): string | undefined {
  const doc = pdfDocument as FontDocument & Record<string, unknown>;
  const fonts = isOfType(doc.fontCache, 'object')
    ? Object.values(doc.fontCache).flatMap((faces) => Object.values(faces))
    : [];
  for (const f of FIELDS) {
    const page = (doc as { readonly page?: unknown }).page;
    const holders =
      f.owner === 'PDFDocument'
        ? [doc]
        : f.owner === 'PDFPage'
          ? page === undefined
            ? []
            : [page]
          : f.owner === 'SVGNode'
            ? svgNodes
            : fonts;
    const ok =
      holders.length > 0 &&
      holders.every((h) => isOfType((h as unknown as Record<string, unknown>)[f.field], f.type));
    if (!ok)
      return `its document lacks ${f.library}'s ${f.owner}.${f.field} (${TYPE_WORDS[f.type]}, read by hook ${f.hook})`;
  }
  return undefined;
}

/** A pdfkit font as hook 16 uses it. */
interface DocumentFont {
  widthOfString(text: string, size: number, features?: unknown): number;
  /** Code points of each glyph of its subset, which its ToUnicode map is written from. */
  unicode: (readonly number[] | undefined)[];
}

/** A pdfkit document made by pdfmake, as hook 16 asks it for fonts. */
interface FontDocument {
  readonly fontCache: Readonly<Record<string, Readonly<Record<string, DocumentFont>>>>;
  provideFont(family: string, bold: boolean, italics: boolean): DocumentFont;
}

/**
 * Hook 16 (right-to-left pages, pdf/bidi.ts): the font of family `familyFor(f)` in the face (bold,
 * italic) of `font`, a font of family `f` that `pdfDocument` draws with; `font` itself when
 * `familyFor` gives no family or the document does not know the font.
 */
export function fontInFamily(
  pdfDocument: object,
  font: object,
  familyFor: (family: string) => string | undefined,
): object {
  const doc = pdfDocument as FontDocument;
  for (const [family, faces] of Object.entries(doc.fontCache)) {
    for (const [face, f] of Object.entries(faces)) {
      if (f !== font) continue;
      const name = familyFor(family);
      if (name === undefined) return font;
      return doc.provideFont(name, face.includes('bold'), face.includes('italics'));
    }
  }
  return font;
}

/**
 * Hook 11: the font and size pdfkit's text() would draw with on `doc`, or undefined while a
 * continued text's options are pending (pdfkit carries them into the next call: its own path).
 */
export function textPen(doc: object): TextPen | undefined {
  const d = doc as { readonly _font?: unknown; readonly _fontSize?: unknown };
  if ((doc as { readonly _textOptions?: unknown })._textOptions != null) return undefined;
  return typeof d._fontSize === 'number' ? { font: d._font, size: d._fontSize } : undefined;
}

/** A pdfkit document as `fillWith` fills on it. */
export interface ColourDocument {
  addContent(data: string): unknown;
}

/**
 * Hook 11: fills with `color` as pdfkit's `fill(color)` does (pdfmake's Renderer sets each
 * word's colour so): the lines pdf/direct-text.ts made for the colour, and the colour kept as
 * pdfkit's fillColor keeps it (with its unset opacity). Returns false, having changed nothing,
 * for a call left to pdfkit.
 */
export function fillWith(doc: ColourDocument, color: unknown, rule: unknown): boolean {
  const pdfkit = doc as ColourDocument & {
    _fillColor?: unknown;
    _normalizeColor(color: string): unknown;
  };
  const lines = fillLines(color, rule, (c) => pdfkit._normalizeColor(c));
  if (lines === undefined) return false;
  const run = runOf(doc);
  // Hook 20: the colour held back until a word or anything else is drawn, then written once.
  if (run !== undefined && !run.pathOpen) run.hold('fill', lines);
  else pdfkit.addContent(`${lines}\nf`);
  pdfkit._fillColor = [color, undefined];
  return true;
}

/**
 * The pdfkit field svg-to-pdfkit reads and puts back around a drawing (the fill colour): the one
 * property a recorded drawing may touch and still be replayed (hook 10, pdf/svg-replay.ts).
 */
export const FILL_COLOR = '_fillColor';

/**
 * The size (pt) pdfmake measured an SVG or image node at (`_width`, `_height`; undefined where it
 * has none): its figure's box in the structure tree (hook 13), its place mirrored (hook 16).
 */
export function laidSize(node: object): { readonly width?: number; readonly height?: number } {
  const n = node as { readonly _width?: unknown; readonly _height?: unknown };
  return {
    ...(typeof n._width === 'number' ? { width: n._width } : {}),
    ...(typeof n._height === 'number' ? { height: n._height } : {}),
  };
}

/** Hook 16: the width (pt) of `text` in a pdfkit `font` at `size` pt, with OpenType `features`. */
export function fontWidth(font: object, text: string, size: number, features?: unknown): number {
  return (font as DocumentFont).widthOfString(text, size, features);
}

/**
 * Hook 16: the ToUnicode map of each face of `family` in `pdfDocument` rewritten code point by
 * code point with `map`, before the document ends (a glyph drawn mirrored reads as its source).
 */
export function mapToUnicode(
  pdfDocument: object,
  family: string,
  map: (codePoint: number) => number,
): void {
  const doc = pdfDocument as FontDocument;
  for (const font of Object.values(doc.fontCache[family] ?? {}))
    font.unicode = font.unicode.map((cps) => cps?.map(map));
}

/** XMP metadata to write in place of pdfkit's, by document (hook 15). */
const documentXmp = new WeakMap<object, string>();

/**
 * Hook 15 (PDF/A and PDF/UA, pdf/archive.ts): when `pdfDocument` ends, `xmp` is its metadata
 * stream, in place of pdfkit's own (which it writes from the information dictionary unescaped).
 */
export function setDocumentXmp(pdfDocument: object, xmp: string): void {
  documentXmp.set(pdfDocument, xmp);
}

/** Hook 15: the catalog dictionary of a pdfkit document, for entries pdfkit has no option for. */
export function catalogOf(pdfDocument: object): Record<string, unknown> {
  return (pdfDocument as { readonly _root: { readonly data: Record<string, unknown> } })._root.data;
}

/** Who is told of each word drawn into a document (hook 13), while its pages are drawn. */
const wordWatchers = new WeakMap<object, (pdfDocument: object, text: unknown) => void>();

/**
 * Hook 13 (tagged drawing, pdf/tags.ts): runs `draw`, which draws `pages` into the pdfkit
 * document `pdfDocument` through pdfmake's Renderer, telling `onWord` of each word (pdfmake's
 * renderLine draws a line's words in order, one text() each) before it is drawn. The pages are
 * left on the document as pdfmake's own renderPages leaves them.
 */
export function drawTellingWords(
  pdfDocument: object,
  pages: readonly object[],
  onWord: (pdfDocument: object, text: unknown) => void,
  draw: () => void,
): void {
  (pdfDocument as { _pdfMakePages?: unknown })._pdfMakePages = pages;
  wordWatchers.set(pdfDocument, onWord);
  try {
    draw();
  } finally {
    wordWatchers.delete(pdfDocument);
  }
}

/** A prototype as the hooks see it: members by name. */
export type Prototype = Record<string, unknown>;

/** pdfmake's module of each of its classes (the same instances pdfmake's own index loads). */
function pdfmakeClass(owner: PatchedClass): Prototype | undefined {
  // Literal paths: the bundler inlines each module (scripts/build.ts).
  const require = createRequire(import.meta.url);
  const load = (): unknown => {
    switch (owner) {
      case 'DocumentContext':
        return require('pdfmake/js/DocumentContext.js');
      case 'ElementWriter':
        return require('pdfmake/js/ElementWriter.js');
      case 'LayoutBuilder':
        return require('pdfmake/js/LayoutBuilder.js');
      case 'Line':
        return require('pdfmake/js/Line.js');
      case 'DocMeasure':
        return require('pdfmake/js/DocMeasure.js');
      case 'TextInlines':
        return require('pdfmake/js/TextInlines.js');
      case 'SVGMeasure':
        return require('pdfmake/js/SVGMeasure.js');
      case 'Renderer':
        return require('pdfmake/js/Renderer.js');
      case 'PDFDocument':
        return require('pdfmake/js/PDFDocument.js');
      default:
        return undefined;
    }
  };
  const made = (load() as { default?: { prototype?: unknown } } | undefined)?.default?.prototype;
  return typeof made === 'object' && made !== null ? (made as Prototype) : undefined;
}

/**
 * The prototype of `owner`, or undefined when the library no longer has it where the hooks look.
 * pdfkit's PDFReference is reached through an object its document's `ref()` makes and fontkit's
 * TTFGlyph through a glyph of `fontFile` (a TrueType file): neither library exports the class.
 */
export function reach(owner: PatchedClass, fontFile: Buffer): Prototype | undefined {
  try {
    if (owner === 'PDFReference') {
      // pdfkit's own `ref()` makes one; it needs only the document's list of offsets.
      const ref = pdfmakeClass('PDFDocument')?.ref;
      if (typeof ref !== 'function') return undefined;
      const made: unknown = ref.call({ _offsets: [], _waiting: 0, compress: false }, {});
      return typeof made === 'object' && made !== null
        ? (Object.getPrototypeOf(made) as Prototype)
        : undefined;
    }
    if (owner === 'TTFGlyph' || owner === 'TTFFont' || owner === 'TTFSubset') {
      const font = parseFont(fontFile);
      if ('fonts' in font) return undefined;
      const made =
        owner === 'TTFGlyph' ? font.getGlyph(0) : owner === 'TTFFont' ? font : font.createSubset();
      return Object.getPrototypeOf(made) as Prototype;
    }
    return pdfmakeClass(owner);
  } catch {
    return undefined;
  }
}

/** Custom fields this renderer puts on text inlines; pdfmake copies them onto each word. */
export interface InlineTags {
  /** The footnote this inline calls. */
  readonly undocNote?: string;
  /** The body paragraph this inline belongs to (widow/orphan control). */
  readonly undocPara?: string;
  /** A tab: justification never stretches the gap after it. */
  readonly undocFixed?: boolean;
  /** The structure element (pdf/structure.ts `TAG`) or artifact this inline is printed for. */
  readonly undocTag?: string;
}

/** Draws a layout's pages in place of pdfmake's renderPages, and ends what it drew (pdf/tags.ts). */
export interface PageDrawer {
  draw(renderer: never, pages: readonly never[]): void;
  /** Called once drawn, before the document ends. */
  finish(): void;
}

/** What may happen around the drawing of a layout (`PdfLayout.bytes`). */
export interface DrawingHooks {
  /** Before: the laid-out pages, and pdfkit's document they will be drawn into. */
  readonly before?: (pages: readonly object[], pdfDocument: object) => void;
  /** After drawing, before the document ends. */
  readonly after?: (pdfDocument: object) => void;
}

/** One body line as laid out: its page (1-based), paragraph, and whether it ends the paragraph. */
export interface FlowLine {
  readonly page: number;
  readonly para?: string;
  readonly last: boolean;
}

/** What one layout is told (room to hold back per page) and what it reports (where lines went). */
export class FlowProbe {
  /** Page (1-based) of each footnote call, as laid out. */
  readonly notePages = new Map<string, number>();
  /** Body lines in layout order. */
  readonly lines: FlowLine[] = [];

  /** Paragraphs already started in this layout (each is checked once, at its first line). */
  private readonly started = new Set<string>();

  /**
   * `limit(page)`: the y (pt from the top) where body text stops on the 1-based `page`;
   * `paragraphLines`: each paragraph's line count from the previous pass (empty on the first);
   * `keeps`: by heading key, the room (pt) the heading needs below its top, or it starts a page;
   * `tails`: by paragraph key, the room (pt) what follows the paragraph needs below its last line
   * (a signature block), or the paragraph's last lines go over with it.
   */
  constructor(
    readonly limit: (page: number) => number,
    readonly paragraphLines: ReadonlyMap<string, number> = new Map(),
    readonly keeps: ReadonlyMap<string, number> = new Map(),
    readonly tails: ReadonlyMap<string, number> = new Map(),
  ) {}

  /** pdfmake lays a document out again after each forced page break; keep the last layout only. */
  reset(): void {
    this.notePages.clear();
    this.lines.length = 0;
    this.started.clear();
  }

  /** Before a paragraph's first line: shortens the page when the paragraph would leave a widow. */
  beforeLine(context: Context, line: LayoutLine): void {
    const first = line.inlines[0];
    const para = first?.undocPara;
    if (para === undefined || this.started.has(para)) return;
    this.started.add(para);
    const keep = this.keeps.get(para);
    const atTop = context.y <= context.pageMargins.top + FIT_TOLERANCE;
    if (keep !== undefined && !atTop && context.availableHeight + FIT_TOLERANCE < keep) {
      // The heading and the start of what it heads go over together.
      context.availableHeight = 0;
      return;
    }
    const total = this.paragraphLines.get(para);
    const height = line.getHeight();
    if (total === undefined || height <= 0) return;
    const fit = Math.floor((context.availableHeight + FIT_TOLERANCE) / height);
    const tail = this.tails.get(para);
    if (
      tail !== undefined &&
      !atTop &&
      fit >= 1 &&
      total <= fit &&
      context.availableHeight + FIT_TOLERANCE < total * height + tail
    ) {
      // The paragraph would end the page and what follows it (a signature) start the next one
      // alone: its last two lines go over with it, or all of it when one line would stay.
      let carried = Math.min(total, 2);
      if (total - carried === 1) carried = total;
      context.availableHeight -= (fit - (total - carried)) * height;
      return;
    }
    if (fit < 1 || total <= fit) return;
    const carried = total - fit;
    // An orphan goes over; a widow pulls one more line over, or the whole paragraph when only
    // two lines would be left behind.
    let give = 0;
    if (fit === 1) give = 1;
    else if (carried === 1) give = fit === 2 ? 2 : 1;
    context.availableHeight -= give * height;
  }

  /** Line count of each paragraph in this layout. */
  paragraphLineCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const l of this.lines)
      if (l.para !== undefined) counts.set(l.para, (counts.get(l.para) ?? 0) + 1);
    return counts;
  }

  /** Records one body line placed on `page` (1-based). */
  record(page: number, line: LayoutLine): void {
    let para: string | undefined;
    for (const inline of line.inlines) {
      if (inline.undocNote !== undefined) this.notePages.set(inline.undocNote, page);
      para ??= inline.undocPara;
    }
    this.lines.push(
      para === undefined
        ? { page, last: true }
        : { page, para, last: line.lastLineInParagraph === true },
    );
  }
}

/** Rounding slack when counting how many lines fit (pt). */
const FIT_TOLERANCE = 0.001;

interface LaidPage {
  readonly pageMargins: object;
}

/**
 * One document definition laid out by pdfmake as many times as the renderer asks, each time
 * under a new probe, and drawn once: the last layout is the one drawn. All layouts share one
 * pdfkit document (its fonts are opened once) and one measurement of the text (hook 6).
 */
export class PdfLayout {
  /** The probe of the layout under way (hooks 1–3). */
  probe: FlowProbe | undefined;

  private output: PdfOutput | undefined;
  /** Lays the same definition out again, into the same pdfkit document. */
  private again: (() => LaidPage[]) | undefined;
  private pages: LaidPage[] | undefined;
  private drawPages: ((pages: LaidPage[]) => void) | undefined;
  private renderer: unknown;
  /** pdfkit's document the layouts are drawn into. */
  private pdfDocument: object | undefined;

  /** `definition.pageMargins` must be an object of its own: it identifies this layout. */
  constructor(
    private readonly definition: DocumentDefinition & { readonly pageMargins: object },
    /** Draws the kept layout instead of pdfmake (tagged PDF, hook 13). */
    private readonly drawer?: PageDrawer,
    /** How Word sets text of each size (hook 14); nominal advances by default. */
    readonly metrics: WordMetricsOf = () => NOMINAL,
  ) {
    layouts.set(definition.pageMargins, this);
  }

  /** Lays the document out (again) under `probe`. */
  async run(probe: FlowProbe): Promise<void> {
    this.probe = probe;
    if (this.output === undefined) {
      // The first layout goes through pdfmake's own entry point, which builds the pdfkit
      // document; the hooks keep what the later layouts and the drawing need.
      this.output = engine.createPdf(this.definition);
      await this.output.getStream();
      return;
    }
    if (this.again === undefined)
      throw new Error('PdfLayout: pdfmake did not lay the document out');
    this.pages = this.again();
  }

  /**
   * Draws the last layout and ends the document: its bytes. `around.before` may move what the
   * layout placed, `around.after` see what was drawn (a right-to-left document mirrors its pages
   * and the text of its mirrored glyphs: pdf/bidi.ts); both get pdfkit's document.
   */
  async bytes(around: DrawingHooks = {}): Promise<Uint8Array> {
    const { output, pages, drawPages, pdfDocument } = this;
    if (output === undefined || pages === undefined || drawPages === undefined) {
      throw new Error('PdfLayout.bytes: nothing laid out');
    }
    this.drawPages = undefined;
    if (pdfDocument !== undefined) around.before?.(pages, pdfDocument);
    if (this.drawer === undefined) drawPages(pages);
    else {
      this.drawer.draw(this.renderer as never, pages as never[]);
      this.drawer.finish();
    }
    if (pdfDocument !== undefined) around.after?.(pdfDocument);
    return new Uint8Array(await output.getBuffer());
  }

  /** pdfkit's document the layouts are drawn into (the engine's canary checks its `FIELDS`). */
  document(): object | undefined {
    return this.pdfDocument;
  }

  /** The pages of the last layout, as pdfmake laid them out (the engine's canary reads them). */
  laidPages(): readonly object[] | undefined {
    return this.pages;
  }

  /** Hook: pdfmake is laying this definition out for the first time, into `pdfDocument`. */
  laidOutBy(again: () => LaidPage[], pdfDocument: object): void {
    this.again = again;
    this.pdfDocument = pdfDocument;
  }

  /** Hook: pdfmake would draw `pages` now; they are drawn when the renderer asks for the bytes. */
  holdDrawing(pages: LaidPage[], draw: (pages: LaidPage[]) => void, renderer: unknown): void {
    this.pages = pages;
    this.drawPages = draw;
    this.renderer = renderer;
  }
}

/** How each of our pdfkit documents sets text, by size (hook 14). */
const documentMetrics = new WeakMap<object, WordMetricsOf>();

/** How Word sets text of a size in a family (its fontkit family name), for one document. */
export type WordMetricsOf = (size: number, family: string | undefined) => SizeMetrics;

/** fontkit's family name of each font: its getter decodes the name table at every call. */
const familyNames = new WeakMap<object, string | undefined>();

function familyNameOf(font: { readonly familyName?: string } | undefined): string | undefined {
  if (font === undefined) return undefined;
  if (familyNames.has(font)) return familyNames.get(font);
  const name = font.familyName;
  familyNames.set(font, name);
  return name;
}

/** The metrics of each font of our documents, by size: asked for every word, line and draw. */
const fontMetrics = new WeakMap<object, Map<number, SizeMetrics>>();
/** The font and size `metricsOfFont` answered last, and its answer. */
let lastMetrics: { font: unknown; size: number; metrics: SizeMetrics } = {
  font: undefined,
  size: Number.NaN,
  metrics: NOMINAL,
};

/**
 * The metrics a pdfkit font of one of our documents draws `size` pt with, or undefined.
 * Remembered per font and size: a document's metrics are fixed while its fonts live.
 */
function metricsOfFont(font: unknown, size: number): SizeMetrics | undefined {
  if (font === lastMetrics.font && size === lastMetrics.size) return lastMetrics.metrics;
  const f = font as { readonly document?: object; readonly font?: { familyName?: string } };
  if (typeof f !== 'object' || f === null) return undefined;
  let bySize = fontMetrics.get(f);
  let metrics = bySize?.get(size);
  if (metrics === undefined) {
    const of = f.document === undefined ? undefined : documentMetrics.get(f.document);
    if (of === undefined) return undefined;
    metrics = of(size, familyNameOf(f.font));
    if (bySize === undefined) {
      bySize = new Map();
      fontMetrics.set(f, bySize);
    }
    bySize.set(size, metrics);
  }
  lastMetrics = { font, size, metrics };
  return metrics;
}

/** pdfmake's TextInlines.widthOfText, as hook 14 sees the inline it measures. */
type InlineWidthOfText = (
  this: unknown,
  text: string,
  inline: {
    readonly font: {
      readonly document?: unknown;
      widthOfString(text: string, size: number, features: unknown): number;
    };
    readonly fontSize: number;
    readonly fontFeatures?: unknown;
    readonly characterSpacing?: number;
    readonly undocSpacing?: number;
    readonly alignment?: string;
  },
) => number;

/** pdfkit text() options drawing with Word's advances: horizontal scaling, spacing per glyph. */
function withMetrics(options: unknown, m: SizeMetrics): unknown {
  if (m === NOMINAL || typeof options !== 'object' || options === null) return options;
  const o = options as { readonly characterSpacing?: number };
  return {
    ...o,
    characterSpacing: ((o.characterSpacing ?? 0) + m.tracking) / m.scale,
    horizontalScaling: horizontalScaling(m),
  };
}

/** Layouts by the page-margin object of their definition, which pdfmake hands to every page. */
const layouts = new WeakMap<object, PdfLayout>();

function probeOf(pageMargins: object): FlowProbe | undefined {
  return layouts.get(pageMargins)?.probe;
}

interface LayoutInline extends InlineTags {
  text: string;
  x: number;
  justifyShift?: number;
  alignment?: string;
}

interface LayoutLine {
  inlines: LayoutInline[];
  leadingCut?: number;
  x?: number;
  getHeight(): number;
  newLineForced?: boolean;
  lastLineInParagraph?: boolean;
  getWidth(): number;
}

interface Context {
  pageMargins: { readonly top: number };
  y: number;
  page: number;
  pages: unknown[];
  availableHeight: number;
  availableWidth: number;
}

interface ContextProto {
  initializePage(this: Context): void;
  moveTo(this: Context, x: number | null | undefined, y: number | null | undefined): void;
}

interface Writer {
  context(): Context;
}

interface WriterProto {
  addLine(
    this: Writer,
    line: LayoutLine,
    dont?: boolean,
    index?: number,
  ): false | { pageNumber: number };
  alignLine(this: Writer, line: LayoutLine): void;
}

const TRAILING_SPACE = /\s$/u;

/** Whether `text` ends in whitespace (`TRAILING_SPACE`), without it for a space or printable ASCII. */
function endsInSpace(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  if (last === 0x20) return true;
  if (last > 0x20 && last < 0x7f) return false;
  return TRAILING_SPACE.test(text);
}

/** pdfkit's font of a laid-out word, as hook 14 measures it. */
interface WordFont {
  readonly document?: unknown;
  widthOfString(text: string, size: number, features: unknown): number;
}

/** A laid-out word as hook 14 re-places it. */
interface PlacedInline {
  readonly text: string;
  readonly font?: WordFont;
  readonly fontSize?: number;
  readonly fontFeatures?: unknown;
  characterSpacing?: number;
  /** The character spacing it was measured with, before hook 13 closed a line up. */
  undocSpacing?: number;
  x: number;
}

const TRAILING_SPACES = /\s+$/u;

/** Nominal widths (pt) of texts, by a font's shaping cache, then size (hook 14's measurement). */
const nominalWidths = new WeakMap<object, Map<number, Map<string, number>>>();
/** The widths `nominalWidth` looked in last. */
let lastWidths: { cache: object | undefined; size: number; widths: Map<string, number> } = {
  cache: undefined,
  size: Number.NaN,
  widths: new Map(),
};
/** Texts remembered per shaping cache and size at most (pdfkit's own cache keeps every word). */
const NOMINAL_WIDTHS = 100_000;

/**
 * pdfkit's `font.widthOfString(text, size, features)`, remembered for a font with a shaping cache
 * and no features of the text's own: a word is measured some five times per document (its
 * measurement, its trailing space, its placement as drawn in each layout pass) and, with hook 4,
 * the same word in every document. The width is a function of the text and the size alone for
 * the fonts sharing a cache (pdfkit sums the cached runs of the text's words), so the value
 * remembered is the one pdfkit gives, to the bit.
 */
function nominalWidth(font: WordFont, text: string, size: number, features: unknown): number {
  const cache = (font as { readonly layoutCache?: unknown }).layoutCache;
  if (features != null || typeof cache !== 'object' || cache === null || speedHooksOff.has(18))
    return font.widthOfString(text, size, features);
  // Most calls measure in the font and size of the call before.
  let widths =
    lastWidths.cache === cache && lastWidths.size === size ? lastWidths.widths : undefined;
  if (widths === undefined) {
    let bySize = nominalWidths.get(cache);
    if (bySize === undefined) {
      bySize = new Map();
      nominalWidths.set(cache, bySize);
    }
    widths = bySize.get(size);
    if (widths === undefined) {
      widths = new Map();
      bySize.set(size, widths);
    }
    lastWidths = { cache, size, widths };
  }
  let width = widths.get(text);
  if (width === undefined) {
    width = font.widthOfString(text, size, features);
    if (widths.size >= NOMINAL_WIDTHS) widths.clear();
    widths.set(text, width);
  }
  return width;
}

/** Width (pt) of `text` of `inline` as drawn with Word's metrics `m`. */
function drawnWidth(inline: PlacedInline, text: string, m: SizeMetrics): number {
  const size = inline.fontSize ?? 0;
  const nominal =
    inline.font === undefined ? 0 : nominalWidth(inline.font, text, size, inline.fontFeatures);
  return (
    wordAdvance(m, nominal, glyphCount(text)) + (inline.characterSpacing ?? 0) * (text.length - 1)
  );
}

/**
 * Hook 14: places a line's words side by side at the widths they are drawn with (pdfmake
 * placed them at the widths lines are broken by), and returns the line's drawn width without
 * its trailing spaces; undefined, having changed nothing, for a line set at nominal advances.
 */
function placeAsDrawn(line: LayoutLine, room: number, stretches: boolean): number | undefined {
  const inlines = line.inlines as unknown as PlacedInline[];
  const sizes: SizeMetrics[] = [];
  let measured = false;
  for (const i of inlines) {
    const m = metricsOfFont(i.font, i.fontSize ?? 0) ?? NOMINAL;
    sizes.push(m);
    if (m !== NOMINAL) measured = true;
  }
  if (!measured) return undefined;
  const cut = line.leadingCut ?? 0;
  const place = (squeeze: number): number => {
    let x = -cut;
    for (let i = 0; i < inlines.length; i++) {
      const inline = inlines[i] as PlacedInline;
      // The spacing the word was measured with; a squeeze of an earlier layout is undone.
      inline.undocSpacing ??= inline.characterSpacing ?? 0;
      inline.characterSpacing = inline.undocSpacing - squeeze;
      inline.x = x;
      x += drawnWidth(inline, inline.text, sizes[i] ?? NOMINAL);
    }
    // The line's width ends before its last word's trailing spaces.
    const last = inlines.at(-1);
    const spaces = last === undefined ? undefined : TRAILING_SPACES.exec(last.text)?.[0];
    const trailing =
      last === undefined || spaces === undefined
        ? 0
        : drawnWidth(last, spaces, sizes.at(-1) ?? NOMINAL);
    return x - trailing;
  };
  const width = place(0);
  if (width <= room + FIT_TOLERANCE || stretches) return width;
  // Drawn wider than the line Word's measure broke (a word longer than the line, a full line
  // set flush left): its glyphs close up to keep inside the margins.
  const gaps = inlines.reduce((n, i) => n + Math.max(0, glyphCount(i.text) - 1), 0);
  return gaps === 0 ? width : place((width - room) / gaps);
}

/** pdfmake's alignment of a line (right, centre) by its drawn width. */
function alignDrawn(writer: Writer, line: LayoutLine, width: number): void {
  const room = writer.context().availableWidth - width;
  const alignment = line.inlines[0]?.alignment;
  const offset = alignment === 'right' ? room : alignment === 'center' ? room / 2 : 0;
  if (offset) line.x = (line.x ?? 0) + offset;
}

/** Whether justification stretches the gap before the line's `i`-th word (hook 3). */
function stretchesBefore(line: LayoutLine, i: number): boolean {
  const before = line.inlines[i - 1];
  if (before === undefined || before.undocFixed) return false;
  // Chinese has no spaces: its slack is shared between its characters (pdf/linebreak.ts).
  return endsInSpace(before.text) || cjkGap(before.text, line.inlines[i]?.text ?? '');
}

/** The gaps of a line justification may stretch or close up. */
function gapsOf(line: LayoutLine): number {
  let points = 0;
  for (let i = 1; i < line.inlines.length; i++) if (stretchesBefore(line, i)) points++;
  return points;
}

/** The gaps justification stretches in a line; none in a paragraph's last line. */
function stretchPoints(line: LayoutLine): number {
  if (line.newLineForced || line.lastLineInParagraph) return 0;
  return gapsOf(line);
}

function justify(writer: Writer, line: LayoutLine, width: number): void {
  const room = writer.context().availableWidth;
  // A last line Word broke with its spaces closed up (font.wordMetrics' shrink) is drawn so.
  const points = width > room + FIT_TOLERANCE ? gapsOf(line) : stretchPoints(line);
  if (points === 0) return;
  const stretches = (i: number) => stretchesBefore(line, i);
  const extra = (room - width) / points;
  let shift = 0;
  for (let i = 1; i < line.inlines.length; i++) {
    const inline = line.inlines[i];
    if (inline === undefined) continue;
    const stretch = stretches(i);
    if (stretch) shift += extra;
    inline.x += shift;
    inline.justifyShift = stretch ? extra : 0;
  }
}

/** A font as fontkit parsed it: its decoded tables by tag (fontkit decodes each on first use). */
interface ParsedFont {
  _tables: object;
}

interface EmbeddedFont {
  readonly font: ParsedFont;
  layoutCache?: unknown;
  readonly constructor: new (doc: unknown, font: unknown, id: string) => EmbeddedFont;
}

interface RendererProto {
  renderPages(this: unknown, pages: LaidPage[]): void;
  renderSVG(this: RendererThis, svg: SvgItem): void;
}

/** pdfmake's Renderer as hook 10 sees it: the pdfkit document it draws into. */
interface RendererThis {
  pdfDocument: Record<PropertyKey, unknown>;
}

/** An SVG node as pdfmake's Renderer draws it. */
interface SvgItem {
  readonly svg: unknown;
  readonly x: number;
  readonly y: number;
  readonly _width: number;
  readonly _height: number;
  readonly options?: unknown;
  readonly font?: unknown;
  readonly link?: unknown;
  readonly linkToPage?: unknown;
  readonly linkToDestination?: unknown;
}

/** What an SVG drawing's calls depend on, or undefined for one hook 10 leaves to pdfmake. */
function svgDrawingKey(svg: SvgItem): string | undefined {
  if (typeof svg.svg !== 'string') return undefined;
  if (svg.link !== undefined || svg.linkToPage !== undefined) return undefined;
  if (svg.linkToDestination !== undefined) return undefined;
  const options = svg.options ?? null;
  if (options !== null && Object.getPrototypeOf(options) !== Object.prototype) return undefined;
  let place: string;
  try {
    place = JSON.stringify([svg.x, svg.y, svg._width, svg._height, options, svg.font ?? null]);
  } catch {
    return undefined;
  }
  return `${place}\u0000${svg.svg}`;
}

/** pdfkit's PDF object with a stream (PDFReference), as hook 7 extends it. */
interface StreamObject {
  readonly document: object;
  readonly data: { Length?: number; Filter?: string };
  compress: boolean;
  uncompressedLength: number;
  buffer: Uint8Array[];
  /** Lines written and not yet turned into bytes (hook 7). */
  undocText?: string | undefined;
  /** Its text run (hook 20). */
  undocRun?: TextRun;
}

interface StreamObjectProto {
  write(this: StreamObject, chunk: string | Uint8Array): void;
  finalize(this: StreamObject): void;
}

/** Turns the lines a stream object holds as text into one chunk of bytes, in order. */
function flushText(ref: StreamObject): void {
  if (ref.undocText === undefined) return;
  ref.buffer.push(Buffer.from(ref.undocText, 'latin1'));
  ref.undocText = undefined;
}

/**
 * Hook 7: the stream objects of our documents keep their lines as text until they end (unless the
 * benchmark left hook 7 out). Hook 20: each write to a stream of ours goes through the stream's
 * text run (pdf/text-run.ts), which closes the open text object and writes the graphics state it
 * held back before anything that is not a word; the run is closed as the stream ends.
 */
function installStreamText(proto: StreamObjectProto, ours: WeakSet<object>): void {
  const write = proto.write;
  const finalize = proto.finalize;
  const keepText = !speedHooksOff.has(7);
  const put = (ref: StreamObject, chunk: string | Uint8Array) => {
    if (typeof chunk !== 'string' || !keepText) {
      flushText(ref);
      write.call(ref, chunk);
      return;
    }
    // As pdfkit's own write: one line, one byte per character (latin1).
    const line = `${chunk}\n`;
    ref.undocText = ref.undocText === undefined ? line : ref.undocText + line;
    ref.uncompressedLength += line.length;
    ref.data.Length = (ref.data.Length ?? 0) + line.length;
    if (ref.compress) ref.data.Filter = 'FlateDecode';
  };
  proto.write = function (this: StreamObject, chunk) {
    if (!ours.has(this.document)) {
      flushText(this);
      write.call(this, chunk);
      return;
    }
    if (this.undocRun === undefined && textRunsOn()) this.undocRun = new TextRun();
    const run = this.undocRun;
    if (run !== undefined) {
      if (run.holding && typeof chunk === 'string') {
        run.hold('gs', chunk);
        return;
      }
      const before = run.beforeWrite(chunk);
      if (before !== '') put(this, before);
    }
    put(this, chunk);
  };
  proto.finalize = function (this: StreamObject) {
    const run = this.undocRun;
    const end = run?.end();
    if (end) put(this, end);
    flushText(this);
    if (run?.drewText && this.compress && !speedHooksOff.has(21)) {
      // Hook 21: a page's content deflated here, at zlib's level 4 (pdfkit: the default, 6);
      // pdfkit then writes the bytes as they are, under the FlateDecode its `write` named.
      this.buffer = [deflateSync(Buffer.concat(this.buffer), { level: CONTENT_DEFLATE_LEVEL })];
      this.compress = false;
    }
    finalize.call(this);
  };
}

/**
 * Hook 21: zlib's level for a page's content (text runs and drawings; fonts and the rest keep
 * pdfkit's default, 6): a run's operators are short lines of numbers, which level 6 compresses
 * little better for twice the time (the seed's pages: 42.5 KB in 5.3 ms at 6, 47.4 KB in 2.7 ms
 * at 4; one text object a word at 6, as before: 51.9 KB in 6.8 ms).
 */
const CONTENT_DEFLATE_LEVEL = 4;

/** Whether hook 20 writes words in text runs (the benchmark and tests may leave it out). */
function textRunsOn(): boolean {
  return textRuns.enabled && !speedHooksOff.has(20);
}

/** Switch for hook 20 (tests draw the same document one word per text object to compare). */
export const textRuns = { enabled: true };

/**
 * Hook 20: the text run of the page `doc` draws on (its content stream's), or undefined when
 * runs are off or `doc` has no page with a content stream.
 */
function runOf(doc: object): TextRun | undefined {
  if (!textRunsOn()) return undefined;
  const content = (doc as { readonly page?: { readonly content?: unknown } }).page?.content;
  if (typeof content !== 'object' || content === null || !('write' in content)) return undefined;
  const stream = content as unknown as StreamObject;
  stream.undocRun ??= new TextRun();
  return stream.undocRun;
}

interface SvgSize {
  readonly width: number | undefined;
  readonly height: number | undefined;
}

interface SvgMeasureProto {
  measureSVG(this: unknown, svg: unknown): SvgSize;
  writeDimensions(this: unknown, svg: unknown, size: SvgSize): unknown;
}

interface LayoutNode {
  resetXY(): void;
}

interface BuilderThis {
  readonly pageMargins: object;
  readonly linearNodeList: readonly LayoutNode[];
  readonly writer: Writer;
}

interface BuilderProto {
  layoutDocument(
    this: BuilderThis,
    content: unknown,
    pdfDocument: object,
    ...rest: unknown[]
  ): LaidPage[];
  buildNextLine(this: BuilderThis, textNode: { _inlines?: WrapInline[] }): unknown;
}

/** pdfmake's Line, as hook 12 fills it. */
interface FilledLine {
  hasEnoughSpaceForInline(inline: WrapInline, nextInlines?: readonly WrapInline[]): boolean;
  addInline(inline: WrapInline): void;
  getAvailableWidth(): number;
  lastLineInParagraph?: boolean;
}

type LineClass = new (maxWidth: number) => FilledLine;

const NO_INLINES: readonly WrapInline[] = [];

/** pdfmake's longest prefix of `text` (in UTF-16 code units, at least 1) that `measure` fits. */
function findMaxFitLength(text: string, maxWidth: number, measure: (t: string) => number): number {
  let low = 1;
  let high = text.length;
  let bestFit = 1;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    if (measure(text.substring(0, mid)) <= maxWidth) {
      bestFit = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return bestFit;
}

/**
 * Hook 12: pdfmake's `LayoutBuilder.buildNextLine` (0.3.11) step for step, but for one copy.
 * pdfmake hands the line's fit test the rest of the paragraph's words (`slice(1)`) for every
 * word it adds, quadratic in a paragraph's length; the test reads them only after a word glued
 * to the next (`noNewLine`), so only then are they copied.
 */
function nextLine(
  textNode: { _inlines?: WrapInline[] },
  availableWidth: number,
  Line: LineClass,
  widthOf: WidthOfText,
): FilledLine | null {
  if (!textNode._inlines || textNode._inlines.length === 0) return null;
  const line = new Line(availableWidth);
  let isForceContinue = false;
  for (;;) {
    const inlines = textNode._inlines;
    const head = inlines?.[0];
    if (inlines === undefined || head === undefined) break;
    const next = head.noNewLine ? inlines.slice(1) : NO_INLINES;
    if (!(line.hasEnoughSpaceForInline(head, next) || isForceContinue)) break;
    let isHardWrap = false;
    const inline = inlines.shift() as WrapInline;
    if (!inline.noWrap && inline.text.length > 1 && inline.width > line.getAvailableWidth()) {
      const maxChars = findMaxFitLength(inline.text, line.getAvailableWidth(), (t) =>
        widthOf(t, inline),
      );
      if (maxChars < inline.text.length) {
        // pdfmake's cloneInline: a new object of the word's constructor with its keys.
        const clone = (inline.constructor as () => Record<string, unknown>)();
        for (const key in inline) clone[key] = (inline as unknown as Record<string, unknown>)[key];
        const newInline = clone as unknown as WrapInline;
        newInline.text = inline.text.substr(maxChars);
        inline.text = inline.text.substr(0, maxChars);
        newInline.width = widthOf(newInline.text, newInline);
        inline.width = widthOf(inline.text, inline);
        inlines.unshift(newInline);
        isHardWrap = true;
      }
    }
    line.addInline(inline);
    isForceContinue = Boolean(inline.noNewLine) && !isHardWrap;
  }
  line.lastLineInParagraph = textNode._inlines.length === 0;
  return line;
}

/** A measured word as layout changes it: placed (x), justified, or split at the margin. */
interface MeasuredWord {
  text: string;
  width: number;
  justifyShift?: number | undefined;
}

interface MeasuredLeaf {
  _inlines: MeasuredWord[];
  _minWidth: number;
  _maxWidth: number;
}

interface MeasureThis {
  readonly pdfDocument: object;
}

interface MeasureProto {
  measureLeaf(this: MeasureThis, node: MeasuredLeaf): MeasuredLeaf;
}

/** A text node as first measured in a pdfkit document: later layouts copy it. */
interface Measured {
  readonly document: object;
  readonly words: readonly MeasuredWord[];
  /** Each word's text and width as measured: a layout that split a word changed them. */
  readonly texts: readonly string[];
  readonly widths: readonly number[];
  readonly minWidth: number;
  readonly maxWidth: number;
}

/**
 * The words of `known` made ready for another layout, or undefined when a layout split one of
 * them at the margin (measure again). Layout sets every word's x before it reads it; the
 * justification of a line it no longer ends up in is cleared.
 */
function reuse(known: Measured): MeasuredWord[] | undefined {
  const { words, texts, widths } = known;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === undefined || word.text !== texts[i] || word.width !== widths[i]) return undefined;
  }
  for (const word of words) if (word.justifyShift !== undefined) word.justifyShift = undefined;
  return words.slice();
}

interface PdfDocumentThis {
  fontCache: Record<string, Record<string, EmbeddedFont>>;
  _fontCount: number;
  _fontFamilies: Record<string, EmbeddedFont>;
  getFontType(bold: boolean, italics: boolean): string;
}

/** A pdfkit document as hook 11 draws words on it: with its current font and size. */
interface PdfkitTextDocument extends TextDocument {
  readonly _font: unknown;
  readonly _fontSize: number;
}

interface PdfDocumentProto {
  provideFont(this: PdfDocumentThis, family: string, bold: boolean, italics: boolean): EmbeddedFont;
  text(this: PdfkitTextDocument, text: unknown, x: unknown, y: unknown, options: unknown): unknown;
  fill(this: ColourDocument, color?: unknown, rule?: unknown): unknown;
  opacity(this: ColourDocument, opacity: unknown): unknown;
  resolveColor(this: ColourDocument, color: unknown, fallback: unknown): unknown;
  _addInfo(this: object): void;
}

/** What later documents reuse of a face: pdfkit's font class and the shaping cache. */
interface SharedFace {
  readonly make: EmbeddedFont['constructor'];
  readonly layoutCache: unknown;
}

/** A face of a shared family: its font file, and a fontkit font whose decoded tables all share. */
export interface FaceSource {
  readonly file: Buffer;
  readonly font: fontkit.Font;
}

interface SharedFamily {
  /** Each face by pdfmake's name ("normal", "bold", "italics", "bolditalics"). */
  readonly sources: Readonly<Record<string, FaceSource>>;
  readonly faces: Map<string, SharedFace>;
  /** OpenType features on or off for all of the family's text. */
  readonly features?: Readonly<Record<string, boolean>>;
}

const sharedFamilies = new Map<string, SharedFamily>();

/**
 * Makes every document reuse the decoded tables of `family`'s faces (those of the fonts in
 * `sources`, filled as any of them decodes one) and later documents the first one's shaping
 * cache (hook 4).
 */
export function shareFonts(
  family: string,
  sources: Readonly<Record<string, FaceSource>>,
  features?: Readonly<Record<string, boolean>>,
): void {
  if (!sharedFamilies.has(family))
    sharedFamilies.set(family, { sources, faces: new Map(), ...(features ? { features } : {}) });
}

/** A glyph of a shaped run: its id and the characters the text layer maps it to. */
export interface ShapedGlyph {
  readonly id: number;
  codePoints: readonly number[];
}

/** A fontkit font as hook 17 shapes with it (its public `layout` and `getGlyph`). */
export interface ShapingFont {
  layout(text: string, features?: unknown): { glyphs: ShapedGlyph[]; direction?: string };
  getGlyph(id: number, codePoints?: number[]): ShapedGlyph;
}

/**
 * What the text layer reads for a glyph that fontkit adds to a character's own (a multiple
 * substitution: Amiri draws a kashida between lām and kāf, "لك"): ZERO WIDTH JOINER, a format
 * character that pdf.js drops and that changes nothing in the text it stands in.
 */
export const ADDED_GLYPH = 0x200d;

/**
 * Hook 17: each glyph of a shaped run with the characters it was shaped from in that run.
 * fontkit keeps one glyph object per id with the code points of the first request, and the text
 * layer (pdfkit's ToUnicode map, written from `glyph.codePoints`) takes them: the kashida glyph
 * fontkit adds after "ل" of "للمملكة" (no characters) is also the tatweel of "(هـ)", and the space
 * glyph also a no-break space. While `layout` runs, the font's `getGlyph` hands out a view of its
 * glyph per request with that request's code points (fontkit asks for each glyph of the result
 * with its own: a ligature's all, an added glyph's none); then an added glyph gets
 * `ADDED_GLYPH`, and a glyph of a right-to-left run with several characters has them in visual
 * order (readers reverse the run). pdf/direct-text.ts gives a glyph a code of its own where the
 * same glyph already stands for other characters.
 */
export function layoutWithCharacters(
  font: ShapingFont,
  layout: (text: string, features?: unknown) => ReturnType<ShapingFont['layout']>,
  text: string,
  features?: unknown,
): ReturnType<ShapingFont['layout']> {
  const getGlyph = font.getGlyph;
  font.getGlyph = function (this: ShapingFont, id, codePoints) {
    const glyph = getGlyph.call(this, id, codePoints);
    if (codePoints === undefined || glyph === null || typeof glyph !== 'object') return glyph;
    return Object.create(glyph, { codePoints: { value: codePoints.slice(), writable: true } });
  };
  let run: ReturnType<ShapingFont['layout']>;
  try {
    run = layout(text, features);
  } finally {
    font.getGlyph = getGlyph;
  }
  const rtl = run.direction === 'rtl';
  for (const glyph of run.glyphs) {
    if (!Object.hasOwn(glyph, 'codePoints')) continue;
    if (glyph.codePoints.length === 0) glyph.codePoints = [ADDED_GLYPH];
    else if (rtl && glyph.codePoints.length > 1) glyph.codePoints = [...glyph.codePoints].reverse();
  }
  return run;
}

/**
 * A family's shaping (hooks 4 and 17): its OpenType features set for all its text (templates:
 * `features`), as the default of its fontkit font's public `layout(text, features)` (pdfkit then
 * keeps its per-word shaping cache, which it skips for text drawn with features of its own —
 * Arabic: ~3× the CPU), and each glyph with its own characters (`layoutWithCharacters`).
 */
function withShaping(
  font: { font: ShapingFont },
  features: Readonly<Record<string, boolean>> | undefined,
): void {
  const own = font.font;
  const layout = own.layout.bind(own);
  own.layout = (text, given) =>
    layoutWithCharacters(
      own,
      layout,
      text,
      given ?? (features === undefined ? undefined : { ...features }),
    );
}

/** fontkit's TrueType glyph as hook 4 shares its outline: decoded from the font's glyf table. */
interface TtfGlyph {
  readonly _font: { readonly _tables: object; readonly _variationProcessor?: unknown };
  readonly id: number;
}

interface TtfGlyphProto {
  _decode(this: TtfGlyph): unknown;
  _getCBox(this: TtfGlyph, internal?: boolean): unknown;
}

/** Decoded outlines (glyf records) and control boxes by glyph id, per shared set of tables. */
const glyphOutlines = new WeakMap<
  object,
  { decoded: Map<number, unknown>; cbox: Map<number, unknown> }
>();

/**
 * Hook 4, continued: every document's own fontkit font decodes the glyf record of each glyph it
 * embeds (the subsetter reads it to find a composite's components, the metrics its control box),
 * ~2 ms a document. Fonts over shared tables (same file, no variations) share those decodings;
 * fontkit only reads them (points and components are copied, never changed, without variations)
 * and the control box is frozen.
 */
function shareGlyphOutlines(tables: object): void {
  if (!glyphOutlines.has(tables))
    glyphOutlines.set(tables, { decoded: new Map(), cbox: new Map() });
}

/** Hook 4's glyph half, installed on fontkit's TTFGlyph (reached through a font of its own). */
function installGlyphOutlines(proto: TtfGlyphProto): void {
  const decode = proto._decode;
  const getCBox = proto._getCBox;
  const memo = (glyph: TtfGlyph) =>
    glyph._font._variationProcessor ? undefined : glyphOutlines.get(glyph._font._tables);
  proto._decode = function (this: TtfGlyph) {
    const m = memo(this);
    if (m === undefined) return decode.call(this);
    if (m.decoded.has(this.id)) return m.decoded.get(this.id);
    const glyf = decode.call(this);
    m.decoded.set(this.id, glyf);
    return glyf;
  };
  proto._getCBox = function (this: TtfGlyph, internal) {
    const m = memo(this);
    if (m === undefined) return getCBox.call(this, internal);
    let box = m.cbox.get(this.id);
    if (box === undefined) {
      box = getCBox.call(this, internal);
      m.cbox.set(this.id, box);
    }
    return box;
  };
}

/** fontkit's TrueType subset as hook 22 sees it: its font and its glyph ids, in code order. */
interface TtfSubset {
  readonly font: TtfGlyph['_font'];
  readonly glyphs: number[];
  includeGlyph(glyph: number): number;
}

interface TtfSubsetProto {
  encode(this: TtfSubset): Uint8Array;
}

/** An encoded subset: the glyph ids it was asked for, those it ended with (components), its bytes. */
interface EncodedSubset {
  readonly glyphs: readonly number[];
  readonly bytes: Uint8Array;
}

/** Subsets encoded, by shared set of tables, then glyph ids (`SUBSETS` at most per set). */
const encodedSubsets = new WeakMap<object, Map<string, EncodedSubset>>();
const SUBSETS = 16;

/**
 * Hook 22: fontkit encodes each document's subset of each font (its glyf, loca and hmtx, and
 * the hinting tables copied value by value through restructure: ~3 ms a document for the seed's
 * four faces). The bytes are a function of the font's tables and the glyph ids in order, so
 * for fonts over shared tables (hook 4) a subset asked for with the same ids gets the bytes
 * encoded before; the components encoding adds to the subset are included as encoding would.
 */
function installSubsetCache(proto: TtfSubsetProto): void {
  const encode = proto.encode;
  proto.encode = function (this: TtfSubset) {
    const font = this.font;
    if (speedHooksOff.has(22) || font._variationProcessor || !glyphOutlines.has(font._tables))
      return encode.call(this);
    let known = encodedSubsets.get(font._tables);
    if (known === undefined) {
      known = new Map();
      encodedSubsets.set(font._tables, known);
    }
    const key = this.glyphs.join(' ');
    const hit = known.get(key);
    if (hit !== undefined) {
      for (let i = this.glyphs.length; i < hit.glyphs.length; i++)
        this.includeGlyph(hit.glyphs[i] as number);
      return hit.bytes;
    }
    const bytes = encode.call(this);
    if (known.size >= SUBSETS) known.clear();
    known.set(key, { glyphs: this.glyphs.slice(), bytes });
    return bytes;
  };
}

const tablesOf = (font: fontkit.Font | fontkit.FontCollection): ParsedFont =>
  font as unknown as ParsedFont;

/** Parses a font file with pdfkit's own fontkit (CommonJS): one fontkit in the process. */
export const parseFont = (createRequire(import.meta.url)('fontkit') as typeof fontkit).create;

/** SVG texts (hook 8) and drawings (hook 10) remembered: a document draws two; any other use of pdfmake stays bounded. */
const SVG_MEMO = 16;

let installed = false;

/** Whether the hooks are installed in this process. */
export function layoutHooksInstalled(): boolean {
  return installed;
}

/**
 * The prototype of `owner` with every member `PATCHES` lists for it; throws when one is missing
 * (pdf/engine-check.ts checks them all before the hooks are installed, so this never half-installs).
 */
function patchable<T>(owner: PatchedClass, fontFile: Buffer): T {
  const proto = reach(owner, fontFile);
  for (const p of [...PATCHES, ...CALLED]) {
    if (p.owner === owner && typeof proto?.[p.member] !== 'function')
      throw new Error(`${p.library}: ${owner}.${p.member} is missing (hook ${p.hook})`);
  }
  return proto as T;
}

/**
 * Installs the hooks into pdfmake, pdfkit and fontkit (once per process). `fontFile`: a TrueType
 * file, through which fontkit's glyph class is reached.
 */
export function installLayoutHooks(fontFile: Buffer): void {
  if (installed) return;
  // Every prototype first: a missing member throws before anything is patched.
  const ctx = patchable<ContextProto>('DocumentContext', fontFile);
  const writer = patchable<WriterProto>('ElementWriter', fontFile);
  const renderer = patchable<RendererProto>('Renderer', fontFile);
  const builder = patchable<BuilderProto>('LayoutBuilder', fontFile);
  const inlines = patchable<{ measure: Measure; widthOfText: InlineWidthOfText }>(
    'TextInlines',
    fontFile,
  );
  const measure = patchable<MeasureProto>('DocMeasure', fontFile);
  const svgMeasure = patchable<SvgMeasureProto>('SVGMeasure', fontFile);
  const pdfDocument = patchable<PdfDocumentProto>('PDFDocument', fontFile);
  const streamObject = patchable<StreamObjectProto>('PDFReference', fontFile);
  const glyph = patchable<TtfGlyphProto>('TTFGlyph', fontFile);
  const subset = patchable<TtfSubsetProto>('TTFSubset', fontFile);
  installed = true;
  const originals = PATCHES.map((p) => {
    const proto = reach(p.owner, fontFile);
    return { p, proto, original: proto?.[p.member] };
  });

  const initializePage = ctx.initializePage;
  ctx.initializePage = function (this: Context) {
    initializePage.call(this);
    const probe = probeOf(this.pageMargins);
    if (!probe) return;
    if (this.page === 0 && this.pages.length === 1) probe.reset();
    this.availableHeight = probe.limit(this.page + 1) - this.y;
  };

  const moveTo = ctx.moveTo;
  ctx.moveTo = function (this: Context, x, y) {
    moveTo.call(this, x, y);
    const probe = probeOf(this.pageMargins);
    if (probe && y !== undefined && y !== null)
      this.availableHeight = probe.limit(this.page + 1) - y;
  };

  const addLine = writer.addLine;
  writer.addLine = function (this: Writer, line, dont, index) {
    const context = this.context();
    const probe = probeOf(context.pageMargins);
    probe?.beforeLine(context, line);
    const position = addLine.call(this, line, dont, index);
    if (position) probe?.record(position.pageNumber, line);
    return position;
  };

  const renderPages = renderer.renderPages;
  renderer.renderPages = function (this: unknown, pages) {
    const layout = pages[0] === undefined ? undefined : layouts.get(pages[0].pageMargins);
    if (layout === undefined) renderPages.call(this, pages);
    else layout.holdDrawing(pages, (kept) => renderPages.call(this, kept), this);
  };

  // Hook 6: later layouts of our definitions reuse the first one's measurement of each text.
  const ourDocuments = new WeakSet<object>();
  installStreamText(streamObject, ourDocuments);
  installGlyphOutlines(glyph);
  installSubsetCache(subset);
  const layoutDocument = builder.layoutDocument;
  builder.layoutDocument = function (this: BuilderThis, content, pdfDocument, ...rest) {
    const layout = layouts.get(this.pageMargins);
    if (layout !== undefined) {
      ourDocuments.add(pdfDocument);
      documentMetrics.set(pdfDocument, layout.metrics);
      layout.laidOutBy(() => {
        // As pdfmake's own re-layout does: positioned nodes and vectors back where defined.
        for (const node of this.linearNodeList) node.resetXY();
        return layoutDocument.call(this, content, pdfDocument, ...rest);
      }, pdfDocument);
    }
    return layoutDocument.call(this, content, pdfDocument, ...rest);
  };

  // Hook 12: a word wider than the line broken in linear time (pdf/long-word.ts).
  const buildNextLine = builder.buildNextLine;
  // Looked up at each call: hook 14 measures our words as Word sets them.
  const widthOf: WidthOfText = (text, inline) =>
    inlines.widthOfText.call(null, text, inline as Parameters<InlineWidthOfText>[1]);
  const Line = patchable<Prototype>('Line', fontFile).constructor as LineClass;
  builder.buildNextLine = function (this: BuilderThis, textNode) {
    if (!layouts.has(this.pageMargins)) return buildNextLine.call(this, textNode);
    const width = this.writer.context().availableWidth;
    if (textNode._inlines !== undefined) splitLongHead(textNode._inlines, width, widthOf);
    return nextLine(textNode, width, Line, widthOf);
  };

  // Hook 10: an SVG drawn again where it was drawn before replays the pdfkit calls it made.
  const renderSVG = renderer.renderSVG;
  const drawings = new Map<string, Recording>();
  // pdfkit's path operators, whose runs a replay writes as the lines they make (pdf/svg-replay.ts).
  const lineWriters = new Set(PATH_OPERATORS.map((m) => Reflect.get(pdfDocument, m) as unknown));
  renderer.renderSVG = function (this: RendererThis, svg) {
    const doc = this.pdfDocument;
    const key = ourDocuments.has(doc) ? svgDrawingKey(svg) : undefined;
    if (key === undefined) return renderSVG.call(this, svg);
    if (drawings.has(key)) {
      const calls = drawings.get(key);
      if (calls) replayDrawing(doc, calls, FILL_COLOR, speedHooksOff.has(19) ? NONE : lineWriters);
      else renderSVG.call(this, svg);
      return;
    }
    let recording: Recording;
    try {
      recording = recordDrawing(doc, FILL_COLOR, (stand) => {
        this.pdfDocument = stand;
        renderSVG.call(this, svg);
      });
    } finally {
      this.pdfDocument = doc;
    }
    if (drawings.size >= SVG_MEMO) drawings.clear();
    drawings.set(key, recording);
  };

  // Hook 9: words of our documents measured with their style resolved once per text node.
  const measureWords = inlines.measure;
  // Hook 14: words of our documents measured with the advances Word gives their glyphs.
  const widthOfText = inlines.widthOfText;
  inlines.widthOfText = function (this: unknown, text, inline) {
    const m = metricsOfFont(inline.font, inline.fontSize);
    if (m === undefined || m === NOMINAL) return widthOfText.call(this, text, inline);
    const nominal = nominalWidth(inline.font, text, inline.fontSize, inline.fontFeatures);
    const spacing = inline.undocSpacing ?? inline.characterSpacing ?? 0;
    const spaces = spaceCount(text);
    const space =
      spaces === 0 ? 0 : nominalWidth(inline.font, ' ', inline.fontSize, inline.fontFeatures);
    const justified = inline.alignment === 'justify';
    return (
      breakAdvance(m, nominal, glyphCount(text), spaces, space, justified) +
      spacing * (text.length - 1)
    );
  };
  const measureOurs = measureWith(measureWords);
  inlines.measure = function (this: TextInlinesThis, words, stack) {
    const ours = ourDocuments.has(this.pdfDocument);
    if (ours) glueNonStarters(words);
    return (ours ? measureOurs : measureWords).call(this, words, stack);
  };

  const measured = new WeakMap<object, Measured>();
  const measureLeaf = measure.measureLeaf;
  measure.measureLeaf = function (this: MeasureThis, node) {
    const known = measured.get(node);
    const words = known?.document === this.pdfDocument ? reuse(known) : undefined;
    if (known !== undefined && words !== undefined) {
      // Layout consumes the node's list of words (the words themselves are reset by `reuse`).
      node._inlines = words;
      node._minWidth = known.minWidth;
      node._maxWidth = known.maxWidth;
      return node;
    }
    const out = measureLeaf.call(this, node);
    if (ourDocuments.has(this.pdfDocument)) {
      measured.set(node, {
        document: this.pdfDocument,
        words: out._inlines.slice(),
        texts: out._inlines.map((w) => w.text),
        widths: out._inlines.map((w) => w.width),
        minWidth: out._minWidth,
        maxWidth: out._maxWidth,
      });
    }
    return out;
  };

  // Hook 8: an SVG given as text is parsed for its size, and written back with the size it is
  // drawn at, once per process and size: both are functions of the text alone.
  const measureSVG = svgMeasure.measureSVG;
  const writeDimensions = svgMeasure.writeDimensions;
  const svgSizes = new Map<string, SvgSize>();
  const svgTexts = new Map<string, unknown>();
  svgMeasure.measureSVG = function (svg) {
    if (typeof svg !== 'string') return measureSVG.call(this, svg);
    let size = svgSizes.get(svg);
    if (size === undefined) {
      size = measureSVG.call(this, svg);
      if (svgSizes.size >= SVG_MEMO) svgSizes.clear();
      svgSizes.set(svg, size);
    }
    return { ...size };
  };
  svgMeasure.writeDimensions = function (svg, size) {
    if (typeof svg !== 'string') return writeDimensions.call(this, svg, size);
    const key = `${size.width}\u0000${size.height}\u0000${svg}`;
    let text = svgTexts.get(key);
    if (text === undefined) {
      text = writeDimensions.call(this, svg, size);
      if (svgTexts.size >= SVG_MEMO) svgTexts.clear();
      svgTexts.set(key, text);
    }
    return text;
  };

  const provideFont = pdfDocument.provideFont;
  pdfDocument.provideFont = function (this: PdfDocumentThis, family, bold, italics) {
    const shared = sharedFamilies.get(family);
    const type = this.getFontType(bold, italics);
    const own = this.fontCache[family]?.[type];
    const source = shared?.sources[type];
    if (shared === undefined || source === undefined || own !== undefined) {
      return provideFont.call(this, family, bold, italics);
    }
    const tables = tablesOf(source.font)._tables;
    shareGlyphOutlines(tables);
    const first = shared.faces.get(type);
    // pdfkit's font() gives a face the document's font of the same PostScript name, if any: a
    // mirrored family (pdf/bidi.ts) would draw with its family's subset and rewrite its ToUnicode
    // map, a Chinese italic with its upright's subset, in the first document alone. Such a face
    // gets a font of its own, as in later documents.
    const make = first?.make ?? this._fontFamilies[source.font.postscriptName]?.constructor;
    if (make === undefined) {
      const font = provideFont.call(this, family, bold, italics);
      font.font._tables = tables;
      withShaping(font as never, shared.features);
      shared.faces.set(type, { make: font.constructor, layoutCache: font.layoutCache });
      return font;
    }
    // As pdfkit's own font() registers a font: a fresh id, and a family entry so that the
    // document embeds its subset when it ends.
    const id = `F${++this._fontCount}`;
    const parsed = tablesOf(parseFont(source.file));
    parsed._tables = tables;
    const font = new make(this, parsed, id);
    withShaping(font as never, shared.features);
    if (first === undefined) shared.faces.set(type, { make, layoutCache: font.layoutCache });
    else font.layoutCache = first.layoutCache;
    this._fontFamilies[`${family}-${type}`] = font;
    this.fontCache[family] = { ...this.fontCache[family], [type]: font };
    return font;
  };

  // Hook 11: our words drawn by writing the operators pdfkit's text() would write.
  // Hook 13: a tagged drawing is told of each word first, to open its marked content.
  const text = pdfDocument.text;
  pdfDocument.text = function (this: PdfkitTextDocument, value, x, y, options) {
    wordWatchers.get(this)?.(this, value);
    if (!ourDocuments.has(this)) return text.call(this, value, x, y, options);
    const m = metricsOfFont(this._font, this._fontSize) ?? NOMINAL;
    // Left out (bench/hooks.ts): pdfkit's own text(), with Word's metrics (hook 14) all the same.
    if (
      !speedHooksOff.has(11) &&
      drawText(this, textPen(this), value, x, y, options, m, runOf(this))
    )
      return this;
    return text.call(this, value, x, y, withMetrics(options, m));
  };
  // The colour each word is filled with: the lines pdfkit writes for it, made once.
  const fill = pdfDocument.fill;
  pdfDocument.fill = function (this: ColourDocument, color, rule) {
    if (ourDocuments.has(this) && fillWith(this, color, rule)) return this;
    return fill.call(this, color, rule);
  };
  // Hook 20: the opacity set before each word held back by the page's text run, written when it changes.
  const opacity = pdfDocument.opacity;
  pdfDocument.opacity = function (this: ColourDocument, value) {
    const run = ourDocuments.has(this) ? runOf(this) : undefined;
    if (run === undefined) return opacity.call(this, value);
    run.holding = true;
    try {
      opacity.call(this, value);
    } finally {
      run.holding = false;
    }
    return this;
  };
  const resolveColor = pdfDocument.resolveColor;
  pdfDocument.resolveColor = function (this: ColourDocument, color, fallback) {
    const known = ourDocuments.has(this) ? knownColor(color, fallback) : undefined;
    return known ?? resolveColor.call(this, color, fallback);
  };

  // Hook 15: the XMP of an archival document written in place of pdfkit's.
  const addInfo = pdfDocument._addInfo;
  pdfDocument._addInfo = function (this: object) {
    const xmp = documentXmp.get(this);
    if (xmp === undefined) return addInfo.call(this);
    (this as { appendXML(xml: string): void }).appendXML(xmp);
  };

  const alignLine = writer.alignLine;
  writer.alignLine = function (this: Writer, line) {
    const first = line.inlines[0];
    // Our flow, or our text laid out elsewhere (footnotes in the footer area) tagged as ours.
    const ours = layouts.has(this.context().pageMargins) || first?.undocPara !== undefined;
    const justified = first?.alignment === 'justify' && ours;
    // Hook 14: words placed by the advances they are drawn with (broken with their spaces closed up).
    const room = this.context().availableWidth;
    const drawn = placeAsDrawn(line, room, justified && gapsOf(line) > 0);
    if (justified) justify(this, line, drawn ?? line.getWidth());
    else if (drawn === undefined) alignLine.call(this, line);
    else alignDrawn(this, line, drawn);
  };

  // A speed hook the benchmark switched off gets pdfmake's own members back.
  for (const { p, proto, original } of originals) {
    if (proto && speedHooksOff.has(p.hook) && !STRUCTURAL.has(p.member)) proto[p.member] = original;
  }
}

/**
 * Speed hooks to leave out, by number, for the benchmark (bench/hooks.ts), which sets it before
 * the first PDF of its process: each hook's gain is measured against the same renders without it.
 * Empty in undoc itself.
 */
export const speedHooksOff = new Set<number>();

/**
 * Members the layout passes are built on (hooks 5 and 6: the kept layout drawn once, later passes
 * into the same document): they stay whatever the benchmark switches off.
 */
const STRUCTURAL = new Set(['renderPages', 'layoutDocument', 'text', 'write', 'finalize']);
