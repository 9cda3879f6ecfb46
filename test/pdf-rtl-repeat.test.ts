/**
 * The same document, the same bytes, whatever the process rendered before (pdf/engine.ts hook 4):
 * the first document to draw a family's face made its font through pdfkit's font(), which gives a
 * face the document's font of the same PostScript name. An Arabic document's mirrored brackets
 * (pdf/bidi.ts, a second registration of Amiri) then shared the letters' subset and ToUnicode map,
 * and a Chinese italic its upright's, in the first document of the process alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import {
  fontsOf,
  loadResources,
  PACKAGE_ROOT,
  type Resources,
  resourcesIn,
  TEMPLATES_DIR,
} from '../src/resources.js';
import { drawnItems } from './pdf-read.js';

async function render(resources: Resources, file: string): Promise<Buffer> {
  const path = join(PACKAGE_ROOT, file);
  const doc = loadSource(readFileSync(path), file, path, fontsOf(resources)).model;
  if (!doc) throw new Error(`${file} does not load`);
  return Buffer.from(await renderPdf(doc, resources.styles[doc.style], resources));
}

/** The characters each Type0 font's ToUnicode map gives its glyphs, by the font's BaseFont. */
function toUnicodeOf(pdf: Buffer): { readonly font: string; readonly text: string }[] {
  const text = pdf.toString('latin1');
  const stream = (id: string) => {
    const at = new RegExp(`\\n${id} 0 obj\\n[^]*?stream\\n`).exec(text);
    if (!at) return '';
    const start = at.index + at[0].length;
    return inflateSync(pdf.subarray(start, text.indexOf('endstream', start))).toString('latin1');
  };
  const fonts = text.matchAll(/\/Subtype \/Type0\n\/BaseFont \/(\S+)\n[^>]*\/ToUnicode (\d+) 0 R/g);
  return [...fonts].map(([, font = '', id = '']) => ({
    font,
    // pdfkit lists each glyph's characters in the arrays of its bfranges (glyph 0, .notdef, U+0000).
    text: [...stream(id).matchAll(/\[([^\]]*)\]/g)]
      .flatMap(([, list = '']) => [...list.matchAll(/<([0-9a-f]+)>/g)])
      .map(([, hex = '']) => String.fromCodePoint(Number.parseInt(hex, 16)))
      .join('')
      .replace(/\0/gu, ''),
  }));
}

const squeeze = (s: string) => s.replace(/[\s\u200e\u200f\u202a-\u202e]+/gu, '');

describe('a document rendered again in the same process', () => {
  const resources = loadResources();
  const arabic: Buffer[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) arabic.push(await render(resources, 'source/A-61-859.ar.yaml'));
  });

  it('Arabic: the first render gives the bytes of every later one', () => {
    expect(arabic[0]?.equals(arabic[1] ?? Buffer.alloc(0))).toBe(true);
    expect(arabic[1]?.equals(arabic[2] ?? Buffer.alloc(0))).toBe(true);
  });

  it('Chinese: the first render gives the bytes of the second', async () => {
    const first = await render(resources, 'source/A-61-859.zh.yaml');
    const second = await render(resources, 'source/A-61-859.zh.yaml');
    expect(first.equals(second)).toBe(true);
  });

  it('Arabic after an English document: the same bytes', async () => {
    // Resources of their own: their families are registered afresh, as in a new process.
    const fresh = resourcesIn(TEMPLATES_DIR);
    await render(fresh, 'source/A-61-859.yaml');
    const after = await render(fresh, 'source/A-61-859.ar.yaml');
    expect(after.equals(arabic[2] ?? Buffer.alloc(0))).toBe(true);
  });

  it('the mirrored brackets have a subset of their own, and read back as the source has them', async () => {
    const amiri = toUnicodeOf(arabic[0] ?? Buffer.alloc(0)).filter((f) =>
      f.font.endsWith('+Amiri-Regular'),
    );
    // The letters' subset and the brackets'.
    expect(amiri.map((f) => f.text.length).sort((a, b) => a - b)).toEqual([2, expect.any(Number)]);
    const brackets = amiri.find((f) => f.text.length === 2);
    expect([...(brackets?.text ?? '')].sort()).toEqual(['(', ')']);
    expect(amiri.some((f) => f !== brackets && /[()]/u.test(f.text))).toBe(false);
    // pdf.js reads the glyphs in the order they are drawn (logical), through ToUnicode.
    const read = squeeze(
      (await drawnItems(arabic[0] ?? new Uint8Array()))
        .flat()
        .map((i) => i.str)
        .join(''),
    );
    for (const bracketed of ['(انظر المرفق)', '(المكتب)', '(اليونيسيف)'])
      expect(read).toContain(squeeze(bracketed));
  });
});
