/**
 * CPU time of a warm PDF render of each source given (default: the seed), in process: the median
 * of N renders after three to warm up. For quick before/after comparisons of a change to the PDF
 * engine (bench/hooks.ts measures each speed hook; this measures the whole renderer).
 *
 *   npx tsx bench/warm-pdf.ts [source.yaml…]    # BENCH_N=<renders> (default 20)
 *
 * BENCH_PROFILE=<file.cpuprofile> also writes a CPU profile from the first source's timed renders
 * on (V8's sampling profiler from inside the process: loading and the first warm-up are not in
 * it; a later source's loading and warm-up are). Read it with Chrome's DevTools or any
 * .cpuprofile reader.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadSource } from '../src/load/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources } from '../src/resources.js';

const N = Number(process.env.BENCH_N ?? 20);
const files = process.argv.slice(2);
const resources = loadResources();
const profile = process.env.BENCH_PROFILE;
const session = new Session();
let profiling = false;
for (const file of files.length > 0 ? files : ['source/A-61-seed.yaml']) {
  const model = loadSource(readFileSync(file), 'bench', file).model;
  if (!model) throw new Error(`${file} is not valid`);
  const style = resources.styles[model.style];
  for (let i = 0; i < 3; i++) await renderPdf(model, style, resources);
  const cpu: number[] = [];
  if (profile !== undefined && !profiling) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    profiling = true;
  }
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
if (profile !== undefined && profiling) {
  const { profile: taken } = await session.post('Profiler.stop');
  writeFileSync(profile, JSON.stringify(taken));
  process.stdout.write(`CPU profile of the timed renders: ${profile}\n`);
}
