/**
 * The command as `npm run build` makes it (the suite's one build, test/global-setup.ts): one
 * esbuild bundle loaded through the V8 code cache the build wrote. The cache is accepted by this
 * Node; with it, without it, with a corrupt one and on worker threads the bytes are the same; a
 * command loads only the renderers it uses; a missing build is a plain message, not a stack trace.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Builds the three sources into a fresh folder with `--jobs N`; the folder's files. */
async function buildAll(label: string, jobs: number): Promise<Map<string, Buffer>> {
  const out = join(TMP, label);
  const run = await cli.run(['build', SRC, '--out', out, '--jobs', String(jobs)], {
    cwd: TMP,
    timeout: 90_000,
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return filesOf(out);
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
      for (const other of [threads, none, refused]) {
        expect([...other.keys()]).toEqual([...cached.keys()]);
        for (const [name, b] of cached) expect(other.get(name)?.equals(b), name).toBe(true);
      }
    } finally {
      writeFileSync(cache, bytes);
    }
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
    const cliUrl = JSON.stringify(pathToFileURL(join(cli.pkg, 'dist/cli.js')).href);
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

  it.each(['bundle', 'modules'] as const)('%s: validate loads no renderer', async (how) => {
    const loaded = await packagesLoaded(how, ['validate', seed]);
    for (const lib of ['@resvg/resvg-js', 'pdfmake', 'pdfkit', 'fontkit', 'bwip-js', 'qrcode']) {
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
      for (const lib of ['@resvg/resvg-js', 'pdfmake', 'pdfkit', 'fontkit']) {
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
