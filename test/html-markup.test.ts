/**
 * Construction by escaping, as a property: whatever string goes into an element's text or an
 * attribute value, a browser's parser (parse5) reads back exactly one element holding exactly that
 * text and value — no other element, attribute or comment appears.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attr, comments, elements, parseHtml, textOf } from '../src/render/html/dom.js';
import { checkHtml } from '../src/render/html/guard.js';
import { cssString, el, encodePath, representable } from '../src/render/html/markup.js';

/** Strings biased towards markup: tags, quotes, entities, comment and CDATA ends, controls. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '<',
        '>',
        '&',
        '"',
        "'",
        '=',
        '/',
        '!--',
        '-->',
        ']]>',
        'script',
        'on',
        'amp;',
        '#x3c;',
        '\u0000',
        '\r',
        ' ',
        'a',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
);

describe('markup built by escaping', () => {
  it('reads back one element with the exact text and attribute value', () => {
    fc.assert(
      fc.property(hostile, hostile, (text, value) => {
        const page = `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>${el('p', { class: value }, text)}</body></html>`;
        const dom = parseHtml(page);
        const ps = elements(dom).filter((e) => e.tagName === 'p');
        expect(ps).toHaveLength(1);
        const p = ps[0];
        if (!p) return;
        expect(p.attrs.map((a) => a.name)).toEqual(['class']);
        expect(attr(p, 'class')).toBe(representable(value));
        expect(textOf(p)).toBe(representable(text));
        expect(p.childNodes.every((c) => c.nodeName === '#text')).toBe(true);
        expect(comments(dom)).toEqual([]);
      }),
      { seed: 5, numRuns: 500 },
    );
  });

  it('refuses element and attribute names that are not code constants', () => {
    expect(() => el('script x', {})).toThrow();
    expect(() => el('p', { onclick: 'x' })).toThrow();
    expect(() => el('p', { 'a b': 'x' })).toThrow();
    expect(() => el('br', {}, 'text')).toThrow();
  });

  it('writes CSS strings that cannot end early', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const s = cssString(text);
        expect(s.startsWith('"') && s.endsWith('"')).toBe(true);
        expect(s.slice(1, -1)).toMatch(/^[A-Za-z0-9 /._\\-]*$/);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('encodes URL paths to letters, digits and % / . _ ~ - only', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(encodePath(text)).toMatch(/^[A-Za-z0-9%/._~-]*$/);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('stops a page with anything off the allow-list', () => {
    const shell = (body: string) =>
      `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>${body}</body></html>`;
    expect(checkHtml(shell('<p>ok <a href="#x">x</a></p><p id="x"></p>'))).toBeGreaterThan(0);
    for (const bad of [
      '<script>1</script>',
      '<img src=x>',
      '<p onclick="x">',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="http://evil.example/">x</a>',
      '<a href="data:text/html,x">x</a>',
      '<p style="color:red">',
      '<svg><a xlink:href="#x"></a></svg>',
      '<iframe></iframe>',
      '<style>@import url(x)</style>',
    ]) {
      expect(() => checkHtml(shell(bad)), bad).toThrow(/refusing output/);
    }
  });
});
