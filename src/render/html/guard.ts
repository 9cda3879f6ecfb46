/**
 * The second layer of the HTML's safety. The first is construction by escaping (html/markup.ts);
 * this one parses the finished page as a browser would (parse5) and refuses it unless every
 * element, attribute and link is on an allow-list. It never repairs: a page that fails is a bug in
 * undoc, so rendering stops with the reason instead of publishing something we did not mean.
 */
import { attr, elements, isElement, parseHtml } from './dom.js';

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

/** Throws unless the page passes the allow-list; returns the number of elements checked. */
export function checkHtml(html: string, policy: LinkPolicy = { relativeFiles: false }): number {
  const doc = parseHtml(html);
  const all = elements(doc);
  const fail = (why: string): never => {
    throw new Error(`html: refusing output: ${why}`);
  };
  let styles = 0;
  for (const e of all) {
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
    if (e.tagName === 'style') {
      styles += 1;
      if (e.parentNode === null || !isElement(e.parentNode) || e.parentNode.tagName !== 'head') {
        fail('a style element outside head');
      }
      const css = e.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
      // The url()s allowed are data inside the page itself: the barcode font (base64) and page
      // 1's printed footer (a percent-encoded SVG, which a page's drawing shows no script from).
      const own = css
        .replace(/url\(data:font\/ttf;base64,[A-Za-z0-9+/=]*\)/g, '')
        .replace(/url\("data:image\/svg\+xml,[A-Za-z0-9%\-_.!~*'()]*"\)/g, '');
      if (/@import|url\s*\(|expression\s*\(/i.test(own)) fail('a stylesheet that loads something');
    }
  }
  if (styles > 1) fail(`${styles} style elements`);
  return all.length;
}
