/**
 * Words drawn directly (pdf/engine.ts hook 11): a document's PDF has the same bytes as when every
 * word goes through pdfkit's own text() — in both layouts, and with marks the font offsets —
 * while pdfkit's text pipeline is not entered for its words; calls the hook does not draw exactly are left to pdfkit untouched.
 * Compared one word per text object, as pdfkit writes them (text runs, hook 20, off:
 * test/pdf-text-runs.test.ts compares those with these).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import {
  directText,
  drawText,
  knownColor,
  type TextDocument,
} from '../src/render/pdf/direct-text.js';
import { type ColourDocument, fillWith, textPen, textRuns } from '../src/render/pdf/engine.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { type FixtureName, loadFixture } from './pdf-fixtures.js';
import { inflatedStreams } from './pdf-streams.js';

const require = createRequire(import.meta.url);
type Method = (this: unknown, ...args: unknown[]) => unknown;
const pdfkit = (require('pdfkit') as { prototype: Record<string, Method> }).prototype;

const resources = loadResources();

interface Drawn {
  readonly bytes: Uint8Array;
  /** Fragments pdfkit's text pipeline drew. */
  readonly fragments: number;
}

/** The features fixture with a stack of marks: the font offsets the second (GPOS mark to mark). */
function withMarks(): UnDocument {
  const text = readFileSync(join(PACKAGE_ROOT, 'test/fixtures/valid/features.yaml'), 'utf8');
  const marked = text.replace('I have the honour', 'I have the Cafe\u0301 e\u0300\u0301 honour');
  const { model } = loadSource(marked, 'marks');
  if (!model) throw new Error('features with marks: not valid');
  return model;
}

/** The text blocks (BT … ET) of a PDF's compressed content streams. */
function textBlocks(pdf: Uint8Array): string[] {
  return inflatedStreams(pdf).flatMap((text) =>
    [...text.matchAll(/\nBT\n([\s\S]*?)\nET\n/gu)].map((m) => m[1] ?? ''),
  );
}

/** Renders a fixture with hook 11 on or off, counting the fragments pdfkit draws itself. */
async function render(name: FixtureName | 'marks', on: boolean): Promise<Drawn> {
  const doc = name === 'marks' ? withMarks() : loadFixture(name);
  const fragment = pdfkit._fragment as Method;
  let fragments = 0;
  pdfkit._fragment = function (this: unknown, ...args: unknown[]) {
    fragments++;
    return fragment.apply(this, args);
  };
  directText.enabled = on;
  textRuns.enabled = false;
  try {
    return { bytes: await renderPdf(doc, resources.styles[doc.style], resources), fragments };
  } finally {
    pdfkit._fragment = fragment;
    directText.enabled = true;
    textRuns.enabled = true;
  }
}

describe('words drawn directly (hook 11)', () => {
  const drawn = new Map<string, Drawn>();

  beforeAll(async () => {
    for (const name of ['features', 'geneva', 'marks'] as const) {
      drawn.set(`${name} pdfkit`, await render(name, false));
      drawn.set(`${name} direct`, await render(name, true));
    }
  });

  for (const name of ['features', 'geneva', 'marks'] as const) {
    it(`gives the bytes pdfkit's text() gives: ${name}`, () => {
      const pdfkitDrawn = drawn.get(`${name} pdfkit`);
      const direct = drawn.get(`${name} direct`);
      expect(pdfkitDrawn?.fragments).toBeGreaterThan(200);
      expect(direct?.fragments).toBe(0);
      expect(Buffer.from(direct?.bytes ?? []).equals(Buffer.from(pdfkitDrawn?.bytes ?? []))).toBe(
        true,
      );
      expect(direct?.bytes.length).toBeGreaterThan(1000);
    });
  }
});

describe('words drawn directly: offset glyphs', () => {
  it('a word with marks the font offsets gets a text matrix per offset glyph, as from pdfkit', async () => {
    const direct = await render('marks', true);
    // Its block places the word, then moves to the offset mark and back.
    const offset = textBlocks(direct.bytes).filter((b) => b.split(' Tm').length > 3);
    expect(offset.length).toBeGreaterThan(0);
    const plain = textBlocks((await render('features', true)).bytes);
    expect(plain.filter((b) => b.split(' Tm').length > 2)).toEqual([]);
  });
});

describe('drawText leaves to pdfkit what it does not draw exactly', () => {
  /** A document whose every touch is logged: a call left to pdfkit must not touch it. */
  function watched() {
    const touched: string[] = [];
    const font = {
      id: 'F1',
      ascender: 891,
      scale: 1,
      layoutCache: {},
      subset: { includeGlyph: (g: number) => g },
      widths: [],
      unicode: [],
      layoutCached: () => ({ glyphs: [], positions: [], advanceWidth: 0 }),
      ref: () => ({}),
    };
    const target = {
      x: 0,
      y: 0,
      _font: font,
      _fontSize: 10,
      page: { height: 842, fonts: {} },
      addContent: (data: string) => touched.push(data),
    };
    const doc = new Proxy(target, {
      set(t, key, value) {
        touched.push(`set ${String(key)}`);
        return Reflect.set(t, key, value);
      },
    }) as TextDocument;
    return { doc, touched, target };
  }
  const plain = { lineBreak: false, textWidth: 10, characterSpacing: undefined, wordCount: 1 };

  afterEach(() => {
    directText.enabled = true;
  });

  it('draws a plain word, and one with character spacing', () => {
    const { doc, touched } = watched();
    expect(drawText(doc, textPen(doc), 'word', 1, 2, plain)).toBe(true);
    expect(drawText(doc, textPen(doc), 'word', 1, 2, { ...plain, characterSpacing: 2 })).toBe(true);
    expect(touched.filter((t) => t === 'set x')).toHaveLength(4);
    const lines = touched.flatMap((t) => t.split('\n'));
    expect(lines.filter((l) => l.endsWith(' Tc'))).toEqual(['2 Tc']);
    expect(lines.filter((l) => l === 'BT')).toHaveLength(2);
  });

  for (const [what, text, options, change] of [
    ['a link', 'word', { ...plain, link: 'https://un.org' }, undefined],
    ['a destination', 'word', { ...plain, destination: 'id' }, undefined],
    ['font features', 'word', { ...plain, features: ['smcp'] }, undefined],
    ['character spacing not a number', 'word', { ...plain, characterSpacing: '1' }, undefined],
    ['a line break', 'two\nlines', plain, undefined],
    ['wrapping', 'word', { ...plain, lineBreak: true }, undefined],
    ['continued text', 'word', plain, (t: Record<string, unknown>) => (t._textOptions = {})],
    ['a standard font', 'word', plain, (t: Record<string, unknown>) => (t._font = { id: 'F2' })],
    ['the switch off', 'word', plain, () => (directText.enabled = false)],
  ] as const) {
    it(`leaves ${what} to pdfkit, untouched`, () => {
      const { doc, touched, target } = watched();
      change?.(target as unknown as Record<string, unknown>);
      expect(drawText(doc, textPen(doc), text, 1, 2, options)).toBe(false);
      expect(touched).toEqual([]);
    });
  }
});

describe('fillWith: the fill colour of a word', () => {
  /** A pdfkit document's colour methods over a log of what they write. */
  function colourDoc(spot?: string) {
    const written: string[] = [];
    const doc = Object.create(pdfkit) as ColourDocument & Record<string, unknown>;
    Object.assign(doc, {
      spotColors: {},
      _opacityRegistry: {},
      _opacityCount: 0,
      page: { colorSpaces: {}, ext_gstates: {} },
      addContent: (data: string) => written.push(data),
      ref: () => ({ end() {} }),
    });
    if (spot !== undefined) (doc.addSpotColor as Method).call(doc, spot, 0, 100, 0, 0);
    return { doc, written };
  }

  afterEach(() => {
    directText.enabled = true;
  });

  for (const color of ['black', '#ff0000', '#0a0', 'navy']) {
    it(`writes what pdfkit's fill writes, and keeps the colour: ${color}`, () => {
      const ours = colourDoc();
      const theirs = colourDoc();
      expect(fillWith(ours.doc, color, undefined)).toBe(true);
      (pdfkit.fill as Method).call(theirs.doc, color);
      expect(ours.written.join('\n').split('\n')).toEqual(theirs.written);
      expect(ours.doc._fillColor).toEqual(theirs.doc._fillColor);
      expect(knownColor(undefined, color)).toBe(color);
    });
  }

  for (const [what, color, rule, spot] of [
    ['a winding rule', 'evenodd', undefined, undefined],
    ['a colour with a rule', 'black', 'evenodd', undefined],
    ['an unknown colour', 'no-such-colour', undefined, undefined],
    ['a spot colour', 'PANTONE 279', undefined, 'PANTONE 279'],
    ['a colour array', [0, 0, 0], undefined, undefined],
  ] as const) {
    it(`leaves ${what} to pdfkit, untouched`, () => {
      const { doc, written } = colourDoc(spot);
      expect(fillWith(doc, color, rule)).toBe(false);
      expect(written).toEqual([]);
      expect(doc._fillColor).toBeUndefined();
    });
  }

  it('leaves every colour to pdfkit with the switch off', () => {
    directText.enabled = false;
    const { doc, written } = colourDoc();
    expect(fillWith(doc, 'black', undefined)).toBe(false);
    expect(knownColor(undefined, 'black')).toBeUndefined();
    expect(written).toEqual([]);
  });
});
