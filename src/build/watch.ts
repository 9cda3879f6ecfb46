/**
 * `undoc watch`: build once, then rebuild a document when its source changes and every document
 * when a template changes; report errors and keep watching. Folders are watched rather than files,
 * because editors save by writing a new file and renaming it over the old one (a watch on the old
 * file would go quiet). The file system comes in through `WatchIo`, which the CLI supplies.
 */
import { dirname, join, resolve } from 'node:path';
import type { IndexFacts } from '../render/html/index-page.js';
import type { Format } from '../render/types.js';
import type { ProgressSink } from './progress.js';
import { summaryLine } from './progress.js';
import { type BuildContext, type BuildIo, problemLine, runBuild, type SourceFile } from './run.js';

/** The file system of a watch: a build's, plus folder watches. */
export interface WatchIo extends BuildIo {
  /** Calls `onEvent(fileName)` when an entry of `dir` changes; returns a function that stops it. */
  readonly watchDir: (dir: string, onEvent: (file: string | undefined) => void) => () => void;
}

/** A build context the watch can drop (its worker pool is closed) when templates change. */
export interface WatchContext extends BuildContext {
  readonly close: () => Promise<void>;
}

/**
 * Quiet time before a burst of file events triggers a rebuild, ms. An editor's save is one to
 * three events within a millisecond or two (write, or write and rename); a longer wait only adds
 * to the time from saving to seeing the outputs.
 */
export const DEBOUNCE_MS = 20;

/**
 * Renders of one document in memory after the first build, through the backend a saved source
 * uses: the first renders in a thread compile and optimise the renderers (hundreds of ms), which
 * the first save would otherwise wait for.
 */
export const WARM_UP_RENDERS = 3;

/** What to watch and build. */
export interface WatchOptions {
  /** Source files and folders as the user gave them. */
  readonly paths: readonly string[];
  /** Finds the sources under `paths` (run again on each change, so new files are picked up). */
  readonly discover: (paths: readonly string[]) => Promise<readonly SourceFile[]>;
  /** The templates folder; a change there rebuilds everything with freshly loaded templates. */
  readonly templatesDir: string;
  readonly outDir: string;
  readonly formats: readonly Format[];
  /** A fresh context: templates read now, engine fingerprint, a persistent pool. */
  readonly context: () => Promise<WatchContext>;
  /** Where progress, summaries and errors go (plain lines). */
  readonly out: ProgressSink;
  /**
   * Called after each build with every source being watched and the paths of those that failed
   * in that build (the CLI rewrites its index page here), and the index facts known so far by
   * source path (from this watch's builds; a source not there is for the callee to load).
   */
  readonly afterBuild?: (
    sources: readonly SourceFile[],
    failed: ReadonlySet<string>,
    known: ReadonlyMap<string, IndexFacts>,
  ) => Promise<void>;
  /** Quiet time before a burst of events triggers a rebuild, ms (default DEBOUNCE_MS). */
  readonly debounceMs?: number;
  /** Renders of the first valid source, discarded, before the watch starts (default 0). */
  readonly warmUpRenders?: number;
}

/** A running watch. */
export interface Watcher {
  /** Settles when the first build is done and the folders are watched. */
  readonly ready: Promise<void>;
  /** Stops watching and closes the workers; settles when any build under way has finished. */
  readonly close: () => Promise<void>;
}

/** Starts watching. Errors in sources are reported, never thrown; the watch goes on. */
export function startWatch(io: WatchIo, opts: WatchOptions): Watcher {
  const say = (line: string) => opts.out.write(`${line}\n`);
  let ctx: WatchContext | undefined;
  let reloadAll = false;
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const stops: (() => void)[] = [];

  /** Index facts of the documents built or up to date so far, by source path. */
  const known = new Map<string, IndexFacts>();
  /** Builds `sources` (incrementally); `all` are every source watched, for `afterBuild`. */
  const build = async (sources: readonly SourceFile[], all: readonly SourceFile[]) => {
    if (!ctx) ctx = await opts.context();
    const report = await runBuild(io, ctx, {
      sources,
      outDir: opts.outDir,
      formats: opts.formats,
      force: false,
      progress: opts.out,
    });
    for (const o of report.outcomes) {
      for (const p of o.problems) say(problemLine(p));
    }
    say(summaryLine({ ...report, documents: report.outcomes.length, outDir: opts.outDir }));
    const failed = new Set(report.outcomes.filter((o) => o.status === 'failed').map((o) => o.file));
    for (const file of failed) known.delete(file);
    for (const [file, facts] of report.index) known.set(file, facts);
    await opts.afterBuild?.(all, failed, known);
  };

  /** Renders the first source that builds, in memory, `warmUpRenders` times. */
  const warmUp = async (sources: readonly SourceFile[]) => {
    const times = opts.warmUpRenders ?? 0;
    const first = sources.find((s) => known.has(s.path));
    if (times <= 0 || !ctx || !first) return;
    const backend = ctx.open(1);
    try {
      const text = await io.readFile(first.path);
      for (let i = 0; i < times && !closed; i++) {
        await backend.render({ name: first.name, file: first.path, text, formats: opts.formats });
      }
    } finally {
      await backend.close();
    }
  };

  const rebuild = async () => {
    const all = reloadAll;
    const files = [...changed];
    reloadAll = false;
    changed.clear();
    try {
      const sources = await opts.discover(opts.paths);
      if (all) {
        say('templates changed: rebuilding every document');
        await ctx?.close();
        ctx = undefined;
        await build(sources, sources);
        return;
      }
      const wanted = new Set(files);
      const touched = sources.filter((s) => wanted.has(resolve(s.path)));
      if (touched.length > 0) await build(touched, sources);
    } catch (e) {
      // A folder that vanished, a template that no longer parses: say so and keep watching.
      say(`watch: ${(e as Error).message}`);
    }
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(rebuild);
    }, opts.debounceMs ?? DEBOUNCE_MS);
  };

  const ready = (async () => {
    const sources = await opts.discover(opts.paths);
    running = build(sources, sources)
      .then(() => warmUp(sources))
      .catch((e: Error) => say(`watch: ${e.message}`));
    await running;
    if (closed) return;
    const templates = resolve(opts.templatesDir);
    stops.push(
      io.watchDir(templates, () => {
        reloadAll = true;
        schedule();
      }),
    );
    // The folders holding the sources: each folder argument (so new files are seen) and each
    // source's parent.
    const dirs = new Set<string>();
    for (const p of opts.paths) if (!/\.ya?ml$/.test(p)) dirs.add(resolve(p));
    for (const s of sources) dirs.add(dirname(resolve(s.path)));
    for (const dir of dirs) {
      if (dir === templates) continue;
      stops.push(
        io.watchDir(dir, (file) => {
          if (file === undefined || !/\.ya?ml$/.test(file)) return;
          changed.add(join(dir, file));
          schedule();
        }),
      );
    }
    say(
      `watching ${dirs.size} folder${dirs.size === 1 ? '' : 's'} and the templates (Ctrl-C stops)`,
    );
  })();

  const close = async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    for (const stop of stops) stop();
    await ready.catch(() => {});
    await running;
    await ctx?.close();
  };
  return { ready, close };
}
