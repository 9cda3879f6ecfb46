/**
 * Font subsets encoded once per process (pdf/engine.ts hook 22): a document whose subsets were
 * encoded before gets fontkit's bytes, whatever was rendered in between, and a document with other
 * glyphs its own.
 */
import { describe, expect, it } from 'vitest';
import { speedHooksOff } from '../src/render/pdf/engine.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources } from '../src/resources.js';
import { type FixtureName, loadFixture } from './pdf-fixtures.js';

const resources = loadResources();

async function render(name: FixtureName, cached: boolean): Promise<Buffer> {
  const doc = loadFixture(name);
  if (cached) speedHooksOff.delete(22);
  else speedHooksOff.add(22);
  try {
    return Buffer.from(await renderPdf(doc, resources.styles[doc.style], resources));
  } finally {
    speedHooksOff.delete(22);
  }
}

describe('font subsets encoded once per process (hook 22)', () => {
  it("gives fontkit's bytes for the same glyphs again, and other glyphs their own", async () => {
    const fresh = await render('draft', false);
    const first = await render('draft', true);
    const other = await render('features', true);
    const again = await render('draft', true);
    expect(first.equals(fresh)).toBe(true);
    expect(again.equals(fresh)).toBe(true);
    expect(other.equals(await render('features', false))).toBe(true);
    expect(other.equals(fresh)).toBe(false);
  });
});
