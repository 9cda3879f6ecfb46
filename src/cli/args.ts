/**
 * The command line: the usage text, the options and their checks. A bad command line is a
 * UsageError (exit 2), with the nearest known name when one is close.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { parseShard, type Shard } from '../build/shard.js';
import { nearest } from '../load/schema.js';
import { FORMATS, type Format } from '../render/types.js';

/** The commands, in the order the usage lists them. */
export const COMMANDS = [
  'build',
  'check',
  'watch',
  'merge-index',
  'validate',
  'import',
  'schema',
  'serve',
] as const;

/** What `undoc --help` prints (and a bare `undoc`, on stderr). */
export const USAGE = `undoc — one YAML source to a UN parliamentary document (PDF, DOCX, HTML)

Usage:
  undoc build [paths…] [--out DIR] [--format pdf,docx,html,akn] [--force] [--jobs N] [--shard i/n]
  undoc check [paths…] [--out DIR] [--format …] [--jobs N] [--shard i/n]
  undoc watch [paths…] [--out DIR] [--format …] [--jobs N]
  undoc merge-index [paths…] [--out DIR] [--format …]
  undoc validate [paths…]
  undoc import FILE.docx [-o FILE.yaml] [--accept-changes | --reject-changes]
  undoc schema
  undoc serve [--idle-timeout 30m]
  undoc --help | --version

Paths are source files or folders of *.yaml files (default: source/).
build writes DIR/<source-name>.<format> (default DIR: out/), skipping documents whose source,
templates and undoc are unchanged since the last build (--force rebuilds), on N worker threads
(default: one per core). check renders in memory and compares with DIR: it fails, naming each
stale, missing or extra file, unless DIR holds exactly what build would write. watch builds, then
rebuilds a document when its source changes (all of them when a template changes).
--shard i/n builds or checks only shard i of n (a stable hash of each source path assigns it);
each shard keeps its own manifest in DIR, and merge-index writes DIR/index.html from the
manifests of all n shards once their files are in one DIR.
import reads a Word file (undoc's own, edited, or the Secretariat's) into a source: to FILE.yaml
with -o, else to standard output; a file with tracked changes is refused unless they are all
accepted or all rejected.
serve keeps a warm undoc running (in the foreground, until Ctrl-C or 30 minutes idle): while it
runs, build, check and validate run in it, in this folder, and print here as they would locally
(UNDOC_NO_SERVER=1 runs one here anyway).

Exit codes: 0 ok · 1 invalid document · 2 usage · 3 file or folder I/O · 4 internal error
            5 check: DIR is out of date · 6 the PDF engine is not the one undoc was built for
            130/143 interrupted (SIGINT/SIGTERM)
`;

/** A usage error: bad command line (exit 2). */
export class UsageError extends Error {}

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  force: { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  'accept-changes': { type: 'boolean' },
  'reject-changes': { type: 'boolean' },
} as const;

/** Splits the command line into options and positionals (the command, then its paths). */
export function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    const option = /option '([^']+)'/i.exec(e instanceof Error ? e.message : '')?.[1];
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      const near = nearest(option.replace(/^-+/, ''), Object.keys(OPTIONS));
      throw new UsageError(
        `unknown option \`${option}\`${near ? ` (did you mean \`--${near}\`?)` : ''}`,
      );
    }
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** `--format a,b`: the formats asked for, in the registry's order, each once; default all. */
export function parseFormats(list: string | undefined): readonly Format[] {
  if (list === undefined) return FORMATS;
  const asked = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  if (asked.length === 0) {
    throw new UsageError(`--format needs at least one of ${FORMATS.join(', ')}`);
  }
  for (const f of asked) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      const near = nearest(f, FORMATS);
      throw new UsageError(
        `unknown format \`${f}\`; formats are ${FORMATS.join(', ')}${near ? ` (did you mean \`${near}\`?)` : ''}`,
      );
    }
  }
  return FORMATS.filter((f) => asked.includes(f));
}

/** `--shard i/n`: the shard to build or check; undefined when not given. */
export function parseShardOption(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const shard = parseShard(value);
  if (typeof shard === 'string') throw new UsageError(shard);
  return shard;
}

/** How many threads may render a batch. */
export interface Jobs {
  /** At most this many threads (the main thread and workers). */
  readonly max: number;
  /** A thread more only for this many documents more. */
  readonly docsPerThread: number;
}

/**
 * Documents per thread when `--jobs` is not given. A worker thread costs about 2 s of CPU to
 * start, load and warm up, while a warm thread renders a further seed in about 0.2 s: measured
 * from the start-up snapshot, 4 seeds took 2.0 s of CPU on one thread and 4.1 s on two, 8 seeds
 * 2.6–2.8 s against 4.5 s (README "Speed"). A second thread only shortens the wall time once it
 * has about ten documents to render; an explicit `--jobs N` is honoured as given.
 */
export const DEFAULT_DOCS_PER_THREAD = 10;

/** `--jobs N`: threads, a whole number ≥ 1; default one per core and per DEFAULT_DOCS_PER_THREAD documents. */
export function parseJobs(value: string | undefined): Jobs {
  if (value === undefined) {
    return { max: availableParallelism(), docsPerThread: DEFAULT_DOCS_PER_THREAD };
  }
  if (!/^[1-9][0-9]{0,3}$/.test(value.trim())) {
    throw new UsageError(`--jobs needs a whole number from 1 to 9999, not \`${value}\``);
  }
  return { max: Number(value.trim()), docsPerThread: 1 };
}
