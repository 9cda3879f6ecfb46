/**
 * The HTML read back: text in order equals the model's, headings form a correct outline, every
 * in-page link lands, notes link both ways, nothing is active, the page validates, and two renders
 * are byte-identical.
 */
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainText, symbolLine, type UnDocument } from '../src/model.js';
import { styleLengths } from '../src/render/html/css.js';
import { checkHtml } from '../src/render/html/guard.js';
import { idPart, renderHtml } from '../src/render/html/index.js';
import { loadResources, type Resources } from '../src/resources.js';
import type { FontFamilyFiles } from '../src/style/style.js';
import { bodyLines, footnoteLines, mastheadLines, words } from '../src/text.js';
import {
  attr,
  byTag,
  elements,
  find,
  loadModel,
  ownDrawings,
  parseHtml,
  readLines,
  withoutOwnData,
} from './html-read.js';

/**
 * html-validate's recommended rules, less one: `long-title` caps <title> at 70 characters, but a
 * UN document's title is its full official title ("Letter dated … addressed to the
 * Secretary-General"), routinely longer; cutting it would lose what identifies the document.
 */
const VALIDATOR = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'long-title': 'off' },
});

const SOURCES = {
  seed: 'source/A-61-seed.yaml',
  issued: 'source/A-61-859.yaml',
  features: 'test/fixtures/valid/features.yaml',
} as const;

interface Rendered {
  readonly model: UnDocument;
  readonly html: string;
  readonly dom: ReturnType<typeof parseHtml>;
}

let resources: Resources;
const pages = new Map<keyof typeof SOURCES, Rendered>();
const decoder = new TextDecoder('utf-8', { fatal: true });

async function render(model: UnDocument): Promise<string> {
  return decoder.decode(await renderHtml(model, resources.styles[model.style], resources));
}

beforeAll(async () => {
  resources = loadResources();
  for (const [key, path] of Object.entries(SOURCES) as [keyof typeof SOURCES, string][]) {
    const model = loadModel(path);
    const html = await render(model);
    pages.set(key, { model, html, dom: parseHtml(html) });
  }
});

const page = (key: keyof typeof SOURCES): Rendered => {
  const p = pages.get(key);
  if (!p) throw new Error(`${key} not rendered`);
  return p;
};

describe.each(Object.keys(SOURCES) as (keyof typeof SOURCES)[])('%s page', (key) => {
  it('reads back the masthead, word for word, in order', () => {
    const { model, dom } = page(key);
    const header = find(dom, 'masthead', (e) => e.tagName === 'header');
    expect(words(readLines(header).join(' '))).toEqual(words(mastheadLines(model).join(' ')));
  });

  it('reads back the body line for line, numbers and labels included', () => {
    const { model, dom } = page(key);
    const main = find(dom, 'main', (e) => e.tagName === 'main');
    expect(readLines(main)).toEqual(bodyLines(model).map((l) => l.replace(/\s+/g, ' ').trim()));
  });

  it('reads back the notes, marks included', () => {
    const { model, dom } = page(key);
    const notes = elements(dom).find((e) => attr(e, 'role') === 'doc-endnotes');
    expect(notes ? readLines(notes) : []).toEqual(footnoteLines(model));
  });

  it('reads back the footer: job number and symbol, or nothing for a draft', () => {
    const { model, dom } = page(key);
    const footer = byTag(dom, 'footer')[0];
    // The barcode is its payload between start/stop asterisks, set in the barcode font.
    const job = model.jobNumber;
    const expected = [...(job ? [job.line, `*${job.barcode}*`] : []), symbolLine(model)];
    expect(footer ? readLines(footer) : []).toEqual(expected.filter((l) => l !== ''));
  });

  it('has one h1 and no skipped heading level', () => {
    const { dom } = page(key);
    const levels = elements(dom)
      .filter((e) => /^h[1-6]$/.test(e.tagName))
      .map((e) => Number(e.tagName.slice(1)));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) {
      expect(levels[i] ?? 0).toBeLessThanOrEqual((levels[i - 1] ?? 0) + 1);
      expect(levels[i]).toBeGreaterThan(1);
    }
  });

  it('has unique ids and every in-page link lands on one', () => {
    const { dom } = page(key);
    const ids = elements(dom).flatMap((e) => attr(e, 'id') ?? []);
    expect(new Set(ids).size).toBe(ids.length);
    const targets = elements(dom).flatMap((e) => attr(e, 'href') ?? []);
    for (const href of targets.filter((h) => h.startsWith('#'))) {
      expect(ids).toContain(href.slice(1));
    }
  });

  it('links every note call to its note and every note back to its first call', () => {
    const { model, dom } = page(key);
    const calls = elements(dom).filter((e) => attr(e, 'role') === 'doc-noteref');
    const byId = new Map(elements(dom).map((e) => [attr(e, 'id'), e]));
    const noteCount = (JSON.stringify(model).match(/"kind":"noteRef"/g) ?? []).length;
    expect(calls).toHaveLength(noteCount);
    for (const note of model.footnotes) {
      const li = byId.get(`fn-${note.number}`);
      expect(li?.tagName).toBe('li');
      const back = li && elements(li).find((e) => attr(e, 'role') === 'doc-backlink');
      expect(back && attr(back, 'href')).toBe(`#fnref-${note.number}`);
      expect(back && attr(back, 'aria-label')).toBeTruthy();
      const call = byId.get(`fnref-${note.number}`);
      expect(call && attr(call, 'href')).toBe(`#fn-${note.number}`);
      expect(call && readLines(call).join('')).toBe(note.mark);
    }
  });

  it('is inert: no script, no event handler, no link but in-page and undocs.org', () => {
    const { html, dom } = page(key);
    expect(byTag(dom, 'script')).toHaveLength(0);
    for (const e of elements(dom)) {
      for (const a of e.attrs) expect(a.name).not.toMatch(/^on/i);
      const href = attr(e, 'href');
      if (href !== undefined) expect(href).toMatch(/^(#|https:\/\/undocs\.org\/)/);
      expect(attr(e, 'src')).toBeUndefined();
    }
    expect(byTag(dom, 'style')).toHaveLength(1);
    expect(checkHtml(html)).toBeGreaterThan(0);
  });

  it('validates (html-validate, recommended rules)', async () => {
    const report = await VALIDATOR.validateString(page(key).html);
    const messages = report.results.flatMap((r) =>
      r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
    );
    expect(messages).toEqual([]);
  });

  it('renders byte-identically twice', async () => {
    expect(await render(page(key).model)).toBe(page(key).html);
  });
});

describe('document structure', () => {
  it('anchors the seed annex paragraphs #para-1 … #para-40, number as text', () => {
    const { model, dom } = page('seed');
    const paras = model.annexes.flatMap((a) => a.blocks).filter((b) => b.kind === 'paragraph');
    const numbers = paras.flatMap((p) => p.number ?? []);
    expect(numbers.at(-1)).toBe(40);
    const byId = new Map(elements(dom).map((e) => [attr(e, 'id'), e]));
    for (const n of numbers) {
      const p = byId.get(`para-${n}`);
      expect(p?.tagName).toBe('p');
      expect(p && readLines(p)[0]).toMatch(new RegExp(`^${n}\\. \\S`));
    }
    const listed = paras.find((p) => p.items.length > 0);
    const first = listed?.items[0];
    const item = byId.get(`para-${listed?.number}-a`);
    expect(item?.tagName).toBe('li');
    expect(item && readLines(item)[0]).toBe(`(a) ${first && plainText(first.text)}`);
  });

  it('prefixes annex paragraphs with their annex when several annexes are numbered', () => {
    const { dom } = page('features');
    const ids = new Set(elements(dom).flatMap((e) => attr(e, 'id') ?? []));
    for (const id of ['annex-1', 'annex-2', 'annex-1-para-1', 'annex-2-para-1', 'annex-2-para-2']) {
      expect(ids).toContain(id);
    }
    expect(ids).toContain('annex-1-para-2-b-ii-a');
    for (const id of [
      'annex-1-chapter-I',
      'annex-1-chapter-II',
      'annex-1-chapter-II-A',
      'annex-1-chapter-II-A-1',
      'annex-1-chapter-II-B',
    ]) {
      expect(ids).toContain(id);
    }
    expect([...ids].some((id) => /^para-/.test(id))).toBe(false);
  });

  it('makes ids of plain ASCII from any label', () => {
    expect(idPart('(a)')).toBe('a');
    expect(idPart('а)')).toBe('u430');
    expect(idPart('(iv)')).toBe('iv');
    expect(idPart('II')).toBe('II');
  });

  it('keeps sub-item labels as text inside ordered lists', () => {
    const { dom } = page('features');
    const lists = byTag(dom, 'ol').filter((e) => attr(e, 'class') === 'items');
    expect(lists.length).toBeGreaterThanOrEqual(3);
    const labels = elements(dom)
      .filter((e) => attr(e, 'class') === 'label')
      .map((e) => readLines(e).join(''));
    expect(labels).toEqual(['(a)', '(b)', '(i)', '(ii)', 'a.', 'b.', '(c)']);
  });

  it('makes annexes sections named by their headings', () => {
    const { model, dom } = page('features');
    const sections = byTag(dom, 'section').filter((e) => attr(e, 'class') === 'annex');
    expect(sections).toHaveLength(model.annexes.length);
    for (const s of sections) {
      const label = attr(s, 'aria-labelledby');
      const heading = elements(s).find((e) => attr(e, 'id') === label);
      expect(heading?.tagName).toBe('h2');
    }
  });

  it('carries language, direction and metadata in the head', async () => {
    const { model, dom } = page('issued');
    const html = byTag(dom, 'html')[0];
    expect(html && attr(html, 'lang')).toBe('en');
    expect(html && attr(html, 'dir')).toBe('ltr');
    const meta = new Map(byTag(dom, 'meta').map((m) => [attr(m, 'name'), attr(m, 'content')]));
    expect(meta.get('dcterms.identifier')).toBe('A/61/859');
    expect(meta.get('dcterms.date')).toBe('2007-04-04');
    expect(meta.get('dcterms.creator')).toBe('General Assembly');
    expect(meta.get('keywords')).toBe(model.keywords.join(', '));
    const title = byTag(dom, 'title')[0];
    expect(title && readLines(title)).toEqual([`A/61/859 \u2013 ${bodyLines(model)[0]}`]);
    const arabic = parseHtml(await render({ ...model, language: 'ar', direction: 'rtl' }));
    const root = byTag(arabic, 'html')[0];
    expect(root && [attr(root, 'lang'), attr(root, 'dir')]).toEqual(['ar', 'rtl']);
  });

  it('links the QR code to undocs.org only where a symbol is assigned', () => {
    const qr = (dom: Rendered['dom']) => elements(dom).filter((e) => attr(e, 'class') === 'qr');
    const issued = qr(page('issued').dom);
    expect(issued.map((a) => attr(a, 'href'))).toEqual(['https://undocs.org/A/61/859']);
    expect(issued[0] && byTag(issued[0], 'svg')).toHaveLength(1);
    expect(qr(page('seed').dom)).toHaveLength(0);
    expect(byTag(page('seed').dom, 'footer')).toHaveLength(0);
  });

  it('sets the series letters apart in the masthead symbol', () => {
    const { dom } = page('features');
    const series = elements(dom)
      .filter((e) => attr(e, 'class') === 'series')
      .map((e) => readLines(e).join(''));
    expect(series).toEqual(['A', 'S']);
  });
});

describe('stylesheet from the style', () => {
  const css = (dom: Rendered['dom']): string => {
    const style = byTag(dom, 'style')[0];
    return style ? style.childNodes.map((c) => ('value' in c ? c.value : '')).join('') : '';
  };

  it('defines every custom property it uses, each from a style value', () => {
    const text = css(page('seed').dom);
    const defined = new Set([...text.matchAll(/(--[a-z0-9-]+)\s*:/g)].map((m) => m[1]));
    const used = new Set([...text.matchAll(/var\((--[a-z0-9-]+)\)/g)].map((m) => m[1]));
    for (const name of used) expect(defined, name).toContain(name);
    const style = resources.styles.ny;
    for (const [name, value] of styleLengths(style)) {
      expect(text).toContain(`${name}: calc(${value} * var(--pt));`);
    }
    expect(text).toContain(`--font-size: calc(${style.font.size} * var(--pt));`);
    expect(text).toContain(`--pt: calc(1rem / ${style.font.size});`);
  });

  it('prints on the style paper with the running header from the model', () => {
    const ny = css(page('issued').dom);
    const { page: p, frame } = resources.styles.ny;
    expect(ny).toContain(`size: ${p.width}pt ${p.height}pt;`);
    expect(ny).toContain(
      `margin: ${p.top}pt ${p.width - frame.right}pt ${p.bottom}pt ${frame.left}pt;`,
    );
    expect(ny).toMatch(/@top-left \{ content: "A\/61\/859";/);
    expect(ny).toMatch(/@bottom-right \{ content: "07-29358";/);
    // The one url() is the barcode font, inside the page: the package's own file.
    const fonts = [...ny.matchAll(/url\(data:font\/ttf;base64,([A-Za-z0-9+/=]+)\)/g)];
    expect(fonts).toHaveLength(1);
    const b = resources.styles.ny.firstPageFooter.barcode;
    const file = resources.fontFamily(resources.styles.ny.fontFiles[b.family] as FontFamilyFiles);
    expect(Buffer.from(fonts[0]?.[1] ?? '', 'base64').equals(file.regular)).toBe(true);
    expect(withoutOwnData(ny)).not.toMatch(/@import|url\(|<\//);
    // Page 1's footer for print: one drawing in page 1's bottom margin, with the job number.
    const drawings = ownDrawings(ny);
    expect(drawings).toHaveLength(1);
    expect(drawings[0]).toContain('>07-29358 (E)<');
    expect(drawings[0]).toContain('>110407<');
    // The barcode in it as text in the barcode font, which the drawing carries (an image cannot
    // use the page's fonts): the package's own file.
    expect(drawings[0]).toMatch(/<text [^>]*font-family="undoc barcode"[^>]*>\*0729358\*<\/text>/u);
    const inDrawing = /url\(data:font\/ttf;base64,([A-Za-z0-9+/=]+)\)/u.exec(drawings[0] ?? '');
    expect(Buffer.from(inDrawing?.[1] ?? '', 'base64').equals(file.regular)).toBe(true);
  });

  it('follows the Geneva template when the document asks for it', async () => {
    const model = { ...page('issued').model, style: 'geneva' as const };
    const text = css(parseHtml(await render(model)));
    const g = resources.styles.geneva;
    expect(text).toContain(`size: ${g.page.width}pt ${g.page.height}pt;`);
    expect(text).toContain(`--body-left: calc(${g.body.left} * var(--pt));`);
  });
});
