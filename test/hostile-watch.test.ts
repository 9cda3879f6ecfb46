/**
 * `undoc watch` when its folder is replaced (issue 16, point 8): `rm -rf src; mkdir src` left the
 * watch deaf (its folder watch was on the removed folder) and the outputs of deleted sources in
 * place. Through the real command: the watch says what happened, watches the new folder, builds
 * what appears there and every later edit, and removes the outputs whose source is gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { type PrivateCli, privateCli, ROOT, stackLines } from './private-cli.js';

const SEED = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
const version = (v: string) => SEED.replace('We have the honour', `We have the honour (${v})`);

let cli: PrivateCli;
let work = '';

beforeAll(() => {
  cli = privateCli();
  work = mkdtempSync(join(tmpdir(), 'undoc-watch-'));
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Waits until `test` holds (a deadline against a hang, not a measure of speed). */
async function until(what: string, test: () => boolean): Promise<void> {
  const started = performance.now();
  while (!test() && performance.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(test(), what).toBe(true);
}

it('a replaced source folder is watched again; outputs of deleted sources are removed', async () => {
  mkdirSync(join(work, 'src'));
  writeFileSync(join(work, 'src/a.yaml'), version('a'));
  const child = spawn(
    process.execPath,
    [cli.bin, 'watch', 'src', '--out', 'out', '--format', 'html'],
    { cwd: work, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  const ended = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  try {
    await until('first build', () => stdout.includes('watching 1 folder'));
    expect(existsSync(join(work, 'out/a.html'))).toBe(true);

    rmSync(join(work, 'src'), { recursive: true });
    mkdirSync(join(work, 'src'));
    writeFileSync(join(work, 'src/b.yaml'), version('b1'));
    const html = join(work, 'out/b.html');
    await until('the new folder built', () => existsSync(html));
    await until('the new folder watched', () =>
      /watch: \S*src (was replaced; watching the new folder|is back; watching it again)/.test(
        stdout,
      ),
    );
    await until('the orphan removed', () => !existsSync(join(work, 'out/a.html')));
    expect(stdout).toContain('watch: removed out/a.html (its source src/a.yaml is gone)');
    await until(
      'the listing without it',
      () => !readFileSync(join(work, 'out/index.html'), 'utf8').includes('a.html'),
    );

    // Later edits are heard.
    writeFileSync(join(work, 'src/b.yaml'), version('b2'));
    await until('the edit rebuilt', () => readFileSync(html, 'utf8').includes('(b2)'));
  } finally {
    child.kill('SIGINT');
  }
  expect(await ended).toBe(EXIT.ok);
  expect(stdout).toContain('watch: stopped');
  expect(stackLines(stderr)).toEqual([]);
});
