/**
 * `undoc build`, `check` and `watch` end to end, on real files and worker threads: a batch with
 * one invalid document, a no-op rebuild that renders and writes nothing, progress with and without
 * a terminal, check's stale/missing/extra, byte-identical rebuilds in another timezone, and a
 * spawned watch that rebuilds on an edit and survives a broken source.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, parseManifest } from '../src/build/manifest.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS, outputFile } from '../src/render/types.js';
import { runCli } from './in-process-cli.js';
import { type PrivateCli, privateCli } from './private-cli.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const TMP = mkdtempSync(join(tmpdir(), 'undoc-build-cli-'));
const SRC = join(TMP, 'src');
const BAD_SOURCE = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8').replace(
  /^docTitle:/m,
  'docTitel:',
);
// Control characters other than tab and newline: a non-terminal must never receive them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Runs the CLI in this process; collects what it prints. */
const cli = runCli;

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** The documents' files in an output folder: not the manifest, not the CLI's index page. */
const outputsOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f !== MANIFEST_FILE && f !== 'index.html')
    .sort();

/** A private build of the package (test/private-cli.ts): real workers, no tsx. */
let PKG = '';
let privatePkg: PrivateCli | undefined;

beforeAll(() => {
  // Templates copied, not linked: they are inputs, and this build must see one version of them.
  privatePkg = privateCli({ copyTemplates: true });
  PKG = privatePkg.pkg;
  mkdirSync(SRC);
  copyFileSync(join(ROOT, 'source/A-61-seed.yaml'), join(SRC, 'A-61-seed.yaml'));
  copyFileSync(join(ROOT, 'test/fixtures/valid/features.yaml'), join(SRC, 'features.yaml'));
  writeFileSync(join(SRC, 'bad.yaml'), BAD_SOURCE);
});
afterAll(() => {
  privatePkg?.dispose();
  rmSync(TMP, { recursive: true, force: true });
});

describe.skipIf(AVAILABLE.length === 0)('undoc build', () => {
  const OUT = join(TMP, 'out');
  let first: { code: number | null; out: string; err: string };
  let firstMs = 0;
  beforeAll(async () => {
    const t0 = performance.now();
    // A fresh process of the built CLI: its progress goes to a pipe, not a terminal.
    first = await finished(spawnCli(['build', SRC, '--out', OUT, '--jobs', '2']));
    firstMs = performance.now() - t0;
  });

  it('writes the valid documents although one is invalid, and exits non-zero', () => {
    expect(first.code).toBe(1);
    const expected = ['A-61-seed', 'features'].flatMap((n) =>
      AVAILABLE.map((f) => outputFile(n, f)),
    );
    expect(outputsOf(OUT)).toEqual(expected.sort());
  });

  it('lists the failure with file:line:col in the summary and prints the caret', () => {
    const bad = join(SRC, 'bad.yaml');
    expect(first.out).toMatch(
      /^build: 2 of 3 documents built into .* 0 up to date, 1 failed in [\d.]+ s on 2 threads$/m,
    );
    expect(first.out).toContain(`  failed: ${bad}:18:1: error unknown-key:`);
    expect(first.err).toContain(`${bad}:18:1: error unknown-key:`);
    expect(first.err).toContain(' 18 | docTitel: >-');
  });

  it('prints plain progress lines without control codes when not a terminal', () => {
    expect(first.out).not.toMatch(CONTROL);
    expect(first.out).toMatch(/^\[[ \d]+\/3\] built A-61-seed \(\d+ ms\)$/m);
    expect(first.out).toMatch(/^\[[ \d]+\/3\] FAILED bad: .*bad\.yaml:18:1: error unknown-key/m);
  });

  it('a no-op rebuild renders nothing and touches no file', async () => {
    const files = readdirSync(OUT);
    const mtimes = new Map(files.map((f) => [f, statSync(join(OUT, f)).mtimeMs]));
    const t0 = performance.now();
    // The same build (same engine fingerprint) as the first one, in a fresh process.
    const again = await finished(
      spawnCli(['build', join(SRC, 'A-61-seed.yaml'), join(SRC, 'features.yaml'), '--out', OUT]),
    );
    const ms = performance.now() - t0;
    console.log(
      `full build of 3 documents ${firstMs.toFixed(0)} ms; no-op rebuild of 2: ${ms.toFixed(0)} ms`,
    );
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^build: 0 of 2 documents built .* 2 up to date, 0 failed/m);
    expect(again.out).toMatch(/^\[1\/2\] up to date A-61-seed$/m);
    for (const f of files) expect(statSync(join(OUT, f)).mtimeMs).toBe(mtimes.get(f));
  });

  it('--force rebuilds, to the same bytes', async () => {
    const before = new Map(outputsOf(OUT).map((f) => [f, sha(join(OUT, f))]));
    const forced = await finished(
      // Both sources: the index page lists the documents of the build that wrote it.
      spawnCli([
        'build',
        join(SRC, 'A-61-seed.yaml'),
        join(SRC, 'features.yaml'),
        '--out',
        OUT,
        '--force',
      ]),
    );
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toMatch(/^\[[12]\/2\] built A-61-seed \(\d+ ms\)$/m);
    expect(forced.out).toMatch(/^build: 2 of 2 documents built/m);
    for (const [f, h] of before) expect(sha(join(OUT, f)), f).toBe(h);
    const manifest = parseManifest(readFileSync(join(OUT, MANIFEST_FILE), 'utf8'));
    expect(manifest.ok && Object.keys(manifest.manifest.documents).sort()).toEqual([
      'A-61-seed',
      'features',
    ]);
  });

  it('check exits 0 when in sync and 5 naming each stale, missing and extra file', async () => {
    const sources = [join(SRC, 'A-61-seed.yaml'), join(SRC, 'features.yaml')];
    const ok = await finished(spawnCli(['check', ...sources, '--out', OUT]));
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toMatch(/^check: .* holds exactly what build writes for 2 documents/m);

    const format = AVAILABLE[0] ?? 'html';
    const [other] = AVAILABLE.slice(1);
    const drifted = join(TMP, 'drifted');
    mkdirSync(drifted);
    for (const f of readdirSync(OUT)) copyFileSync(join(OUT, f), join(drifted, f));
    writeFileSync(join(drifted, `A-61-seed.${format}`), 'edited by hand');
    if (other) rmSync(join(drifted, `features.${other}`));
    writeFileSync(join(drifted, 'withdrawn.pdf'), '%PDF-1.7');
    const bad = await finished(spawnCli(['check', ...sources, '--out', drifted]));
    expect(bad.code).toBe(5);
    expect(bad.out).toContain(`stale   ${drifted}/A-61-seed.${format}`);
    if (other) expect(bad.out).toContain(`missing ${drifted}/features.${other}`);
    expect(bad.out).toContain(`extra   ${drifted}/withdrawn.pdf`);
    expect(bad.out).toMatch(/is out of date: 1 stale, [01] missing, 1 extra/);
  });

  it('check fails on an invalid source, naming it', async () => {
    const r = await finished(spawnCli(['check', join(SRC, 'bad.yaml'), '--out', OUT]));
    expect(r.code).toBe(1);
    expect(r.err).toContain(':18:1: error unknown-key');
  });
});

describe.skipIf(AVAILABLE.length === 0)('progress on a terminal', () => {
  it('is one line rewritten in place', async () => {
    // In this process, so that the output can claim to be a terminal.
    const out = join(TMP, 'tty');
    const r = await cli(['build', join(SRC, 'A-61-seed.yaml'), '--out', out, '--jobs', '1'], true);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('\r\u001b[2K[1/1] built A-61-seed');
    // The live line is cleared before the summary, which starts on a clean line.
    expect(r.out).toContain('\r\u001b[2Kbuild: 1 of 1 document built');
  });
});

/** `node bin/undoc.js …` of the private build, in a fresh process, as CI runs it. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [join(PKG, 'bin/undoc.js'), ...args], {
    cwd: TMP,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (err += d));
  return new Promise((done) => child.on('close', (code) => done({ code, out, err })));
}

describe.skipIf(AVAILABLE.length === 0)('byte-identical rebuilds', () => {
  it('gives the same bytes in another timezone, from a fresh process, in another order', async () => {
    const sources = [join(ROOT, 'source/A-61-859.yaml'), join(SRC, 'features.yaml')];
    const hashes: Map<string, string>[] = [];
    for (const [i, TZ] of ['UTC', 'Pacific/Kiritimati'].entries()) {
      const out = join(TMP, `tz-${i}`);
      // One thread, the documents in the opposite order the second time: what one document
      // leaves behind in a process (caches, fonts) must not reach the next one's bytes.
      const order = i === 0 ? sources : [...sources].reverse();
      const r = await finished(spawnCli(['build', ...order, '--out', out, '--jobs', '1'], { TZ }));
      expect(r.code, r.out + r.err).toBe(0);
      hashes.push(new Map(outputsOf(out).map((f) => [f, sha(join(out, f))])));
    }
    const [utc, kiritimati] = hashes;
    // Every available format was compared, and at least one exists.
    expect(AVAILABLE.length).toBeGreaterThan(0);
    expect([...(utc?.keys() ?? [])]).toEqual(
      ['A-61-859', 'features'].flatMap((n) => AVAILABLE.map((f) => outputFile(n, f))).sort(),
    );
    // As sorted lines, so that a failure names the file that differs.
    const lines = (m?: Map<string, string>) => [...(m ?? [])].map(([f, h]) => `${f} ${h}`);
    expect(lines(kiritimati)).toEqual(lines(utc));
  });
});

/** Resolves when `test` holds, polling; rejects after `ms`. */
async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(AVAILABLE.length === 0)('undoc watch', () => {
  it('rebuilds an edited source, reports a broken one and keeps watching', async () => {
    const dir = join(TMP, 'watched');
    const out = join(TMP, 'watch-out');
    mkdirSync(dir);
    const source = join(dir, 'A-61-seed.yaml');
    const seed = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
    writeFileSync(source, seed);
    const format = AVAILABLE.includes('html') ? 'html' : (AVAILABLE[0] ?? 'html');
    const target = join(out, `A-61-seed.${format}`);
    const child = spawnCli(['watch', dir, '--out', out, '--format', format, '--jobs', '1']);
    const done = finished(child);
    let log = '';
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    try {
      await until(() => log.includes('watching'), 60_000, 'the first build');
      const firstHash = sha(target);
      // As after `undoc build`, the folder's index page lists the document.
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('A-61-seed.');

      writeFileSync(source, seed.replace('We have the honour', 'We have the great honour'));
      await until(() => sha(target) !== firstHash, 60_000, 'the rebuilt output');
      if (format === 'html') expect(readFileSync(target, 'utf8')).toContain('great honour');

      writeFileSync(source, BAD_SOURCE);
      await until(() => log.includes('error unknown-key'), 60_000, 'the error report');
      expect(child.exitCode).toBeNull();

      writeFileSync(source, seed);
      await until(() => sha(target) === firstHash, 60_000, 'the output rebuilt after the fix');
    } finally {
      child.kill('SIGTERM');
    }
    const { code, out: text } = await done;
    expect(code, text).toBe(0);
    expect(text).toContain('watch: stopped');
  });
});
