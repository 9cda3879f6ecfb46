/**
 * The output folder's lock (src/cli/lock.ts; issue 13): a dead build's lock is taken over by one
 * process only, however many find it at once (real processes racing); a whole build and a shard
 * exclude each other, shards of one build share the folder.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderLocked, lockFolder } from '../src/cli/lock.js';
import { ROOT } from './private-cli.js';

const work = mkdtempSync(join(tmpdir(), 'undoc-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A pid no process has now (that of a child that has exited). */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
};

let rounds = 0;
/** A fresh folder holding `files` (name → content). */
function folder(files: Readonly<Record<string, string>> = {}): string {
  const dir = join(work, `f${++rounds}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Starts `n` processes that take `dir`'s lock together once `go` exists; their answers. */
async function race(dir: string, n: number, shard?: string): Promise<string[]> {
  const go = join(dir, '..', `go-${rounds}`);
  const children: ChildProcess[] = [];
  const answers: Promise<string>[] = [];
  for (let i = 0; i < n; i++) {
    const args = ['--import', 'tsx', join(ROOT, 'test/lock-child.ts'), dir, go, '3000'];
    const child = spawn(process.execPath, shard === undefined ? args : [...args, shard], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    answers.push(
      new Promise((done, fail) => {
        let out = '';
        let err = '';
        child.stdout?.on('data', (d) => {
          out += d;
        });
        child.stderr?.on('data', (d) => {
          err += d;
        });
        child.on('exit', (code) => (code === 0 ? done(out.trim()) : fail(new Error(err))));
      }),
    );
  }
  // Each child has loaded the lock module and polls for `go` once it has started.
  await new Promise((done) => setTimeout(done, 4000));
  writeFileSync(go, '');
  return Promise.all(answers);
}

describe('a dead build’s lock', () => {
  it('is taken over, and released as this process leaves it', async () => {
    const dir = folder({ '.undoc-lock': `${deadPid()}\n` });
    const release = await lockFolder(dir);
    expect(readFileSync(join(dir, '.undoc-lock'), 'utf8')).toMatch(
      new RegExp(`^${process.pid} [0-9a-f]{16}\\n$`),
    );
    release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is taken by one of four processes that find it at once', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const dir = folder({ '.undoc-lock': `${deadPid()}\n` });
      const answers = await race(dir, 4);
      expect(
        answers.filter((a) => a === 'won'),
        answers.join(' '),
      ).toHaveLength(1);
      expect(answers.filter((a) => a === 'locked')).toHaveLength(3);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('a live lock is never taken, even by four at once', { timeout: 120_000 }, async () => {
    const dir = folder({ '.undoc-lock': `${process.pid}\n` });
    expect(await race(dir, 4)).toEqual(['locked', 'locked', 'locked', 'locked']);
    expect(readdirSync(dir)).toEqual(['.undoc-lock']);
  });
});

describe('a whole build and a sharded one into the same folder', () => {
  /** A lock held by a live process other than this one (a child that sleeps). */
  const live = (): { pid: number; stop: () => void } => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    return { pid: child.pid ?? 0, stop: () => child.kill() };
  };

  it('exclude each other, naming the lock that is in the way', async () => {
    const other = live();
    try {
      const whole = folder({ '.undoc-lock': `${other.pid}\n` });
      const e = await lockFolder(whole, '1-of-2').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FolderLocked);
      expect((e as FolderLocked).lockFile).toBe(join(whole, '.undoc-lock'));
      expect(readdirSync(whole)).toEqual(['.undoc-lock']);

      const sharded = folder({ '.undoc-lock-2-of-2': `${other.pid}\n` });
      const f = await lockFolder(sharded).catch((x: unknown) => x);
      expect((f as FolderLocked).lockFile).toBe(join(sharded, '.undoc-lock-2-of-2'));
      // Shards of another count overlap in their documents: excluded too.
      const g = await lockFolder(sharded, '1-of-3').catch((x: unknown) => x);
      expect(g).toBeInstanceOf(FolderLocked);
      expect(readdirSync(sharded)).toEqual(['.undoc-lock-2-of-2']);
    } finally {
      other.stop();
    }
  });

  it('shards of one build share the folder; a dead shard’s lock is in no one’s way', async () => {
    const other = live();
    try {
      const dir = folder({
        '.undoc-lock-2-of-2': `${other.pid}\n`,
        '.undoc-lock-1-of-3': `${deadPid()}\n`,
      });
      const release = await lockFolder(dir, '1-of-2');
      expect(existsSync(join(dir, '.undoc-lock-1-of-2'))).toBe(true);
      release();
      expect(readdirSync(dir).sort()).toEqual(['.undoc-lock-1-of-3', '.undoc-lock-2-of-2']);
    } finally {
      other.stop();
    }
  });

  it('started together, never both hold the folder', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 2; round++) {
      const dir = folder();
      const [whole, shard] = await Promise.all([race(dir, 1), race(dir, 1, '1-of-2')]);
      const won = [...(whole ?? []), ...(shard ?? [])].filter((a) => a === 'won');
      expect(won.length).toBeLessThanOrEqual(1);
    }
  });
});
