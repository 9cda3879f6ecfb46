/**
 * The DOCX package's shortcuts keep the bytes: the docx package's compiled parts give the same
 * file as its own zip file unzipped, and our zip writer (with its per-process memo of compressed
 * parts) lays the container out as fflate's zipSync does, with Node's zlib's DEFLATE streams.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { gzipSync, strToU8, unzipSync, type Zippable, zipSync } from 'fflate';
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

  it('zipParts lays the container out as fflate zipSync does, zlib streams inside, memo hit or not', () => {
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
      const theirs = readZip(zipSync(files, { level: 6 }));
      // Twice: the second call takes the compressed parts from the memo.
      const first = zipParts(parts, mtime);
      const second = zipParts(parts, mtime);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      const ours = readZip(first);
      // Every header field as fflate writes it but the compressed sizes, which are zlib's.
      expect(ours.entries.map(withoutStream)).toEqual(theirs.entries.map(withoutStream));
      ours.entries.forEach((e, i) => {
        const [name, raw] = parts[i] ?? ['', new Uint8Array(0)];
        expect(e.name).toBe(name);
        expect(e.crc).toBe(zlib.crc32(raw));
        expect(e.crc).toBe(gzipCrc(raw));
        expect(Buffer.from(e.data).equals(zlib.deflateRawSync(raw, { level: 6 }))).toBe(true);
        expect(Buffer.from(zlib.inflateRawSync(e.data)).equals(Buffer.from(raw))).toBe(true);
      });
      const back = unzipSync(first);
      expect(Object.keys(back)).toEqual(parts.map(([name]) => name));
    }
  });

  it('a part whose bytes changed is compressed again, not taken from the memo', () => {
    const mtime = new Date(2007, 3, 4, 12, 0, 0);
    const a = strToU8('<a>one</a>');
    const b = strToU8('<a>two</a>');
    zipParts([['p.xml', a]], mtime);
    const zipped = readZip(zipParts([['p.xml', b]], mtime));
    expect(Buffer.from(zlib.inflateRawSync(zipped.entries[0]?.data ?? new Uint8Array(0)))).toEqual(
      Buffer.from(b),
    );
    expect(zipped.entries[0]?.crc).toBe(zlib.crc32(b));
  });
});

/** One entry of a zip as its local and central headers give it. */
interface ZipEntry {
  readonly name: string;
  /** Local header from "version needed" to "extra length", compressed size zeroed. */
  readonly local: string;
  /** Central header fields, offset and compressed size zeroed. */
  readonly central: string;
  readonly crc: number;
  readonly data: Uint8Array;
}

/** Reads a zip's entries through its central directory (no data descriptors, no zip64). */
function readZip(bytes: Uint8Array): { entries: ZipEntry[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let cd = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  const hex = (from: number, to: number, zero: readonly number[]) => {
    const b = Buffer.from(bytes.subarray(from, to));
    for (const z of zero) b.fill(0, z - from, z - from + 4);
    return b.toString('hex');
  };
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(cd, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(cd + 28, true);
    const offset = view.getUint32(cd + 42, true);
    const size = view.getUint32(cd + 20, true);
    expect(view.getUint32(offset, true)).toBe(0x04034b50);
    const localNameLength = view.getUint16(offset + 26, true);
    const start = offset + 30 + localNameLength;
    entries.push({
      name: Buffer.from(bytes.subarray(cd + 46, cd + 46 + nameLength)).toString('utf8'),
      local: hex(offset + 4, offset + 30, [offset + 18]),
      central: hex(cd + 4, cd + 46, [cd + 20, cd + 42]),
      crc: view.getUint32(cd + 16, true),
      data: bytes.subarray(start, start + size),
    });
    cd += 46 + nameLength;
  }
  return { entries };
}

const withoutStream = ({ data: _data, ...rest }: ZipEntry) => rest;

/** The CRC-32 fflate's gzip writes in its trailer: a reference computed by other code. */
function gzipCrc(raw: Uint8Array): number {
  const gz = gzipSync(raw);
  return new DataView(gz.buffer, gz.byteOffset).getUint32(gz.length - 8, true);
}
