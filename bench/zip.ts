/**
 * The DOCX container: src/render/docx/zip.ts (a zip writer of our own that keeps each part's
 * DEFLATE stream per process by content) against fflate's `zipSync` at the same level, on the
 * parts of real documents taken in turn (so a document's own parts change, the shared ones do
 * not, as in a batch). Both must hold the same parts (the streams differ: ours are Node's zlib's);
 * the figure is CPU time per document.
 *
 *   npx tsx bench/zip.ts            # BENCH_ZIP_N=<rounds> (default 200)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { loadSource } from '../src/load/index.js';
import { zipParts } from '../src/render/docx/zip.js';
import { RENDERERS } from '../src/render/index.js';
import { loadResources } from '../src/resources.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'source/A-61-seed.yaml',
  'source/A-61-859.yaml',
  'test/fixtures/valid/features.yaml',
];
const N = Number(process.env.BENCH_ZIP_N ?? 200);

const resources = loadResources();
/** Each document's parts, in the order its DOCX holds them, and the entry time. */
const docs: { parts: [string, Uint8Array][]; mtime: Date; bytes: Uint8Array }[] = [];
for (const file of SOURCES) {
  const model = loadSource(readFileSync(join(ROOT, file)), 'bench', file).model;
  if (!model) throw new Error(`${file} is not valid`);
  const bytes = await RENDERERS.docx(model, resources.styles[model.style], resources);
  const parts = Object.entries(unzipSync(bytes));
  // The entry time of the first local header (all entries have the same).
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const dos = view.getUint32(10, true);
  const mtime = new Date(
    (dos >>> 25) + 1980,
    ((dos >>> 21) & 15) - 1,
    (dos >>> 16) & 31,
    (dos >>> 11) & 31,
    (dos >>> 5) & 63,
    (dos & 31) * 2,
  );
  docs.push({ parts, mtime, bytes });
}

const withFflate = (d: (typeof docs)[number]) =>
  zipSync(Object.fromEntries(d.parts.map(([p, b]) => [p, [b, { mtime: d.mtime, level: 6 }]])));
const withOurs = (d: (typeof docs)[number]) => zipParts(d.parts, d.mtime);

const sameParts = (a: Uint8Array, b: Uint8Array) => {
  const x = unzipSync(a);
  const y = unzipSync(b);
  const names = Object.keys(x);
  return (
    names.join('\n') === Object.keys(y).join('\n') &&
    names.every((n) => Buffer.from(x[n] ?? []).equals(Buffer.from(y[n] ?? [])))
  );
};
for (const d of docs) {
  const a = Buffer.from(withOurs(d));
  if (!a.equals(Buffer.from(d.bytes))) throw new Error("zip.ts differs from the renderer's DOCX");
  if (!sameParts(a, withFflate(d))) throw new Error('the two zips hold different parts');
}

/** CPU ms per document, median of rounds of one pass over the documents. */
function measure(zip: (d: (typeof docs)[number]) => Uint8Array): number {
  const per: number[] = [];
  for (let round = 0; round < N; round++) {
    const start = process.cpuUsage();
    for (const d of docs) zip(d);
    const used = process.cpuUsage(start);
    per.push((used.user + used.system) / 1000 / docs.length);
  }
  per.sort((x, y) => x - y);
  return per[Math.floor(per.length / 2)] ?? Number.NaN;
}

// Interleaved halves, so that load on the machine falls on both alike.
const ours: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < 4; i++) {
  ours.push(measure(withOurs));
  theirs.push(measure(withFflate));
}
const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
const size = docs.reduce((n, d) => n + d.parts.length, 0) / docs.length;
process.stdout.write(
  `docx zip, ${docs.length} documents in turn (${size.toFixed(0)} parts each), CPU per document, ` +
    `median of ${N} rounds × 4: undoc's zip.ts ${med(ours).toFixed(2)} ms, ` +
    `fflate zipSync ${med(theirs).toFixed(2)} ms (same parts; zlib's DEFLATE streams in ours)\n`,
);
