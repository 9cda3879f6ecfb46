/**
 * Every text field of a source filled with XSS vectors: the page keeps them as text. Checked by
 * parsing the output as a browser would (parse5): no script, no event handler, no external or
 * active URL, no style element besides ours, no comment; and the payload reads back literally.
 */
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainText, type UnDocument } from '../src/model.js';
import { comments } from '../src/render/html/dom.js';
import { renderHtml } from '../src/render/html/index.js';
import { loadResources } from '../src/resources.js';
import { bodyLines, footnoteLines, mastheadLines, words } from '../src/text.js';
import { hostileModel, PAYLOAD, SYMBOL_PAYLOAD, VECTORS } from './html-hostile.js';
import {
  attr,
  byTag,
  elements,
  find,
  ownDrawings,
  parseHtml,
  readLines,
  withoutOwnData,
} from './html-read.js';

let model: UnDocument;
let html: string;
let dom: ReturnType<typeof parseHtml>;

beforeAll(async () => {
  const resources = loadResources();
  model = hostileModel();
  html = new TextDecoder().decode(await renderHtml(model, resources.styles.ny, resources));
  dom = parseHtml(html);
});

/** Elements our page is made of; anything else would have come from a source. */
const OURS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'title',
  'style',
  'header',
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
  'li',
  'a',
  'sup',
  'i',
  'b',
  'br',
  'hr',
  // The emblem (its groups: the branches) and the QR code.
  'svg',
  'g',
  'title',
  'circle',
  'ellipse',
  'line',
  'path',
]);

describe('a source full of XSS vectors', () => {
  it('reaches the model as literal text (the loader keeps them)', () => {
    expect(plainText(model.title)).toContain(PAYLOAD);
    expect(model.symbols[0]?.text).toContain(SYMBOL_PAYLOAD);
  });

  it('makes no element but ours: no script, img, iframe, object, link, math', () => {
    const tags = new Set(elements(dom).map((e) => e.tagName));
    for (const tag of tags) expect(OURS, tag).toContain(tag);
    expect(byTag(dom, 'script')).toHaveLength(0);
    // Exactly our two drawings, the emblem and the QR code (the barcode is text in its font).
    expect(byTag(dom, 'svg')).toHaveLength(2);
  });

  it('makes no event handler, no inline style, and no URL but in-page and undocs.org', () => {
    for (const e of elements(dom)) {
      for (const a of e.attrs) {
        expect(a.name).not.toMatch(/^on/i);
        expect([
          'src',
          'style',
          'srcdoc',
          'action',
          'formaction',
          'xlink:href',
          'data',
        ]).not.toContain(a.name);
      }
      const href = attr(e, 'href');
      if (href === undefined) continue;
      expect(href).toMatch(/^(#[A-Za-z][\w-]*|https:\/\/undocs\.org\/[A-Za-z0-9%/._~-]*)$/);
    }
  });

  it('has one style element, ours, which loads nothing and cannot be closed early', () => {
    const styles = byTag(dom, 'style');
    expect(styles).toHaveLength(1);
    const css = styles[0]?.childNodes.map((c) => ('value' in c ? c.value : '')).join('') ?? '';
    // The url()s are the page's own data: the barcode font (html.test.ts checks it is the
    // package's) and page 1's printed footer, a drawing with no script, link or handler.
    expect(withoutOwnData(css)).not.toMatch(/@import|url\s*\(|<\/|<!--|-->/i);
    for (const svg of ownDrawings(css))
      expect(svg).not.toMatch(/<script|href|\son[a-z]+=|<foreign/i);
    // The running header carries the (hostile) symbol, escaped as a CSS string.
    expect(css).toMatch(
      /@top-left \{ content: "A\/78\/789\\22 \\3e \\3c script\\3e alert\\28 20\\29 /,
    );
  });

  it('leaves no comment (a "-->" in the text closes nothing)', () => {
    expect(comments(dom)).toEqual([]);
  });

  it('shows every vector literally, in every field, in order', () => {
    const main = find(dom, 'main', (e) => e.tagName === 'main');
    expect(readLines(main)).toEqual(bodyLines(model).map((l) => l.replace(/\s+/g, ' ').trim()));
    const header = find(dom, 'masthead', (e) => e.tagName === 'header');
    expect(words(readLines(header).join(' '))).toEqual(words(mastheadLines(model).join(' ')));
    const notes = find(dom, 'notes', (e) => attr(e, 'role') === 'doc-endnotes');
    expect(readLines(notes)).toEqual(footnoteLines(model));
    const text = readLines(find(dom, 'body', (e) => e.tagName === 'body')).join('\n');
    for (const v of VECTORS) expect(text).toContain(v);
    const title = byTag(dom, 'title')[0];
    expect(title && readLines(title).join('')).toContain(PAYLOAD);
  });

  it('still validates', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: { 'long-title': 'off' },
    });
    const report = await validator.validateString(html);
    expect(
      report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message}`)),
    ).toEqual([]);
  });
});
