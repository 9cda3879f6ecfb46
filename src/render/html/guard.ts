/**
 * The second layer of the HTML's safety. The first is construction by escaping (html/markup.ts);
 * this one parses the finished page as a browser would (parse5) and refuses it unless every
 * element, attribute and link is on an allow-list. It never repairs: a page that fails is a bug in
 * undoc, so rendering stops with the reason instead of publishing something we did not mean.
 */
import { attr, type Element, elements, isElement, parseHtml } from './dom.js';

const HTML_ELEMENTS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'title',
  'style',
  'header',
  'nav',
  'main',
  'footer',
  'section',
  'div',
  'p',
  'span',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ol',
  'ul',
  'li',
  'a',
  'sup',
  'i',
  'b',
  'br',
  'hr',
  'time',
  'table',
  'caption',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const SVG_ELEMENTS = new Set([
  'svg',
  'title',
  'desc',
  'g',
  'path',
  'circle',
  'ellipse',
  'line',
  'rect',
  'polygon',
  'polyline',
]);
const HTML_ATTRIBUTES = new Set([
  'lang',
  'dir',
  'class',
  'id',
  'href',
  'role',
  'aria-label',
  'aria-labelledby',
  'aria-hidden',
  'aria-describedby',
  'charset',
  'name',
  'content',
  'http-equiv',
  'datetime',
  'scope',
  'hreflang',
]);
const SVG_ATTRIBUTES = new Set([
  'xmlns',
  'viewBox',
  'width',
  'height',
  'role',
  'aria-label',
  'aria-hidden',
  'focusable',
  'class',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'd',
  'fill',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'transform',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'points',
  'shape-rendering',
  'fill-rule',
  'version',
]);
const SVG_NS = 'http://www.w3.org/2000/svg';
const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** Links the page may carry: in-page anchors and undocs.org; the index page adds relative files. */
export interface LinkPolicy {
  /** Allow relative links to files beside the page (the index page's outputs). */
  readonly relativeFiles: boolean;
}

const IN_PAGE = /^#[A-Za-z][A-Za-z0-9_-]*$/;
const UNDOCS = /^https:\/\/undocs\.org\/[A-Za-z0-9%/._~-]*$/;
// A relative path with no scheme: no colon before the first slash, no backslash, no "//" start.
const RELATIVE = /^\.\/[A-Za-z0-9%._~-][A-Za-z0-9%/._~-]*$/;

/**
 * Constant fragments the page may hold several times, each an `<svg>` element checked alone once
 * per process (the emblem is a third of the page). A fragment's checked form (its element count)
 * is kept by its exact text, so another fragment is checked afresh; at most a few are kept.
 */
const checkedFragments = new Map<string, number>();
const FRAGMENTS_KEPT = 8;

/** Pages checked in this process with their stand-ins proved, and as written (for the tests). */
export const guardRuns = { proved: 0, whole: 0 };

/** The attribute that marks a fragment's stand-in; no page of undoc writes it. */
const STAND_IN = 'data-undoc-checked';
/** What a stylesheet's text stands in as; no stylesheet of undoc writes it. */
const STYLE_STAND_IN = '/*undoc-checked-stylesheet*/';

/**
 * Throws unless the page passes the allow-list; returns the number of elements checked.
 *
 * `constants` are fragments the page holds verbatim (the inline emblem): each is parsed and
 * checked alone once per process, and the page is parsed with a stand-in in its place, an empty
 * `<svg>` that is its parse exactly when it lands where the fragment would start a foreign
 * element (see `standIns`). The stylesheet's text is likewise checked as a string and not walked
 * by the parser: it is raw text, which ends only at `</style`. Whenever a stand-in is not proved
 * to be exactly that, the whole page is checked as written, so the check is never weaker.
 */
export function checkHtml(
  html: string,
  policy: LinkPolicy = { relativeFiles: false },
  constants: readonly string[] = [],
): number {
  const short = standIns(html, constants, policy);
  if (short !== undefined) {
    let checked: number | undefined;
    try {
      checked = checkPage(short.page, policy, short);
    } catch {
      // Refused with stand-ins: the verdict and its reason are the page's as written.
      checked = undefined;
    }
    if (checked !== undefined) {
      guardRuns.proved += 1;
      return checked;
    }
  }
  guardRuns.whole += 1;
  return checkHtmlAsWritten(html, policy);
}

/** The check of the page as written, every part parsed and walked: what `checkHtml` must equal. */
export function checkHtmlAsWritten(
  html: string,
  policy: LinkPolicy = { relativeFiles: false },
): number {
  return checkPage(html, policy) ?? 0;
}

/** A page with stand-ins: what they stand for and how many were put in. */
interface StandIns {
  readonly page: string;
  /** The stylesheet's real text, when it stands in as STYLE_STAND_IN. */
  readonly css?: string;
  /** Stand-ins put in for fragments, and the elements the fragments hold in all. */
  readonly fragments: number;
  readonly fragmentElements: number;
}

/** The page with its constant fragments and its stylesheet stood in for, if that can be proved. */
function standIns(
  html: string,
  constants: readonly string[],
  policy: LinkPolicy,
): StandIns | undefined {
  // Were a stand-in's mark already in the page, a stand-in could not be told from it.
  if (html.includes(STAND_IN) || html.includes(STYLE_STAND_IN)) return undefined;
  let page = html;
  let fragments = 0;
  let fragmentElements = 0;
  for (const constant of constants) {
    // Whitespace after the element stays in the page, parsed as written.
    const fragment = constant.trimEnd();
    if (fragment === '' || !page.includes(fragment)) continue;
    const count = fragmentCount(fragment, policy);
    if (count === undefined) return undefined;
    const parts = page.split(fragment);
    fragments += parts.length - 1;
    fragmentElements += (parts.length - 1) * count;
    page = parts.join(`<svg ${STAND_IN}=""></svg>`);
  }
  let css: string | undefined;
  const open = page.indexOf('<style>');
  const close = page.indexOf('</style>', open);
  if (open >= 0 && close > open) {
    const text = page.slice(open + 7, close);
    // Raw text ends only at "</style" (any case); CR and NUL the parser would rewrite.
    if (!/<\/style|[\r\0]/i.test(text)) {
      css = text;
      page = `${page.slice(0, open + 7)}${STYLE_STAND_IN}${page.slice(close)}`;
    }
  }
  if (fragments === 0 && css === undefined) return undefined;
  return css === undefined
    ? { page, fragments, fragmentElements }
    : { page, css, fragments, fragmentElements };
}

/**
 * The number of elements of a constant fragment that passes the check alone, or undefined. It
 * must be one `<svg>` element and nothing else, all of whose elements are SVG's and allowed, and
 * that closes itself: parsed in a `<div>` followed by "!", the div holds that svg and the "!".
 */
function fragmentCount(fragment: string, policy: LinkPolicy): number | undefined {
  const known = checkedFragments.get(fragment);
  if (known !== undefined) return known;
  if (fragment.includes(STAND_IN) || fragment.includes(STYLE_STAND_IN)) return undefined;
  const doc = parseHtml(
    `<!DOCTYPE html><html><head><title>t</title></head><body><div>${fragment}!</div></body></html>`,
  );
  const div = elements(doc).find((e) => e.tagName === 'div');
  const [svg, after, ...rest] = div?.childNodes ?? [];
  if (svg === undefined || !isElement(svg) || svg.tagName !== 'svg' || svg.namespaceURI !== SVG_NS)
    return undefined;
  if (rest.length > 0 || after === undefined || !('value' in after) || after.value !== '!')
    return undefined;
  const all = elements(svg);
  try {
    for (const e of all) {
      if (e.namespaceURI !== SVG_NS) return undefined;
      checkElement(e, policy);
    }
  } catch {
    return undefined;
  }
  if (checkedFragments.size >= FRAGMENTS_KEPT) checkedFragments.clear();
  checkedFragments.set(fragment, all.length);
  return all.length;
}

const fail = (why: string): never => {
  throw new Error(`html: refusing output: ${why}`);
};

/**
 * Checks a parsed page; with stand-ins, returns undefined unless each stand-in is proved to be one
 * (then the caller checks the page as written).
 */
function checkPage(html: string, policy: LinkPolicy, stood?: StandIns): number | undefined {
  const doc = parseHtml(html);
  const all = elements(doc);
  let styles = 0;
  let fragments = 0;
  let stylesheets = 0;
  for (const e of all) {
    if (stood !== undefined && e.tagName === 'svg' && e.attrs.some((a) => a.name === STAND_IN)) {
      // A fragment's stand-in: an empty svg of SVG's namespace with the mark alone, whose parent
      // is an HTML element, is where the fragment would have started a foreign element.
      const [only, ...more] = e.attrs;
      const parent = e.parentNode;
      const proved =
        e.namespaceURI === SVG_NS &&
        more.length === 0 &&
        only?.name === STAND_IN &&
        only.value === '' &&
        !only.prefix &&
        !only.namespace &&
        e.childNodes.length === 0 &&
        parent !== null &&
        isElement(parent) &&
        parent.namespaceURI === HTML_NS;
      if (!proved) return undefined;
      fragments += 1;
      continue;
    }
    checkElement(e, policy);
    if (e.tagName === 'style') {
      styles += 1;
      if (e.parentNode === null || !isElement(e.parentNode) || e.parentNode.tagName !== 'head') {
        fail('a style element outside head');
      }
      let css = e.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
      if (stood?.css !== undefined && css === STYLE_STAND_IN) {
        stylesheets += 1;
        css = stood.css;
      }
      checkStylesheet(css);
    }
  }
  if (styles > 1) fail(`${styles} style elements`);
  // Every stand-in put in must have been found as one, else some landed where it means other.
  if (stood !== undefined) {
    if (fragments !== stood.fragments) return undefined;
    if (stood.css !== undefined && stylesheets !== 1) return undefined;
    return all.length - fragments + stood.fragmentElements;
  }
  return all.length;
}

/** The allow-list's checks of one element: namespace, name, attributes, links. */
function checkElement(e: Element, policy: LinkPolicy): void {
  const svg = e.namespaceURI === SVG_NS;
  if (!svg && e.namespaceURI !== HTML_NS) fail(`<${e.tagName}> in namespace ${e.namespaceURI}`);
  if (!(svg ? SVG_ELEMENTS : HTML_ELEMENTS).has(e.tagName)) fail(`element <${e.tagName}>`);
  for (const a of e.attrs) {
    // The one namespaced attribute allowed is an SVG's own xmlns (no prefix, so no xlink:href).
    const xmlns = svg && a.name === 'xmlns' && a.namespace === 'http://www.w3.org/2000/xmlns/';
    if (a.prefix || (a.namespace && !xmlns))
      fail(`namespaced attribute ${a.prefix ?? ''}:${a.name}`);
    if (/^on/i.test(a.name)) fail(`event attribute ${a.name}`);
    if (!(svg ? SVG_ATTRIBUTES : HTML_ATTRIBUTES).has(a.name)) fail(`attribute ${a.name}`);
  }
  const href = attr(e, 'href');
  if (href !== undefined) {
    const ok =
      IN_PAGE.test(href) || UNDOCS.test(href) || (policy.relativeFiles && RELATIVE.test(href));
    if (!ok) fail(`link ${JSON.stringify(href)}`);
    if (e.tagName !== 'a') fail(`href on <${e.tagName}>`);
  }
  if (e.tagName === 'meta' && attr(e, 'http-equiv') !== undefined) {
    if (attr(e, 'http-equiv') !== 'Content-Security-Policy') fail('meta http-equiv');
  }
}

/** A stylesheet may load nothing but the data inside the page itself. */
function checkStylesheet(css: string): void {
  // The url()s allowed are data inside the page itself: the barcode font (base64) and page
  // 1's printed footer (a percent-encoded SVG, which a page's drawing shows no script from).
  const own = css
    .replace(/url\(data:font\/ttf;base64,[A-Za-z0-9+/=]*\)/g, '')
    .replace(/url\("data:image\/svg\+xml,[A-Za-z0-9%\-_.!~*'()]*"\)/g, '');
  if (/@import|url\s*\(|expression\s*\(/i.test(own)) fail('a stylesheet that loads something');
}
