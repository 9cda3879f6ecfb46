/**
 * The benchmark (`npm run bench`; not a test: it asserts nothing). Run in one process tree,
 * pairwise against a peer, reporting medians and ratios:
 *   1. cold CLI on the seed, all formats, a fresh process per run — against pandoc writing DOCX
 *      and HTML from the same text as Markdown; then HTML alone against pandoc's HTML, and
 *      `validate` alone; 1b. the same cold command with `undoc serve` running (its start-up apart);
 *   2. warm, in process: each format alone, and what tagging (PDF/UA, PDF/A) costs the PDF;
 *   3. growth: the seed's annex repeated 1×, 5×, 10×, 20× (~800 numbered paragraphs) — time and
 *      peak memory, each in a fresh child process;
 *   4. 100 documents: undoc's batch (all cores) against a pandoc loop; 1 thread against all;
 *   5. `undoc watch`: from saving the seed to all three outputs replaced (BENCH_WATCH_N saves).
 *   6. scripts: a Chinese and an Arabic letter (test/fixtures/scripts/), cold (a fresh process
 *      per run, all formats) and warm (in process, each format; the first PDF of the process,
 *      which reads and parses the script's font, apart).
 * Targets are printed next to the figures; nothing here fails on a time.
 *
 * Options: BENCH_N=5 (cold pairs), BENCH_WARM_N=10, BENCH_GROWTH_N=1 and BENCH_BATCH_N=1 (runs
 * per size and per batch: the 20× PDF and the 100-document batches take minutes each),
 * BENCH_SKIP=1,3 (parts to skip). Undoc runs are the compiled CLI (`npm run bench` builds it
 * first). Where /usr/bin/time exists, spawned runs also report their CPU time (user + system)
 * and peak memory, which a busy machine disturbs less than wall time.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parse, stringify } from 'yaml';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { RENDERERS } from '../src/render/index.js';
import { renderPdfWith } from '../src/render/pdf/index.js';
import { FORMATS, type Format, outputFile } from '../src/render/types.js';
import { loadResources } from '../src/resources.js';
import { toMarkdown } from './markdown.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'undoc.js');
const SEED = join(ROOT, 'source', 'A-61-seed.yaml');
const N = Number(process.env.BENCH_N ?? 5);
const WARM_N = Number(process.env.BENCH_WARM_N ?? 10);
const GROWTH_N = Math.max(1, Number(process.env.BENCH_GROWTH_N ?? 1));
const BATCH_N = Math.max(1, Number(process.env.BENCH_BATCH_N ?? 1));
const WATCH_N = Math.max(1, Number(process.env.BENCH_WATCH_N ?? 15));
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter((s) => s !== ''));
const TMP = mkdtempSync(join(tmpdir(), 'undoc-bench-'));
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const GNU_TIME = '/usr/bin/time';
const WITH_TIME = existsSync(GNU_TIME);

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

/** What one spawned run cost: wall time, and where /usr/bin/time exists CPU time and peak RSS. */
interface Cost {
  readonly ms: number;
  readonly cpuMs?: number;
  readonly maxRssMiB?: number;
}

/** Runs a command to completion and measures it; throws with its output on failure. */
function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Cost {
  const report = join(TMP, 'time.txt');
  const [file, argv] = WITH_TIME
    ? [GNU_TIME, ['-f', '%U %S %M', '-o', report, cmd, ...args]]
    : [cmd, [...args]];
  const t0 = performance.now();
  const r = spawnSync(file, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, env });
  const wall = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  }
  if (!WITH_TIME) return { ms: wall };
  const [user = 0, sys = 0, kib = 0] = readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
  return { ms: wall, cpuMs: (user + sys) * 1000, maxRssMiB: kib / 1024 };
}

/** Several runs as one (a pandoc pair, a pandoc loop): times add up, the peak is the largest. */
function total(costs: readonly Cost[]): Cost {
  const wall = costs.reduce((a, c) => a + c.ms, 0);
  if (!costs.every((c) => c.cpuMs !== undefined)) return { ms: wall };
  const cpuMs = costs.reduce((a, c) => a + (c.cpuMs ?? 0), 0);
  return { ms: wall, cpuMs, maxRssMiB: Math.max(...costs.map((c) => c.maxRssMiB ?? 0)) };
}

const medianWall = (costs: readonly Cost[]) => median(costs.map((c) => c.ms));
const medianCpu = (costs: readonly Cost[]) => median(costs.map((c) => c.cpuMs ?? Number.NaN));

/** "median 812 ms wall, 790 ms CPU, peak 180 MiB". */
function describe(costs: readonly Cost[]): string {
  const wall = `median ${ms(medianWall(costs))} wall`;
  const cpu = medianCpu(costs);
  if (Number.isNaN(cpu)) return wall;
  const rss = Math.max(...costs.map((c) => c.maxRssMiB ?? 0));
  return `${wall}, ${ms(cpu)} CPU, peak ${rss.toFixed(0)} MiB`;
}

/** "wall 12.90×, CPU 10.10×" (CPU only when measured). */
function ratios(a: readonly Cost[], b: readonly Cost[]): string {
  const wall = `wall ${ratio(medianWall(a), medianWall(b))}`;
  const [cpuA, cpuB] = [medianCpu(a), medianCpu(b)];
  return Number.isNaN(cpuA) || Number.isNaN(cpuB) ? wall : `${wall}, CPU ${ratio(cpuA, cpuB)}`;
}

function model(path: string, name: string): UnDocument {
  const loaded = loadSource(readFileSync(path), name, path);
  if (!loaded.model)
    throw new Error(`${path} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.model;
}

/** pandoc writing DOCX and HTML (standalone) from one Markdown file: two processes, as a user would. */
function pandocBoth(md: string, outBase: string): Cost {
  return total([
    timed('pandoc', [md, '-o', `${outBase}.docx`]),
    timed('pandoc', [md, '-s', '-M', 'pagetitle=bench', '-o', `${outBase}.html`]),
  ]);
}

function cold(): void {
  say(`## 1. Cold CLI: the seed, ${AVAILABLE.join(' + ')}, fresh process per run (N=${N})`);
  const md = join(TMP, 'seed.md');
  writeFileSync(md, toMarkdown(model(SEED, 'A-61-seed')));
  const withPandoc = has('pandoc');
  if (!withPandoc) say('pandoc not found: the pandoc side of this pair is skipped');
  const undoc: Cost[] = [];
  const peer: Cost[] = [];
  const html: Cost[] = [];
  const peerHtml: Cost[] = [];
  const validate: Cost[] = [];
  for (let i = 0; i < N; i++) {
    const out = join(TMP, `cold-${i}`);
    undoc.push(timed(process.execPath, [CLI, 'build', SEED, '--out', out, '--force']));
    if (withPandoc) peer.push(pandocBoth(md, join(TMP, `cold-pandoc-${i}`)));
    html.push(
      timed(process.execPath, [CLI, 'build', SEED, '--out', `${out}-html`, '--format', 'html']),
    );
    if (withPandoc) {
      const htmlOut = join(TMP, `cold-pandoc-${i}.html`);
      peerHtml.push(timed('pandoc', [md, '-s', '-M', 'pagetitle=bench', '-o', htmlOut]));
    }
    validate.push(timed(process.execPath, [CLI, 'validate', SEED]));
  }
  const runs = (costs: readonly Cost[]) => costs.map((c) => ms(c.ms)).join(', ');
  say(`undoc build (${AVAILABLE.length} formats): ${describe(undoc)}  [${runs(undoc)}]`);
  if (withPandoc) {
    say(`pandoc docx + html:        ${describe(peer)}  [${runs(peer)}]`);
    say(`undoc / pandoc: ${ratios(undoc, peer)}   (target ≤ 2×, issue 13)`);
  }
  say(`undoc build --format html: ${describe(html)}`);
  if (withPandoc) {
    say(`pandoc html:               ${describe(peerHtml)}`);
    say(`undoc html / pandoc html: ${ratios(html, peerHtml)}`);
  }
  say(`undoc validate:            ${describe(validate)}`);
  say();
}

/** CPU time (user + system, ms) a process has used so far, from /proc; NaN where there is none. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Part 1 again with `undoc serve` running (opt-in: README "The resident server"): the server is
 * started once, its start-up reported apart, then the same N cold commands through it, each
 * alternating with pandoc's pair. A command's CPU is its client process's (from /usr/bin/time)
 * plus what the server spent on it (from /proc).
 */
async function coldServed(): Promise<void> {
  say(`## 1b. Cold CLI with \`undoc serve\` running: the seed, ${AVAILABLE.join(' + ')} (N=${N})`);
  const md = join(TMP, 'seed.md');
  const runtime = join(TMP, 'run');
  mkdirSync(runtime, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime };
  delete env.UNDOC_NO_SERVER;
  const t0 = performance.now();
  const server = spawn(process.execPath, [CLI, 'serve', '--idle-timeout', '10m'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let printed = '';
  await new Promise<void>((ready, fail) => {
    server.stdout.setEncoding('utf8').on('data', (d: string) => {
      printed += d;
      if (printed.includes('listening at')) ready();
    });
    server.on('exit', (code) => fail(new Error(`undoc serve exited ${code}: ${printed}`)));
  });
  const startMs = performance.now() - t0;
  const pid = server.pid ?? 0;
  say(`undoc serve start-up: ${ms(startMs)} wall, ${ms(processCpuMs(pid))} CPU (until listening)`);
  const withPandoc = has('pandoc');
  const served: Cost[] = [];
  const peer: Cost[] = [];
  const serverMs: number[] = [];
  try {
    for (let i = 0; i < N; i++) {
      const before = processCpuMs(pid);
      const out = join(TMP, `served-${i}`);
      const client = timed(process.execPath, [CLI, 'build', SEED, '--out', out, '--force'], env);
      const spent = processCpuMs(pid) - before;
      serverMs.push(spent);
      served.push({ ...client, cpuMs: (client.cpuMs ?? Number.NaN) + spent });
      if (withPandoc) peer.push(pandocBoth(md, join(TMP, `served-pandoc-${i}`)));
    }
  } finally {
    server.kill('SIGTERM');
  }
  const runs = (costs: readonly Cost[]) => costs.map((c) => ms(c.ms)).join(', ');
  say(`undoc build through the server: ${describe(served)}  [${runs(served)}]`);
  say(
    `  of its CPU, the server's: median ${ms(median(serverMs))}  [${serverMs.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  if (withPandoc) {
    say(`pandoc docx + html:             ${describe(peer)}`);
    say(`undoc (served) / pandoc: ${ratios(served, peer)}   (target ≤ 2×)`);
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
  await taggingCost();
}

/**
 * The tagged PDF (structure tree, PDF/UA and PDF/A metadata, the ICC profile) against the same
 * PDF untagged, renders alternated so that a busy machine disturbs both alike; and the sizes.
 */
async function taggingCost(): Promise<void> {
  say(`## 2b. What tagging and PDF/A cost: CPU per PDF render (median of ${WARM_N} rounds)`);
  const resources = loadResources();
  for (const [name, file] of [
    ['seed', SEED],
    ['features', join(ROOT, 'test', 'fixtures', 'valid', 'features.yaml')],
  ] as const) {
    const doc = model(file, name);
    const style = resources.styles[doc.style];
    const kinds = {
      untagged: { tagged: false },
      'PDF/UA': { tagged: true, archival: false },
      'PDF/UA + PDF/A': { tagged: true, archival: true },
    } as const;
    type Kind = keyof typeof kinds;
    const names = Object.keys(kinds) as Kind[];
    const run = (kind: Kind) => renderPdfWith(doc, style, resources, kinds[kind]);
    for (let i = 0; i < 2; i++) for (const kind of names) await run(kind);
    const times = new Map<Kind, number[]>(names.map((k) => [k, []]));
    const sizes = new Map<Kind, number>();
    for (let i = 0; i < WARM_N; i++) {
      // Each round in another order, so that a busy machine disturbs all alike.
      for (let j = 0; j < names.length; j++) {
        const kind = names[(i + j) % names.length] as Kind;
        // CPU time of this thread and V8's helpers: a busy machine stretches wall time.
        const c0 = process.cpuUsage();
        const bytes = await run(kind);
        const c = process.cpuUsage(c0);
        times.get(kind)?.push((c.user + c.system) / 1000);
        sizes.set(kind, bytes.length);
      }
    }
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const base = median(times.get('untagged') ?? []);
    const baseSize = sizes.get('untagged') ?? 0;
    for (const kind of names) {
      const t = median(times.get(kind) ?? []);
      const size = sizes.get(kind) ?? 0;
      say(
        `${name.padEnd(8)} ${kind.padEnd(15)} ${ms(t)} CPU (+${ms(t - base)}, ${ratio(t, base)}), ` +
          `${kb(size)} (+${kb(size - baseSize)})`,
      );
    }
  }
  say();
}

/** The seed with its annex content repeated `times` times: paragraphs keep numbering on. */
function scaled(times: number): string {
  const data = parse(readFileSync(SEED, 'utf8')) as { annexes: { content: unknown[] }[] };
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
    const paragraphs = doc.annexes.flatMap((a) => a.blocks)
      .filter((b) => b.kind === 'paragraph' && b.number !== undefined).length;
    process.stdout.write(JSON.stringify({ paragraphs, loadMs: t1 - t0, renderMs: t2 - t1,
      maxRssMiB: process.resourceUsage().maxRSS / 1024, bytes: bytes.length }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`growth child (${format}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as ChildFigures;
}

function growth(): void {
  const sizes = [1, 5, 10, 20];
  say(`## 3. Growth: the seed's annex repeated; a fresh child per run, median of ${GROWTH_N}`);
  say('(load = YAML → model; render = one format; peak = the child’s max RSS, modules included)');
  say('format  size  paragraphs      load     render  ms/paragraph  peak RSS  output');
  for (const times of sizes) writeFileSync(join(TMP, `scaled-${times}.yaml`), scaled(times));
  for (const format of AVAILABLE) {
    const rows: { paragraphs: number; total: number }[] = [];
    for (const times of sizes) {
      const file = join(TMP, `scaled-${times}.yaml`);
      const figures = Array.from({ length: GROWTH_N }, () => child(file, format));
      const first = figures[0];
      if (!first) continue;
      const load = median(figures.map((f) => f.loadMs));
      const render = median(figures.map((f) => f.renderMs));
      const rss = median(figures.map((f) => f.maxRssMiB));
      rows.push({ paragraphs: first.paragraphs, total: load + render });
      const perParagraph = ((load + render) / first.paragraphs).toFixed(2);
      say(
        `${format.padEnd(6)}  ${`${times}×`.padStart(4)}  ${String(first.paragraphs).padStart(10)}` +
          `  ${ms(load).padStart(8)}  ${ms(render).padStart(9)}  ${perParagraph.padStart(12)}` +
          `  ${`${rss.toFixed(0)} MiB`.padStart(8)}  ${(first.bytes / 1024).toFixed(0)} KiB`,
      );
    }
    // Linear growth: each added paragraph costs about the same from one size to the next.
    const slopes = rows.slice(1).map((r, i) => {
      const prev = rows[i] ?? r;
      return ((r.total - prev.total) / (r.paragraphs - prev.paragraphs)).toFixed(2);
    });
    say(
      `${format.padEnd(6)}  ms per added paragraph, size to size: ${slopes.join(', ')} (linear: equal)`,
    );
  }
  say('targets: growth linear; peak ≤ 300 MiB at 800 paragraphs');
  say();
}

function batch(): void {
  const count = 100;
  const cores = availableParallelism();
  say(`## 4. Batch: ${count} documents (copies of the seed), ${cores} cores (N=${BATCH_N})`);
  const src = join(TMP, 'batch-src');
  const mdDir = join(TMP, 'batch-md');
  mkdirSync(src, { recursive: true });
  mkdirSync(mdDir, { recursive: true });
  const md = toMarkdown(model(SEED, 'A-61-seed'));
  const names = Array.from({ length: count }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
  for (const name of names) {
    cpSync(SEED, join(src, `${name}.yaml`));
    writeFileSync(join(mdDir, `${name}.md`), md);
  }
  const all: Cost[] = [];
  const one: Cost[] = [];
  const loop: Cost[] = [];
  const withPandoc = has('pandoc');
  if (!withPandoc) say('pandoc not found: the pandoc loop is skipped');
  for (let r = 0; r < BATCH_N; r++) {
    const out = join(TMP, `batch-out-${r}`);
    all.push(timed(process.execPath, [CLI, 'build', src, '--out', out, '--force']));
    one.push(timed(process.execPath, [CLI, 'build', src, '--out', `${out}-1`, '--jobs', '1']));
    if (withPandoc) {
      const pout = join(TMP, `batch-pandoc-${r}`);
      mkdirSync(pout, { recursive: true });
      loop.push(total(names.map((n) => pandocBoth(join(mdDir, `${n}.md`), join(pout, n)))));
    }
  }
  // The no-op rebuild: everything up to date, nothing rendered.
  const noop = [timed(process.execPath, [CLI, 'build', src, '--out', join(TMP, 'batch-out-0')])];
  const share = ((100 * medianWall(noop)) / medianWall(all)).toFixed(1);
  say(`undoc, ${cores} threads: ${describe(all)}  (${ms(medianWall(all) / count)} per document)`);
  say(`undoc, 1 thread:  ${describe(one)}`);
  say(`all cores against 1 thread: ${ratios(one, all)} as fast`);
  say(`undoc no-op rebuild (all up to date): ${describe(noop)}, ${share}% of a full build`);
  if (withPandoc) {
    say(`pandoc loop (docx + html each): ${describe(loop)}`);
    say(`undoc batch against the pandoc loop: ${ratios(loop, all)} as fast   (target ≥ 3×)`);
  }
  say();
}

/** The inode and modification time of a file, or '' when it is missing. */
function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * `undoc watch` on a copy of the seed: each save changes the title (so every output changes), and
 * the time runs from just before the write to the moment the last of the three outputs has been
 * replaced (seen by a watch on the output folder, then checked by inode and mtime).
 */
async function watchLatency(): Promise<void> {
  say(`## 5. Watch: saving the seed until all its outputs are replaced (${WATCH_N} saves)`);
  const src = join(TMP, 'watch-src');
  const out = join(TMP, 'watch-out');
  mkdirSync(src, { recursive: true });
  const file = join(src, 'A-61-seed.yaml');
  const seed = readFileSync(SEED, 'utf8');
  writeFileSync(file, seed);
  const outputs = AVAILABLE.map((f) => join(out, outputFile('A-61-seed', f)));
  const child = spawn(process.execPath, [CLI, 'watch', src, '--out', out], { cwd: ROOT });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    log += t;
  });
  const lines = child.stdout.setEncoding('utf8');
  const t0 = performance.now();
  await new Promise<void>((ready, fail) => {
    const onData = (t: string) => {
      log += t;
      if (log.includes('watching')) {
        lines.off('data', onData);
        ready();
      }
    };
    lines.on('data', onData);
    child.on('exit', (code) => fail(new Error(`undoc watch exited ${code}:\n${log}`)));
  });
  say(`start-up: first build and warm-up done in ${ms(performance.now() - t0)}`);
  const times: number[] = [];
  try {
    for (let i = 0; i < WATCH_N; i++) {
      // Quiet between saves, as between a writer's saves.
      await new Promise((r) => setTimeout(r, 300));
      const before = outputs.map(stamp);
      const replaced = new Promise<number>((done, fail) => {
        const since = performance.now();
        const check = () => {
          const left = outputs.filter((p, k) => stamp(p) === before[k] || stamp(p) === '');
          if (left.length === 0 || performance.now() - since > 30_000) {
            watcher.close();
            clearInterval(backstop);
            if (left.length === 0) done(performance.now());
            else fail(new Error(`watch: ${left.join(', ')} not replaced in 30 s:\n${log}`));
          }
        };
        const watcher = watch(out, check);
        // A missed event must not hang the benchmark.
        const backstop = setInterval(check, 50);
      });
      const start = performance.now();
      writeFileSync(file, seed.replace(/^docTitle: >-\n/m, `docTitle: >-\n  Save ${i}:\n`));
      times.push((await replaced) - start);
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.on('exit', r));
  }
  say(
    `undoc watch, save → ${AVAILABLE.join(' + ')} replaced: median ${ms(median(times))}, ` +
      `min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}   (target ≤ 150 ms)`,
  );
  say(`  [${times.map((t) => t.toFixed(0)).join(', ')}]`);
  say();
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const pandoc = has('pandoc')
  ? (spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '')
  : 'absent';
/** The Chinese and Arabic test letters. */
const SCRIPT_SOURCES = [
  ['Chinese', join(ROOT, 'test', 'fixtures', 'scripts', 'zh-letter.yaml')],
  ['Arabic', join(ROOT, 'test', 'fixtures', 'scripts', 'ar-letter.yaml')],
] as const;

async function scripts(): Promise<void> {
  say(`## 6. Scripts: a Chinese and an Arabic letter (cold N=${N}, warm median of ${WARM_N})`);
  const resources = loadResources();
  for (const [language, file] of SCRIPT_SOURCES) {
    const cold: Cost[] = [];
    for (let i = 0; i < N; i++) {
      const out = join(TMP, `script-${language}-${i}`);
      cold.push(timed(process.execPath, [CLI, 'build', file, '--out', out, '--force']));
    }
    say(`${language}: cold undoc build (${AVAILABLE.length} formats): ${describe(cold)}`);
    const doc = model(file, `${language}-letter`);
    const style = resources.styles[doc.style];
    for (const format of AVAILABLE) {
      const render = RENDERERS[format];
      if (!render) continue;
      const t0 = performance.now();
      await render(doc, style, resources);
      const first = performance.now() - t0;
      await render(doc, style, resources);
      const times: number[] = [];
      for (let i = 0; i < WARM_N; i++) {
        const t = performance.now();
        await render(doc, style, resources);
        times.push(performance.now() - t);
      }
      say(
        `${language}: warm ${format.padEnd(4)} median ${ms(median(times))}  min ${ms(Math.min(...times))}  (first in process ${ms(first)})`,
      );
    }
  }
  say();
}

/**
 * Cores this process really gets now: one busy thread per core for 300 ms, CPU time over wall
 * time. On a shared machine it is below the core count, and the batch's speed-up with it.
 */
async function effectiveCores(): Promise<number> {
  const n = availableParallelism();
  const spin = 'const end = Date.now() + 300; while (Date.now() < end);';
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from(
      { length: n },
      () => new Promise((done) => new Worker(spin, { eval: true }).on('exit', done)),
    ),
  );
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (performance.now() - t0);
}

say(`# undoc benchmark — node ${process.version}, ${availableParallelism()} cores, ${pandoc}`);
say(`# formats: ${AVAILABLE.join(', ') || 'none'}; load average at start ${load()}`);
say(`# cores this process gets now (threads spinning): ${(await effectiveCores()).toFixed(2)}`);
say();
try {
  if (AVAILABLE.length === 0) say('no renderer available yet: nothing to measure');
  else {
    if (!SKIP.has('1')) cold();
    if (!SKIP.has('1') && !SKIP.has('1b') && process.platform !== 'win32') await coldServed();
    if (!SKIP.has('2')) await warm();
    if (!SKIP.has('3')) growth();
    if (!SKIP.has('4')) batch();
    if (!SKIP.has('5')) await watchLatency();
    if (!SKIP.has('6')) await scripts();
  }
  say(`# load average at end ${load()} (other work on the machine inflates wall times)`);
  say(`# cores this process gets now (threads spinning): ${(await effectiveCores()).toFixed(2)}`);
} finally {
  rmSync(TMP, { recursive: true, force: true });
}
