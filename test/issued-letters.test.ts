/**
 * What issued letters need (issue 12, point 8), read back from the PDF, the DOCX and the HTML of
 * `test/fixtures/valid/issued.yaml`, and through `undoc import`: a name written surname first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { importDocx } from '../src/import/index.js';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { renderAkn } from '../src/render/akn/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { all, kids, openPackage, paragraphs } from './docx-read.js';
import { byTag, parseHtml, readLines } from './html-read.js';
import { readPdf } from './pdf-read.js';

const resources = loadResources();
const FIXTURE = 'test/fixtures/valid/issued.yaml';

function load(text: string, name = 'issued'): UnDocument {
  const r = loadSource(text, name);
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics, null, 1));
  return r.model;
}

const fixture = (): string => readFileSync(join(PACKAGE_ROOT, FIXTURE), 'utf8');

/** The three formats' text, one string per printed line (PDF) or paragraph (DOCX, HTML). */
interface Read {
  readonly pdf: string[];
  readonly docx: string[];
  readonly docxParagraphs: Element[];
  readonly html: string[];
  readonly htmlRoot: ReturnType<typeof parseHtml>;
}

async function readAll(doc: UnDocument): Promise<Read> {
  const style = resources.styles[doc.style];
  const pdf = await readPdf(await renderPdf(doc, style, resources));
  const pdfLines = pdf.pages.flatMap((p) =>
    p.lines.map((l) => l.words.map((w) => w.text).join(' ')),
  );
  const pkg = openPackage(await renderDocx(doc, style, resources));
  const ps = paragraphs(pkg.xml('word/document.xml'), new Map());
  const htmlRoot = parseHtml(new TextDecoder().decode(await renderHtml(doc, style, resources)));
  return {
    pdf: pdfLines,
    docx: ps.map((p) => p.text),
    docxParagraphs: ps.map((p) => p.el),
    html: readLines(htmlRoot),
    htmlRoot,
  };
}

/** The texts of a DOCX paragraph's bold runs (direct bold or a bold character style). */
function docxBold(p: Element): string[] {
  return all(p, 'r')
    .filter((r) => {
      const rPr = kids(r, 'rPr')[0];
      return rPr !== undefined && kids(rPr, 'b').length > 0;
    })
    .map((r) =>
      all(r, 't')
        .map((t) => t.textContent ?? '')
        .join(''),
    );
}

describe('a name written surname first', () => {
  const doc = load(fixture());
  const [wang, kovacs] = doc.letter?.signatories ?? [];

  it('the model knows the surname and the order', () => {
    expect(wang).toMatchObject({
      surname: 'Wang',
      givenNames: 'Yingfan',
      nameOrder: 'surname-first',
    });
    expect(kovacs).toMatchObject({ surname: 'Kovács', nameOrder: 'given-first' });
  });

  it('prints surname first, in bold, in the PDF, the DOCX and the HTML', async () => {
    const read = await readAll(doc);
    for (const [format, lines] of [
      ['pdf', read.pdf],
      ['docx', read.docx],
      ['html', read.html],
    ] as const) {
      expect(lines, format).toContain('(Signed) Wang Yingfan');
      expect(lines, format).toContain('(Signed) Anna Kovács');
      expect(lines.join('\n'), format).not.toContain('Yingfan Wang');
    }
    const p = read.docxParagraphs.find((e) => (e.textContent ?? '').includes('Wang Yingfan'));
    expect(p && docxBold(p)).toEqual(['Wang']);
    const sig = byTag(read.htmlRoot, 'p').find((e) => readLines(e).join(' ').includes('Yingfan'));
    expect(sig && byTag(sig, 'b').map((b) => readLines(b).join(''))).toEqual(['Wang']);
  });

  it('AKN names the person surname first', async () => {
    const xml = await renderAkn(doc, resources.styles[doc.style], resources);
    const text = new TextDecoder().decode(xml);
    expect(text).toContain('showAs="Wang Yingfan"');
    expect(text).toMatch(/<b>Wang<\/b> Yingfan/);
  });

  it('the order survives undoc import', async () => {
    const bytes = await renderDocx(doc, resources.styles[doc.style], resources);
    const back = load(importDocx(bytes, { name: 'issued' }).yaml);
    expect(back.letter?.signatories.map((s) => [s.surname, s.givenNames, s.nameOrder])).toEqual([
      ['Wang', 'Yingfan', 'surname-first'],
      ['Kovács', 'Anna', 'given-first'],
    ]);
  });
});
