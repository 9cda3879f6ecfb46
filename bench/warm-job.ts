/**
 * CPU time of each step of a warm document in process, as a batch's thread does it: loading the
 * source (parse, validate, checks, model), then each format's render. The median of N rounds
 * after three to warm up, each step timed with process.cpuUsage (this thread and V8's helpers).
 * For finding what a document costs beyond the first; bench/warm-pdf.ts times the PDF alone.
 *
 *   npx tsx bench/warm-job.ts [source.yaml…]    # BENCH_N=<rounds> (default 20)
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadSource } from '../src/load/index.js';
import { RENDERERS } from '../src/render/index.js';
import type { Format } from '../src/render/types.js';
import { fontsOf, loadResources } from '../src/resources.js';

const N = Number(process.env.BENCH_N ?? 20);
const FORMATS: readonly Format[] = ['pdf', 'docx', 'html', 'akn'];
const files = process.argv.slice(2);
const resources = loadResources();

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

for (const file of files.length > 0 ? files : ['source/A-61-seed.yaml']) {
  const text = readFileSync(file);
  const name = basename(file).replace(/\.ya?ml$/, '');
  const steps = new Map<string, number[]>([
    ['load', []],
    ...FORMATS.map((f): [string, number[]] => [f, []]),
  ]);
  const total: number[] = [];
  for (let round = -3; round < N; round++) {
    const t0 = process.cpuUsage();
    let c = process.cpuUsage();
    const model = loadSource(text, name, file, fontsOf(resources)).model;
    if (!model) throw new Error(`${file} is not valid`);
    const times: [string, number][] = [['load', cpuMs(c)]];
    const style = resources.styles[model.style];
    for (const format of FORMATS) {
      c = process.cpuUsage();
      await RENDERERS[format](model, style, resources);
      times.push([format, cpuMs(c)]);
    }
    if (round < 0) continue;
    total.push(cpuMs(t0));
    for (const [step, ms] of times) steps.get(step)?.push(ms);
  }
  const parts = [...steps].map(([step, ms]) => `${step} ${median(ms).toFixed(1)}`).join(', ');
  process.stdout.write(
    `${file}: warm document ${median(total).toFixed(1)} ms CPU (${parts}; medians of ${N})\n`,
  );
}
