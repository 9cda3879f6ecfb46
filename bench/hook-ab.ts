/**
 * What a speed hook that is consulted at each call gains (`speedHooksOff` read while rendering:
 * 18–21), measured in one process: warm PDF renders of the seed alternately with and without the
 * hook, so that a busy machine disturbs both alike. Prints the medians of CPU time per render and
 * the median of the paired differences (each render without the hook minus the render before it
 * with), and checks the bytes are the same.
 *
 *   npx tsx bench/hook-ab.ts 18 [source.yaml]    # BENCH_N=<pairs> (default 30)
 */
import { readFileSync } from 'node:fs';
import { loadSource } from '../src/load/index.js';
import { speedHooksOff } from '../src/render/pdf/engine.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources } from '../src/resources.js';

const N = Number(process.env.BENCH_N ?? 30);
const hook = Number(process.argv[2]);
const file = process.argv[3] ?? 'source/A-61-seed.yaml';
if (!Number.isInteger(hook)) throw new Error('usage: hook-ab.ts <hook number> [source.yaml]');
const resources = loadResources();
const model = loadSource(readFileSync(file), 'bench', file).model;
if (!model) throw new Error(`${file} is not valid`);
const style = resources.styles[model.style];

async function render(off: boolean): Promise<{ ms: number; bytes: Uint8Array }> {
  if (off) speedHooksOff.add(hook);
  else speedHooksOff.delete(hook);
  const start = process.cpuUsage();
  const bytes = await renderPdf(model as NonNullable<typeof model>, style, resources);
  const used = process.cpuUsage(start);
  speedHooksOff.delete(hook);
  return { ms: (used.user + used.system) / 1000, bytes };
}

const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

for (let i = 0; i < 3; i++) {
  await render(false);
  await render(true);
}
const on: number[] = [];
const off: number[] = [];
const diff: number[] = [];
let same = true;
for (let i = 0; i < N; i++) {
  // Each pair in the other order every time: with the hook first, then without it first.
  const withFirst = i % 2 === 0;
  const a = await render(!withFirst);
  const b = await render(withFirst);
  const [withHook, without] = withFirst ? [a, b] : [b, a];
  on.push(withHook.ms);
  off.push(without.ms);
  diff.push(without.ms - withHook.ms);
  same &&= Buffer.from(withHook.bytes).equals(Buffer.from(without.bytes));
}
process.stdout.write(
  `${file}, hook ${hook}: ${median(on).toFixed(1)} ms CPU with it, ${median(off).toFixed(1)} ms without ` +
    `(medians of ${N}); paired difference median ${median(diff).toFixed(1)} ms` +
    `${same ? ', same bytes' : ', BYTES DIFFER'}\n`,
);
