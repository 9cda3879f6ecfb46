/**
 * A Geneva report as issued (A/HRC/WG.6/34/ITA/3, transcribed in
 * test/fixtures/issued/A-HRC-WG.6-34-ITA-3.yaml): its session block — the body and sub-body, the
 * session and its dates — read back from the PDF, the DOCX, the HTML and Akoma Ntoso, and through
 * `undoc import`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDocx } from '../src/import/index.js';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { renderAkn } from '../src/render/akn/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { all, openPackage, paragraphs, wAttr } from './docx-read.js';
import { parseHtml, readLines } from './html-read.js';
import { readPdf } from './pdf-read.js';

const resources = loadResources();
const FIXTURE = join(PACKAGE_ROOT, 'test/fixtures/issued/A-HRC-WG.6-34-ITA-3.yaml');

function load(text: string, name = 'ita'): UnDocument {
  const r = loadSource(text, name);
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics, null, 1));
  return r.model;
}

const doc = load(readFileSync(FIXTURE, 'utf8'));
const style = resources.styles[doc.style];
const BLOCK = [
  'Human Rights Council',
  'Working Group on the Universal Periodic Review',
  'Thirty-fourth session',
  '4–15 November 2019',
];

/** Whether `lines` hold `want` one after the other. */
function consecutive(lines: readonly string[], want: readonly string[]): boolean {
  const i = lines.indexOf(want[0] ?? '');
  return i >= 0 && want.every((w, k) => lines[i + k] === w);
}

describe('the Geneva session block', () => {
  it('the model holds the body, sub-body, session and dates', () => {
    const o = doc.organs[0];
    expect(o?.bodies).toEqual(BLOCK.slice(0, 2));
    expect(o?.session).toBe(BLOCK[2]);
    expect(o?.sessionDates).toBe(BLOCK[3]);
  });

  it('the PDF prints it at the frame edge, under the thick rule, the body heading larger', async () => {
    const pdf = await readPdf(await renderPdf(doc, style, resources));
    const lines = pdf.pages[0]?.lines ?? [];
    const text = lines.map((l) => l.words.map((w) => w.text).join(' '));
    expect(consecutive(text, BLOCK), text.join('\n')).toBe(true);
    const at = (t: string) => lines[text.indexOf(t)];
    expect(at(BLOCK[0] ?? '')?.size).toBeCloseTo(style.masthead.session.headingSize, 1);
    expect(at(BLOCK[1] ?? '')?.size).toBeCloseTo(style.masthead.session.size, 1);
    expect(at(BLOCK[0] ?? '')?.words[0]?.x).toBeCloseTo(style.masthead.session.x, 0);
    // Under the thick rule and above the title.
    const top = at(BLOCK[0] ?? '')?.baseline ?? 0;
    expect(top).toBeGreaterThan(style.masthead.thickRule.y);
    expect(at(BLOCK[3] ?? '')?.baseline ?? 0).toBeGreaterThan(top);
  });

  it('the DOCX and the HTML hold its lines in order', async () => {
    const pkg = openPackage(await renderDocx(doc, style, resources));
    const docx = paragraphs(pkg.xml('word/document.xml'), new Map()).map((p) => p.text);
    expect(consecutive(docx, BLOCK), docx.slice(0, 12).join('\n')).toBe(true);
    const html = readLines(
      parseHtml(new TextDecoder().decode(await renderHtml(doc, style, resources))),
    );
    expect(consecutive(html, BLOCK), html.slice(0, 12).join('\n')).toBe(true);
  });

  it('Akoma Ntoso keeps each line', async () => {
    const xml = new TextDecoder().decode(await renderAkn(doc, style, resources));
    for (const line of BLOCK) expect(xml).toContain(`>${line}<`);
  });

  it('the block survives undoc import', async () => {
    const back = load(importDocx(await renderDocx(doc, style, resources), { name: 'ita' }).yaml);
    const o = back.organs[0];
    expect([...(o?.bodies ?? []), o?.session, o?.sessionDates]).toEqual(BLOCK);
  });
});

describe('a starred note on the title', () => {
  const note = doc.footnotes.find((n) => n.id === 'unedited');
  const TEXT =
    'The present document was not edited before being sent to United Nations translation services.';

  it('is marked "*" while the other notes count from 1', () => {
    expect(note?.mark).toBe('*');
    expect(doc.footnotes.find((n) => n.id === 'n1')?.mark).toBe('1');
    expect(doc.title.at(-1)).toMatchObject({ kind: 'noteRef', id: 'unedited', mark: '*' });
  });

  it('the PDF prints "*" after the title and the note at the foot of page 1', async () => {
    const pdf = await readPdf(await renderPdf(doc, style, resources));
    const text = (pdf.pages[0]?.lines ?? []).map((l) => l.words.map((w) => w.text).join(' '));
    // The call rides above the title's line: the reader sets it on a line of its own.
    const title = text.findIndex((l) => l.startsWith('Summary of Stakeholders'));
    expect(
      text.slice(title - 1, title + 1).some((l) => /\*$/u.test(l)),
      text.join('\n'),
    ).toBe(true);
    const at = text.findIndex((l) => l.replace(/^\* ?/u, '') === TEXT);
    expect(at, text.join('\n')).toBeGreaterThan(text.findIndex((l) => l.includes('on Italy')));
    expect(text[at]?.startsWith('*')).toBe(true);
  });

  it('the DOCX holds it as a footnote with a custom "*" mark; the HTML as note "*"', async () => {
    const pkg = openPackage(await renderDocx(doc, style, resources));
    const ref = all(pkg.xml('word/document.xml'), 'footnoteReference').find(
      (r) => wAttr(r, 'id') === String(note?.number),
    );
    expect(ref && wAttr(ref, 'customMarkFollows')).toBe('1');
    const html = readLines(
      parseHtml(new TextDecoder().decode(await renderHtml(doc, style, resources))),
    ).join('\n');
    expect(html).toContain(`* ${TEXT}`);
  });
});
