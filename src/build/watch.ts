/**
 * `undoc watch`: build once, then rebuild a document when its source changes and every document
 * when a template changes; report errors and keep watching. Folders are watched rather than files,
 * because editors save by writing a new file and renaming it over the old one (a watch on the old
 * file would go quiet). The file system comes in through `WatchIo`, which the CLI supplies.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { IndexFacts } from '../render/html/index-page.js';
import { type Format, outputFile } from '../render/types.js';
import type { ProgressSink } from './progress.js';
import { summaryLine } from './progress.js';
import { type BuildContext, type BuildIo, problemLine, runBuild, type SourceFile } from './run.js';

/** The file system of a watch: a build's, plus folder watches. */
export interface WatchIo extends BuildIo {
  /** Calls `onEvent(fileName)` when an entry of `dir` changes; returns a function that stops it. */
  readonly watchDir: (dir: string, onEvent: (file: string | undefined) => void) => () => void;
  /**
   * What identifies the folder now (device and inode), or undefined when there is none: a
   * folder removed and made again (`rm -rf src; mkdir src`) is another folder, which a watch
   * of the old one never hears about. Without it, folders are not checked.
   */
  readonly folderId?: (dir: string) => Promise<string | undefined>;
  /** Removes a file (an output whose source is gone); without it, such outputs are reported. */
  readonly removeFile?: (path: string) => Promise<void>;
}

/** How often the watched folders are checked for being removed or replaced, ms. */
export const FOLDER_CHECK_MS = 500;

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
  /**
   * Told of each step from a change to its outputs (`UNDOC_DEBUG=1`: the CLI prints each with the
   * time since the change was heard): `heard`, `rebuild`, `built` (rendered and written), `done`.
   */
  readonly trace?: (step: 'heard' | 'rebuild' | 'built' | 'done') => void;
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
    opts.trace?.('built');
    for (const o of report.outcomes) {
      for (const p of o.problems) say(problemLine(p));
    }
    say(summaryLine({ ...report, documents: report.outcomes.length, outDir: opts.outDir }));
    const failed = new Set(report.outcomes.filter((o) => o.status === 'failed').map((o) => o.file));
    for (const file of failed) known.delete(file);
    for (const [file, facts] of report.index) known.set(file, facts);
    await opts.afterBuild?.(all, failed, known);
    opts.trace?.('done');
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

  /** The sources of the last discovery, by document name (to find those that are gone). */
  let lastSources = new Map<string, SourceFile>();
  /** A watched folder came back or was replaced: everything in it is looked at again. */
  let rescan = false;

  /**
   * Outputs of documents whose source is gone from a folder that still exists are removed (or,
   * when this watch cannot remove files, named); a source in a missing folder may come back.
   */
  const dropOrphans = async (sources: readonly SourceFile[]): Promise<boolean> => {
    const now = new Map(sources.map((s) => [s.name, s]));
    const gone = [...lastSources.values()].filter((s) => !now.has(s.name));
    lastSources = now;
    let dropped = false;
    for (const source of gone) {
      const folder = dirname(resolve(source.path));
      if (io.folderId && (await io.folderId(folder)) === undefined) continue;
      for (const format of opts.formats) {
        const file = `${opts.outDir.replace(/\/+$/, '')}/${outputFile(source.name, format)}`;
        if (!io.removeFile) {
          say(`watch: ${file} is left from ${source.path}, which is gone`);
          continue;
        }
        try {
          await io.removeFile(file);
          say(`watch: removed ${file} (its source ${source.path} is gone)`);
          dropped = true;
        } catch (e) {
          if ((e as { code?: string }).code !== 'ENOENT')
            say(`watch: cannot remove ${file}: ${(e as Error).message}`);
        }
      }
      known.delete(source.path);
    }
    return dropped;
  };

  const rebuild = async () => {
    opts.trace?.('rebuild');
    const all = reloadAll;
    const everything = rescan;
    const files = [...changed];
    reloadAll = false;
    rescan = false;
    changed.clear();
    try {
      const sources = await opts.discover(opts.paths);
      const dropped = await dropOrphans(sources);
      if (all) {
        say('templates changed: rebuilding every document');
        await ctx?.close();
        ctx = undefined;
        await build(sources, sources);
        return;
      }
      const wanted = new Set(files);
      const touched = everything ? sources : sources.filter((s) => wanted.has(resolve(s.path)));
      if (touched.length > 0) await build(touched, sources);
      else if (dropped) await opts.afterBuild?.(sources, new Set(), known);
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

  /** Source folders watched: the stop of each one's watch and the folder it watches. */
  const folders = new Map<string, { stop?: () => void; id: string | undefined }>();
  let checker: ReturnType<typeof setInterval> | undefined;
  /** The id of a folder whose watch reported the folder itself gone: checked again at once. */
  const UNKNOWN = 'unknown';

  const watchFolder = async (dir: string) => {
    const id = await io.folderId?.(dir);
    const stop = io.watchDir(dir, (file) => {
      // The folder itself removed or renamed: its watch is dead; look at once.
      if (file === basename(dir)) {
        const state = folders.get(dir);
        if (state) state.id = UNKNOWN;
        void checkFolders();
        return;
      }
      if (file === undefined || !/\.ya?ml$/.test(file)) return;
      if (timer === undefined) opts.trace?.('heard');
      changed.add(join(dir, file));
      schedule();
    });
    folders.set(dir, { stop, id });
  };

  /** A folder removed or replaced since it was watched: said, and watched again when it is back. */
  let checking = false;
  const checkFolders = async () => {
    if (checking || closed || !io.folderId) return;
    checking = true;
    try {
      for (const [dir, state] of folders) {
        const id = await io.folderId(dir);
        if (closed || id === state.id) continue;
        state.stop?.();
        if (id === undefined) {
          folders.set(dir, { id });
          say(`watch: ${dir} is gone; watching for it to come back`);
          rescan = true;
          schedule();
          continue;
        }
        say(
          state.id === undefined
            ? `watch: ${dir} is back; watching it again`
            : `watch: ${dir} was replaced; watching the new folder`,
        );
        await watchFolder(dir);
        rescan = true;
        schedule();
      }
    } finally {
      checking = false;
    }
  };

  const ready = (async () => {
    const sources = await opts.discover(opts.paths);
    running = build(sources, sources)
      .then(() => warmUp(sources))
      .catch((e: Error) => say(`watch: ${e.message}`));
    await running;
    if (closed) return;
    const templates = resolve(opts.templatesDir);
    // The layouts, and the language tables in their own folder (a folder watch is not recursive).
    for (const dir of [templates, join(templates, 'lang')]) {
      try {
        stops.push(
          io.watchDir(dir, () => {
            reloadAll = true;
            schedule();
          }),
        );
      } catch (e) {
        if (dir === templates) throw e;
      }
    }
    // The folders holding the sources: each folder argument (so new files are seen) and each
    // source's parent.
    const dirs = new Set<string>();
    for (const p of opts.paths) if (!/\.ya?ml$/.test(p)) dirs.add(resolve(p));
    for (const s of sources) dirs.add(dirname(resolve(s.path)));
    lastSources = new Map(sources.map((s) => [s.name, s]));
    for (const dir of dirs) {
      if (dir === templates) continue;
      await watchFolder(dir);
    }
    say(
      `watching ${dirs.size} folder${dirs.size === 1 ? '' : 's'} and the templates (Ctrl-C stops)`,
    );
    if (io.folderId) {
      checker = setInterval(() => void checkFolders(), FOLDER_CHECK_MS);
      checker.unref?.();
    }
  })();

  const close = async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    if (checker) clearInterval(checker);
    for (const stop of stops) stop();
    for (const { stop } of folders.values()) stop?.();
    await ready.catch(() => {});
    await running;
    await ctx?.close();
  };
  return { ready, close };
}
