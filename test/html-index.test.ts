/** The index page: one row per document, links to its files, inert, valid, deterministic. */
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, symbolLine } from '../src/model.js';
import { type IndexEntry, indexEntry, renderIndexPage } from '../src/render/html/index-page.js';
import { loadResources } from '../src/resources.js';
import { bodyLines } from '../src/text.js';
import { hostileModel, PAYLOAD } from './html-hostile.js';
import { attr, byTag, elements, loadModel, parseHtml, readLines } from './html-read.js';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const files = (name: string) => ({
  pdf: `${name}.pdf`,
  docx: `${name}.docx`,
  html: `${name}.html`,
});

let entries: IndexEntry[];
let html: string;

beforeAll(() => {
  const models = [
    'source/A-61-859.yaml',
    'source/A-61-seed.yaml',
    'test/fixtures/valid/features.yaml',
  ].map(loadModel);
  entries = models.map((m) => indexEntry(m, files(m.name)));
  html = decode(renderIndexPage(entries, loadResources().styles.ny));
});

describe('index page', () => {
  it('lists every document: symbol (or "draft"), title, date, organs', () => {
    const dom = parseHtml(html);
    const rows = byTag(dom, 'tbody').flatMap((body) => byTag(body, 'tr'));
    expect(rows).toHaveLength(3);
    const models = [
      'source/A-61-859.yaml',
      'source/A-61-seed.yaml',
      'test/fixtures/valid/features.yaml',
    ].map(loadModel);
    rows.forEach((row, i) => {
      const m = models[i];
      if (!m) throw new Error('model');
      const cells = [...byTag(row, 'th'), ...byTag(row, 'td')].map((c) => readLines(c));
      expect(cells[0]).toEqual([symbolLine(m) || 'draft']);
      expect(cells[1]).toEqual([LANGUAGES[m.language].name]);
      expect(cells[2]).toEqual([bodyLines(m)[0]]);
      expect(cells[3]).toEqual([m.date.text]);
      expect(cells[4]).toEqual(m.organs.map((o) => o.name));
      const time = byTag(row, 'time')[0];
      expect(time && attr(time, 'datetime')).toBe(m.date.iso);
      const hrefs = byTag(row, 'a').map((a) => attr(a, 'href'));
      expect(hrefs).toEqual([`./${m.name}.pdf`, `./${m.name}.docx`, `./${m.name}.html`]);
    });
  });

  it('groups language versions, the original first, one row per language', () => {
    const versions = ['source/A-61-859.fr.yaml', 'source/A-61-859.yaml', 'source/A-61-859.es.yaml']
      .map(loadModel)
      .map((m) => indexEntry(m, files(m.name)));
    const page = parseHtml(decode(renderIndexPage([...versions, ...entries.slice(1)])));
    const bodies = byTag(page, 'tbody');
    expect(bodies.map((b) => attr(b, 'class') ?? '')).toEqual(['versions', '', '']);
    const rows = byTag(bodies[0] ?? page, 'tr');
    expect(rows.map((r) => attr(r, 'lang'))).toEqual(['en', 'es', 'fr']);
    const links = rows.map((r) => byTag(r, 'a').map((a) => attr(a, 'aria-label'))[0]);
    expect(links).toEqual([
      'PDF: A/61/859 (English)',
      'PDF: A/61/859 (Spanish)',
      'PDF: A/61/859 (French)',
    ]);
  });

  it('links only what was built', () => {
    const [first] = entries;
    if (!first) throw new Error('entry');
    const page = parseHtml(decode(renderIndexPage([{ ...first, outputs: { html: 'x.html' } }])));
    expect(byTag(page, 'a').map((a) => attr(a, 'href'))).toEqual(['./x.html']);
  });

  it('is pure and deterministic', () => {
    expect(decode(renderIndexPage(entries, loadResources().styles.ny))).toBe(html);
  });

  it('keeps hostile titles and file names inert', () => {
    const hostile = indexEntry(hostileModel(), {
      pdf: 'javascript:alert(1).pdf',
      html: '"><script>alert(2)</script>.html',
      docx: 'https://evil.example/x.docx',
    });
    const page = decode(renderIndexPage([hostile]));
    const dom = parseHtml(page);
    expect(byTag(dom, 'script')).toHaveLength(0);
    for (const e of elements(dom)) {
      for (const a of e.attrs) expect(a.name).not.toMatch(/^on/i);
    }
    const hrefs = byTag(dom, 'a').map((a) => attr(a, 'href') ?? '');
    for (const h of hrefs) expect(h).toMatch(/^\.\/[A-Za-z0-9%._~-][A-Za-z0-9%/._~-]*$/);
    expect(hrefs).toContain('./javascript%3Aalert%281%29.pdf');
    expect(readLines(byTag(dom, 'body')[0] ?? dom).join('\n')).toContain(PAYLOAD);
  });

  it('validates (html-validate, recommended rules)', async () => {
    const report = await new HtmlValidate({
      extends: ['html-validate:recommended'],
    }).validateString(html);
    expect(
      report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message}`)),
    ).toEqual([]);
  });
});
