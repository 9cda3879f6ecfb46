/**
 * The DOCX package's shortcuts keep the bytes: the docx package's compiled parts give the same
 * file as its own zip file unzipped, and our zip writer (with its per-process memo of compressed
 * parts) writes what fflate's zipSync writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, type Zippable, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { docxFile, packageParts, packDocx, zippedParts } from '../src/render/docx/index.js';
import { zipParts } from '../src/render/docx/zip.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';

const SOURCES = ['source/A-61-seed.yaml', 'test/fixtures/valid/features.yaml'];

describe('DOCX package', () => {
  const resources = loadResources();
  for (const path of SOURCES) {
    for (const layout of ['ny', 'geneva'] as const) {
      it(`${path} (${layout}): compiled parts give the bytes of the docx package's zip file`, async () => {
        const text = readFileSync(join(PACKAGE_ROOT, path), 'utf8').replace(
          /^style: \w+$/m,
          `style: ${layout}`,
        );
        const doc = loadSource(text, 'doc').model;
        if (!doc) throw new Error(`${path} does not load`);
        const style = resources.styles[doc.style];
        expect(doc.style).toBe(layout);
        // Two files from the same model: packing may change a docx Document's state.
        const compiled = await packDocx(doc, style, await docxFile(doc, style, resources));
        const zipped = await packDocx(
          doc,
          style,
          await docxFile(doc, style, resources),
          zippedParts,
        );
        expect(Buffer.from(compiled).equals(Buffer.from(zipped))).toBe(true);
        // The shortcut is really taken with this docx release (else the test compares a path
        // with itself).
        const parts = await packageParts(await docxFile(doc, style, resources));
        expect(typeof parts.get('word/document.xml')).toBe('string');
      });
    }
  }

  it('zipParts writes what fflate zipSync writes, memo hit or not', () => {
    const big = new Uint8Array(300 * 1024).map((_, i) => (i * 7919) % 251);
    const parts: [string, Uint8Array][] = [
      ['[Content_Types].xml', strToU8('<Types/>')],
      ['word/document.xml', strToU8('<w:document>Déjà – “quoted” </w:document>'.repeat(50))],
      ['word/media/empty.bin', new Uint8Array(0)],
      ['word/media/big.bin', big],
      ['word/média.xml', strToU8('<x/>')],
    ];
    for (const mtime of [new Date(2007, 3, 4, 12, 0, 0), new Date(1980, 0, 1, 0, 0, 0)]) {
      const files: Zippable = {};
      for (const [name, data] of parts) files[name] = [data, { mtime }];
      const expected = Buffer.from(zipSync(files, { level: 6 }));
      // Twice: the second call takes the compressed parts from the memo.
      expect(Buffer.from(zipParts(parts, mtime)).equals(expected)).toBe(true);
      expect(Buffer.from(zipParts(parts, mtime)).equals(expected)).toBe(true);
    }
  });

  it('a part whose bytes changed is compressed again, not taken from the memo', () => {
    const mtime = new Date(2007, 3, 4, 12, 0, 0);
    const a = strToU8('<a>one</a>');
    const b = strToU8('<a>two</a>');
    zipParts([['p.xml', a]], mtime);
    const zipped = zipParts([['p.xml', b]], mtime);
    expect(
      Buffer.from(zipped).equals(Buffer.from(zipSync({ 'p.xml': [b, { mtime }] }, { level: 6 }))),
    ).toBe(true);
  });
});
