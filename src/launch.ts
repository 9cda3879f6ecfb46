/**
 * The launcher of the bundled CLI, built by scripts/build.ts as dist/undoc.cjs (CommonJS, Node's
 * built-in modules only) and required by bin/undoc.js. It loads the one-file bundle
 * dist/undoc-main.cjs through V8's code cache (dist/undoc-main.cache, written by the build after a
 * warm-up run, so it holds the functions a build compiles, not only the top level): Node 20 has no
 * compile cache of its own, and compiling the renderers' libraries was most of a cold run.
 * Render worker threads start from this same file, so each pays the same reduced cost.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { isMainThread, workerData } from 'node:worker_threads';
import type * as Bundle from './bundle.js';

/** The bundle, next to this launcher once built. */
const BUNDLE_FILE = join(__dirname, 'undoc-main.cjs');

/** V8's code cache for the bundle: compiled bytecode, valid for this Node version and flags. */
export const CODE_CACHE_FILE = join(__dirname, 'undoc-main.cache');

/** What became of the code cache: used, refused by V8 (another Node version), or not built. */
export type CodeCacheState = 'accepted' | 'rejected' | 'absent' | 'skipped';

/** The loaded bundle with its script (whose code cache the build writes). */
export interface LoadedBundle {
  readonly exports: typeof Bundle;
  readonly script: Script;
  readonly codeCache: CodeCacheState;
}

// The bundle is CommonJS text run as one function, as Node's own loader wraps a module; the
// wrapper must not change between the build's run and the user's, or V8 refuses the cache.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const WRAPPER_TAIL = '\n})';

let loaded: LoadedBundle | undefined;

/** Loads and runs the bundle once per thread; `useCache` false compiles it from source. */
export function loadBundle(useCache = true): LoadedBundle {
  if (loaded) return loaded;
  const source = readFileSync(BUNDLE_FILE, 'utf8');
  const cachedData =
    useCache && existsSync(CODE_CACHE_FILE) ? readFileSync(CODE_CACHE_FILE) : undefined;
  const script = new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, {
    filename: BUNDLE_FILE,
    lineOffset: -1,
    ...(cachedData ? { cachedData } : {}),
  });
  const codeCache: CodeCacheState = !useCache
    ? 'skipped'
    : cachedData === undefined
      ? 'absent'
      : script.cachedDataRejected === true
        ? 'rejected'
        : 'accepted';
  const run = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} };
  run.call(
    module.exports,
    module.exports,
    createRequire(BUNDLE_FILE),
    module,
    BUNDLE_FILE,
    __dirname,
  );
  loaded = { exports: module.exports as typeof Bundle, script, codeCache };
  return loaded;
}

/** Runs the command line (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let bundle: LoadedBundle;
  try {
    bundle = loadBundle();
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
    process.stderr.write(
      `undoc: the CLI is not fully built (${BUNDLE_FILE} is missing); run \`npm run build\` first\n`,
    );
    return 4;
  }
  // A render worker process whose snapshot went stale as it started: serve from here.
  if (argv[0] === bundle.exports.RENDER_PROCESS_ARG) {
    await bundle.exports.runProcessWorker();
    return 0;
  }
  return bundle.exports.runCli(argv, __filename);
}

/**
 * Runs `argv` compiled from source (the build's warm-up), then writes the code cache: after the
 * run, V8 includes every function the run compiled, so later runs skip their lazy compilation.
 */
export async function writeCodeCache(argv: readonly string[]): Promise<number> {
  const bundle = loadBundle(false);
  const code = await bundle.exports.runCli(argv, __filename);
  // Through a rename: a command starting meanwhile reads no half-written cache.
  writeFileSync(`${CODE_CACHE_FILE}.tmp`, bundle.script.createCachedData());
  renameSync(`${CODE_CACHE_FILE}.tmp`, CODE_CACHE_FILE);
  return code;
}

// The marker of a render worker's thread; typed so that it cannot drift from the bundle's.
const RENDER_WORKER: (typeof Bundle.RENDER_WORKER_DATA)['undoc'] = 'render-worker';

// A render worker started by the pool (src/bundle.ts) runs this file with that marker.
if (!isMainThread && (workerData as { undoc?: unknown } | null)?.undoc === RENDER_WORKER) {
  void loadBundle().exports.runWorker();
}
