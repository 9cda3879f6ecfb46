/**
 * The Word file's styles part, written whole: the Secretariat's own paragraph styles under their
 * own ids and names (`SingleTxtG` "_ Single Txt_G", `HChG` "_ H _Ch_G" … or the New York set),
 * defined as the reference file ECE/TRADE/C/CEFACT/2018/1 defines them, with every value taken
 * from the Style. Writing the part ourselves (instead of the docx package's defaults) keeps it
 * free of styles nobody uses and of duplicate definitions.
 */
import type { LanguageCode } from '../../model.js';
import type { LanguageFonts } from '../../style/language.js';
import type { HeadingStyle, Style, WordStyleName } from '../../style/style.js';
import { eighthPoint, halfPoint, twip, wholePoint } from './units.js';

/** Word's locale tag for each official language (the UN writes British English). */
export const WORD_LOCALE: Readonly<Record<LanguageCode, string>> = {
  ar: 'ar-SA',
  zh: 'zh-CN',
  en: 'en-GB',
  fr: 'fr-FR',
  ru: 'ru-RU',
  es: 'es-ES',
};

/** Built-in style ids the renderer uses besides the house styles (Word's own ids and names). */
export const BUILTIN = {
  normal: { id: 'Normal', name: 'Normal' },
  footnoteText: { id: 'FootnoteText', name: 'footnote text' },
  footnoteReference: { id: 'FootnoteReference', name: 'footnote reference' },
  endnoteText: { id: 'EndnoteText', name: 'endnote text' },
  endnoteReference: { id: 'EndnoteReference', name: 'endnote reference' },
  header: { id: 'Header', name: 'header' },
  footer: { id: 'Footer', name: 'footer' },
} as const satisfies Record<string, WordStyleName>;

/**
 * undoc's own paragraph styles, for what the Secretariat's set leaves to direct formatting: each
 * is based on a house style (so Word and `undoc import` read it as that style) and carries the
 * house values, so that an editor who applies it gets the house look.
 */
export const UNDOC_STYLES = {
  /** A letter paragraph: the body text with its first-line indent. */
  letter: { id: 'UndocLetter', name: 'undoc Letter' },
  /** A signature line: flush right, kept together and with the next line. */
  signature: { id: 'UndocSignature', name: 'undoc Signature' },
  /** An annex's heading ("Annex to the letter dated …"): a new page, the chapter style's face. */
  annexHeading: { id: 'UndocAnnexHeading', name: 'undoc Annex Heading' },
  /** An annex's title and subtitle: the first heading style's face at the body edge. */
  annexTitle: { id: 'UndocAnnexTitle', name: 'undoc Annex Title' },
} as const satisfies Record<string, WordStyleName>;

/** Horizontal geometry shared by the styles and the renderer, in points from the frame's left. */
export interface DocxGeometry {
  /** Frame width: the section's text width (masthead, headers and footers span it). */
  readonly frameWidth: number;
  /** Body text's left indent from the frame. */
  readonly bodyLeft: number;
  /** Body text's right indent from the frame's right edge. */
  readonly bodyRight: number;
  /** Tab stops of the body style, from the frame's left: number tab, then item label/text tabs. */
  readonly bodyTabs: readonly number[];
  /** Where a heading's number ends (a right tab), from the frame's left. */
  readonly headingNumber: number;
}

/** Maximum sub-item depth the tab grid is laid for: (a), (i), a. */
export const ITEM_DEPTH = 3;

/** The label and text tab offsets of a sub-item at depth 1…ITEM_DEPTH, from the body edge. */
export function itemTabs(style: Style, depth: number): { label: number; text: number } {
  const label = style.font.itemIndent + (depth - 1) * style.font.itemTab;
  return { label, text: label + style.font.itemTab };
}

/**
 * Gap between the running header's last line and its rule, in points: the last line's top is at
 * y, its box one step tall (A/80/434–S/2025/632: lines at 41.6 and y = 51.3, rule at ruleY); the
 * rule stays put and the header grows upwards when it holds more symbol lines.
 */
export function headerRuleSpace(style: Style): number {
  const h = style.runningHeader;
  return h.ruleY - h.y - h.step;
}

/** Derives the horizontal geometry from the Style. */
export function docxGeometry(style: Style): DocxGeometry {
  const bodyLeft = style.body.left - style.frame.left;
  const offsets = new Set<number>([style.font.numberTab]);
  for (let d = 1; d <= ITEM_DEPTH; d++) {
    const t = itemTabs(style, d);
    offsets.add(t.label);
    offsets.add(t.text);
  }
  return {
    frameWidth: style.frame.right - style.frame.left,
    bodyLeft,
    bodyRight: style.frame.right - style.body.right,
    bodyTabs: [...offsets].sort((a, b) => a - b).map((o) => bodyLeft + o),
    headingNumber: style.docx.headingNumberRight,
  };
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function paragraphStyle(
  s: WordStyleName,
  opts: { basedOn?: string; next?: string; pPr: string; rPr?: string; qFormat?: boolean },
): string {
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${esc(s.id)}">` +
    `<w:name w:val="${esc(s.name)}"/>` +
    `<w:basedOn w:val="${opts.basedOn ?? BUILTIN.normal.id}"/>` +
    (opts.next ? `<w:next w:val="${esc(opts.next)}"/>` : '') +
    (opts.qFormat ? '<w:qFormat/>' : '') +
    `<w:pPr>${opts.pPr}</w:pPr>` +
    (opts.rPr ? `<w:rPr>${opts.rPr}</w:rPr>` : '') +
    '</w:style>'
  );
}

const tabs = (stops: readonly number[], kind = 'left'): string =>
  `<w:tabs>${stops.map((p) => `<w:tab w:val="${kind}" w:pos="${twip(p)}"/>`).join('')}</w:tabs>`;

const exactLine = (before: number, after: number, line: number): string =>
  `<w:spacing w:before="${twip(before)}" w:after="${twip(after)}" w:line="${twip(line)}" w:lineRule="exact"/>`;

const size = (pt: number): string =>
  `<w:sz w:val="${halfPoint(pt)}"/><w:szCs w:val="${halfPoint(pt)}"/>`;

/** A house heading: number hanging in the margin against a right tab, text at the body edge. */
function headingStyle(
  name: WordStyleName,
  h: HeadingStyle,
  g: DocxGeometry,
  level: number,
  body: WordStyleName,
  run: string,
): string {
  return paragraphStyle(name, {
    next: body.id,
    qFormat: true,
    pPr:
      '<w:keepNext/><w:keepLines/>' +
      tabs([g.headingNumber], 'right') +
      exactLine(h.before, h.after, h.leading) +
      `<w:ind w:left="${twip(g.bodyLeft)}" w:right="${twip(g.bodyRight)}" w:hanging="${twip(g.bodyLeft)}"/>` +
      `<w:outlineLvl w:val="${level}"/>`,
    rPr: run + size(h.size),
  });
}

/** Whether `id` is one of the layout's numbered-heading styles (HChG, H1G, H23G in Geneva). */
export function isHeadingStyle(style: Style, id: string): boolean {
  const w = style.word.styles;
  return id === w.chapter.id || id === w.h1.id || id === w.h2.id;
}

/** What a language adds to the styles: its script's fonts, and right-to-left paragraphs. */
export interface LanguageStyling {
  /** Word's East Asian and complex-script font slots (the Latin font fills the others). */
  readonly fonts?: LanguageFonts;
  /** Every paragraph right to left (w:bidi in the paragraph defaults): Arabic. */
  readonly rtl?: boolean;
  /**
   * The document's notes are endnotes: Word's endnote text style is set as the footnote text
   * style is (a document without keeps the bare one, and its bytes).
   */
  readonly endnotes?: boolean;
}

/**
 * The whole `word/styles.xml` for a style and language. A right-to-left language makes every
 * paragraph bidirectional: Word then reads each paragraph's left indent, tabs and alignment from
 * the right, so the page comes out mirrored as issued Arabic documents are.
 */
export function stylesXml(
  style: Style,
  language: LanguageCode,
  lang: LanguageStyling = {},
): string {
  const g = docxGeometry(style);
  const w = style.word.styles;
  const font = esc(style.docx.fontFamily);
  const eastAsia = esc(lang.fonts?.eastAsia ?? style.docx.fontFamily);
  const complex = esc(lang.fonts?.complexScript ?? style.docx.fontFamily);
  const locale = WORD_LOCALE[language];
  const f = style.font;
  const fn = style.footnote;
  const hd = style.runningHeader;
  const mt = style.masthead.title;
  const noteText = {
    pPr:
      tabs([g.bodyLeft + fn.numberWidth]) +
      `<w:spacing w:line="${twip(fn.leading)}" w:lineRule="exact"/>` +
      `<w:ind w:left="${twip(g.bodyLeft + fn.numberWidth)}" w:right="${twip(g.bodyRight)}" w:hanging="${twip(fn.numberWidth)}"/>`,
    rPr: size(fn.size),
  };
  const ms = style.masthead.subtitle;
  const ax = style.annex;
  const parts = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">',
    '<w:docDefaults><w:rPrDefault><w:rPr>',
    `<w:rFonts w:ascii="${font}" w:eastAsia="${eastAsia}" w:hAnsi="${font}" w:cs="${complex}"/>`,
    size(f.size),
    `<w:lang w:val="${locale}" w:eastAsia="${WORD_LOCALE.zh}" w:bidi="${WORD_LOCALE.ar}"/>`,
    '</w:rPr></w:rPrDefault>',
    lang.rtl ? '<w:pPrDefault><w:pPr><w:bidi/></w:pPr></w:pPrDefault>' : '<w:pPrDefault/>',
    '</w:docDefaults>',
    // Normal as the Secretariat's: no hyphenation, lines at least the body leading; widow and
    // orphan control said outright (Word applies it unsaid, other readers may not), as the PDF keeps.
    `<w:style w:type="paragraph" w:default="1" w:styleId="${BUILTIN.normal.id}"><w:name w:val="${BUILTIN.normal.name}"/><w:qFormat/>`,
    `<w:pPr><w:widowControl/><w:suppressAutoHyphens/><w:spacing w:line="${twip(f.leading)}" w:lineRule="atLeast"/></w:pPr></w:style>`,
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
    paragraphStyle(w.body, {
      qFormat: true,
      pPr:
        tabs(g.bodyTabs) +
        `<w:spacing w:after="${twip(f.paragraphGap)}" w:line="${twip(f.leading)}" w:lineRule="exact"/>` +
        `<w:ind w:left="${twip(g.bodyLeft)}" w:right="${twip(g.bodyRight)}"/><w:jc w:val="both"/>`,
    }),
    paragraphStyle(UNDOC_STYLES.letter, {
      basedOn: w.body.id,
      next: UNDOC_STYLES.letter.id,
      qFormat: true,
      pPr: `<w:ind w:firstLine="${twip(f.firstLineIndent)}"/>`,
    }),
    paragraphStyle(UNDOC_STYLES.signature, {
      basedOn: w.body.id,
      next: UNDOC_STYLES.signature.id,
      qFormat: true,
      pPr: '<w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="0"/><w:jc w:val="right"/>',
    }),
    // The document title (and subtitle): bold at the body edge, ending short of the body's right.
    // A layout that sets them in heading styles (Geneva) defines no style of its own for them.
    isHeadingStyle(style, w.title.id)
      ? ''
      : paragraphStyle(w.title, {
          next: w.body.id,
          qFormat: true,
          pPr:
            '<w:keepNext/><w:keepLines/>' +
            exactLine(mt.gapBefore, mt.gapAfter, mt.leading) +
            `<w:ind w:left="${twip(g.bodyLeft)}" w:right="${twip(style.frame.right - mt.right)}"/>`,
          rPr: `<w:b/><w:bCs/>${size(mt.size)}`,
        }),
    w.subtitle.id === w.title.id || isHeadingStyle(style, w.subtitle.id)
      ? ''
      : paragraphStyle(w.subtitle, {
          basedOn: w.title.id,
          next: w.body.id,
          qFormat: true,
          pPr: exactLine(ms.gapBefore, mt.gapAfter, ms.leading),
          rPr: size(ms.size),
        }),
    headingStyle(w.chapter, style.headings.chapter, g, 0, w.body, '<w:b/><w:bCs/>'),
    // An annex's heading and title: unnumbered, at the body edge, in the heading styles' face.
    paragraphStyle(UNDOC_STYLES.annexHeading, {
      basedOn: w.chapter.id,
      next: UNDOC_STYLES.annexTitle.id,
      qFormat: true,
      pPr:
        '<w:pageBreakBefore/>' +
        exactLine(0, ax.heading.after, ax.heading.leading) +
        `<w:ind w:left="${twip(g.bodyLeft)}" w:hanging="0"/>`,
      rPr: size(ax.heading.size),
    }),
    paragraphStyle(UNDOC_STYLES.annexTitle, {
      basedOn: w.h1.id,
      next: w.body.id,
      qFormat: true,
      pPr:
        exactLine(0, ax.title.after, ax.title.leading) +
        `<w:ind w:left="${twip(g.bodyLeft)}" w:hanging="0"/>`,
      rPr: size(ax.title.size),
    }),
    headingStyle(w.h1, style.headings.h1, g, 1, w.body, '<w:b/><w:bCs/>'),
    headingStyle(w.h2, style.headings.h2, g, 2, w.body, '<w:b/><w:bCs/>'),
    headingStyle(w.subheading, style.headings.subheading, g, 3, w.body, '<w:i/><w:iCs/>'),
    headingStyle(w.h56, style.headings.subheading, g, 4, w.body, ''),
    paragraphStyle(BUILTIN.footnoteText, noteText).replace(' w:customStyle="1"', ''),
    `<w:style w:type="character" w:styleId="${BUILTIN.footnoteReference.id}"><w:name w:val="${BUILTIN.footnoteReference.name}"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`,
    // The package always carries an (empty) endnotes part whose separators name these; a
    // document's endnotes are set as its footnotes.
    paragraphStyle(
      BUILTIN.endnoteText,
      lang.endnotes === true ? noteText : { pPr: '', rPr: size(fn.size) },
    ).replace(' w:customStyle="1"', ''),
    `<w:style w:type="character" w:styleId="${BUILTIN.endnoteReference.id}"><w:name w:val="${BUILTIN.endnoteReference.name}"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`,
    paragraphStyle(BUILTIN.header, {
      pPr:
        `<w:pBdr><w:bottom w:val="single" w:sz="${eighthPoint(hd.ruleWidth)}" w:space="${wholePoint(headerRuleSpace(style))}" w:color="auto"/></w:pBdr>` +
        `<w:spacing w:line="${twip(hd.step)}" w:lineRule="exact"/>`,
      rPr: `<w:b/><w:bCs/>${size(hd.size)}`,
    }).replace(' w:customStyle="1"', ''),
    paragraphStyle(BUILTIN.footer, {
      pPr: `<w:spacing w:line="${twip(hd.step)}" w:lineRule="exact"/>`,
      rPr: size(style.footer.jobNumberSize),
    }).replace(' w:customStyle="1"', ''),
    '</w:styles>',
  ];
  return parts.join('');
}
