/**
 * CPU time of a warm PDF render of each source given (default: the seed), in process: the median
 * of N renders after three to warm up. For quick before/after comparisons of a change to the PDF
 * engine (bench/hooks.ts measures each speed hook; this measures the whole renderer).
 *
 *   npx tsx bench/warm-pdf.ts [source.yaml…]    # BENCH_N=<renders> (default 20)
 */
import { readFileSync } from 'node:fs';
import { loadSource } from '../src/load/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources } from '../src/resources.js';

const N = Number(process.env.BENCH_N ?? 20);
const files = process.argv.slice(2);
const resources = loadResources();
for (const file of files.length > 0 ? files : ['source/A-61-seed.yaml']) {
  const model = loadSource(readFileSync(file), 'bench', file).model;
  if (!model) throw new Error(`${file} is not valid`);
  const style = resources.styles[model.style];
  for (let i = 0; i < 3; i++) await renderPdf(model, style, resources);
  const cpu: number[] = [];
  for (let i = 0; i < N; i++) {
    const start = process.cpuUsage();
    await renderPdf(model, style, resources);
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const median = cpu[Math.floor(cpu.length / 2)] ?? Number.NaN;
  process.stdout.write(`${file}: warm PDF ${median.toFixed(1)} ms CPU (median of ${N})\n`);
}
