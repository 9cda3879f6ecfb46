/**
 * How the PDF renderer spends its layout passes, observed through pdfmake's and pdfkit's own
 * methods (counts, never timings): a document that needs several passes is laid out several
 * times but drawn once, later passes do not measure the body's words again, and the fonts
 * shared across documents keep every character of later documents in their text layer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { FIXTURES, loadFixture } from './pdf-fixtures.js';
import { readPdf, wordsOf } from './pdf-read.js';

const require = createRequire(import.meta.url);

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Proto = Record<string, Method>;

/** Counts calls to `proto[name]` (and lets `seen` look at each call) until `restore()`. */
function spy(proto: Proto, name: string, seen: (args: unknown[]) => void = () => {}) {
  const original = proto[name];
  if (original === undefined) throw new Error(`no method ${name}`);
  const counter = { calls: 0, restore: () => {} };
  proto[name] = function (this: unknown, ...args: unknown[]) {
    counter.calls++;
    seen(args);
    return original.apply(this, args);
  };
  counter.restore = () => {
    proto[name] = original;
  };
  return counter;
}

const protoOf = (module: string): Proto =>
  (require(module) as { default: { prototype: Proto } }).default.prototype;

interface Observed {
  readonly layouts: number;
  readonly pagesDrawn: number;
  /** Per layout: body words measured (words of letter, body and annex paragraphs and headings). */
  readonly bodyWordsMeasured: readonly number[];
  readonly bytes: Uint8Array;
}

const resources = loadResources();

/** Renders `doc`, counting layouts, pages drawn into pdfkit, and body words measured per layout. */
async function observe(doc: UnDocument): Promise<Observed> {
  const style = resources.styles[doc.style];
  // A first render installs the renderer's hooks, so that the spies wrap them.
  await renderPdf(doc, style, resources);
  const perLayout: number[] = [];
  const layouts = spy(protoOf('pdfmake/js/LayoutBuilder.js'), 'tryLayoutDocument', () => {
    perLayout.push(0);
  });
  const measure = spy(protoOf('pdfmake/js/TextInlines.js'), 'measure', ([words]) => {
    const body = (words as { undocPara?: string }[]).filter(
      (w) => w.undocPara !== undefined && !w.undocPara.startsWith('note:'),
    ).length;
    perLayout[perLayout.length - 1] = (perLayout.at(-1) ?? 0) + body;
  });
  const pdfkit = (require('pdfkit') as { prototype: Proto }).prototype;
  const pages = spy(pdfkit, 'addPage');
  try {
    const bytes = await renderPdf(doc, style, resources);
    return {
      layouts: layouts.calls,
      pagesDrawn: pages.calls,
      bodyWordsMeasured: perLayout,
      bytes,
    };
  } finally {
    layouts.restore();
    measure.restore();
    pages.restore();
  }
}

describe('PDF layout passes', () => {
  let features: Observed;
  let seed: Observed;

  beforeAll(async () => {
    features = await observe(loadFixture('features'));
    seed = await observe(loadFixture('draft'));
  });

  it('lays a document with footnotes out more than once, and draws it once', async () => {
    // The footnotes' pages are known after a first layout: there is a second.
    expect(features.layouts).toBeGreaterThan(1);
    const pdf = await readPdf(features.bytes);
    expect(features.pagesDrawn).toBe(pdf.pages.length);
  });

  it('draws a document without footnotes once too', async () => {
    const pdf = await readPdf(seed.bytes);
    expect(seed.layouts).toBeGreaterThan(0);
    expect(seed.pagesDrawn).toBe(pdf.pages.length);
  });

  it('measures the body once, in the first layout: later layouts reuse it', () => {
    for (const o of [features, seed]) {
      const [first = 0, ...later] = o.bodyWordsMeasured;
      expect(first).toBeGreaterThan(100);
      expect(later).toEqual(later.map(() => 0));
    }
  });
});

describe('PDF fonts shared across documents', () => {
  const seedText = readFileSync(join(PACKAGE_ROOT, FIXTURES.draft.file), 'utf8');
  const withTitle = (extra: string, name: string): UnDocument => {
    const text = seedText.replace(
      'title: Advancement of women',
      `title: Advancement of women ${extra}`,
    );
    const doc = loadSource(text, name).model;
    if (!doc) throw new Error(`${name} does not load`);
    return doc;
  };
  const first = withTitle('café š', 'composites');
  // "´" and "ˇ" are components of "é" and "š" in Tinos: the first document's subset takes them
  // in without code points; in a word no document has shaped yet they must still read back.
  const later = withTitle('q´q zˇz', 'components');

  it('keeps in the text layer the characters that were components of an earlier subset', async () => {
    await renderPdf(first, resources.styles[first.style], resources);
    const bytes = await renderPdf(later, resources.styles[later.style], resources);
    const words = (await readPdf(bytes)).pages.flatMap((p) => wordsOf(p.lines));
    expect(words).toContain('q´q');
    expect(words).toContain('zˇz');
  });
});
