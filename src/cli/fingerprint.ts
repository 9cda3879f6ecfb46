/**
 * The engine fingerprint that a document's input hash includes: undoc's version, the code of this
 * running build (so an unreleased renderer change counts), the locked versions of its runtime
 * libraries and Node's zlib (whose DEFLATE streams the PDF and DOCX hold). A change to any of them
 * rebuilds every document.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NamedBytes } from '../build/hash.js';
import type { BuildContext } from '../build/run.js';
import { unreadable } from '../style/load.js';
import type { Jobs } from './args.js';
import { buildModules } from './build-modules.js';
import { filesUnder } from './file-system.js';

/** undoc's version, from its package.json. */
export function packageVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('../../package.json');
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '?';
}

/** The compiled code's folder (dist/, or src/ when run from source): this file's parent's parent. */
function codeFolder(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/** The code files whose bytes the engine fingerprint hashes: dist/'s (or src/'s) scripts. */
const isCode = (name: string) => /\.(js|cjs|mjs|ts)$/.test(name);

/** The kept fingerprint, by the stamp of the files it was computed from. */
let kept: { stamp: string; engine: string } | undefined;
let keeping = false;

/**
 * Makes `engine()` remember its result while the files it reads keep their size and time (as
 * the start-up snapshot's stamp judges the fonts): for `undoc serve`, which would otherwise read
 * and hash dist/'s 10 MB of code at every command, and for the start-up snapshot, whose build
 * computes it (`rememberBuildInputs` in src/bundle.ts) so that a command started from it does
 * not (~27 ms of each cold command's CPU).
 */
export function keepEngine(): void {
  keeping = true;
}

/** Size and time of every file `engine()` reads, one line each. */
async function engineStamp(root: string, dir: string): Promise<string> {
  const names = (await readdir(dir, { recursive: true, encoding: 'utf8' }))
    .filter(isCode)
    .sort()
    .map((n) => join(dir, n));
  const files = [...names, join(root, 'package.json'), join(root, 'package-lock.json')];
  const lines = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => `${f} ${s.isFile() ? `${s.size}:${s.mtimeMs}` : 'not a file'}`,
        () => `${f} -`,
      ),
    ),
  );
  return lines.join('\n');
}

/**
 * The engine fingerprint of the running build (see the file's comment); `root` and `code` (the
 * package's folder and its code's) are for tests.
 */
export async function engine(root?: string, code = codeFolder()): Promise<string> {
  // Not through buildModules(): it loads the render pool (node:worker_threads), which the start-up
  // snapshot's build, calling this, must not load.
  const packageRoot = root ?? (await import('../resources.js')).PACKAGE_ROOT;
  if (!keeping) return computeEngine(packageRoot, code);
  const stamp = await engineStamp(packageRoot, code);
  if (kept?.stamp === stamp) return kept.engine;
  const fingerprint = await computeEngine(packageRoot, code);
  kept = { stamp, engine: fingerprint };
  return fingerprint;
}

async function computeEngine(root: string, codeDir: string): Promise<string> {
  const { engineFingerprint } = await import('../build/hash.js');
  // .cjs: the bundle (dist/undoc-main.cjs) is the code that runs.
  const code = await filesUnder(codeDir, isCode);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const deps = pkg.dependencies ?? {};
  const libraries: Record<string, string> = { ...deps };
  try {
    const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as {
      packages?: Record<string, { version?: string }>;
    };
    for (const name of Object.keys(deps)) {
      const locked = lock.packages?.[`node_modules/${name}`]?.version;
      if (locked !== undefined) libraries[name] = locked;
    }
  } catch {
    // Installed as a package there is no lockfile; the declared ranges stand in.
  }
  // The PDF's content streams and the DOCX's parts are DEFLATE streams from Node's zlib: another
  // zlib may compress differently, which must mean a rebuild, not a false difference.
  libraries['node:zlib'] = process.versions.zlib ?? '?';
  return engineFingerprint(packageVersion(), code, libraries);
}

/**
 * The templates folder's files, for the documents' input hashes. A file that cannot be read is
 * left out: a build that uses it fails when it reads it, naming it, and one that does not (an
 * unreadable geneva.yaml in a New York build) goes on. A folder that cannot be listed is an I/O
 * error naming it.
 */
async function templateFiles(dir: string): Promise<NamedBytes[]> {
  try {
    return await filesUnder(dir, () => true, '', true);
  } catch (e) {
    const { shownPath } = await buildModules();
    throw unreadable(shownPath(dir), e);
  }
}

/** Engine, templates and a renderer backend of up to `jobs` threads. */
export async function buildContext(jobs: Jobs): Promise<BuildContext> {
  const { openBackend, TEMPLATES_DIR } = await buildModules();
  const [fingerprint, templates] = await Promise.all([engine(), templateFiles(TEMPLATES_DIR)]);
  return {
    engine: fingerprint,
    templates,
    open: (count) => openBackend(count, jobs.max, jobs.docsPerThread),
  };
}
