/**
 * Nothing lost: a build killed (SIGKILL) in the middle leaves every output under its final name
 * either as it was before or as the finished build writes it — never truncated, never removed —
 * and the next build clears the temporary files the killed one left (those of a live process are
 * left alone: they may belong to a build still running).
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS, outputFile } from '../src/render/types.js';
import { type PrivateCli, privateCli, ROOT, stackLines } from './private-cli.js';

const formats = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const SEED = readFileSync(join(ROOT, 'source/A-61-859.yaml'), 'utf8');
const NAMES = ['a', 'b', 'c'];

let cli: PrivateCli;
let work = '';

beforeAll(() => {
  cli = privateCli();
  work = mkdtempSync(join(tmpdir(), 'undoc-atomic-'));
  chmodSync(work, 0o755);
  mkdirSync(join(work, 'src'));
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The documents' outputs in `dir` by file name (no manifest, no index, no temp files). */
function snapshot(dir: string): Map<string, Buffer> {
  const files = readdirSync(join(work, dir)).filter(
    (f) => !f.startsWith('.') && f !== 'index.html',
  );
  return new Map(files.sort().map((f) => [f, readFileSync(join(work, dir, f))]));
}

const temps = (dir: string) => readdirSync(join(work, dir)).filter((f) => f.endsWith('.tmp'));

function writeSources(version: string): void {
  for (const n of NAMES) {
    writeFileSync(
      join(work, 'src', `${n}.yaml`),
      SEED.replace('We have the honour', `We have the honour (${version}, ${n})`),
    );
  }
}

/** A pid no process has: that of a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.on('exit', done));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe.skipIf(formats.length === 0)('a build killed in the middle', () => {
  it('leaves each output old or new, never partial; the next build clears its temp files', async () => {
    const args = ['build', 'src', '--out', 'out', '--format', formats.join(',')];
    writeSources('v1');
    const first = await cli.run(args, { cwd: work, timeout: 180_000 });
    expect(first.code).toBe(EXIT.ok);
    const before = snapshot('out');
    expect([...before.keys()]).toEqual(
      NAMES.flatMap((n) => formats.map((f) => outputFile(n, f))).sort(),
    );
    const mtimes = new Map(
      [...before.keys()].map((f) => [f, statSync(join(work, 'out', f)).mtimeMs]),
    );

    // Change every source, start the build, and kill it as soon as its first output lands.
    writeSources('v2');
    const child = spawn(process.execPath, [cli.bin, ...args], { cwd: work, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    const started = performance.now();
    let landed = false;
    while (!landed && performance.now() - started < 120_000) {
      await new Promise((r) => setTimeout(r, 10));
      landed = [...mtimes].some(([f, t]) => {
        const p = join(work, 'out', f);
        return existsSync(p) && statSync(p).mtimeMs !== t;
      });
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(landed).toBe(true);
    const killed = snapshot('out');
    const left = temps('out');

    // Temp files of a finished process go; one of a live process (this one) stays.
    const stale = `.a.${formats[0]}.${await deadPid()}.tmp`;
    const live = `.b.${formats[0]}.${process.pid}.tmp`;
    writeFileSync(join(work, 'out', stale), 'partial');
    writeFileSync(join(work, 'out', live), 'partial');

    const last = await cli.run(args, { cwd: work, timeout: 180_000 });
    expect(last.code).toBe(EXIT.ok);
    expect(stackLines(last.stderr)).toEqual([]);
    const after = snapshot('out');
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect(temps('out')).toEqual([live]);

    let old = 0;
    let fresh = 0;
    for (const [file, bytes] of killed) {
      const was = before.get(file);
      const now = after.get(file);
      if (was && bytes.equals(was)) old++;
      else if (now && bytes.equals(now)) fresh++;
      else expect.fail(`${file} after the kill is neither the old output nor the new one`);
    }
    // Every output still there, none lost.
    expect([...killed.keys()]).toEqual([...before.keys()]);
    expect(fresh).toBeGreaterThan(0);
    console.info(
      `killed build: ${fresh} outputs new, ${old} old, ${left.length} temp file(s) left, all cleared by the next build`,
    );
  });
});
