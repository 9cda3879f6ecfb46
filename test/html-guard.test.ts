/**
 * The page's check with stand-ins (src/render/html/guard.ts): the inline emblem checked once per
 * process and the stylesheet checked as a string must give exactly the verdict of the page checked
 * as written — the same count when it passes, a refusal when it does not — wherever the constant
 * lands and whatever surrounds it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { checkHtml, checkHtmlAsWritten, guardRuns } from '../src/render/html/guard.js';
import { renderHtml } from '../src/render/html/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';

const resources = loadResources();
/** The emblem as the page holds it (html/index.ts `emblemHtml`). */
const EMBLEM = resources.emblemSvg.replace(/^<svg\b/, '<svg focusable="false"');
const shell = (body: string, head = '') =>
  `<!DOCTYPE html><html lang="en"><head><title>t</title>${head}</head><body>${body}</body></html>`;

/** The verdict of a check: its count, or the refusal's reason. */
function verdict(check: () => number): string {
  try {
    return `ok ${check()}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** With stand-ins and as written must agree, and a refusal must be a refusal in both. */
function sameVerdict(html: string, constants: readonly string[] = [EMBLEM]): string {
  const short = verdict(() => checkHtml(html, { relativeFiles: false }, constants));
  const whole = verdict(() => checkHtmlAsWritten(html));
  expect(short).toBe(whole);
  return short;
}

describe('HTML guard with stand-ins', () => {
  it('takes the stand-ins for real pages and counts what the page as written counts', async () => {
    for (const path of ['source/A-61-seed.yaml', 'test/fixtures/valid/features.yaml']) {
      const doc = loadSource(readFileSync(join(PACKAGE_ROOT, path)), 'doc').model;
      if (!doc) throw new Error(`${path} does not load`);
      const before = { ...guardRuns };
      const html = new TextDecoder().decode(
        await renderHtml(doc, resources.styles[doc.style], resources),
      );
      expect(guardRuns.proved).toBe(before.proved + 1);
      expect(guardRuns.whole).toBe(before.whole);
      expect(html).toContain(EMBLEM.trimEnd());
      expect(sameVerdict(html)).toMatch(/^ok \d+$/);
    }
  });

  it('refuses every off-list page with the emblem stood in for', () => {
    for (const bad of [
      '<script>1</script>',
      '<img src=x>',
      '<p onclick="x">',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="http://evil.example/">x</a>',
      '<p style="color:red">',
      '<svg><a xlink:href="#x"></a></svg>',
      '<iframe></iframe>',
    ]) {
      for (const body of [`<div>${EMBLEM}</div>${bad}`, `${bad}<div>${EMBLEM}</div>`]) {
        expect(() => checkHtml(shell(body), undefined, [EMBLEM]), bad).toThrow(/refusing output/);
        sameVerdict(shell(body));
      }
    }
    for (const css of ['@import url(x)', 'a{background:url(x)}', 'a{x:expression(1)}']) {
      const html = shell(`<div>${EMBLEM}</div>`, `<style>${css}</style>`);
      expect(() => checkHtml(html, undefined, [EMBLEM]), css).toThrow(/refusing output/);
      sameVerdict(html);
    }
  });

  it('gives the verdict as written wherever the emblem lands', () => {
    const contexts = [
      (e: string) => shell(`<div>${e}</div>`),
      (e: string) => shell(`<p title="${e}">x</p>`),
      (e: string) => shell(`<p title='${e}'>x</p>`),
      (e: string) => shell(`<!--${e}-->`),
      (e: string) => shell('', `<style>${e}</style>`),
      (e: string) => `<!DOCTYPE html><html><head><title>${e}</title></head><body></body></html>`,
      (e: string) => shell(`<textarea>${e}</textarea>`),
      (e: string) => shell(`<svg>${e}</svg>`),
      (e: string) => shell(`<math>${e}</math>`),
      (e: string) => shell(`<table>${e}</table>`),
      (e: string) => shell(`<table><tr><td>${e}</td></tr></table>`),
      (e: string) => shell(`<select>${e}</select>`),
      (e: string) => shell(`<svg><title>${e}</title></svg>`),
      (e: string) => shell(`<div>${e}${e}</div>`),
      (e: string) => shell(`<div>${e}</div>`).replace('<head>', `<head>${e}`),
      (e: string) => shell(`<div ${e}>x</div>`),
    ];
    for (const context of contexts) sameVerdict(context(EMBLEM));
  });

  it('never stands in for a fragment that fails alone or does not close itself', () => {
    for (const fragment of [
      '<svg><script>1</script></svg>',
      '<svg><p>breaks out</p></svg>',
      '<svg><g>',
      '<svg></svg><script>1</script>',
      '<svg onload="x"></svg>',
      '<svg><foreignObject><p>x</p></foreignObject></svg>',
      '<svg><title><img src=x></title></svg>',
      '<svg data-undoc-checked=""></svg>',
      '<!--x--><svg></svg>',
      '<p>not an svg</p>',
    ]) {
      const html = shell(`<div>${fragment}</div>`);
      const before = guardRuns.proved;
      const seen = sameVerdict(html, [fragment]);
      if (seen.startsWith('ok')) continue;
      expect(guardRuns.proved).toBe(before);
    }
  });

  it('does not trust a page that already holds a stand-in mark', () => {
    expect(() =>
      checkHtml(shell(`<div>${EMBLEM}</div><svg data-undoc-checked=""></svg>`), undefined, [
        EMBLEM,
      ]),
    ).toThrow(/refusing output: attribute data-undoc-checked/);
    sameVerdict(shell('<p>/*undoc-checked-stylesheet*/</p>', '<style>a{}</style>'));
    sameVerdict(shell('', '<style>/*undoc-checked-stylesheet*/</style>'));
  });

  it('gives the verdict as written for generated pages around the emblem (property)', () => {
    const piece = fc.constantFrom(
      EMBLEM,
      EMBLEM,
      '<div>',
      '</div>',
      '<p>',
      '</p>',
      '"',
      "'",
      '<p title="',
      '<!--',
      '-->',
      '<title>',
      '</title>',
      '<textarea>',
      '</textarea>',
      '<style>',
      '</style>',
      '</STYLE >',
      'a{}',
      '@import',
      '<svg>',
      '</svg>',
      '<math>',
      '</math>',
      '<table>',
      '<tr>',
      '<td>',
      '</table>',
      '<select>',
      '</select>',
      '<![CDATA[',
      ']]>',
      '<script>',
      '<a href="#x">',
      '</a>',
      '\r',
      '\0',
      'text',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(piece, { maxLength: 4 }),
        (body, head) => {
          sameVerdict(shell(body.join(''), `<style>a{}</style>${head.join('')}`));
        },
      ),
      { seed: 13, numRuns: 400 },
    );
  });
});
