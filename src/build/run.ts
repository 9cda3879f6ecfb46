/**
 * The build and check procedures behind `undoc build` and `undoc check`: hash inputs, plan, render
 * what is stale (on worker threads), write, record. Every file-system call and the clock go
 * through `BuildIo`, which the CLI supplies; rendering goes through a `Backend`.
 */
import { type Diagnostic, type DiagnosticCode, fileDiagnostic } from '../diagnostics.js';
import type { IndexFacts } from '../render/html/index-page.js';
import { type Format, outputFile } from '../render/types.js';
import { type CheckResult, checkOutputs } from './check.js';
import { inputHash, type NamedBytes, sha256, templateFilesFor } from './hash.js';
import {
  emptyManifest,
  MANIFEST_FILE,
  type ManifestEntry,
  parseManifest,
  serializeManifest,
  updateManifest,
} from './manifest.js';
import { outputFiles, type PlanItem, planBuild } from './plan.js';
import type { PoolJob } from './pool.js';
import { type DocStatus, Progress, type ProgressSink } from './progress.js';
import type { RenderResult } from './render-job.js';
import { versionSiblings } from './versions.js';

/** The file system and clock, as the CLI provides them. */
export interface BuildIo {
  /** The bytes of a file; rejects when it cannot be read. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Entries directly in `dir` (name → kind), or undefined when `dir` does not exist. */
  readonly listDir: (dir: string) => Promise<ReadonlyMap<string, 'file' | 'dir'> | undefined>;
  /** Writes a file so that a reader sees the old bytes or the new ones, never a mix. */
  readonly writeFileAtomic: (path: string, bytes: Uint8Array | string) => Promise<void>;
  /**
   * Writes one document's files as a set: all replaced, or (when one cannot be written) none;
   * rejects with `notReplaced` (the paths left as they were) when it fails. Without it, each file
   * is written by `writeFileAtomic`.
   */
  readonly writeSetAtomic?: (
    files: readonly { readonly path: string; readonly bytes: Uint8Array }[],
  ) => Promise<void>;
  /** Creates a folder and its parents. */
  readonly mkdirp: (dir: string) => Promise<void>;
  /** A monotonic clock in ms. */
  readonly now: () => number;
}

/** Somewhere documents are rendered: a worker pool, or the main thread. */
export interface Backend {
  readonly render: (job: PoolJob) => Promise<RenderResult>;
  /** Threads that render: the main thread, worker threads, or both. */
  readonly threads: number;
  readonly close: () => Promise<void>;
}

/** What a build needs besides its options: the engine, the templates, a renderer backend. */
export interface BuildContext {
  /** Engine fingerprint (see `engineFingerprint`). */
  readonly engine: string;
  /** Every file of the templates folder, by file name. */
  readonly templates: readonly NamedBytes[];
  /** Opens a backend for `count` documents (lets the caller skip workers for one document). */
  readonly open: (count: number) => Backend;
}

/** A source file: its path as given and its document name (base name without extension). */
export interface SourceFile {
  readonly path: string;
  readonly name: string;
}

/** One document's result. */
export interface DocOutcome {
  readonly name: string;
  readonly file: string;
  readonly status: DocStatus;
  /** Why it was built or skipped. */
  readonly reason: PlanItem['reason'] | 'failed';
  readonly problems: readonly Diagnostic[];
  /** Problems that did not stop a built document. */
  readonly warnings?: readonly Diagnostic[];
  /** Render time in ms (built documents). */
  readonly ms?: number;
}

/** A finished build. */
export interface BuildReport {
  readonly outcomes: readonly DocOutcome[];
  readonly formats: readonly Format[];
  readonly built: number;
  readonly skipped: number;
  readonly failed: number;
  /** Wall time in ms. */
  readonly ms: number;
  /** Threads that rendered (0 when nothing was rendered). */
  readonly threads: number;
  /** Set when an existing manifest could not be used (the build then rebuilt everything). */
  readonly manifestNote?: string;
  /** Set when the manifest could not be written (why); the next build then rebuilds. */
  readonly manifestWriteError?: string;
  /** What the index page lists of each document built or up to date, by source path. */
  readonly index: ReadonlyMap<string, IndexFacts>;
}

/** `file:line:col: error code: message` (just `file:` for a whole-file problem), as listed. */
export function problemLine(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  return `${where}: ${d.severity} ${d.code}: ${d.message}`;
}

/** The layout a source names, read from its top-level `style:` line without parsing the YAML. */
export function styleHint(text: string): string | undefined {
  return /^style:[ \t]*['"]?([A-Za-z0-9_-]+)/m.exec(text)?.[1];
}

const decoder = new TextDecoder('utf-8');

interface Loaded {
  readonly source: SourceFile;
  readonly bytes: Uint8Array;
  readonly input: string;
  /** The names of the document's other language versions in this batch (src/build/versions.ts). */
  readonly versions: readonly string[];
}

/** Source files read at once: enough to overlap the reads, few enough for any fd limit. */
const READ_CONCURRENCY = 16;

/** Each path's bytes, or the error reading it, in the order of `paths`. */
async function readAll(io: BuildIo, paths: readonly string[]): Promise<(Uint8Array | Error)[]> {
  const out: (Uint8Array | Error)[] = new Array(paths.length);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      try {
        out[i] = await io.readFile(paths[i] as string);
      } catch (e) {
        out[i] = e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, reader));
  return out;
}

/** Reads sources and hashes their inputs; unreadable or clashing sources fail at once. */
async function loadInputs(
  io: BuildIo,
  ctx: BuildContext,
  sources: readonly SourceFile[],
  formats: readonly Format[],
): Promise<{ loaded: Loaded[]; failures: DocOutcome[] }> {
  const loaded: Loaded[] = [];
  const failures: DocOutcome[] = [];
  const byName = new Map<string, string>();
  const fail = (source: SourceFile, code: DiagnosticCode, message: string) =>
    failures.push({
      name: source.name,
      file: source.path,
      status: 'failed',
      reason: 'failed',
      problems: [fileDiagnostic(source.path, code, message)],
    });
  // Once per layout, not per source: finding a layout's `extends` chain parses its YAML (~4 ms,
  // which made hashing a 100-source batch take ~0.4 s of the main thread).
  const byStyle = new Map<string, readonly NamedBytes[]>();
  const templatesOf = (style: string) => {
    let files = byStyle.get(style);
    if (!files) {
      files = templateFilesFor(style, ctx.templates);
      byStyle.set(style, files);
    }
    return files;
  };
  const unique: SourceFile[] = [];
  for (const source of sources) {
    const first = byName.get(source.name);
    if (first !== undefined) {
      fail(source, 'name-clash', `${first} is also named "${source.name}": outputs would clash`);
      continue;
    }
    byName.set(source.name, source.path);
    unique.push(source);
  }
  // Each HTML page links its other language versions, so they are among its inputs.
  const siblings = versionSiblings(unique.map((s) => s.name));
  // Read concurrently: one at a time, a batch waited for each read's round trip to the I/O
  // threads in turn.
  const read = await readAll(
    io,
    unique.map((s) => s.path),
  );
  unique.forEach((source, i) => {
    const bytes = read[i];
    if (bytes === undefined || bytes instanceof Error) {
      fail(source, 'read-failed', bytes?.message ?? 'not read');
      return;
    }
    const style = styleHint(decoder.decode(bytes));
    // No recognisable `style:` line: depend on every template rather than guess.
    const templates = style ? templatesOf(style) : ctx.templates;
    const versions = siblings.get(source.name) ?? [];
    const input = inputHash({ source: bytes, templates, engine: ctx.engine, formats, versions });
    loaded.push({ source, bytes, input, versions });
  });
  return { loaded, failures };
}

async function readManifest(io: BuildIo, dir: string, engine: string, file: string) {
  let text: string;
  try {
    text = decoder.decode(await io.readFile(`${dir}/${file}`));
  } catch {
    return { manifest: emptyManifest(engine) };
  }
  const read = parseManifest(text);
  return read.ok
    ? { manifest: read.manifest }
    : { manifest: emptyManifest(engine), note: `${file} ignored: ${read.reason}` };
}

/** sha256 of each named file in `dir` that exists. */
async function hashFiles(io: BuildIo, dir: string, files: Iterable<string>) {
  const hashes = new Map<string, string>();
  for (const file of files) {
    try {
      hashes.set(file, sha256(await io.readFile(`${dir}/${file}`)));
    } catch {
      // Missing or unreadable: planBuild sees no hash and rebuilds.
    }
  }
  return hashes;
}

/**
 * Writes a document's files as a set; undefined when done, else why not, naming the files that
 * were not replaced (they hold an earlier build's bytes, or do not exist).
 */
async function writeDocument(
  io: BuildIo,
  files: readonly { readonly path: string; readonly bytes: Uint8Array }[],
): Promise<string | undefined> {
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
  if (io.writeSetAtomic) {
    try {
      await io.writeSetAtomic(files);
      return undefined;
    } catch (e) {
      const stale = (e as { notReplaced?: readonly string[] }).notReplaced;
      return stale === undefined || stale.length === 0
        ? why(e)
        : `${why(e)}; not replaced (still from an earlier build, or missing): ${stale.join(', ')}`;
    }
  }
  const writes = await Promise.allSettled(files.map((f) => io.writeFileAtomic(f.path, f.bytes)));
  const failed = writes.find((w) => w.status === 'rejected');
  return failed ? why(failed.reason) : undefined;
}

/** Options of one build. */
export interface BuildOptions {
  readonly sources: readonly SourceFile[];
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly force: boolean;
  readonly progress: ProgressSink;
  /** The manifest's name in `outDir` (default MANIFEST_FILE; a shard's own: shardManifestFile). */
  readonly manifestFile?: string;
}

/**
 * Builds the stale documents among `sources` into `outDir` and updates the manifest. A document
 * that fails is reported and dropped from the manifest; the others are still written.
 */
export async function runBuild(
  io: BuildIo,
  ctx: BuildContext,
  opts: BuildOptions,
): Promise<BuildReport> {
  const start = io.now();
  const { formats, outDir } = opts;
  const manifestFile = opts.manifestFile ?? MANIFEST_FILE;
  const { manifest, note } = await readManifest(io, outDir, ctx.engine, manifestFile);
  // When the manifest can skip nothing, every source will be rendered: open the backend now, so
  // that its worker threads start up (~0.5 s of CPU each) while this thread reads and hashes the
  // sources. Otherwise wait for the plan: a no-op build starts no thread.
  const skipsNothing =
    opts.force || manifest.engine !== ctx.engine || Object.keys(manifest.documents).length === 0;
  const early = skipsNothing && opts.sources.length > 0 ? ctx.open(opts.sources.length) : undefined;
  let loaded: Loaded[];
  let failures: DocOutcome[];
  let onDisk: Map<string, string>;
  try {
    ({ loaded, failures } = await loadInputs(io, ctx, opts.sources, formats));
    // Hash on-disk outputs only where the manifest could let us skip: a no-op build reads each
    // output once and renders nothing.
    const candidates = loaded.filter((l) => manifest.documents[l.source.name]?.input === l.input);
    onDisk = await hashFiles(
      io,
      outDir,
      candidates.flatMap((l) => outputFiles(l.source.name, formats)),
    );
  } catch (e) {
    await early?.close();
    throw e;
  }
  const plan = planBuild(
    loaded.map((l) => ({ name: l.source.name, input: l.input, formats })),
    manifest,
    (file) => onDisk.get(file),
    opts.force,
  );

  const progress = new Progress(opts.progress, opts.sources.length);
  const outcomes: DocOutcome[] = [];
  const record = (o: DocOutcome) => {
    outcomes.push(o);
    const detail = o.problems[0] ? problemLine(o.problems[0]) : undefined;
    progress.report({
      name: o.name,
      status: o.status,
      ...(o.ms !== undefined ? { ms: o.ms } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
  };
  for (const f of failures) record(f);

  const toBuild: { doc: Loaded; item: PlanItem }[] = [];
  const index = new Map<string, IndexFacts>();
  plan.forEach((item, i) => {
    const doc = loaded[i];
    if (!doc) return;
    const kept = manifest.documents[item.name];
    if (item.action === 'skip' && kept) {
      index.set(doc.source.path, kept.index);
      record({
        name: item.name,
        file: doc.source.path,
        status: 'skipped',
        reason: item.reason,
        problems: [],
      });
    } else {
      toBuild.push({ doc, item });
    }
  });

  const updates: Record<string, ManifestEntry> = {};
  const removed: string[] = failures.map((f) => f.name);
  let threads = 0;
  if (toBuild.length === 0) await early?.close();
  else {
    const backend = early ?? ctx.open(toBuild.length);
    threads = backend.threads;
    const plural = toBuild.length === 1 ? 'document' : 'documents';
    progress.note(
      `rendering ${toBuild.length} ${plural} on ${threads} thread${threads === 1 ? '' : 's'}…`,
    );
    try {
      await io.mkdirp(outDir);
      await Promise.all(
        toBuild.map(async ({ doc, item }) => {
          const t0 = io.now();
          const result = await backend.render({
            name: doc.source.name,
            file: doc.source.path,
            text: doc.bytes,
            formats,
            ...(doc.versions.length > 0 ? { versions: doc.versions } : {}),
          });
          const base = { name: doc.source.name, file: doc.source.path };
          if (!result.ok) {
            removed.push(doc.source.name);
            record({ ...base, status: 'failed', reason: 'failed', problems: result.problems });
            return;
          }
          const outputs: Record<string, string> = {};
          // The formats' files are written at once: each atomic write is a few I/O round trips,
          // and while this thread renders too, it answers one round trip per document it renders.
          const failedWrite = await writeDocument(
            io,
            result.outputs.map((o) => ({
              path: `${outDir}/${outputFile(doc.source.name, o.format)}`,
              bytes: o.bytes,
            })),
          );
          if (failedWrite) {
            removed.push(doc.source.name);
            const problems = [fileDiagnostic(doc.source.path, 'write-failed', failedWrite)];
            record({ ...base, status: 'failed', reason: 'failed', problems });
            return;
          }
          // In the renderer's order, not the writes' (the manifest's bytes must not vary).
          for (const o of result.outputs)
            outputs[outputFile(doc.source.name, o.format)] = sha256(o.bytes);
          updates[doc.source.name] = {
            source: doc.source.path,
            input: doc.input,
            outputs,
            index: result.index,
          };
          index.set(doc.source.path, result.index);
          record({
            ...base,
            status: 'built',
            reason: item.reason,
            problems: [],
            warnings: result.warnings,
            // The render's own time; the time since it was queued when the backend gave none.
            ms: result.ms ?? io.now() - t0,
          });
        }),
      );
    } finally {
      await backend.close();
    }
  }
  let manifestWriteError: string | undefined;
  if (toBuild.length > 0 || removed.length > 0 || manifest.engine !== ctx.engine || note) {
    const next = updateManifest(manifest, ctx.engine, updates, removed);
    try {
      await io.mkdirp(outDir);
      await io.writeFileAtomic(`${outDir}/${manifestFile}`, serializeManifest(next));
    } catch (e) {
      // A read-only output folder: the documents' own write failures are reported; so is this.
      manifestWriteError = e instanceof Error ? e.message : String(e);
    }
  }
  progress.end();

  const order = new Map(opts.sources.map((s, i) => [s.path, i]));
  outcomes.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  const count = (s: DocStatus) => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    formats,
    built: count('built'),
    skipped: count('skipped'),
    failed: count('failed'),
    ms: io.now() - start,
    threads,
    index,
    ...(note !== undefined ? { manifestNote: note } : {}),
    ...(manifestWriteError !== undefined ? { manifestWriteError } : {}),
  };
}

/** A finished check: how the folder differs, and the documents that could not be rendered. */
export interface CheckReport extends CheckResult {
  readonly failures: readonly DocOutcome[];
  readonly documents: number;
  readonly ms: number;
  /** What the index page lists of each document that rendered, by source path. */
  readonly index: ReadonlyMap<string, IndexFacts>;
}

/**
 * Renders every source in memory and compares the bytes with what `outDir` holds. Nothing is
 * written. A source that fails to render makes the check fail too (its outputs are unknown).
 */
export async function runCheck(
  io: BuildIo,
  ctx: BuildContext,
  opts: Omit<BuildOptions, 'force' | 'progress' | 'manifestFile'> & {
    /** Documents checked elsewhere (other shards): their files are neither expected nor extra. */
    readonly elsewhere?: readonly SourceFile[];
  },
): Promise<CheckReport> {
  const start = io.now();
  // A check renders every source: the backend's threads start while the sources are read.
  const backend = opts.sources.length > 0 ? ctx.open(opts.sources.length) : undefined;
  let loaded: Loaded[];
  let failures: DocOutcome[];
  try {
    ({ loaded, failures } = await loadInputs(io, ctx, opts.sources, opts.formats));
  } catch (e) {
    await backend?.close();
    throw e;
  }
  const expected = new Map<string, string>();
  const index = new Map<string, IndexFacts>();
  const allFailures = [...failures];
  if (loaded.length === 0) await backend?.close();
  else if (backend) {
    try {
      await Promise.all(
        loaded.map(async (doc) => {
          const result = await backend.render({
            name: doc.source.name,
            file: doc.source.path,
            text: doc.bytes,
            formats: opts.formats,
            ...(doc.versions.length > 0 ? { versions: doc.versions } : {}),
          });
          if (!result.ok) {
            allFailures.push({
              name: doc.source.name,
              file: doc.source.path,
              status: 'failed',
              reason: 'failed',
              problems: result.problems,
            });
            return;
          }
          for (const o of result.outputs) {
            expected.set(outputFile(doc.source.name, o.format), sha256(o.bytes));
          }
          index.set(doc.source.path, result.index);
        }),
      );
    } finally {
      await backend.close();
    }
  }
  // A failed document's files are neither expected nor extra: their state is unknown.
  const unknown = new Set(
    [...allFailures, ...(opts.elsewhere ?? [])].flatMap((f) => outputFiles(f.name, opts.formats)),
  );
  const entries = (await io.listDir(opts.outDir)) ?? new Map();
  const files = [...entries].filter(([name, kind]) => kind === 'file' && !unknown.has(name));
  const actual = await hashFiles(
    io,
    opts.outDir,
    files.map(([name]) => name),
  );
  for (const [name, kind] of entries) if (kind === 'dir') actual.set(`${name}/`, '');
  const result = checkOutputs(expected, actual);
  const order = new Map(opts.sources.map((s, i) => [s.path, i]));
  allFailures.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return {
    ok: result.ok && allFailures.length === 0,
    drift: result.drift,
    failures: allFailures,
    documents: opts.sources.length,
    ms: io.now() - start,
    index,
  };
}
