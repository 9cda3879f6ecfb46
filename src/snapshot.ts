/**
 * The start-up snapshot (dist/undoc.blob). scripts/build.ts writes dist/undoc-snapshot.cjs — the
 * bundle as a function `__undocBundle`, then this file built as CommonJS — and runs it under
 * `node --build-snapshot`: it loads the bundle and renders the warm-up sources in all four
 * formats, so the heap holds the parsed templates and fonts, the PDF engine's font tables and the
 * renderers' code, which a cold process spends most of its time building; then it computes what a build hashes first (the
 * engine fingerprint, the layouts' `extends` chains), which a command checks against the files
 * (sizes and times, texts) before using. bin/undoc.js runs `build` and `check` as
 * `node --snapshot-blob dist/undoc.blob <dist> …`, which starts in `resume` below.
 *
 * What the heap holds was read from the package at build time. If any of it has changed since —
 * the templates, the fonts, the bundle, or the package's folder — the process runs the command
 * from the launcher instead (dist/undoc.cjs, the code-cache path), so a snapshot never renders
 * from stale inputs.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { getHeapSnapshot, startupSnapshot } from 'node:v8';
import type * as Bundle from './bundle.js';
import type * as Launcher from './launch.js';
import type { Format } from './render/types.js';
import { snapshotStamp } from './snapshot-stamp.js';
import { SnapshotTextDecoder } from './snapshot-text-decoder.js';

/** The bundle as one function, defined ahead of this file in the generated entry. */
declare const __undocBundle: (
  exports: object,
  require: (id: string) => unknown,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * The formats the warm-up renders: all four. The DOCX renderer's one native add-on (resvg) is not
 * loaded: the build script rasterizes the layouts' drawings and the warm-up takes them.
 */
const WARM_FORMATS: readonly Format[] = ['pdf', 'docx', 'html', 'akn'];

/** The built package's dist/ folder and the sources to warm up with, from the build script. */
const DIST = realpathSync(process.env.UNDOC_SNAPSHOT_DIST ?? '');
const WARM_SOURCES: readonly string[] = JSON.parse(process.env.UNDOC_SNAPSHOT_SOURCES ?? '[]');
/** The layouts' drawings rasterized by the build script (bundle.layoutDrawingsJson), as a file. */
const DRAWINGS_FILE = process.env.UNDOC_SNAPSHOT_DRAWINGS ?? '';
if (DRAWINGS_FILE === '') {
  throw new Error(
    'UNDOC_SNAPSHOT_DRAWINGS names no file: scripts/build.ts rasterizes the drawings',
  );
}
const BUNDLE_FILE = join(DIST, 'undoc-main.cjs');

/**
 * The bundle's `require`: built-in modules directly; any other (the native add-on, the fonts'
 * folder) through a real require from dist/, made when first needed, which is at run time.
 */
function bundleRequire(): (id: string) => unknown {
  let real: NodeJS.Require | undefined;
  const load = () => {
    real ??= createRequire(BUNDLE_FILE);
    return real;
  };
  const req = (id: string): unknown => (isBuiltin(id) ? require(id) : load()(id));
  req.resolve = (id: string) => load().resolve(id);
  return req;
}

const NodeTextDecoder = globalThis.TextDecoder;
// fflate keeps a TextDecoder made when it loads: made while the warm-up runs, it is one V8 can write.
globalThis.TextDecoder = SnapshotTextDecoder as unknown as typeof TextDecoder;

const module = { exports: {} };
__undocBundle(module.exports, bundleRequire(), module, BUNDLE_FILE, DIST);
const bundle = module.exports as typeof Bundle;
const BUILT = snapshotStamp(DIST);

/** The first line of `now` that differs from `built`; '' when they are equal. */
function staleLine(built: string, now: string): string {
  if (built === now) return '';
  const a = built.split('\n');
  const b = now.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  return `now ${b[i < 0 ? a.length : i] ?? 'missing'}`;
}

/** Runs the command in this process from the snapshot's heap, or from the launcher if stale. */
function resume(): void {
  const [dist = '', ...argv] = process.argv.slice(1);
  let stale = '';
  try {
    if (realpathSync(dist) !== DIST) stale = `built in ${DIST}`;
    else stale = staleLine(BUILT, snapshotStamp(DIST));
  } catch (e) {
    stale = e instanceof Error ? e.message : String(e);
  }
  const fresh = stale === '';
  if (process.env.UNDOC_DEBUG) {
    process.stderr.write(
      fresh
        ? 'undoc: started from the start-up snapshot\n'
        : `undoc: the start-up snapshot is stale (${stale}); starting from dist/undoc.cjs\n`,
    );
  }
  // bin/undoc.js waits for this process and passes signals on; if it is killed outright, this
  // process must not go on writing files nobody waits for.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(4);
  }, 200).unref();
  const launcherFile = join(dist, 'undoc.cjs');
  if (fresh && argv[0] === bundle.RENDER_PROCESS_ARG) {
    // A render worker of a batch this snapshot's command started (src/build/process-worker.ts).
    bundle.runProcessWorker().catch((e: unknown) => {
      process.stderr.write(`undoc: render worker: ${e instanceof Error ? e.message : e}\n`);
      process.exitCode = 4;
    });
    return;
  }
  // Its render workers start from this snapshot as well: same Node, same flags, same folder.
  const workerProcess = {
    execPath: process.execPath,
    args: [...process.execArgv, dist, bundle.RENDER_PROCESS_ARG],
  };
  const run = fresh
    ? bundle.runCli(argv, launcherFile, workerProcess)
    : Promise.resolve().then(() =>
        (createRequire(launcherFile)(launcherFile) as typeof Launcher).main(argv),
      );
  run.then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(
        `undoc: internal error: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      process.exitCode = 4;
    },
  );
}

startupSnapshot.setDeserializeMainFunction(resume);
// V8 cannot write ICU's objects (a segmenter a long word made): made again on first use.
startupSnapshot.addSerializeCallback(() => {
  bundle.forgetIntl();
  globalThis.TextDecoder = NodeTextDecoder;
});

bundle
  .keepLayoutDrawings(readFileSync(DRAWINGS_FILE, 'utf8'))
  .then(() =>
    bundle.warmUp(
      WARM_SOURCES.map((file) => ({ name: 'warm-up', file, text: readFileSync(file) })),
      WARM_FORMATS,
    ),
  )
  .then(() => bundle.rememberBuildInputs())
  .then(() => {
    // The renders left native handles (compression streams) that only a full collection frees,
    // and V8 cannot write a snapshot holding them; taking a heap snapshot runs that collection.
    getHeapSnapshot().destroy();
  });
