/**
 * Inert output, end to end: a source whose every text field (titles, agenda items, paragraphs,
 * sub-items, headings, signatures, annex lines, footnotes, keywords) carries the usual XSS
 * vectors is built by the real command into all available formats. The HTML, parsed as a browser
 * parses it, holds nothing active and nothing that loads from elsewhere; in Chromium (where
 * installed) it runs no script and makes no request, with or without its CSP. The PDF and the
 * DOCX show the payload as literal text. (test/html-xss.test.ts checks the renderer alone.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { EXIT } from '../src/diagnostics.js';
import { loadSource } from '../src/load/index.js';
import { plainText, type UnDocument } from '../src/model.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS, outputFile } from '../src/render/types.js';
import { withoutOwnData } from './html-read.js';
import { readPdf } from './pdf-read.js';
import { type PrivateCli, privateCli, ROOT, stackLines } from './private-cli.js';

/** Each vector as an author could paste it into a text field. */
const VECTORS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"><img src=x onerror=alert(3)>',
  "'><svg onload=alert(4)>",
  '<svg><script>alert(5)</script></svg>',
  '<svg><animate onbegin=alert(6) attributeName=x dur=1s>',
  'javascript:alert(7)',
  '[x](javascript:alert(8))',
  '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(10)">a</a>',
  '<a href="&#106;avascript:alert(11)">b</a>',
  '</style><script>alert(12)</script>',
  '<style>@import url(http://evil.example/a.css);</style>',
  "@import 'http://evil.example/b.css';",
  'body{background:url(http://evil.example/c.png)}',
  '--><script>alert(13)</script><!--',
  '<![CDATA[<script>alert(14)</script>]]>',
  '<iframe src=http://evil.example/d></iframe>',
  '<base href=http://evil.example/>',
  '<meta http-equiv=refresh content="0;url=http://evil.example/e">',
  '<link rel=stylesheet href=http://evil.example/f.css>',
  '<form action=http://evil.example/g><button>go</button></form>',
  '<img srcset="http://evil.example/h.png 1x">',
  '<noscript><p title="</noscript><img src=x onerror=alert(15)>">',
  '![i](http://evil.example/i.png)',
  '<http://evil.example/j>',
  '**<b onclick=alert(16)>bold</b>**',
  '&lt;script&gt;alert(17)&lt;/script&gt;',
] as const;

const PAYLOAD = VECTORS.join(' ');

/** Keys whose values the loader reads as codes (layout, languages, dates, symbols, job number). */
const CODES = new Set([
  'style',
  'docType',
  'distribution',
  'language',
  'originalLanguage',
  'docDate',
  'senderDate',
  'docketNumber',
  'docNumber',
]);

/** Appends the payload to every text of a parsed source. */
function poison(node: unknown, key?: string): unknown {
  if (typeof node === 'string') {
    const code =
      (key !== undefined && CODES.has(key)) || (key === 'number' && /^[IVXLCDM]+$/.test(node));
    return code ? node : `${node} ${PAYLOAD}`;
  }
  if (Array.isArray(node)) return node.map((v) => poison(v));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, poison(v, k)]));
  }
  return node;
}

const available = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const missing = FORMATS.filter((f) => RENDERERS[f] === undefined);
if (missing.length > 0)
  console.warn(`hostile-inert: no renderer yet for ${missing.join(', ')}; not checked`);

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`hostile-inert: ${CHROMIUM} not installed; the browser checks are skipped`);

let cli: PrivateCli;
let work = '';
let model: UnDocument;
const out: Partial<Record<(typeof FORMATS)[number], Buffer>> = {};

beforeAll(async () => {
  cli = privateCli();
  work = mkdtempSync(join(tmpdir(), 'undoc-inert-'));
  const features = readFileSync(join(ROOT, 'test/fixtures/valid/features.yaml'), 'utf8');
  const source = stringify(poison(parseYaml(features)), { lineWidth: 0 });
  writeFileSync(join(work, 'hostile.yaml'), source);
  const loaded = loadSource(source, 'hostile');
  if (!loaded.model)
    throw new Error(`hostile source invalid: ${JSON.stringify(loaded.diagnostics)}`);
  model = loaded.model;
  const run = await cli.run(
    ['build', 'hostile.yaml', '--out', 'out', '--format', available.join(',')],
    {
      cwd: work,
      timeout: 120_000,
    },
  );
  if (run.code !== EXIT.ok || stackLines(run.stderr).length > 0) {
    throw new Error(`build failed (${run.code}):\n${run.stderr}`);
  }
  for (const f of available) out[f] = readFileSync(join(work, 'out', outputFile('hostile', f)));
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Asserts `shown` contains `t`, reporting where the longest matching prefix stops. */
function expectShown(shown: string, t: string, format: string): void {
  const want = squeeze(t);
  if (shown.includes(want)) return;
  let n = 0;
  while (n < want.length && shown.includes(want.slice(0, n + 1))) n++;
  const at = shown.indexOf(want.slice(0, n));
  expect.fail(
    `${format}: text not shown literally; it reads\n  ${shown.slice(Math.max(0, at + n - 40), at + n + 80)}\nwhere the model has\n  ${want.slice(Math.max(0, n - 40), n + 80)}`,
  );
}

/**
 * True when `want` reads through consecutive `lines`: it starts within one line, runs to its
 * end, and goes on at the start of later lines; up to 60 lines that are not its own (notes at a
 * page foot, running head and foot) may come between.
 */
function readsThrough(lines: readonly string[], want: string): boolean {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    let at = line.indexOf(want.slice(0, Math.min(want.length, 12)));
    while (at >= 0) {
      const head = line.slice(at);
      if (want.startsWith(head) || head.startsWith(want)) {
        let rest = want.slice(head.length);
        let j = i + 1;
        let skipped = 0;
        while (rest.length > 0 && j < lines.length && skipped <= 60) {
          const next = lines[j] ?? '';
          if (next !== '' && (rest.startsWith(next) || next.startsWith(rest))) {
            rest = rest.slice(Math.min(next.length, rest.length));
            skipped = 0;
          } else skipped++;
          j++;
        }
        if (rest.length === 0) return true;
      }
      at = line.indexOf(want.slice(0, Math.min(want.length, 12)), at + 1);
    }
  }
  return false;
}

/** Whitespace-free text with the no-break hyphen a renderer may print read as "-". */
const squeeze = (s: string) => s.replace(/\u2011/g, '-').replace(/\s+/g, '');

/** Fields of every kind, as the model says they read: each output must show them literally. */
function sampleTexts(doc: UnDocument): string[] {
  const annex = doc.annexes[0];
  const para = annex?.blocks.find((b) => b.kind === 'paragraph' && b.items.length > 0);
  const item = para?.kind === 'paragraph' ? para.items[0] : undefined;
  const texts = [
    doc.title,
    // The second letter paragraph: no footnote call, whose mark each format prints its own way.
    doc.letter?.paragraphs[1]?.text,
    doc.letter?.signatories[0]?.titleLines[0],
    annex?.heading,
    annex?.title,
    item?.text,
    doc.footnotes[0]?.text,
  ];
  return texts.map((t) => {
    if (!t) throw new Error('the feature fixture lacks a field this test samples');
    return plainText(t);
  });
}

describe.skipIf(!RENDERERS.html)('HTML', () => {
  type Node = DefaultTreeAdapterMap['node'];
  type Element = DefaultTreeAdapterMap['element'];
  let elements: Element[] = [];
  let text = '';
  const comments: string[] = [];

  beforeAll(() => {
    const doc = parse(out.html?.toString('utf8') ?? '');
    const stack: Node[] = [doc];
    const texts: string[] = [];
    while (stack.length > 0) {
      const n = stack.pop();
      if (!n) continue;
      if (n.nodeName === '#text' && 'value' in n) texts.push(n.value);
      if (n.nodeName === '#comment' && 'data' in n) comments.push(n.data);
      if ('tagName' in n) elements.push(n);
      // <template> keeps its children in .content.
      if ('content' in n && n.content) stack.push(n.content);
      if ('childNodes' in n) stack.push(...[...n.childNodes].reverse());
    }
    text = texts.join(' ');
    elements = elements.reverse();
  });

  it('has no element that runs, embeds, loads or submits', () => {
    const active = new Set([
      'script',
      'iframe',
      'frame',
      'frameset',
      'object',
      'embed',
      'applet',
      'base',
      'form',
      'input',
      'button',
      'link',
      'img',
      'image',
      'audio',
      'video',
      'source',
      'track',
      'noscript',
      'template',
      'animate',
      'set',
      'animatetransform',
      'animatemotion',
      'foreignobject',
      'use',
    ]);
    expect(
      elements.filter((e) => active.has(e.tagName.toLowerCase())).map((e) => e.tagName),
    ).toEqual([]);
    const refresh = elements.filter(
      (e) =>
        e.tagName === 'meta' &&
        e.attrs.some((a) => a.name === 'http-equiv' && a.value.toLowerCase() === 'refresh'),
    );
    expect(refresh).toEqual([]);
  });

  it('has no event-handler attribute and no URL but the document’s own undocs.org link', () => {
    const handlers = elements.flatMap((e) =>
      e.attrs.filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`),
    );
    expect(handlers).toEqual([]);
    const own = new Set(model.symbols.map((s) => s.url));
    const urlAttrs = new Set([
      'href',
      'src',
      'xlink:href',
      'action',
      'formaction',
      'srcset',
      'data',
      'poster',
      'background',
      'ping',
      'cite',
    ]);
    const urls = elements.flatMap((e) =>
      e.attrs
        .filter(
          (a) =>
            urlAttrs.has(a.name.toLowerCase()) && !a.value.startsWith('#') && !own.has(a.value),
        )
        .map((a) => `${e.tagName} ${a.name}=${a.value}`),
    );
    expect(urls).toEqual([]);
    // Inline styles and style sheets: no import and no url() to load (the emblem is inline SVG).
    const styles = [
      ...elements
        .filter((e) => e.tagName === 'style')
        .map((e) => e.childNodes.map((c) => ('value' in c ? c.value : '')).join('')),
      ...elements.flatMap((e) => e.attrs.filter((a) => a.name === 'style').map((a) => a.value)),
    ];
    // The page's own data aside (the barcode font, page 1's printed footer: html-read.ts).
    expect(
      styles.filter((s) =>
        /@import|url\s*\(|expression\s*\(|evil\.example/i.test(withoutOwnData(s)),
      ),
    ).toEqual([]);
    expect(elements.filter((e) => e.tagName === 'style')).toHaveLength(1);
  });

  it('has no comment a payload could break out of, and shows every vector as text', () => {
    expect(comments.filter((c) => /alert|evil/.test(c))).toEqual([]);
    const shown = squeeze(text);
    for (const t of sampleTexts(model)) expectShown(shown, t, 'html');
    for (const v of VECTORS.filter((v) => !v.startsWith('**'))) expect(shown).toContain(squeeze(v));
  });
});

describe.skipIf(!RENDERERS.html || !hasChromium)('HTML in Chromium', () => {
  for (const csp of [true, false]) {
    it(`runs no script and makes no request ${csp ? 'with' : 'even without'} its CSP`, async () => {
      let html = out.html?.toString('utf8') ?? '';
      if (!csp) {
        html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
        expect(html).not.toContain('Content-Security-Policy');
      }
      const file = join(work, csp ? 'page-csp.html' : 'page-bare.html');
      writeFileSync(file, html);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage();
        const events: string[] = [];
        const url = `file://${file}`;
        page.on('dialog', (d) => {
          events.push(`dialog ${d.message()}`);
          void d.dismiss();
        });
        page.on('console', (m) => events.push(`console ${m.type()} ${m.text()}`));
        page.on('pageerror', (e) => events.push(`error ${e.message}`));
        page.on('request', (r) => {
          if (r.url() !== url) events.push(`request ${r.url()}`);
        });
        page.on('popup', (p) => events.push(`popup ${p.url()}`));
        await page.goto(url, { waitUntil: 'load' });
        // Give timers, SMIL animations and lazy loads a moment, and move over every element.
        await page.mouse.move(10, 10);
        await page.mouse.move(400, 600, { steps: 20 });
        await page.waitForTimeout(500);
        const scripts = await page.evaluate(() => document.scripts.length);
        expect(scripts).toBe(0);
        expect(page.url()).toBe(url);
        expect(events).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});

describe.skipIf(!RENDERERS.pdf)('PDF', () => {
  it('shows every field’s payload as literal text', async () => {
    const pdf = await readPdf(out.pdf ?? new Uint8Array());
    // A text may run over a page break, where the page's notes, its foot and the next page's
    // head come between its lines: read it line by line, passing over lines that are not its.
    const lines = pdf.pages.flatMap((p) =>
      p.lines.map((l) => squeeze(l.words.map((w) => w.text).join(''))),
    );
    for (const t of sampleTexts(model)) {
      expect(readsThrough(lines, squeeze(t)), `pdf: not shown literally: ${t.slice(0, 80)}…`).toBe(
        true,
      );
    }
    const bytes = out.pdf?.toString('latin1') ?? '';
    // Nothing active in the file itself: no JavaScript, no launch or URI action.
    expect(bytes).not.toMatch(/\/JavaScript|\/JS\b|\/Launch|\/OpenAction|\/AA\b/);
    expect(bytes.match(/\/URI\s*\(([^)]*)\)/g) ?? []).toEqual(
      // Only the QR code's or symbol's own link may be a URI, if any.
      (bytes.match(/\/URI\s*\(([^)]*)\)/g) ?? []).filter((u) =>
        model.symbols.some((s) => u.includes(s.url)),
      ),
    );
  });
});

describe.skipIf(!RENDERERS.docx)('DOCX', () => {
  it('shows every field’s payload as literal text, with no external or active part', () => {
    const files = unzipSync(new Uint8Array(out.docx ?? []));
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const parts = Object.keys(files).filter((f) =>
      /^word\/(document|footnotes|header\d*|footer\d*)\.xml$/.test(f),
    );
    const texts: string[] = [];
    for (const part of parts) {
      const xml = new TextDecoder().decode(files[part]);
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      const nodes = doc.getElementsByTagNameNS(W, 't');
      for (let i = 0; i < nodes.length; i++) texts.push(nodes.item(i)?.textContent ?? '');
      texts.push(' ');
    }
    const shown = squeeze(texts.join(''));
    for (const t of sampleTexts(model)) expectShown(shown, t, 'docx');
    // No macros, no embedded objects, no external relationship (linked images, remote templates).
    const names = Object.keys(files);
    expect(names.filter((n) => /vbaProject|activeX|embeddings|oleObject/i.test(n))).toEqual([]);
    const rels = names
      .filter((n) => n.endsWith('.rels'))
      .map((n) => new TextDecoder().decode(files[n]));
    expect(
      rels.filter((r) => /TargetMode="External"/.test(r) && /evil|javascript|data:/.test(r)),
    ).toEqual([]);
    const external = rels.flatMap((r) =>
      [...r.matchAll(/Target="([^"]*)"\s+TargetMode="External"/g)].map((m) => m[1]),
    );
    expect(external.filter((t) => !model.symbols.some((s) => s.url === t))).toEqual([]);
  });
});
