/**
 * `npm run build`: what `bin/undoc.js` runs, in dist/ (or `--outdir DIR`, as the tests' global
 * setup does):
 *
 * 1. `tsc -p tsconfig.build.json`: the type check, and the modules one by one (dist/cli.js, …),
 *    which the benchmark imports in process.
 * 2. esbuild: the CLI and the render worker as one CommonJS file, dist/undoc-main.cjs (one file
 *    read instead of hundreds of modules resolved and loaded), its launcher dist/undoc.cjs, and
 *    dist/undoc-client.cjs, the client of `undoc serve` (src/serve-client.ts).
 * 3. A warm-up run of that bundle (sources of both layouts, every format, one thread), after which
 *    V8's code cache of the bundle is written to dist/undoc-main.cache: it holds the bytecode of
 *    every function the run compiled, so a cold command skips compiling them.
 *
 * Type errors fail the build (exit 1) but the bundle is still written, as tsc still emits, so a
 * work tree mid-edit keeps a working command.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

// Not import.meta.dirname: Node 20 has it only from 20.11, and the package asks for Node ≥ 20.
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SRC = join(ROOT, 'src');

/** The sources the warm-up renders: both layouts (ny, geneva) and every feature. */
const WARM_UP_SOURCES = ['source/A-61-seed.yaml', 'test/fixtures/valid/features.yaml'];

/**
 * The PDF engine checks the versions of the libraries it patches (src/render/pdf/engine-check.ts)
 * by requiring their package.json, which the bundle then carries; fontkit's `exports` hide its
 * package.json, so it is resolved here, beside the entry point the bundle inlines.
 */
const hiddenPackageJson: Plugin = {
  name: 'undoc-hidden-package-json',
  setup(b) {
    b.onResolve({ filter: /^fontkit\/package\.json$/ }, (args) => {
      const require = createRequire(join(args.resolveDir, 'index.js'));
      let dir = dirname(require.resolve('fontkit'));
      while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
      return { path: join(dir, 'package.json') };
    });
  },
};

/**
 * Native add-ons cannot be inlined, nor a package whose files are read (the fonts): Node finds
 * them in node_modules. Unicode's character names (1.7 MB of tables) are loaded only to report a
 * character no font prints, so they stay out of the bundle every command parses.
 */
const EXTERNAL = [
  '@resvg/resvg-js',
  '@expo-google-fonts/tinos',
  '@expo-google-fonts/noto-serif-sc',
  '@expo-google-fonts/amiri',
  'unicode-name',
];

/**
 * Each module of the bundle sees the `import.meta.url` it has when compiled one by one into
 * dist/ (dist/load/schema.js for src/load/schema.ts): paths built from it (the package root, the
 * templates) stay right, whatever the depth of the module.
 */
const BANNER = `var __undocImportMeta = (file) => ({ url: require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href });`;

/**
 * `createRequire(import.meta.url)` becomes the bundle's `require`, so that esbuild inlines what
 * it loads: the PDF engine patches pdfmake's classes through it, and must reach the very module
 * instances the bundled pdfmake uses (a second copy loaded from node_modules would go unpatched).
 */
function bundleRequires(text: string, file: string): string {
  let out = text.replace(/createRequire\(import\.meta\.url\)\(/g, 'require(');
  const names: string[] = [];
  out = out.replace(
    /^[ \t]*const (\w+) = createRequire\(import\.meta\.url\);[ \t]*\r?\n/gm,
    (_line, name: string) => {
      names.push(name);
      return '';
    },
  );
  for (const name of names) {
    if (name !== 'require')
      out = out.replace(new RegExp(`\\b${name}\\b(?=\\(|\\.resolve\\()`, 'g'), 'require');
  }
  if (/createRequire\(\s*import\.meta/.test(out)) {
    throw new Error(
      `${relative(ROOT, file)}: createRequire(import.meta.url) in a form scripts/build.ts does not bundle; ` +
        'call it as createRequire(import.meta.url)(…) or assign it to a const',
    );
  }
  return out;
}

const moduleUrls: Plugin = {
  name: 'undoc-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const asCompiled = relative(SRC, args.path).replace(/\.ts$/, '.js').split('\\').join('/');
      const text = bundleRequires(readFileSync(args.path, 'utf8'), args.path).replace(
        /\bimport\.meta\b/g,
        `__undocImportMeta(${JSON.stringify(asCompiled)})`,
      );
      return { contents: text, loader: 'ts' };
    });
  },
};

/** This process's environment without NODE_OPTIONS. */
function withoutNodeOptions(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _, ...env } = process.env;
  return env;
}

/** Runs tsc (type check and per-module output); true when it reported no error. */
function typeCheckAndEmit(outDir: string): boolean {
  try {
    execFileSync(
      join(ROOT, 'node_modules/.bin/tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', outDir],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** Writes the launcher and the bundle. */
async function bundle(outDir: string): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    legalComments: 'none',
    // Smaller to read and hash at every start; names are kept for readable stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    absWorkingDir: ROOT,
  } as const;
  await build({
    ...common,
    entryPoints: [join(SRC, 'launch.ts')],
    outfile: join(outDir, 'undoc.cjs'),
  });
  // The client of `undoc serve`, loaded by bin/undoc.js before anything else: small on purpose.
  await build({
    ...common,
    entryPoints: [join(SRC, 'serve-client.ts')],
    outfile: join(outDir, 'undoc-client.cjs'),
  });
  await build({
    ...common,
    entryPoints: [join(SRC, 'bundle.ts')],
    outfile: join(outDir, 'undoc-main.cjs'),
    external: EXTERNAL,
    banner: { js: BANNER },
    plugins: [moduleUrls, hiddenPackageJson],
  });
  for (const name of ['undoc.cjs', 'undoc-main.cjs']) {
    const file = join(outDir, name);
    writeFileSync(file, asciiOnly(readFileSync(file, 'utf8'), name));
  }
}

/**
 * `text` with each character outside ASCII written as a `\u` escape. esbuild escapes them in
 * strings but not in regular expression literals, and V8 keeps a script holding any character
 * above U+00FF at two bytes a character: the bundle's 4.6 MB took 9.2 MB in every process's heap
 * and in the start-up snapshot. Every such character sits in a string or a regular expression
 * (comments are minified away), where `\uXXXX` means the character itself — after a backslash
 * it would not, which is refused.
 */
function asciiOnly(text: string, file: string): string {
  const escaped = /\\[^\0-\x7f]/u.exec(text);
  if (escaped) {
    throw new Error(`${file}: an escaped non-ASCII character at offset ${escaped.index}`);
  }
  return text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The launcher runs the bundle as a script without a module loader for `import()`: a dynamic
 * import esbuild could not inline (a built-in or external module) would fail at run time.
 */
function checkNoDynamicImport(outDir: string): void {
  const text = readFileSync(join(outDir, 'undoc-main.cjs'), 'utf8');
  const found = /(?<![\w$.])import\(\s*["'`]/.exec(text);
  if (found) {
    const line = text.slice(0, found.index).split('\n').length;
    throw new Error(
      `undoc-main.cjs:${line}: a dynamic import() the bundle cannot run; import it statically`,
    );
  }
}

/** What a child Node process did. */
interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long a warm-up process may take before it is stopped (and the build fails or warns), ms. */
const WARM_UP_DEADLINE_MS = 300_000;

/** Runs `node …args` from the repository root, without NODE_OPTIONS (see below), to its end. */
function runNode(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<NodeRun> {
  return new Promise((done, fail) => {
    // V8 refuses a code cache or a snapshot made under other flags: build them as users run.
    const child = spawn(process.execPath, [...args], {
      cwd: ROOT,
      env: { ...withoutNodeOptions(), ...env },
      // A warm-up that never ends must not hang `npm run build` (it takes seconds).
      timeout: WARM_UP_DEADLINE_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** Runs the warm-up build in a fresh process, which then writes the code cache. */
async function writeCodeCache(outDir: string): Promise<void> {
  const cache = join(outDir, 'undoc-main.cache');
  // A cache left from an older bundle is refused by V8 anyway; never leave one behind.
  rmSync(cache, { force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'undoc-warm-up-'));
  try {
    const launcher = JSON.stringify(join(outDir, 'undoc.cjs'));
    const argv = JSON.stringify(['build', ...WARM_UP_SOURCES, '--out', scratch, '--jobs', '1']);
    const run = await runNode([
      '-e',
      `require(${launcher}).writeCodeCache(${argv}).then((c) => { process.exitCode = c; })`,
    ]);
    if (run.status !== 0) {
      rmSync(cache, { force: true });
      throw new Error(`the warm-up build failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * V8 options the start-up snapshot is built and run with (V8 refuses a snapshot under other
 * options; bin/undoc.js passes these, read from undoc.blob.json). The old generation starts at
 * 128 MB: the snapshot's heap (~40 MB) otherwise sets off a full mark-compact within the first
 * 250 ms of every command; without it a cold seed took ~40 ms more CPU, and batches the same
 * (README, "Speed").
 */
const SNAPSHOT_FLAGS = ['--initial-old-space-size=128'];

/**
 * Writes the start-up snapshot (src/snapshot.ts): its entry is the bundle as a function followed
 * by src/snapshot.ts, run under `node --build-snapshot`. Node keeps no user code but one script in
 * a snapshot, hence the one file. A failure leaves no snapshot and says why: the command then
 * starts from the code cache, as it does wherever the snapshot does not apply.
 */
async function writeSnapshot(outDir: string): Promise<boolean> {
  const blob = join(outDir, 'undoc.blob');
  const info = join(outDir, 'undoc.blob.json');
  rmSync(blob, { force: true });
  rmSync(info, { force: true });
  const prelude = await build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    write: false,
    entryPoints: [join(SRC, 'snapshot.ts')],
  });
  const entry = join(outDir, 'undoc-snapshot.cjs');
  const bundleText = readFileSync(join(outDir, 'undoc-main.cjs'), 'utf8');
  writeFileSync(
    entry,
    `var __undocBundle = function (exports, require, module, __filename, __dirname) {\n${bundleText}\n};\n${asciiOnly(prelude.outputFiles[0]?.text ?? '', 'src/snapshot.ts')}`,
  );
  // Written beside, then renamed: a command starting meanwhile never reads a half-written blob.
  const partial = `${blob}.tmp`;
  rmSync(partial, { force: true });
  // The layouts' drawings, rasterized here by resvg (a native add-on the snapshot cannot hold),
  // so that its warm-up renders the DOCX as well and its heap keeps them.
  const drawings = join(outDir, 'undoc-drawings.json.tmp');
  const raster = await runNode([
    '-e',
    `require(${JSON.stringify(join(outDir, 'undoc-main.cjs'))}).layoutDrawingsJson().then((j) => require('node:fs').writeFileSync(${JSON.stringify(drawings)}, j))`,
  ]);
  if (raster.status !== 0) {
    console.warn(`build: no start-up snapshot: rasterizing the drawings failed:\n${raster.stderr}`);
    return false;
  }
  const attempt = () =>
    runNode([...SNAPSHOT_FLAGS, '--snapshot-blob', partial, '--build-snapshot', entry], {
      UNDOC_SNAPSHOT_DIST: outDir,
      UNDOC_SNAPSHOT_SOURCES: JSON.stringify(WARM_UP_SOURCES.map((s) => join(ROOT, s))),
      UNDOC_SNAPSHOT_DRAWINGS: drawings,
    });
  let run = await attempt();
  // V8 now and then finds a native handle the warm-up left (a compression stream not yet
  // collected) and aborts (`CheckGlobalAndEternalHandles`); a second run has always written it.
  if (run.status !== 0 && /CheckGlobalAndEternalHandles/.test(`${run.stderr}`)) {
    rmSync(partial, { force: true });
    run = await attempt();
  }
  rmSync(drawings, { force: true });
  // Node warns about each built-in module a snapshot may not restore; node:module is used only
  // for createRequire. node:worker_threads, for one, breaks every worker started afterwards.
  const unsure = [...`${run.stderr}`.matchAll(/built-in module "([^"]+)"/g)]
    .map((m) => m[1])
    .filter((m) => m !== 'node:module');
  if (run.status !== 0 || !existsSync(partial) || unsure.length > 0) {
    rmSync(partial, { force: true });
    if (unsure.length > 0) {
      console.warn(`build: no start-up snapshot: the warm-up loaded ${unsure.join(', ')}`);
      return false;
    }
    const why = `${run.stderr}`
      .split('\n')
      .filter((l) => l.trim() !== '' && !/Warning|may still|To request|trace-warnings/.test(l));
    console.warn(`build: no start-up snapshot (exit ${run.status}): ${why.slice(0, 8).join('\n')}`);
    return false;
  }
  // bin/undoc.js uses the snapshot only with the Node that wrote it.
  const node = {
    node: process.version,
    v8: process.versions.v8,
    arch: process.arch,
    dist: realpathSync(outDir),
    flags: SNAPSHOT_FLAGS,
  };
  renameSync(partial, blob);
  writeFileSync(`${info}.tmp`, `${JSON.stringify(node)}\n`);
  renameSync(`${info}.tmp`, info);
  return true;
}

async function buildAll(): Promise<number> {
  const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
  const outDir = resolve(values.outdir ?? join(ROOT, 'dist'));
  // Whatever a previous build left must not meet the new bundle: V8 takes a code cache made for
  // another source of the same length and runs the old bytecode.
  for (const f of ['undoc-main.cache', 'undoc.blob', 'undoc.blob.json']) {
    rmSync(join(outDir, f), { force: true });
  }
  const typed = typeCheckAndEmit(outDir);
  await bundle(outDir);
  checkNoDynamicImport(outDir);
  // Two warm-up processes, independent: one core each.
  const [, snapshot] = await Promise.all([writeCodeCache(outDir), writeSnapshot(outDir)]);
  const size = (f: string) => `${(statSync(join(outDir, f)).size / 1e6).toFixed(1)} MB`;
  console.log(
    `build: ${relative(process.cwd(), outDir) || '.'}/undoc-main.cjs (${size('undoc-main.cjs')}), code cache ${size('undoc-main.cache')}` +
      (snapshot ? `, start-up snapshot ${size('undoc.blob')}` : '') +
      (typed ? '' : ' — with type errors (above)'),
  );
  return typed ? 0 : 1;
}

buildAll().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`build: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
