/**
 * The layouts' drawings as the DOCX places them (src/render/docx/images.ts): rasterized once per
 * process, and taken from elsewhere — the start-up snapshot's heap, which cannot load resvg —
 * when kept there: a kept drawing is what the package carries, and resvg is not asked again.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { STYLE_NAMES } from '../src/model.js';
import { type DrawingPng, keepDrawings, layoutDrawings } from '../src/render/docx/images.js';
import { renderDocx } from '../src/render/docx/index.js';
import { loadResources } from '../src/resources.js';
import { openPackage } from './docx-read.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const resources = loadResources();

function seedDocx(): Promise<Uint8Array> {
  const doc = loadSource(readFileSync('source/A-61-seed.yaml', 'utf8'), 'A-61-seed').model;
  if (!doc) throw new Error('the seed does not load');
  return renderDocx(doc, resources.styles[doc.style], resources);
}

/** The package's media files (word/media/…), as base64. */
function media(docx: Uint8Array): string[] {
  const { files } = openPackage(docx);
  return Object.keys(files)
    .filter((k) => k.startsWith('word/media/') && k.endsWith('.png'))
    .map((k) => Buffer.from(files[k] as Uint8Array).toString('base64'));
}

describe('the layouts’ drawings', () => {
  it('are the emblem and the recycle mark of every layout, as PNG, keyed by size and SVG', () => {
    const drawings = layoutDrawings(resources);
    expect(drawings.length).toBeGreaterThanOrEqual(2);
    expect(drawings.length).toBeLessThanOrEqual(2 * STYLE_NAMES.length);
    for (const d of drawings) {
      expect([...d.png.subarray(0, 8)]).toEqual(PNG);
      const svg = d.key.slice(d.key.indexOf(':') + 1);
      expect([resources.emblemSvg, resources.recycleSvg]).toContain(svg);
      // The key's pixel width is the PNG's own (IHDR width at byte 16).
      expect(Buffer.from(d.png).readUInt32BE(16)).toBe(Number(d.key.split(':')[0]));
    }
  });

  it('kept from elsewhere, are what the package carries, and the same bytes as rasterized here', async () => {
    const b64 = (png: Uint8Array) => Buffer.from(png).toString('base64');
    const drawings = layoutDrawings(resources);
    const before = await seedDocx();
    // The New York layout's emblem and recycle mark are among the seed's pictures.
    const inSeed = drawings.filter((d) => media(before).includes(b64(d.png)));
    expect(inSeed.length).toBe(2);
    // A stand-in for each: a DOCX made now carries the stand-ins, so nothing rasterized them.
    const marked: DrawingPng[] = drawings.map((d, i) => {
      const png = Uint8Array.from(d.png);
      png[png.length - 1] = (png[png.length - 1] ?? 0) ^ (i + 1);
      return { key: d.key, png };
    });
    try {
      keepDrawings(marked);
      const withKept = media(await seedDocx());
      for (const d of inSeed) {
        const standIn = marked.find((m) => m.key === d.key);
        expect(standIn).toBeDefined();
        expect(withKept).toContain(b64(standIn?.png ?? new Uint8Array()));
        expect(withKept).not.toContain(b64(d.png));
      }
    } finally {
      keepDrawings(drawings);
    }
    expect(await seedDocx()).toEqual(before);
  });
});
