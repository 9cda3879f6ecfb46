/**
 * What each speed hook of the PDF engine (src/render/pdf/engine.ts) gains: warm PDF renders of
 * three documents (the seed, A/61/859 and features.yaml) in a process with every hook, against a
 * process with one hook left out (`speedHooksOff`), CPU time per document, and the bytes compared
 * (a hook must not change them). Hooks 1–3 are features; 5 and the layout half of 6 carry the
 * layout passes and cannot be left out; 12 acts only on a word wider than a line (none here: its
 * gain is bounded time on such words, test/hostile-long-word.test.ts).
 *
 *   npx tsx bench/hooks.ts    # BENCH_HOOKS_N=<renders per document> (default 20), BENCH_HOOKS=4,9,
 *                             # BENCH_HOOKS_PAIRS=<processes with and without each> (default 2)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'source/A-61-seed.yaml',
  'source/A-61-859.yaml',
  'test/fixtures/valid/features.yaml',
];
const N = Number(process.env.BENCH_HOOKS_N ?? 20);
/** Processes with and without each hook, run alternately (BENCH_HOOKS_PAIRS). */
const PAIRS = Math.max(1, Number(process.env.BENCH_HOOKS_PAIRS ?? 2));
/** The hooks that can be left out, and what leaving each out restores. */
const HOOKS: Readonly<Record<number, string>> = {
  4: 'fonts decoded and words shaped once per process',
  6: "later passes reuse the first pass's measurement (measureLeaf)",
  7: 'content streams kept as text',
  8: 'SVG sizes parsed once',
  9: 'words measured with their style resolved once per text node',
  10: 'SVG drawings replayed',
  11: 'words written directly',
  18: "words' nominal widths remembered (hook 14's measurement and placement)",
  19: "a replayed SVG's path operators written as their lines (hook 10)",
  20: "text runs: a page's words in one text object (with it hook 21)",
  21: "a page's content deflated at zlib's level 4",
  22: 'font subsets encoded once per process for the same glyphs',
};

/** Hooks that write other bytes by design (fewer operators, another compression level). */
const BYTES_CHANGED = new Set([20, 21]);

interface Result {
  readonly ms: number;
  readonly sha: string;
}

/** In a child: renders with `off` left out; prints CPU ms per document and the bytes' hash. */
async function child(off: readonly number[]): Promise<void> {
  const { speedHooksOff } = await import('../src/render/pdf/engine.js');
  for (const h of off) speedHooksOff.add(h);
  const { loadSource } = await import('../src/load/index.js');
  const { renderPdf } = await import('../src/render/pdf/index.js');
  const { loadResources } = await import('../src/resources.js');
  const resources = loadResources();
  const models = SOURCES.map((file) => {
    const model = loadSource(readFileSync(join(ROOT, file)), 'bench', file).model;
    if (!model) throw new Error(`${file} is not valid`);
    return model;
  });
  const hash = createHash('sha256');
  // Warm-up: the JIT and the per-process caches, as in a batch after its first documents.
  for (let i = 0; i < 3; i++)
    for (const m of models) await renderPdf(m, resources.styles[m.style], resources);
  const per: number[] = [];
  for (let i = 0; i < N; i++) {
    for (const m of models) {
      const start = process.cpuUsage();
      const bytes = await renderPdf(m, resources.styles[m.style], resources);
      const used = process.cpuUsage(start);
      per.push((used.user + used.system) / 1000);
      if (i === 0) hash.update(bytes);
    }
  }
  per.sort((a, b) => a - b);
  const result: Result = {
    ms: per[Math.floor(per.length / 2)] ?? Number.NaN,
    sha: hash.digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a child with `off` left out. */
function measure(off: readonly number[]): Result {
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [fileURLToPath(import.meta.url), 'child', ...off.map(String)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) throw new Error(`child ${off.join(',')}: ${run.stderr}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Result;
}

if (process.argv[2] === 'child') {
  await child(process.argv.slice(3).map(Number));
} else {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  process.stdout.write(
    `PDF speed hooks: CPU ms per warm render (median of ${N} × ${SOURCES.length} documents), each hook left out in turn, every run paired with one with all hooks\n`,
  );
  // BENCH_HOOKS=10,11 measures only those.
  const only = (process.env.BENCH_HOOKS ?? '').split(',').filter((h) => h !== '');
  for (const [hook, what] of Object.entries(HOOKS)) {
    if (only.length > 0 && !only.includes(hook)) continue;
    const all: number[] = [];
    const without: number[] = [];
    let same = true;
    for (let pair = 0; pair < PAIRS; pair++) {
      const a = measure([]);
      const b = measure([Number(hook)]);
      all.push(a.ms);
      without.push(b.ms);
      same &&= a.sha === b.sha;
    }
    const gain = median(without) - median(all);
    process.stdout.write(
      `  hook ${hook} (${what}): ${median(all).toFixed(1)} ms with it, ${median(without).toFixed(1)} ms without: ` +
        `${gain >= 0 ? 'saves' : 'costs'} ${Math.abs(gain).toFixed(1)} ms (${((gain / median(without)) * 100).toFixed(0)}%)` +
        `${same ? ', same bytes' : BYTES_CHANGED.has(Number(hook)) ? ', other bytes (as it should)' : ', BYTES DIFFER'}\n`,
    );
  }
}
