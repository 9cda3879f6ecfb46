/**
 * SVG drawings replayed (pdf/engine.ts hook 10): a later document makes the pdfkit calls
 * svg-to-pdfkit made for the first, and its bytes are the ones svg-to-pdfkit gives; a drawing that
 * read or changed the document, returned something other than the document, or took anything but
 * plain values is never replayed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { FILL_COLOR } from '../src/render/pdf/engine.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { recordDrawing, replayDrawing } from '../src/render/pdf/svg-replay.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';

const require = createRequire(import.meta.url);

/** A stand-in pdfkit document: methods log their calls and chain; a fill colour and a page. */
function fakeDoc() {
  const log: string[] = [];
  const doc: Record<PropertyKey, unknown> = {
    _fillColor: ['black', 1],
    page: { width: 612 },
  };
  for (const m of ['save', 'restore', 'moveTo', 'fill', 'fillColor', 'dash']) {
    doc[m] = function (this: unknown, ...args: unknown[]) {
      log.push(`${m}(${JSON.stringify(args)})`);
      return this;
    };
  }
  doc.ref = () => ({ id: 1 });
  return { doc, log };
}

type Stand = Record<string, (...args: unknown[]) => Stand> & { _fillColor: unknown };

describe('recordDrawing / replayDrawing', () => {
  it('replays the calls, in order, with their arguments, and restores the fill colour', () => {
    const first = fakeDoc();
    const calls = recordDrawing(first.doc, FILL_COLOR, (doc) => {
      const s = doc as Stand;
      const saved = s._fillColor;
      s.save?.().moveTo?.(1, 2).fillColor?.([0, 0, 0]).dash?.(3, { phase: 0 }).fill?.();
      s.restore?.();
      s._fillColor = saved;
    });
    expect(calls).toBeDefined();
    const second = fakeDoc();
    second.doc._fillColor = ['red', 1];
    if (calls) replayDrawing(second.doc, calls, FILL_COLOR);
    expect(second.log).toEqual(first.log);
    expect(second.log).toHaveLength(6);
    expect(second.doc._fillColor).toEqual(['red', 1]);
  });

  it('is not replayable when the drawing reads the document', () => {
    const { doc } = fakeDoc();
    expect(
      recordDrawing(doc, FILL_COLOR, (d) => void (d.page as { width: number }).width),
    ).toBeUndefined();
  });

  it('is not replayable when a call returns something other than the document', () => {
    const { doc } = fakeDoc();
    expect(
      recordDrawing(doc, FILL_COLOR, (d) => (d as unknown as { ref: () => unknown }).ref()),
    ).toBeUndefined();
  });

  it('is not replayable when a call takes a non-plain value or the drawing sets a property', () => {
    const { doc } = fakeDoc();
    expect(recordDrawing(doc, FILL_COLOR, (d) => (d as Stand).fill?.(new Date(0)))).toBeUndefined();
    expect(recordDrawing(doc, FILL_COLOR, (d) => (d as Stand).fill?.(() => 1))).toBeUndefined();
    expect(
      recordDrawing(doc, FILL_COLOR, (d) => {
        d.x = 3;
      }),
    ).toBeUndefined();
    expect(
      recordDrawing(doc, FILL_COLOR, (d) => {
        d._fillColor = ['blue', 1];
      }),
    ).toBeUndefined();
  });
});

describe('PDF: SVG drawings replayed across documents', () => {
  const resources = loadResources();
  const svgModule = require('pdfmake/js/3rd-party/svg-to-pdfkit.js') as {
    default: (...args: unknown[]) => unknown;
  };

  /** Renders the seed in `layout`, counting svg-to-pdfkit's drawings. */
  async function render(layout: 'ny' | 'geneva') {
    const text = readFileSync(join(PACKAGE_ROOT, 'source/A-61-859.yaml'), 'utf8').replace(
      /^style: \w+$/m,
      `style: ${layout}`,
    );
    const doc = loadSource(text, 'A-61-859').model;
    if (!doc) throw new Error('source does not load');
    const original = svgModule.default;
    let drawn = 0;
    svgModule.default = (...args: unknown[]) => {
      drawn++;
      return original(...args);
    };
    try {
      return {
        bytes: Buffer.from(await renderPdf(doc, resources.styles[doc.style], resources)),
        drawn,
      };
    } finally {
      svgModule.default = original;
    }
  }

  for (const layout of ['ny', 'geneva'] as const) {
    it(`${layout}: emblem and recycle mark drawn by svg-to-pdfkit once, then replayed to the same bytes`, async () => {
      const first = await render(layout);
      const second = await render(layout);
      const third = await render(layout);
      // This file runs in its own process: the first document draws both pictures, after the
      // engine's canary has drawn its own (pdf/engine-check.ts); Geneva's then draws only what
      // it places elsewhere than New York's.
      if (layout === 'ny') expect(first.drawn).toBe(3);
      else expect(first.drawn).toBeGreaterThan(0);
      expect(second.drawn).toBe(0);
      expect(third.drawn).toBe(0);
      expect(second.bytes.equals(first.bytes)).toBe(true);
      expect(third.bytes.equals(first.bytes)).toBe(true);
    });
  }
});
