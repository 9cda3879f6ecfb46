/** The content of a PDF's compressed streams, as the tests that read drawing operators use it. */
import { inflateSync } from 'node:zlib';

/** Every FlateDecode stream of `pdf`, inflated, as latin1 text; streams that do not inflate are left out. */
export function inflatedStreams(pdf: Uint8Array): string[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const text = bytes.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/(?<!end)stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      out.push(inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      // Not deflated (a metadata stream).
    }
  }
  return out;
}
