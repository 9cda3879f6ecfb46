/**
 * Output folders as a careless CI script or a hostile user treats them (issue 16, points 1–6),
 * through the real command: an empty option value (`--out "$UNSET"`) is a usage error, a source
 * named `index` cannot take the listing page's name, temporary files are never written through a
 * planted link, `--out` is resolved once, one writer holds an output folder at a time and a
 * document's files are replaced as a set, and an interrupt removes its temporary files, says so
 * and exits 130 or 143.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { type PrivateCli, privateCli, ROOT, type Run, stackLines } from './private-cli.js';

const SEED = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
/** The seed with a marker in its first paragraph, so that each file shows its version. */
const version = (v: string) => SEED.replace('We have the honour', `We have the honour (${v})`);

let cli: PrivateCli;
let work = '';

beforeAll(() => {
  cli = privateCli();
  work = mkdtempSync(join(tmpdir(), 'undoc-out-'));
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

function put(path: string, text: string): string {
  mkdirSync(join(work, path, '..'), { recursive: true });
  writeFileSync(join(work, path), text);
  return path;
}

async function undoc(args: readonly string[], cwd = work): Promise<Run> {
  const run = await cli.run(args, { cwd, timeout: 120_000 });
  expect(run.timedOut, run.stderr).toBe(false);
  expect(stackLines(run.stderr)).toEqual([]);
  return run;
}

const list = (dir: string) => (existsSync(join(work, dir)) ? readdirSync(join(work, dir)) : []);
const temps = (dir: string) => list(dir).filter((f) => f.endsWith('.tmp'));

/** A pid no process has now (that of a child that has exited). */
async function freshPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.on('exit', done));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe('empty option values (point 1)', () => {
  it.each([
    [['--out', ''], '--out needs a value, not an empty one (an unset variable?)'],
    [['--out='], '--out needs a value, not an empty one (an unset variable?)'],
    [['-o', ''], '--out needs a value, not an empty one (an unset variable?)'],
    [['--out', '  '], '--out needs a value, not an empty one (an unset variable?)'],
    [['--format', ''], '--format needs a value, not an empty one (an unset variable?)'],
    [['--jobs='], '--jobs needs a value, not an empty one (an unset variable?)'],
    [[''], 'a path is empty (an unset variable?); give a source file or folder'],
  ])('build seed.yaml %j: usage error (exit 2), nothing written', async (extra, message) => {
    const dir = mkdtempSync(join(work, 'empty-'));
    writeFileSync(join(dir, 'seed.yaml'), SEED);
    const run = await undoc(['build', 'seed.yaml', ...extra], dir);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toBe(`undoc: ${message}\nRun \`undoc --help\` for usage.\n`);
    expect(readdirSync(dir)).toEqual(['seed.yaml']);
    expect(existsSync('/.undoc-manifest.json')).toBe(false);
  });
});

describe('the listing page (point 2)', () => {
  it('a source named index (any case) is refused; the listing keeps its name', async () => {
    put('idx/index.yaml', version('index'));
    put('idx/Index.yaml', version('Index'));
    put('idx/seed.yaml', version('seed'));
    const run = await undoc(['build', 'idx', '--out', 'out-idx', '--format', 'html']);
    expect(run.code).toBe(EXIT.usage);
    for (const name of ['Index', 'index']) {
      expect(run.stderr).toContain(
        `idx/${name}.yaml: error name-clash: a source may not be named "${name}": its HTML would be the folder's listing page, index.html; rename the file\n`,
      );
    }
    expect(list('out-idx').sort()).toEqual(['.undoc-manifest.json', 'index.html', 'seed.html']);
    const index = readFileSync(join(work, 'out-idx/index.html'), 'utf8');
    expect(index).toContain('href="./seed.html"');
    expect(index).not.toContain('(index)');
  });
});

describe('temporary files (point 3)', () => {
  it('links planted at the old predictable temp names are never written through', async () => {
    put('tmp/seed.yaml', version('tmp'));
    mkdirSync(join(work, 'out-tmp'));
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'untouched');
    // As the attack did: a link at `.seed.<format>.<pid>.tmp` for the next few hundred pids.
    const next = await freshPid();
    for (let pid = next; pid < next + 300; pid++) {
      for (const ext of ['html', 'xml']) {
        symlinkSync(victim, join(work, 'out-tmp', `.seed.${ext}.${pid}.tmp`));
      }
    }
    const run = await undoc(['build', 'tmp', '--out', 'out-tmp', '--format', 'html,akn']);
    expect(run.code).toBe(EXIT.ok);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    for (const file of ['seed.html', 'seed.xml']) {
      const stat = lstatSync(join(work, 'out-tmp', file));
      expect(stat.isSymbolicLink()).toBe(false);
      expect(readFileSync(join(work, 'out-tmp', file), 'utf8')).toContain(
        'We have the honour (tmp)',
      );
    }
  });
});

describe('--out resolved once (point 4)', () => {
  it('`--out nothere/../out2` builds into out2, and the next build finds it up to date', async () => {
    put('res/seed.yaml', version('res'));
    const args = ['build', 'res', '--out', 'nothere/../out-res', '--format', 'html'];
    const first = await undoc(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(EXIT.ok);
    expect(list('out-res').sort()).toEqual(['.undoc-manifest.json', 'index.html', 'seed.html']);
    expect(existsSync(join(work, 'nothere'))).toBe(false);
    const second = await undoc(args);
    expect(second.code).toBe(EXIT.ok);
    expect(second.stdout).toContain('0 of 1 document built');
    expect(second.stdout).toContain('1 up to date');
  });
});

describe('one writer per output folder, a document replaced as a set (point 5)', () => {
  it('a folder locked by a live process is refused; a dead holder’s lock is taken over', async () => {
    put('lock/seed.yaml', version('lock'));
    mkdirSync(join(work, 'out-lock'));
    // This test process is alive: its pid in the lock stands for a build under way.
    writeFileSync(join(work, 'out-lock/.undoc-lock'), `${process.pid}\n`);
    const locked = await undoc(['build', 'lock', '--out', 'out-lock', '--format', 'html']);
    expect(locked.code).toBe(EXIT.io);
    expect(locked.stderr).toBe(
      `out-lock: error out-locked: another undoc (process ${process.pid}) is building into this folder; try again when it has finished (or, if no undoc is running, remove out-lock/.undoc-lock)\n`,
    );
    expect(list('out-lock')).toEqual(['.undoc-lock']);
    const watchLocked = await undoc(['watch', 'lock', '--out', 'out-lock', '--format', 'html']);
    expect(watchLocked.code).toBe(EXIT.io);
    expect(watchLocked.stderr).toContain('error out-locked:');

    writeFileSync(join(work, 'out-lock/.undoc-lock'), `${await freshPid()}\n`);
    const taken = await undoc(['build', 'lock', '--out', 'out-lock', '--format', 'html']);
    expect(taken.code).toBe(EXIT.ok);
    expect(list('out-lock').sort()).toEqual(['.undoc-manifest.json', 'index.html', 'seed.html']);
  });

  it('two builds of different folders into one: each document’s files come from one build', async () => {
    for (const v of ['a', 'b']) {
      for (let i = 1; i <= 3; i++) put(`two-${v}/d${i}.yaml`, version(`${v}${i}`));
    }
    const args = (v: string) => ['build', `two-${v}`, '--out', 'out-two', '--format', 'html,akn'];
    const [a, b] = await Promise.all([undoc(args('a')), undoc(args('b'))]);
    const codes = [a.code, b.code].sort();
    // Either one waited for nothing and found the folder locked, or they did not overlap.
    expect([
      [EXIT.ok, EXIT.ok],
      [EXIT.ok, EXIT.io],
    ]).toContainEqual(codes);
    for (const run of [a, b]) if (run.code === EXIT.io) expect(run.stderr).toContain('out-locked');
    for (let i = 1; i <= 3; i++) {
      const html = readFileSync(join(work, `out-two/d${i}.html`), 'utf8');
      const xml = readFileSync(join(work, `out-two/d${i}.xml`), 'utf8');
      const from = /We have the honour \(([ab])\d\)/.exec(html)?.[1];
      expect(from).toBeDefined();
      expect(xml).toContain(`We have the honour (${from}${i})`);
    }
    expect(list('out-two')).not.toContain('.undoc-lock');
  });

  it('a file that cannot be written leaves the document’s earlier set whole, named', async () => {
    put('set/seed.yaml', version('v1'));
    const args = ['build', 'set', '--out', 'out-set', '--format', 'html,akn'];
    expect((await undoc(args)).code).toBe(EXIT.ok);
    const before = ['seed.html', 'seed.xml'].map((f) => readFileSync(join(work, 'out-set', f)));
    put('set/seed.yaml', version('v2'));
    // A full disk, as a file-size limit: the HTML (~48 KB) cannot be written, the XML could.
    const limit = Math.ceil((before[0]?.length ?? 0) / 1024) - 4;
    expect(limit * 1024).toBeGreaterThan(before[1]?.length ?? 0);
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (done) => {
        const child = spawn(
          'bash',
          ['-c', `ulimit -f ${limit} && exec "$0" "$@"`, process.execPath, cli.bin, ...args],
          { cwd: work },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d;
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d;
        });
        child.on('close', (code) => done({ code, stdout, stderr }));
      },
    );
    expect(run.code).toBe(EXIT.io);
    expect(run.stderr).toContain(
      'not replaced (still from an earlier build, or missing): out-set/seed.html, out-set/seed.xml',
    );
    expect(run.stdout).toContain('0 files written');
    const after = ['seed.html', 'seed.xml'].map((f) => readFileSync(join(work, 'out-set', f)));
    expect(after).toEqual(before);
    expect(temps('out-set')).toEqual([]);
    // The next build, with room, writes the new set.
    expect((await undoc(args)).code).toBe(EXIT.ok);
    expect(readFileSync(join(work, 'out-set/seed.xml'), 'utf8')).toContain('(v2)');
  });
});

describe('interrupts (point 6)', () => {
  /** Starts a build of `count` documents into `out`; resolves its exit code and stderr. */
  function start(name: string, count: number, formats: string) {
    for (let i = 1; i <= count; i++) put(`${name}/d${i}.yaml`, version(`${name}${i}`));
    const out = `out-${name}`;
    const child = spawn(
      process.execPath,
      [cli.bin, 'build', name, '--out', out, '--format', formats, '--jobs', '1'],
      { cwd: work, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const ended = new Promise<{ code: number | null; stderr: string }>((done) =>
      child.on('close', (code) => done({ code, stderr })),
    );
    return { child, out, ended };
  }

  async function until(test: () => boolean): Promise<void> {
    const started = performance.now();
    while (!test() && performance.now() - started < 100_000) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(test()).toBe(true);
  }

  /** No temporary file, no lock, and each output in place whole. */
  function clean(out: string): void {
    expect(temps(out)).toEqual([]);
    expect(list(out)).not.toContain('.undoc-lock');
    for (const f of list(out).filter((n) => /^d\d+\.html$/.test(n))) {
      expect(
        readFileSync(join(work, out, f), 'utf8')
          .trimEnd()
          .endsWith('</html>'),
      ).toBe(true);
    }
  }

  it('SIGINT while files are being written: their temporary files go, exit 130', async () => {
    // The main thread renders every document before it writes: the writes come in a burst.
    const { child, out, ended } = start('sigint', 120, 'html');
    await until(() => temps(out).some((f) => f.startsWith('.d')));
    child.kill('SIGINT');
    const { code, stderr } = await ended;
    expect(code).toBe(130);
    expect(stderr.endsWith('undoc: interrupted\n')).toBe(true);
    expect(stackLines(stderr)).toEqual([]);
    clean(out);
  });

  it('SIGTERM while rendering: exit 143, the lock released, nothing half-written', async () => {
    const { child, out, ended } = start('sigterm', 4, 'pdf,html');
    await until(() => list(out).includes('.undoc-lock'));
    child.kill('SIGTERM');
    const { code, stderr } = await ended;
    expect(code).toBe(143);
    expect(stderr.endsWith('undoc: interrupted\n')).toBe(true);
    clean(out);
  });
});
