/**
 * The page's stylesheet: custom properties generated from the Style (one per length, so the web
 * page uses the very values the PDF uses), the @page rules for printing, then templates/html.css
 * with its `{{path}}` placeholders filled in.
 */
import { pageNumberParts } from '../../style/forms.js';
import type { Style } from '../../style/style.js';
import { cssString } from './markup.js';

/**
 * Style keys that belong to other formats (or are not lengths) and get no custom property; the
 * endnotes' values reach a page that has endnotes only (html/endnotes.ts), so that a page without
 * them keeps its bytes.
 */
const NOT_FOR_HTML = new Set(['name', 'word', 'docx', 'pdf', 'endnotes']);

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Every numeric leaf of the style as [custom property name, value in pt], in style order; with
 * `only`, the leaves of that top-level key alone (a section a page includes when it needs it).
 */
export function styleLengths(style: Style, only?: string): [string, number][] {
  const out: [string, number][] = [];
  const walk = (node: unknown, path: readonly string[]): void => {
    if (typeof node === 'number') out.push([`--${path.map(kebab).join('-')}`, node]);
    else if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (path.length === 0 && (only === undefined ? NOT_FOR_HTML.has(k) : k !== only)) continue;
        walk(v, [...path, k]);
      }
    }
  };
  walk(style, []);
  return out;
}

const num = (n: number): string => String(Math.round(n * 1000) / 1000);

/**
 * The custom properties. `--pt` is one style point: 1rem / font.size on screen (so the body text
 * is the reader's default size), 1pt in print; every length is a multiple of it.
 */
export function customProperties(style: Style): string {
  const lines = styleLengths(style).map(([name, v]) => `  ${name}: calc(${num(v)} * var(--pt));`);
  return [
    ':root {',
    `  --pt: calc(1rem / ${num(style.font.size)});`,
    ...lines,
    '}',
    '@media print {',
    '  :root {',
    '    --pt: 1pt;',
    '  }',
    '}',
  ].join('\n');
}

/** What the running header and footers carry (text from the model, escaped as CSS strings). */
export interface PageMarks {
  /** Symbols, one per line of the running header; empty for a draft. */
  readonly symbols: readonly string[];
  /** The job number as later pages print it ("07-29358"); absent for a draft. */
  readonly jobShort?: string;
}

/**
 * @page rules: the paper size, margins at the frame, the running header (symbol over a rule) on
 * the outer side of later pages, page number "2/5" outside and job number inside at the foot;
 * nothing on page 1, which has its masthead. Margin boxes are drawn where the browser supports them.
 */
export function pageRules(style: Style, marks: PageMarks): string {
  const pt = (n: number): string => `${num(n)}pt`;
  const { page, frame, runningHeader: rh, footer, masthead } = style;
  type Side = 'left' | 'right';
  const other = (side: Side): Side => (side === 'left' ? 'right' : 'left');
  // Symbols one per line, as the running header prints a joint document's.
  const header = marks.symbols.length > 0 ? marks.symbols.map(cssString).join(' "\\a " ') : '""';
  // The three top boxes share one bottom border: the header rule across the frame.
  // The last symbol line's top at rh.y: a joint document's first line starts higher.
  const headerTop = rh.y - Math.max(0, marks.symbols.length - 1) * rh.step;
  const rule = `vertical-align: top; padding-top: ${pt(headerTop)}; margin-bottom: ${pt(page.top - rh.ruleY)}; border-bottom: ${pt(rh.ruleWidth)} solid #000;`;
  // The layout's page number form, "2/5" or "2", as counters and strings.
  const pageNumber = pageNumberParts(style)
    .map((p) => ('text' in p ? cssString(p.text) : `counter(${p.counter})`))
    .join(' ');
  const foot = `vertical-align: top; padding-top: ${pt(footer.y - (page.height - page.bottom))};`;
  const sideRules = (side: Side): string[] => [
    `@page :${side} {`,
    `  @top-${side} { content: ${header}; white-space: pre; text-align: ${side}; font-weight: bold; font-size: ${pt(rh.size)}; line-height: ${pt(rh.step)}; ${rule} }`,
    `  @top-center { content: ""; ${rule} }`,
    `  @top-${other(side)} { content: ""; ${rule} }`,
    `  @bottom-${side} { content: ${pageNumber}; text-align: ${side}; font-weight: bold; font-size: ${pt(footer.pageNumberSize)}; ${foot} }`,
    ...(marks.jobShort === undefined || !footer.jobNumber
      ? []
      : [
          `  @bottom-${other(side)} { content: ${cssString(marks.jobShort)}; text-align: ${other(side)}; font-size: ${pt(footer.jobNumberSize)}; ${foot} }`,
        ]),
    '}',
  ];
  return [
    '@page {',
    `  size: ${pt(page.width)} ${pt(page.height)};`,
    `  margin: ${pt(page.top)} ${pt(page.width - frame.right)} ${pt(page.bottom)} ${pt(frame.left)};`,
    '}',
    // Even (left) pages carry header and number on the left, the outer side; odd pages mirror.
    ...sideRules('left'),
    ...sideRules('right'),
    // Page 1 has the masthead instead, starting at the symbol line.
    '@page :first {',
    `  margin-top: ${pt(masthead.symbol.y)};`,
    ...['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-right'].map(
      (box) => `  @${box} { content: none; border: 0; }`,
    ),
    '}',
  ].join('\n');
}

/** The template's optional sections, each between the comments `<name>` and `</name>`. */
const SECTION = /\/\*\s*<([a-z]+)>\s*\*\/([\s\S]*?)\/\*\s*<\/\1>\s*\*\//g;

/** Optional sections of templates/html.css a page may include, with the style key they use. */
export const CSS_SECTIONS = ['endnotes'] as const;
/** One of CSS_SECTIONS. */
export type CssSection = (typeof CSS_SECTIONS)[number];

/** Fills `{{a.b}}` placeholders with style values: lengths in pt, the font family as a string. */
export function fillTemplate(template: string, style: Style): string {
  return template.replace(/\{\{\s*([A-Za-z0-9.]+)\s*\}\}/g, (_, path: string) => {
    let node: unknown = style;
    for (const key of path.split('.')) {
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof node === 'number') return `${num(node)}pt`;
    if (typeof node === 'string') return cssString(node);
    throw new Error(`templates/html.css: {{${path}}} is not a style value`);
  });
}

/**
 * The language's own font families (templates/lang/<code>.yaml `fonts.html`) as the
 * `--script-fonts` property, which the template's font stack tries after the Latin families, so
 * a Latin run ("A/61/859") keeps the Latin font; none for a language written in Latin or Cyrillic.
 */
function scriptFonts(families: readonly string[]): string[] {
  if (families.length === 0) return [];
  return [`:root {\n  --script-fonts: ${[...families.map(cssString), 'serif'].join(', ')};\n}`];
}

/** The family name the page gives the barcode font (html.css sets `.barcode` in it). */
export const BARCODE_FAMILY = 'undoc barcode';

/** The barcode font's @font-face, its TrueType file (base64) inside. */
function barcodeFace(base64: string): string {
  return `@font-face {\n  font-family: ${cssString(BARCODE_FAMILY)};\n  src: url(data:font/ttf;base64,${base64}) format("truetype");\n}`;
}

/**
 * The whole stylesheet of a document's page; `families` are its script's fonts, if any;
 * `barcodeFont` the barcode font's file in base64 (a page with a job number); `printFooter` the
 * @page rule that prints page 1's footer (html/print-footer.ts).
 */
export function pageStylesheet(
  template: string,
  style: Style,
  marks: PageMarks,
  families: readonly string[] = [],
  barcodeFont?: string,
  printFooter?: string,
  sections: ReadonlySet<CssSection> = new Set(),
): string {
  // The template's comments are for its editors, not for every published page; an optional
  // section goes only to a page that needs it (a page without keeps its bytes).
  const rules = template
    .replace(SECTION, (_, name: string, body: string) =>
      sections.has(name as CssSection) ? body : '',
    )
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const extra = [...sections].flatMap((k) => styleLengths(style, k));
  return [
    customProperties(style),
    ...(extra.length === 0
      ? []
      : [
          `:root {\n${extra.map(([n, v]) => `  ${n}: calc(${num(v)} * var(--pt));`).join('\n')}\n}`,
        ]),
    ...scriptFonts(families),
    ...(barcodeFont === undefined ? [] : [barcodeFace(barcodeFont)]),
    pageRules(style, marks),
    ...(printFooter === undefined ? [] : [printFooter]),
    fillTemplate(rules, style),
    ...(style.headings.numberAlign === 'right' ? [rightAlignedNumbers()] : []),
  ].join('\n');
}

/**
 * Heading numbers that end at their numberX (a right tab, as Geneva's heading styles set them):
 * each number's box runs from the frame's edge to that x, its text set against the box's end.
 */
function rightAlignedNumbers(): string {
  const kinds = [
    ['chapter', 'chapter'],
    ['section', 'h1'],
    ['subsection', 'h2'],
  ] as const;
  return kinds
    .map(
      ([cls, key]) =>
        `.${cls} .num {\n  text-align: end;\n  margin-inline-start: calc(-1 * var(--indent-start));\n` +
        `  min-width: var(--indent-start);\n` +
        `  padding-inline-end: calc(var(--body-left) - var(--headings-${key}-number-x));\n}`,
    )
    .join('\n');
}
