/**
 * The benchmark (`npm run bench`; not a test: it asserts nothing). Run in one process tree,
 * pairwise against a peer, reporting medians and ratios:
 *   1. cold CLI on the seed, all formats, a fresh process per run — against pandoc writing DOCX
 *      and HTML from the same text as Markdown;
 *   2. warm, in process: each format alone;
 *   3. growth: the seed's annex repeated 1×, 5×, 10×, 20× (~800 numbered paragraphs) — time and
 *      peak memory, each in a fresh child process;
 *   4. 100 documents: undoc's batch (worker pool) against a pandoc loop; 1 worker against all.
 * Targets are printed next to the figures; nothing here fails on a time.
 *
 * Options: BENCH_N=5 (runs per cold/batch pair), BENCH_WARM_N=10, BENCH_SKIP=1,3 (parts to skip).
 * Undoc runs are the compiled CLI (`npm run bench` builds it first).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS, type Format } from '../src/render/types.js';
import { loadResources } from '../src/resources.js';
import { toMarkdown } from './markdown.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'undoc.js');
const SEED = join(ROOT, 'source', 'A-61-seed.yaml');
const N = Number(process.env.BENCH_N ?? 5);
const WARM_N = Number(process.env.BENCH_WARM_N ?? 10);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter((s) => s !== ''));
const TMP = mkdtempSync(join(tmpdir(), 'undoc-bench-'));
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const say = (line = '') => process.stdout.write(`${line}\n`);

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command to completion; returns its wall time in ms; throws with its stderr on failure. */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const t = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  }
  return t;
}

function model(path: string, name: string): UnDocument {
  const loaded = loadSource(readFileSync(path), name, path);
  if (!loaded.model)
    throw new Error(`${path} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.model;
}

/** pandoc writing DOCX and HTML (standalone) from one Markdown file: two processes, as a user would. */
function pandocBoth(md: string, outBase: string): number {
  return (
    timed('pandoc', [md, '-o', `${outBase}.docx`]) +
    timed('pandoc', [md, '-s', '-M', 'pagetitle=bench', '-o', `${outBase}.html`])
  );
}

function cold(): void {
  say(`## 1. Cold CLI: the seed, ${AVAILABLE.join(' + ')}, fresh process per run (N=${N})`);
  const md = join(TMP, 'seed.md');
  writeFileSync(md, toMarkdown(model(SEED, 'A-61-seed')));
  const withPandoc = has('pandoc');
  if (!withPandoc) say('pandoc not found: the pandoc side of this pair is skipped');
  const undoc: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < N; i++) {
    const out = join(TMP, `cold-${i}`);
    undoc.push(timed(process.execPath, [CLI, 'build', SEED, '--out', out, '--force']));
    if (withPandoc) peer.push(pandocBoth(md, join(TMP, `cold-pandoc-${i}`)));
  }
  say(
    `undoc build (${AVAILABLE.length} formats): median ${ms(median(undoc))}  [${undoc.map(ms).join(', ')}]`,
  );
  if (withPandoc) {
    say(`pandoc docx + html:        median ${ms(median(peer))}  [${peer.map(ms).join(', ')}]`);
    say(`ratio undoc / pandoc: ${ratio(median(undoc), median(peer))}   (target ≤ 1.0×)`);
  }
  say();
}

async function warm(): Promise<void> {
  say(
    `## 2. Warm, in process: the seed, one format at a time (median of ${WARM_N} after 2 warm-ups)`,
  );
  const resources = loadResources();
  const doc = model(SEED, 'A-61-seed');
  const style = resources.styles[doc.style];
  for (const format of AVAILABLE) {
    const render = RENDERERS[format];
    if (!render) continue;
    for (let i = 0; i < 2; i++) await render(doc, style, resources);
    const times: number[] = [];
    for (let i = 0; i < WARM_N; i++) {
      const t0 = performance.now();
      await render(doc, style, resources);
      times.push(performance.now() - t0);
    }
    const target = format === 'pdf' ? '   (target ≤ 100 ms)' : '';
    say(`${format.padEnd(4)} median ${ms(median(times))}  min ${ms(Math.min(...times))}${target}`);
  }
  say();
}

/** The seed with its annex content repeated `times` times: paragraphs keep numbering on. */
function scaled(times: number): string {
  const data = parse(readFileSync(SEED, 'utf8')) as {
    annexes: { content: unknown[] }[];
  };
  const annex = data.annexes[0];
  if (!annex) throw new Error('the seed has no annex');
  annex.content = Array.from({ length: times }, () => annex.content).flat();
  return stringify(data, { lineWidth: 0 });
}

interface ChildFigures {
  readonly paragraphs: number;
  readonly loadMs: number;
  readonly renderMs: number;
  readonly maxRssMiB: number;
  readonly bytes: number;
}

/** One fresh child: load modules and resources, warm up on the seed, then load+render `file`. */
function child(file: string, format: Format): ChildFigures {
  const dist = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', p)).href);
  const script = `
    import { readFileSync } from 'node:fs';
    const { loadResources } = await import(${dist('resources.js')});
    const { loadSource } = await import(${dist('load/index.js')});
    const { RENDERERS } = await import(${dist('render/index.js')});
    const res = loadResources();
    const render = RENDERERS[${JSON.stringify(format)}];
    const seed = loadSource(readFileSync(${JSON.stringify(SEED)}), 'seed').model;
    await render(seed, res.styles[seed.style], res);
    const t0 = performance.now();
    const doc = loadSource(readFileSync(process.argv[1]), 'big').model;
    const t1 = performance.now();
    const bytes = await render(doc, res.styles[doc.style], res);
    const t2 = performance.now();
    const paragraphs = doc.annexes.flatMap((a) => a.blocks).filter((b) => b.number !== undefined).length;
    process.stdout.write(JSON.stringify({ paragraphs, loadMs: t1 - t0, renderMs: t2 - t1,
      maxRssMiB: process.resourceUsage().maxRSS / 1024, bytes: bytes.length }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`scale child (${format}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as ChildFigures;
}

function growth(): void {
  const sizes = [1, 5, 10, 20];
  const runs = Math.max(1, Math.min(N, 3));
  say(`## 3. Growth: the seed's annex repeated; fresh child per run, median of ${runs}`);
  say('format  size  paragraphs   load     render   ms/paragraph   peak RSS   output');
  for (const format of AVAILABLE) {
    const rows: { paragraphs: number; total: number }[] = [];
    for (const times of sizes) {
      const file = join(TMP, `scaled-${times}.yaml`);
      writeFileSync(file, scaled(times));
      const figures = Array.from({ length: runs }, () => child(file, format));
      const first = figures[0];
      if (!first) continue;
      const load = median(figures.map((f) => f.loadMs));
      const render = median(figures.map((f) => f.renderMs));
      const rss = median(figures.map((f) => f.maxRssMiB));
      rows.push({ paragraphs: first.paragraphs, total: load + render });
      say(
        `${format.padEnd(6)}  ${`${times}×`.padStart(4)}  ${String(first.paragraphs).padStart(10)}` +
          `  ${ms(load).padStart(8)} ${ms(render).padStart(9)}  ${((load + render) / first.paragraphs).toFixed(2).padStart(13)}` +
          `   ${`${rss.toFixed(0)} MiB`.padStart(8)}   ${(first.bytes / 1024).toFixed(0)} KiB`,
      );
    }
    // Linear growth: the cost of each added paragraph stays the same from size to size.
    const slopes = rows.slice(1).map((r, i) => {
      const prev = rows[i] ?? r;
      return (r.total - prev.total) / (r.paragraphs - prev.paragraphs);
    });
    say(
      `${format.padEnd(6)}  marginal ms per added paragraph between sizes: ${slopes.map((s) => s.toFixed(2)).join(', ')}` +
        '   (linear: about equal)',
    );
  }
  say('target: peak ≤ 300 MiB at 800 paragraphs; growth linear');
  say();
}

function batch(): void {
  const count = 100;
  const cores = availableParallelism();
  say(
    `## 4. Batch: ${count} documents (copies of the seed), ${cores} cores available (N=${Math.min(N, 3)})`,
  );
  const src = join(TMP, 'batch-src');
  mkdirSync(src, { recursive: true });
  const mdDir = join(TMP, 'batch-md');
  mkdirSync(mdDir, { recursive: true });
  const md = toMarkdown(model(SEED, 'A-61-seed'));
  for (let i = 0; i < count; i++) {
    const name = `doc-${String(i).padStart(3, '0')}`;
    cpSync(SEED, join(src, `${name}.yaml`));
    writeFileSync(join(mdDir, `${name}.md`), md);
  }
  const runs = Math.max(1, Math.min(N, 3));
  const all: number[] = [];
  const one: number[] = [];
  const loop: number[] = [];
  const withPandoc = has('pandoc');
  if (!withPandoc) say('pandoc not found: the pandoc loop is skipped');
  for (let r = 0; r < runs; r++) {
    const out = join(TMP, `batch-out-${r}`);
    all.push(timed(process.execPath, [CLI, 'build', src, '--out', out, '--force']));
    one.push(
      timed(process.execPath, [CLI, 'build', src, '--out', `${out}-1`, '--force', '--jobs', '1']),
    );
    if (withPandoc) {
      const pout = join(TMP, `batch-pandoc-${r}`);
      mkdirSync(pout, { recursive: true });
      let t = 0;
      for (let i = 0; i < count; i++) {
        const name = `doc-${String(i).padStart(3, '0')}`;
        t += pandocBoth(join(mdDir, `${name}.md`), join(pout, name));
      }
      loop.push(t);
    }
  }
  // The no-op rebuild: everything up to date, nothing rendered.
  const noop = timed(process.execPath, [CLI, 'build', src, '--out', join(TMP, 'batch-out-0')]);
  say(
    `undoc batch, ${cores} workers (${AVAILABLE.length} formats): median ${ms(median(all))}  (${ms(median(all) / count)} per document)`,
  );
  say(
    `undoc batch, 1 worker:                median ${ms(median(one))}  → all cores are ${ratio(median(one), median(all))} faster`,
  );
  say(
    `undoc no-op rebuild (all up to date): ${ms(noop)} = ${((100 * noop) / median(all)).toFixed(1)}% of a full build`,
  );
  if (withPandoc) {
    say(`pandoc loop (docx + html each):       median ${ms(median(loop))}`);
    say(`undoc batch speed vs pandoc loop: ${ratio(median(loop), median(all))}   (target ≥ 3×)`);
  }
  say();
}

say(
  `# undoc benchmark — node ${process.version}, ${availableParallelism()} cores, formats: ${AVAILABLE.join(', ') || 'none'}`,
);
say(
  `# ${new Date().toISOString()}; pandoc: ${has('pandoc') ? (spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '') : 'absent'}`,
);
say();
try {
  if (AVAILABLE.length === 0) say('no renderer available yet: nothing to measure');
  else {
    if (!SKIP.has('1')) cold();
    if (!SKIP.has('2')) await warm();
    if (!SKIP.has('3')) growth();
    if (!SKIP.has('4')) batch();
  }
} finally {
  rmSync(TMP, { recursive: true, force: true });
}
