/**
 * Reading an HTML page back as a reader sees it: its text in lines (as a browser's innerText
 * would give it, without the stylesheet), its links, ids and headings. Used by the HTML tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import {
  attr,
  type Element,
  elements,
  isElement,
  type Node,
  parseHtml,
} from '../src/render/html/dom.js';
import { PACKAGE_ROOT } from '../src/resources.js';

/** Elements that start and end a line of text. */
const BLOCK = new Set([
  'html',
  'body',
  'header',
  'main',
  'footer',
  'section',
  'div',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ol',
  'ul',
  'li',
  'hr',
  'table',
  'tr',
  'caption',
]);

/**
 * The text under `root` as lines: block elements and <br> break lines; <svg> (drawings with
 * their own accessible names), aria-hidden parts (presentational separators, read as a space) and
 * back-links to note calls (navigation, not document text) are left out.
 */
export function readLines(root: Node): string[] {
  let out = '';
  const walk = (n: Node): void => {
    if (n.nodeName === '#text' && 'value' in n) {
      out += n.value;
      return;
    }
    if (!isElement(n)) {
      // The document node itself: read its children.
      if ('childNodes' in n) for (const c of n.childNodes) walk(c);
      return;
    }
    if (n.tagName === 'svg' || n.tagName === 'head' || n.tagName === 'style') return;
    if (attr(n, 'aria-hidden') === 'true') {
      out += ' ';
      return;
    }
    if (attr(n, 'role') === 'doc-backlink') return;
    if (n.tagName === 'br') {
      out += '\n';
      return;
    }
    const block = BLOCK.has(n.tagName);
    if (block) out += '\n';
    for (const c of n.childNodes) walk(c);
    if (block) out += '\n';
  };
  walk(root);
  return out
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '');
}

/** The first element matching a predicate, or a thrown error naming what was missing. */
export function find(root: Node, what: string, test: (e: Element) => boolean): Element {
  const found = elements(root).find(test);
  if (!found) throw new Error(`no ${what} in the page`);
  return found;
}

/** Elements by tag name. */
export function byTag(root: Node, tag: string): Element[] {
  return elements(root).filter((e) => e.tagName === tag);
}

/** Loads a source of the repository (or a fixture) into its model; throws on problems. */
export function loadModel(path: string): UnDocument {
  const name = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
  const result = loadSource(readFileSync(join(PACKAGE_ROOT, path), 'utf8'), name);
  if (!result.model) throw new Error(`${path}: ${JSON.stringify(result.diagnostics)}`);
  return result.model;
}

export { attr, elements, parseHtml };

/**
 * A stylesheet without the data the page carries inside it: the barcode font (base64) and page
 * 1's printed footer (a percent-encoded SVG); what is left must load nothing.
 */
export function withoutOwnData(css: string): string {
  return css
    .replace(/url\(data:font\/ttf;base64,[A-Za-z0-9+/=]+\)/g, '')
    .replace(/url\("data:image\/svg\+xml,[A-Za-z0-9%\-_.!~*'()]+"\)/g, '');
}

/** The drawings a stylesheet carries as data: URLs (page 1's printed footer), decoded. */
export function ownDrawings(css: string): string[] {
  return [...css.matchAll(/url\("data:image\/svg\+xml,([A-Za-z0-9%\-_.!~*'()]+)"\)/g)].map((m) =>
    decodeURIComponent(m[1] ?? ''),
  );
}
