/**
 * The command as `npm run build` makes it (the suite's one build, test/global-setup.ts): one
 * esbuild bundle loaded through the V8 code cache the build wrote, and a start-up snapshot for
 * `build` and `check`. The cache is accepted by this Node; with it, without it, with a corrupt one,
 * from the snapshot (and its render worker processes) and on worker threads the bytes are the
 * same; a snapshot whose inputs changed is not used; a command loads only the renderers it uses; a
 * missing build is a plain message.
 */

import { spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { snapshotStamp } from '../src/snapshot-stamp.js';
import { type PrivateCli, privateCli, ROOT, runNode, stackLines } from './private-cli.js';

const TMP = mkdtempSync(join(tmpdir(), 'undoc-bundle-'));
const SRC = join(TMP, 'src');
const SOURCES = [
  'source/A-61-seed.yaml',
  'source/A-61-859.yaml',
  'test/fixtures/valid/features.yaml',
];

let cli: PrivateCli;

beforeAll(() => {
  cli = privateCli();
  mkdirSync(SRC);
  for (const s of SOURCES) copyFileSync(join(ROOT, s), join(SRC, s.split('/').pop() as string));
});
afterAll(() => {
  cli.dispose();
  rmSync(TMP, { recursive: true, force: true });
});

/** Every file an output folder holds, by name, as bytes. */
function filesOf(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );
}

/**
 * Builds the three sources into a fresh folder with `--jobs N`, by the private package's command
 * or `bin`; the folder's files, and what the command printed on stderr.
 */
async function buildAll(
  label: string,
  jobs: number,
  how: { readonly bin?: string; readonly env?: Record<string, string> } = {},
): Promise<Map<string, Buffer>> {
  const out = join(TMP, label);
  const run = await runNode(
    [how.bin ?? cli.bin, 'build', SRC, '--out', out, '--jobs', String(jobs)],
    { cwd: TMP, timeout: 90_000, ...(how.env ? { env: how.env } : {}) },
  );
  expect(run.code).toBe(0);
  lastStderr = run.stderr;
  return filesOf(out);
}
let lastStderr = '';

/** Expects two output folders' files to be the same names and bytes. */
function expectSame(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...b.keys()]).toEqual([...a.keys()]);
  for (const [name, bytes] of a) expect(b.get(name)?.equals(bytes), name).toBe(true);
}

/**
 * Runs `script` (CommonJS) in a fresh Node process with the package's launcher as `launcher`;
 * what it prints on stdout, parsed as JSON.
 */
async function inLauncher(script: string): Promise<unknown> {
  const launcher = JSON.stringify(join(cli.pkg, 'dist/undoc.cjs'));
  const run = await runNode(['-e', `const launcher = require(${launcher});\n${script}`], {
    cwd: ROOT,
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '');
}

describe('the code cache', () => {
  it('is accepted by the Node that built it', async () => {
    expect(await inLauncher('console.log(JSON.stringify(launcher.loadBundle().codeCache));')).toBe(
      'accepted',
    );
  });

  it('never changes a byte: with it, without it, refused, and on worker threads', async () => {
    const cached = await buildAll('cached', 1);
    expect(lastStderr).toBe('');
    const threads = await buildAll('threads', 3);
    const cache = join(cli.pkg, 'dist/undoc-main.cache');
    const bytes = readFileSync(cache);
    try {
      rmSync(cache);
      const none = await buildAll('none', 1);
      // Same length, wrong bytes: V8 refuses it (its checksum) and compiles from source.
      writeFileSync(cache, Buffer.alloc(bytes.length, 7));
      expect(
        await inLauncher('console.log(JSON.stringify(launcher.loadBundle().codeCache));'),
      ).toBe('rejected');
      const refused = await buildAll('refused', 3);
      expect([...cached.keys()]).toEqual(
        expect.arrayContaining(['A-61-seed.pdf', 'A-61-859.docx', 'features.html', 'index.html']),
      );
      for (const other of [threads, none, refused]) expectSame(cached, other);
    } finally {
      writeFileSync(cache, bytes);
    }
  });
});

describe('the start-up snapshot', () => {
  // The suite's build, in place: the snapshot's heap holds this package's paths.
  const pkg = dirname(inject('undocDist'));
  const bin = join(pkg, 'bin/undoc.js');
  const debug = { UNDOC_DEBUG: '1' };

  beforeAll(() => {
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin/undoc.js'), bin);
  });

  it('was written for this Node', () => {
    expect(existsSync(join(pkg, 'dist/undoc.blob'))).toBe(true);
    const made = JSON.parse(readFileSync(join(pkg, 'dist/undoc.blob.json'), 'utf8'));
    expect(made).toEqual({
      node: process.version,
      v8: process.versions.v8,
      arch: process.arch,
      dist: realpathSync(join(pkg, 'dist')),
      flags: ['--initial-old-space-size=128'],
    });
  });

  it('build and check run from it, with the bytes of the code-cache path', async () => {
    const snapshot = await buildAll('snapshot', 1, { bin, env: debug });
    expect(lastStderr).toBe('undoc: started from the start-up snapshot\n');
    // Three documents on three: the command's process, which writes, and three render worker
    // processes, each started from the snapshot (each says so), not worker threads.
    const workers = await buildAll('snapshot-workers', 3, { bin, env: debug });
    expect(lastStderr).toBe('undoc: started from the start-up snapshot\n'.repeat(4));
    const plain = await buildAll('no-snapshot', 1, {
      bin,
      env: { UNDOC_NO_SNAPSHOT: '1', ...debug },
    });
    expect(lastStderr).toBe('');
    expectSame(plain, snapshot);
    expectSame(plain, workers);
    const check = await runNode([bin, 'check', SRC, '--out', join(TMP, 'no-snapshot')], {
      cwd: TMP,
      timeout: 90_000,
      env: debug,
    });
    expect(check.stderr).toBe('undoc: started from the start-up snapshot\n');
    expect(check.code).toBe(0);
  });

  /** The ids of the processes whose parent is `pid` (Linux: from /proc). */
  function childrenOf(pid: number): number[] {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        let stat = '';
        try {
          stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        } catch {
          return false; // gone meanwhile
        }
        // After "pid (name) state": the parent's id.
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      })
      .map(Number);
  }

  it.skipIf(process.platform !== 'linux')(
    'a signal to the command reaches the process it started, and ends both',
    async () => {
      const child = spawn(process.execPath, [bin, 'build', SRC, '--out', join(TMP, 'signalled')], {
        cwd: TMP,
        stdio: 'ignore',
        // V8 options in NODE_OPTIONS would keep the command from starting the snapshot's process.
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      const exited = new Promise<NodeJS.Signals | null>((done) =>
        child.on('exit', (_code, signal) => done(signal)),
      );
      let started: number[] = [];
      // Up to 15 s: a loaded machine starts processes slowly.
      for (let i = 0; i < 750 && started.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        started = childrenOf(child.pid ?? 0);
      }
      expect(started).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      // The snapshot's process ends with it, rather than writing on for nobody.
      for (let i = 0; i < 750 && existsSync(`/proc/${started[0]}`); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(existsSync(`/proc/${started[0]}`)).toBe(false);
    },
  );

  it('in a copy of the package, it is not used: the command starts from dist/undoc.cjs', async () => {
    const moved = privateCli({ copyTemplates: true });
    try {
      for (const f of ['undoc.blob', 'undoc.blob.json']) {
        cpSync(join(pkg, 'dist', f), join(moved.pkg, 'dist', f));
      }
      // bin/undoc.js sees the folder it was written for and does not start it.
      const out = await buildAll('moved', 1, { bin: moved.bin, env: debug });
      expect(lastStderr).toBe('');
      expectSame(
        await buildAll('moved-plain', 1, { bin: moved.bin, env: { UNDOC_NO_SNAPSHOT: '1' } }),
        out,
      );
      // Told otherwise, the snapshot's own check finds that its heap holds another folder.
      const info = join(moved.pkg, 'dist/undoc.blob.json');
      const made = JSON.parse(readFileSync(info, 'utf8'));
      writeFileSync(info, JSON.stringify({ ...made, dist: realpathSync(join(moved.pkg, 'dist')) }));
      expectSame(await buildAll('moved-told', 1, { bin: moved.bin, env: debug }), out);
      expect(lastStderr).toMatch(
        /^undoc: the start-up snapshot is stale \(built in .*\); starting from dist\/undoc\.cjs\n$/,
      );
    } finally {
      moved.dispose();
    }
  });

  it('its stamp changes with a template, a font file or the bundle, and only with them', () => {
    const root = mkdtempSync(join(TMP, 'stamp-'));
    mkdirSync(join(root, 'dist'));
    cpSync(join(ROOT, 'templates'), join(root, 'templates'), { recursive: true });
    writeFileSync(join(root, 'dist/undoc-main.cjs'), 'bundle');
    // The font package is found from dist/ as the command finds it: through node_modules.
    mkdirSync(join(root, 'node_modules/@expo-google-fonts'), { recursive: true });
    const fonts = join(root, 'node_modules/@expo-google-fonts/tinos');
    cpSync(join(ROOT, 'node_modules/@expo-google-fonts/tinos'), fonts, {
      recursive: true,
      dereference: true,
    });
    const dist = join(root, 'dist');
    const first = snapshotStamp(dist);
    expect(snapshotStamp(dist)).toBe(first);
    expect(first).toContain('template ny.yaml ');
    expect(first).toMatch(/^font 400Regular\/Tinos_400Regular\.ttf /m);
    const ny = join(root, 'templates/ny.yaml');
    writeFileSync(ny, `${readFileSync(ny, 'utf8')}\n# edited\n`);
    const edited = snapshotStamp(dist);
    expect(edited).not.toBe(first);
    const ttf = join(fonts, '400Regular/Tinos_400Regular.ttf');
    utimesSync(ttf, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const touched = snapshotStamp(dist);
    expect(touched).not.toBe(edited);
    writeFileSync(join(root, 'dist/undoc-main.cjs'), 'another bundle');
    expect(snapshotStamp(dist)).not.toBe(touched);
  });
});

describe('loading on demand', () => {
  const seed = join(ROOT, 'source/A-61-seed.yaml');
  const out = (name: string) => ['--out', join(TMP, `lazy-${name}`)];

  /**
   * The packages whose CommonJS modules a command left in require.cache, run from the bundle
   * (which inlines all but the native add-on, @resvg/resvg-js) or from tsc's modules in dist/.
   */
  async function packagesLoaded(how: 'bundle' | 'modules', args: string[]): Promise<string[]> {
    const argv = JSON.stringify(args);
    const cliUrl = JSON.stringify(pathToFileURL(join(cli.pkg, 'dist/cli/main.js')).href);
    const quiet = '{ out: () => {}, err: (t) => process.stderr.write(t) }';
    const run =
      how === 'bundle'
        ? `launcher.loadBundle().exports.runCli(${argv}, '')`
        : `import(${cliUrl}).then((m) => m.main(${argv}, ${quiet}))`;
    const packages = await inLauncher(`
      const print = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      ${run}.then(() => {
        const names = Object.keys(require.cache)
          .filter((f) => f.includes('/node_modules/'))
          .map((f) => f.split('/node_modules/').pop().split('/'))
          .map(([a, b]) => (a.startsWith('@') ? a + '/' + b : a));
        print(JSON.stringify([...new Set(names)].sort()) + '\\n');
      });`);
    return packages as string[];
  }

  /**
   * The libraries the probe can see: in the bundle every library but the external resvg is
   * inlined and never enters require.cache, so there only resvg tells (the `modules` runs check
   * the others, from the same lazy loading in src/).
   */
  const visible = (how: 'bundle' | 'modules', libs: readonly string[]) =>
    how === 'bundle' ? libs.filter((l) => l === '@resvg/resvg-js') : libs;

  it.each(['bundle', 'modules'] as const)('%s: validate loads no renderer', async (how) => {
    const loaded = await packagesLoaded(how, ['validate', seed]);
    const libs = ['@resvg/resvg-js', 'pdfmake', 'pdfkit', 'fontkit', 'bwip-js', 'qrcode'];
    for (const lib of visible(how, libs)) {
      expect(loaded).not.toContain(lib);
    }
  });

  it.each(['bundle', 'modules'] as const)(
    '%s: --format html loads neither pdfmake nor the DOCX images library',
    async (how) => {
      const html = await packagesLoaded(how, [
        'build',
        seed,
        '--format',
        'html',
        ...out(`${how}-html`),
      ]);
      for (const lib of visible(how, ['@resvg/resvg-js', 'pdfmake', 'pdfkit', 'fontkit'])) {
        expect(html).not.toContain(lib);
      }
      // The probe does see a library a command uses.
      const docx = await packagesLoaded(how, [
        'build',
        seed,
        '--format',
        'docx',
        ...out(`${how}-docx`),
      ]);
      expect(docx).toContain('@resvg/resvg-js');
    },
  );
});

describe('a missing build', () => {
  it.each([
    ['dist/undoc-main.cjs', 'is not fully built'],
    ['dist', 'is not built yet'],
  ])('without %s: exit 4 and how to build, no stack trace', async (missing, words) => {
    const broken = privateCli();
    try {
      rmSync(join(broken.pkg, missing), { recursive: true });
      const run = await broken.run(['validate', join(ROOT, 'source/A-61-seed.yaml')], { cwd: TMP });
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(words);
      expect(run.stderr).toContain('npm run build');
      expect(stackLines(run.stderr)).toEqual([]);
    } finally {
      broken.dispose();
    }
  });
});
