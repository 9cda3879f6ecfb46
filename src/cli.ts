/**
 * The `undoc` command: the only module that reads and writes files, reads the clock and decides
 * the exit code. `build` renders sources to files, `validate` only checks them, `schema` prints
 * the JSON schema. Every problem of a file is printed at once; bad input never gives a stack trace.
 */
import { watch as watchFolder } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DriftItem } from './build/check.js';
import type { NamedBytes } from './build/hash.js';
import type { ProgressSink } from './build/progress.js';
import type { JobProblem } from './build/render-job.js';
import type { BuildContext, DocOutcome } from './build/run.js';
import type { WatchIo } from './build/watch.js';
import {
  type Diagnostic,
  type DiagnosticCode,
  EXIT,
  type ExitCode,
  formatDiagnostic,
  type Severity,
} from './diagnostics.js';
import { LIMITS, loadSource } from './load/index.js';
import { nearest, SCHEMA } from './load/schema.js';
import type { UnDocument } from './model.js';
import type { IndexFacts } from './render/html/index-page.js';
import { FORMATS, type Format, outputFile } from './render/types.js';

/**
 * What only `build`, `check` and `watch` use, loaded on their first call: `validate` and `schema`
 * never evaluate the build machinery, the resources or the index page (which brings the HTML
 * renderer's libraries).
 */
const buildModules = async () => {
  const [backend, check, hash, manifest, pool, progress, run, watch, indexPage, resources] =
    await Promise.all([
      import('./build/backend.js'),
      import('./build/check.js'),
      import('./build/hash.js'),
      import('./build/manifest.js'),
      import('./build/pool.js'),
      import('./build/progress.js'),
      import('./build/run.js'),
      import('./build/watch.js'),
      import('./render/html/index-page.js'),
      import('./resources.js'),
    ]);
  return {
    ...backend,
    ...check,
    ...hash,
    ...manifest,
    ...pool,
    ...progress,
    ...run,
    ...watch,
    ...indexPage,
    ...resources,
  };
};

/** Where the CLI prints: stdout for results and summaries, stderr for diagnostics. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether `out` is a terminal: build progress is then one line rewritten in place. */
  readonly isTTY?: boolean;
  /** The terminal's width in columns (the progress line is cut to it). */
  readonly columns?: number;
}

const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  get columns() {
    return process.stdout.columns ?? 80;
  },
};

const USAGE = `undoc — one YAML source to a UN parliamentary document (PDF, DOCX, HTML)

Usage:
  undoc build [paths…] [--out DIR] [--format pdf,docx,html,akn] [--force] [--jobs N]
  undoc check [paths…] [--out DIR] [--format …] [--jobs N]
  undoc watch [paths…] [--out DIR] [--format …] [--jobs N]
  undoc validate [paths…]
  undoc schema
  undoc --help | --version

Paths are source files or folders of *.yaml files (default: source/).
build writes DIR/<source-name>.<format> (default DIR: out/), skipping documents whose source,
templates and undoc are unchanged since the last build (--force rebuilds), on N worker threads
(default: one per core). check renders in memory and compares with DIR: it fails, naming each
stale, missing or extra file, unless DIR holds exactly what build would write. watch builds, then
rebuilds a document when its source changes (all of them when a template changes).

Exit codes: 0 ok · 1 invalid document · 2 usage · 3 file or folder I/O · 4 internal error
            5 check: DIR is out of date
`;

/** A usage error: bad command line (exit 2). */
class UsageError extends Error {}

/** Runs the CLI with arguments (without `node` and the script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  output: CliOutput = PROCESS_OUTPUT,
): Promise<ExitCode> {
  try {
    return await run(argv, output);
  } catch (e) {
    if (e instanceof UsageError) {
      output.err(`undoc: ${e.message}\nRun \`undoc --help\` for usage.\n`);
      return EXIT.usage;
    }
    // Only a bug gets here: bad input is reported as diagnostics before.
    const detail = process.env.UNDOC_DEBUG && e instanceof Error ? `\n${e.stack}` : '';
    output.err(`undoc: internal error: ${e instanceof Error ? e.message : String(e)}${detail}\n`);
    output.err('This is a bug in undoc; set UNDOC_DEBUG=1 for the stack trace.\n');
    return EXIT.internal;
  }
}

async function run(argv: readonly string[], output: CliOutput): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.version) {
    output.out(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const [command, ...paths] = positionals;
  if (values.help || command === 'help') {
    output.out(USAGE);
    return EXIT.ok;
  }
  if (command === undefined) {
    output.err(USAGE);
    return EXIT.usage;
  }
  const writes = command === 'build' || command === 'check' || command === 'watch';
  if (!writes && (values.out !== undefined || values.format !== undefined)) {
    throw new UsageError('--out and --format apply only to `undoc build`, `check` and `watch`');
  }
  if (!writes && values.jobs !== undefined) {
    throw new UsageError('--jobs applies only to `undoc build`, `check` and `watch`');
  }
  if (command !== 'build' && values.force) {
    throw new UsageError('--force applies only to `undoc build`');
  }
  switch (command) {
    case 'schema':
      if (paths.length > 0) throw new UsageError('`undoc schema` takes no paths');
      output.out(`${JSON.stringify(SCHEMA, null, 2)}\n`);
      return EXIT.ok;
    case 'validate':
      return validate(paths, output);
    case 'build':
      return build(paths, values.out ?? 'out', parseFormats(values.format), output, {
        force: values.force === true,
        jobs: parseJobs(values.jobs),
      });
    case 'check':
      return check(paths, values.out ?? 'out', parseFormats(values.format), output, {
        jobs: parseJobs(values.jobs),
      });
    case 'watch':
      return watch(paths, values.out ?? 'out', parseFormats(values.format), output, {
        jobs: parseJobs(values.jobs),
      });
    default: {
      const near = nearest(command, ['build', 'check', 'watch', 'validate', 'schema']);
      throw new UsageError(
        `unknown command \`${command}\`${near ? ` (did you mean \`${near}\`?)` : ''}`,
      );
    }
  }
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f' },
        force: { type: 'boolean' },
        jobs: { type: 'string', short: 'j' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    const option = /option '([^']+)'/i.exec(e instanceof Error ? e.message : '')?.[1];
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      const near = nearest(option.replace(/^-+/, ''), [
        'out',
        'format',
        'force',
        'jobs',
        'help',
        'version',
      ]);
      throw new UsageError(
        `unknown option \`${option}\`${near ? ` (did you mean \`--${near}\`?)` : ''}`,
      );
    }
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function parseFormats(list: string | undefined): readonly Format[] {
  if (list === undefined) return FORMATS;
  const asked = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  if (asked.length === 0)
    throw new UsageError(`--format needs at least one of ${FORMATS.join(', ')}`);
  for (const f of asked) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      const near = nearest(f, FORMATS);
      throw new UsageError(
        `unknown format \`${f}\`; formats are ${FORMATS.join(', ')}${near ? ` (did you mean \`${near}\`?)` : ''}`,
      );
    }
  }
  // Build in the registry's order, each once.
  return FORMATS.filter((f) => asked.includes(f));
}

/** `--jobs N`: worker threads, a whole number ≥ 1; default one per core. */
function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  if (!/^[1-9][0-9]{0,3}$/.test(value.trim())) {
    throw new UsageError(`--jobs needs a whole number from 1 to 9999, not \`${value}\``);
  }
  return Number(value.trim());
}

function packageVersion(): string {
  const pkg: unknown = createRequire(import.meta.url)('../package.json');
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '?';
}

/** One source to process: the path as shown to the user and the output base name. */
interface SourceFile {
  readonly path: string;
  readonly name: string;
}

/** A run's bookkeeping: the worst exit code so far. */
class Outcome {
  code: ExitCode = EXIT.ok;

  /** Records a failure; the highest code wins (internal > I/O > usage > invalid). */
  fail(code: ExitCode): void {
    if (code > this.code) this.code = code;
  }
}

function fileProblem(
  file: string,
  code: DiagnosticCode,
  message: string,
  severity: Severity = 'error',
): Diagnostic {
  return { code, severity, file, line: 0, col: 0, message };
}

function ioMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'already exists and is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return (code && words[code]) || (e instanceof Error ? e.message : String(e));
}

const SOURCE_EXTENSIONS = ['.yaml', '.yml'];

/** Expands the paths (files, or folders of *.yaml) into sources; missing paths are I/O errors. */
async function collectSources(
  paths: readonly string[],
  output: CliOutput,
  outcome: Outcome,
): Promise<SourceFile[]> {
  const given = paths.length > 0 ? paths : ['source'];
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    const full = resolve(path);
    if (seen.has(full)) return;
    seen.add(full);
    files.push({ path, name: basename(path, extname(path)) });
  };
  for (const p of given) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (e) {
      report(output, [fileProblem(p, 'read-failed', `cannot read: ${ioMessage(e)}`)]);
      outcome.fail(EXIT.io);
      continue;
    }
    if (info.isDirectory()) {
      let entries: string[];
      try {
        entries = await readdir(p);
      } catch (e) {
        report(output, [fileProblem(p, 'read-failed', `cannot list the folder: ${ioMessage(e)}`)]);
        outcome.fail(EXIT.io);
        continue;
      }
      const sources = entries
        .filter((f) => !f.startsWith('.') && SOURCE_EXTENSIONS.includes(extname(f)))
        .sort();
      if (sources.length === 0) {
        report(output, [fileProblem(p, 'read-failed', 'the folder holds no .yaml sources')]);
        outcome.fail(EXIT.io);
      }
      for (const f of sources) {
        // Only regular files: reading a FIFO named x.yaml would wait forever for a writer.
        const entry = join(p, f);
        const info = await stat(entry).catch((e: unknown) => `cannot read: ${ioMessage(e)}`);
        if (typeof info === 'string' || !info.isFile()) {
          const why = typeof info === 'string' ? info : 'not a regular file';
          report(output, [fileProblem(entry, 'read-failed', why)]);
          outcome.fail(EXIT.io);
        } else if (withinSize(entry, info.size, output, outcome)) add(entry);
      }
    } else if (info.isFile()) {
      if (withinSize(p, info.size, output, outcome)) add(p);
    } else {
      report(output, [fileProblem(p, 'read-failed', 'not a regular file or folder')]);
      outcome.fail(EXIT.io);
    }
  }
  // Two sources with one name would write the same outputs.
  const byName = new Map<string, string>();
  return files.filter((f) => {
    const first = byName.get(f.name);
    if (first === undefined) {
      byName.set(f.name, f.path);
      return true;
    }
    report(output, [
      fileProblem(
        f.path,
        'name-clash',
        `has the same name as ${first}; its outputs would overwrite that one's`,
      ),
    ]);
    outcome.fail(EXIT.usage);
    return false;
  });
}

/**
 * False (and reported) for a file over the size limit: it is never read, so a multi-gigabyte
 * file costs nothing (reading one whole ended in an internal error in `build`).
 */
function withinSize(path: string, size: number, output: CliOutput, outcome: Outcome): boolean {
  if (size <= LIMITS.maxBytes) return true;
  const message = `the file is ${size} bytes; a source may be at most ${LIMITS.maxBytes} bytes`;
  report(output, [{ ...fileProblem(path, 'file-too-large', message), line: 1, col: 1 }]);
  outcome.fail(EXIT.invalid);
  return false;
}

function report(output: CliOutput, diagnostics: readonly Diagnostic[], text?: string): void {
  if (diagnostics.length === 0) return;
  output.err(`${diagnostics.map((d) => formatDiagnostic(d, text)).join('\n')}\n`);
}

/** Reads and loads one source; prints its diagnostics at once; the model when it is valid. */
async function loadFile(
  file: SourceFile,
  output: CliOutput,
  outcome: Outcome,
): Promise<UnDocument | undefined> {
  let bytes: Uint8Array;
  try {
    const info = await stat(file.path);
    if (info.size > LIMITS.maxBytes) {
      // Not even read: the limit exists so that a huge file costs nothing.
      const message = `the file is ${info.size} bytes; a source may be at most ${LIMITS.maxBytes} bytes`;
      report(output, [{ ...fileProblem(file.path, 'file-too-large', message), line: 1, col: 1 }]);
      outcome.fail(EXIT.invalid);
      return undefined;
    }
    bytes = await readFile(file.path);
  } catch (e) {
    report(output, [fileProblem(file.path, 'read-failed', `cannot read: ${ioMessage(e)}`)]);
    outcome.fail(EXIT.io);
    return undefined;
  }
  const result = loadSource(bytes, file.name, file.path);
  report(output, result.diagnostics, result.text);
  if (!result.model) outcome.fail(EXIT.invalid);
  return result.model;
}

async function validate(paths: readonly string[], output: CliOutput): Promise<ExitCode> {
  const outcome = new Outcome();
  const files = await collectSources(paths, output, outcome);
  let valid = 0;
  for (const f of files) if (await loadFile(f, output, outcome)) valid++;
  const invalid = files.length - valid;
  output.out(
    `validate: ${valid} of ${files.length} document${files.length === 1 ? '' : 's'} valid` +
      `${invalid > 0 ? `, ${invalid} invalid` : ''}\n`,
  );
  return outcome.code;
}

/**
 * `mkdir -p` that cannot spin: Node's recursive mkdir retries forever where a parent exists but
 * refuses children with ENOENT (under /proc), so the missing folders are made one by one.
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const info = await stat(at).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    });
    if (info?.isDirectory()) break;
    if (info) throw Object.assign(new Error(`${at} is not a folder`), { code: 'EEXIST' });
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((e: unknown) => {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    });
  }
}

/** A temporary file of writeAtomically: `.<name>.<pid>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.tmp$/;

/**
 * Removes the temporary files a killed build left in `dir` (their process is gone); those of a
 * build still running, here or in another process, are left alone.
 */
async function removeStaleTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(TEMP_FILE.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Writes a file through a temporary file and a rename, so no reader sees a partial file. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(resolve(path, '..'), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** The file system and clock as the build procedures (src/build/) use them. */
const NODE_IO: WatchIo = {
  readFile: (path) => readFile(path),
  listDir: async (dir) => {
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return new Map(entries.map((e) => [e.name, e.isDirectory() ? 'dir' : 'file'] as const));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  writeFileAtomic: (path, bytes) =>
    writeAtomically(path, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes),
  mkdirp: (dir) => makeFolder(dir),
  now: () => performance.now(),
  watchDir: (dir, onEvent) => {
    const watcher = watchFolder(dir, (_event, file) => onEvent(file ?? undefined));
    // A watched folder that disappears ends its own watch; the others go on.
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  },
};

/** Every file under `dir` (recursively) that `keep` accepts, by path relative to `dir`. */
async function filesUnder(
  dir: string,
  keep: (name: string) => boolean,
  prefix = '',
): Promise<NamedBytes[]> {
  const out: NamedBytes[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const path = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), keep, path)));
    else if (e.isFile() && keep(e.name)) {
      out.push({ path, bytes: await readFile(join(dir, e.name)) });
    }
  }
  return out;
}

/**
 * The engine fingerprint: undoc's version, its own modules (those of this running build, so an
 * unreleased renderer change counts), and the locked versions of its runtime libraries.
 */
async function engine(): Promise<string> {
  const { engineFingerprint, PACKAGE_ROOT } = await buildModules();
  // .cjs: the bundle (dist/undoc-main.cjs) is the code that runs.
  const code = await filesUnder(dirname(fileURLToPath(import.meta.url)), (n) =>
    /\.(js|cjs|mjs|ts)$/.test(n),
  );
  const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const deps = pkg.dependencies ?? {};
  const libraries: Record<string, string> = { ...deps };
  try {
    const lock = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as {
      packages?: Record<string, { version?: string }>;
    };
    for (const name of Object.keys(deps)) {
      const locked = lock.packages?.[`node_modules/${name}`]?.version;
      if (locked !== undefined) libraries[name] = locked;
    }
  } catch {
    // Installed as a package there is no lockfile; the declared ranges stand in.
  }
  return engineFingerprint(packageVersion(), code, libraries);
}

/** Engine, templates and a renderer backend of up to `jobs` workers. */
async function buildContext(jobs: number): Promise<BuildContext> {
  const { openBackend, TEMPLATES_DIR } = await buildModules();
  const [fingerprint, templates] = await Promise.all([
    engine(),
    filesUnder(TEMPLATES_DIR, () => true),
  ]);
  return { engine: fingerprint, templates, open: (count) => openBackend(count, jobs) };
}

function progressSink(output: CliOutput): ProgressSink {
  const sink = { write: output.out, isTTY: output.isTTY === true };
  return output.columns === undefined ? sink : { ...sink, columns: output.columns };
}

/** The exit code a failed document stands for: I/O, a bug, or an invalid source. */
function exitFor(problems: readonly JobProblem[]): ExitCode {
  let code: ExitCode = EXIT.invalid;
  for (const p of problems) {
    const c: ExitCode =
      p.code === 'read-failed' || p.code === 'write-failed'
        ? EXIT.io
        : p.code === 'render-failed'
          ? EXIT.internal
          : EXIT.invalid;
    if (c > code) code = c;
  }
  return code;
}

/** Prints each document's problems with the offending line; records failures' exit codes. */
async function reportOutcomes(
  outcomes: readonly DocOutcome[],
  output: CliOutput,
  outcome: Outcome,
): Promise<void> {
  for (const o of outcomes) {
    const warnings = o.warnings ?? [];
    if (o.problems.length + warnings.length === 0) continue;
    const text = await readFile(o.file, 'utf8').catch(() => undefined);
    const as = (severity: Severity) => (p: JobProblem) => ({ ...p, severity, file: o.file });
    report(output, [...o.problems.map(as('error')), ...warnings.map(as('warning'))], text);
    if (o.status === 'failed') outcome.fail(exitFor(o.problems));
  }
}

/** The page in DIR that lists every built document with links to its files. */
const INDEX_FILE = 'index.html';

/**
 * The index page for the sources that build: each valid source not among `failed` (source paths),
 * linked to its files in `formats`. What it lists of a document comes from `known` (the build's
 * renders and its manifest, by source path); a source missing there is re-read and loaded.
 */
async function indexPage(
  files: readonly SourceFile[],
  failed: ReadonlySet<string>,
  formats: readonly Format[],
  known: ReadonlyMap<string, IndexFacts>,
): Promise<Uint8Array> {
  const { indexFacts, loadResources, renderIndexPage } = await buildModules();
  const entries = [];
  for (const f of files) {
    if (failed.has(f.path)) continue;
    let facts = known.get(f.path);
    if (!facts) {
      const bytes = await readFile(f.path).catch(() => undefined);
      const model = bytes && loadSource(bytes, f.name, f.path).model;
      if (!model) continue;
      facts = indexFacts(model);
    }
    const outputs = Object.fromEntries(formats.map((x) => [x, outputFile(f.name, x)]));
    entries.push({ name: f.name, ...facts, outputs });
  }
  return renderIndexPage(entries, loadResources().styles.ny);
}

/** `undoc build`: incremental by default, on a worker pool, with progress and a summary. */
async function build(
  paths: readonly string[],
  outDir: string,
  formats: readonly Format[],
  output: CliOutput,
  options: { readonly force: boolean; readonly jobs: number },
): Promise<ExitCode> {
  const { MANIFEST_FILE, problemLine, runBuild, summaryLine } = await buildModules();
  const outcome = new Outcome();
  try {
    await makeFolder(outDir);
  } catch (e) {
    report(output, [
      fileProblem(outDir, 'write-failed', `cannot create the output folder: ${ioMessage(e)}`),
    ]);
    return EXIT.io;
  }
  await removeStaleTemps(outDir);
  const files = await collectSources(paths, output, outcome);
  const result = await runBuild(NODE_IO, await buildContext(options.jobs), {
    sources: files,
    outDir,
    formats,
    force: options.force,
    progress: progressSink(output),
  });
  if (result.manifestNote) output.err(`undoc: ${result.manifestNote}; rebuilding everything\n`);
  if (result.manifestWriteError !== undefined) {
    const file = join(outDir, MANIFEST_FILE);
    report(output, [
      fileProblem(file, 'write-failed', `cannot write: ${result.manifestWriteError}`),
    ]);
    outcome.fail(EXIT.io);
  }
  await reportOutcomes(result.outcomes, output, outcome);
  output.out(`${summaryLine({ ...result, documents: files.length, outDir })}\n`);
  for (const o of result.outcomes) {
    const first = o.problems[0];
    if (o.status === 'failed' && first) output.out(`  failed: ${problemLine(o.file, first)}\n`);
  }
  const failed = new Set(result.outcomes.filter((o) => o.status === 'failed').map((o) => o.file));
  const written = await writeIndex(outDir, files, failed, formats, output, result.index);
  if (!written) outcome.fail(EXIT.io);
  return outcome.code;
}

/** Writes DIR/index.html for `files` (unless unchanged); false when it cannot be written. */
async function writeIndex(
  outDir: string,
  files: readonly SourceFile[],
  failed: ReadonlySet<string>,
  formats: readonly Format[],
  output: CliOutput,
  known: ReadonlyMap<string, IndexFacts> = new Map(),
): Promise<boolean> {
  const index = join(outDir, INDEX_FILE);
  try {
    const bytes = await indexPage(files, failed, formats, known);
    // Like an up-to-date document, an unchanged index is left untouched.
    const before = await readFile(index).catch(() => undefined);
    if (!before || !Buffer.from(bytes).equals(before)) await writeAtomically(index, bytes);
    return true;
  } catch (e) {
    report(output, [fileProblem(index, 'write-failed', `cannot write: ${ioMessage(e)}`)]);
    return false;
  }
}

/** `undoc check`: renders in memory; exit 0 only when DIR holds exactly what build would write. */
async function check(
  paths: readonly string[],
  outDir: string,
  formats: readonly Format[],
  output: CliOutput,
  options: { readonly jobs: number },
): Promise<ExitCode> {
  const { describeDrift, runCheck } = await buildModules();
  const outcome = new Outcome();
  const files = await collectSources(paths, output, outcome);
  const result = await runCheck(NODE_IO, await buildContext(options.jobs), {
    sources: files,
    outDir,
    formats,
  });
  await reportOutcomes(result.failures, output, outcome);
  // The index page is the CLI's, not a document's output: compare it here, not as an extra.
  const drift: DriftItem[] = result.drift.filter((d) => d.file !== INDEX_FILE);
  const failed = new Set(result.failures.map((o) => o.file));
  const expected = await indexPage(files, failed, formats, result.index);
  const actual = await readFile(join(outDir, INDEX_FILE)).catch(() => undefined);
  if (!actual) drift.push({ file: INDEX_FILE, kind: 'missing' });
  else if (!Buffer.from(expected).equals(actual)) drift.push({ file: INDEX_FILE, kind: 'stale' });
  for (const d of drift) output.out(`${describeDrift(d, outDir)}\n`);
  const dir = `${outDir.replace(/\/+$/, '')}/`;
  const seconds = (result.ms / 1000).toFixed(2);
  const docs = `${files.length} document${files.length === 1 ? '' : 's'}`;
  if (drift.length === 0 && outcome.code === EXIT.ok) {
    output.out(
      `check: ${dir} holds exactly what build writes for ${docs} (${formats.join(', ')}) in ${seconds} s\n`,
    );
    return EXIT.ok;
  }
  if (drift.length > 0) {
    const n = (kind: string) => drift.filter((d) => d.kind === kind).length;
    output.out(
      `check: ${dir} is out of date: ${n('stale')} stale, ${n('missing')} missing, ${n('extra')} extra ` +
        `(run \`undoc build\` and commit ${dir}; delete the extra files)\n`,
    );
  }
  if (result.failures.length > 0) {
    output.out(`check: ${result.failures.length} of ${docs} could not be rendered\n`);
  }
  return outcome.code !== EXIT.ok ? outcome.code : EXIT.stale;
}

/** `undoc watch`: build, then rebuild on changes until SIGINT/SIGTERM; errors never end it. */
async function watch(
  paths: readonly string[],
  outDir: string,
  formats: readonly Format[],
  output: CliOutput,
  options: { readonly jobs: number },
): Promise<ExitCode> {
  const { RenderPool, startWatch, TEMPLATES_DIR } = await buildModules();
  const watcher = startWatch(NODE_IO, {
    paths: paths.length > 0 ? paths : ['source'],
    discover: (given) => collectSources(given, output, new Outcome()),
    templatesDir: TEMPLATES_DIR,
    outDir,
    formats,
    // One pool for the watch's life; a template change replaces it so workers reload templates.
    context: async () => {
      const pool = new RenderPool(options.jobs);
      const base = await buildContext(options.jobs);
      return {
        ...base,
        open: () => ({
          threads: pool.size,
          render: (job) => pool.render(job),
          close: async () => {},
        }),
        close: () => pool.close(),
      };
    },
    // Plain lines: a watch's log is read afterwards, not watched as a live line.
    out: { write: output.out, isTTY: false },
    // The index lists every document, as after `undoc build`.
    afterBuild: async (sources, failed, known) => {
      await writeIndex(outDir, sources, failed, formats, output, known);
    },
  });
  await watcher.ready;
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await watcher.close();
  output.out('watch: stopped\n');
  return EXIT.ok;
}
