/**
 * Glyph outlines decoded once per process (pdf/engine.ts hook 4): a later document's fonts take
 * the glyf records the first document decoded, and give the same bytes, composite glyphs
 * ("š", "é": a base glyph and an accent) included.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';

const require = createRequire(import.meta.url);

describe('PDF: glyph outlines shared across documents', () => {
  const resources = loadResources();
  const text = readFileSync(join(PACKAGE_ROOT, 'source/A-61-seed.yaml'), 'utf8').replace(
    /^docTitle: >-\n(?: {2}.*\n)+/m,
    'docTitle: Letter on the Šventoji and Négritude, with ĳ and ǆ\n',
  );
  const doc = loadSource(text, 'A-61-seed').model;
  if (!doc) throw new Error('source does not load');
  expect(JSON.stringify(doc.title)).toContain('Šventoji');
  const render = async () =>
    Buffer.from(await renderPdf(doc, resources.styles[doc.style], resources));

  it('a second document decodes no outline again and gives the same bytes', async () => {
    const fontkit = require('fontkit') as {
      create: (b: Buffer) => { getGlyph: (id: number) => object };
    };
    const proto = Object.getPrototypeOf(fontkit.create(resources.fonts.regular).getGlyph(0)) as {
      _decodeSimple: (...a: unknown[]) => unknown;
      _decodeComposite: (...a: unknown[]) => unknown;
    };
    let decoded = 0;
    const simple = proto._decodeSimple;
    const composite = proto._decodeComposite;
    proto._decodeSimple = function (this: unknown, ...a: unknown[]) {
      decoded++;
      return simple.apply(this, a);
    };
    proto._decodeComposite = function (this: unknown, ...a: unknown[]) {
      decoded++;
      return composite.apply(this, a);
    };
    try {
      const first = await render();
      const firstDecoded = decoded;
      decoded = 0;
      const second = await render();
      expect(firstDecoded).toBeGreaterThan(50);
      expect(decoded).toBe(0);
      expect(second.equals(first)).toBe(true);
    } finally {
      proto._decodeSimple = simple;
      proto._decodeComposite = composite;
    }
  });
});
