/**
 * The `undoc` command: the only module that reads and writes files, reads the clock and decides
 * the exit code. `build` renders sources to files, `validate` only checks them, `schema` prints
 * the JSON schema. Every problem of a file is printed at once; bad input never gives a stack trace.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
import { RENDERERS } from './render/index.js';
import { FORMATS, type Format } from './render/types.js';
import { loadResources, type Resources } from './resources.js';

/** Where the CLI prints: stdout for results and summaries, stderr for diagnostics. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const USAGE = `undoc — one YAML source to a UN parliamentary document (PDF, DOCX, HTML)

Usage:
  undoc build [paths…] [--out DIR] [--format pdf,docx,html]
  undoc validate [paths…]
  undoc schema
  undoc --help | --version

Paths are source files or folders of *.yaml files (default: source/).
build writes DIR/<source-name>.<format> (default DIR: out/).

Exit codes: 0 ok · 1 invalid document · 2 usage · 3 file or folder I/O · 4 internal error
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
  if (command !== 'build' && (values.out !== undefined || values.format !== undefined)) {
    throw new UsageError('--out and --format apply only to `undoc build`');
  }
  switch (command) {
    case 'schema':
      if (paths.length > 0) throw new UsageError('`undoc schema` takes no paths');
      output.out(`${JSON.stringify(SCHEMA, null, 2)}\n`);
      return EXIT.ok;
    case 'validate':
      return validate(paths, output);
    case 'build':
      return build(paths, values.out ?? 'out', parseFormats(values.format), output);
    default: {
      const near = nearest(command, ['build', 'validate', 'schema']);
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
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    const option = /option '([^']+)'/i.exec(e instanceof Error ? e.message : '')?.[1];
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      const near = nearest(option.replace(/^-+/, ''), ['out', 'format', 'help', 'version']);
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
  if (asked.length === 0) throw new UsageError('--format needs at least one of pdf, docx, html');
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
      for (const f of sources) add(join(p, f));
    } else if (info.isFile()) add(p);
    else {
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

async function build(
  paths: readonly string[],
  outDir: string,
  formats: readonly Format[],
  output: CliOutput,
): Promise<ExitCode> {
  const started = performance.now();
  const outcome = new Outcome();
  const unavailable = formats.filter((f) => RENDERERS[f] === undefined);
  const available = formats.filter((f) => RENDERERS[f] !== undefined);
  if (unavailable.length > 0) {
    report(output, [
      fileProblem(
        'undoc',
        'format-unavailable',
        `${unavailable.join(', ')}: not available yet (the renderer has not landed); nothing is written for ${unavailable.length === 1 ? 'it' : 'them'}`,
        'warning',
      ),
    ]);
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    report(output, [
      fileProblem(outDir, 'write-failed', `cannot create the output folder: ${ioMessage(e)}`),
    ]);
    return EXIT.io;
  }
  const files = await collectSources(paths, output, outcome);
  let resources: Resources | undefined;
  let built = 0;
  let written = 0;
  for (const file of files) {
    const model = await loadFile(file, output, outcome);
    if (!model || available.length === 0) continue;
    resources ??= loadResources();
    // Render every format first, then write: a failure leaves all previous outputs in place.
    const rendered: [Format, Uint8Array][] = [];
    for (const format of available) {
      const render = RENDERERS[format];
      if (!render) continue;
      try {
        rendered.push([format, await render(model, resources.styles[model.style], resources)]);
      } catch (e) {
        const detail = process.env.UNDOC_DEBUG && e instanceof Error ? `\n${e.stack}` : '';
        report(output, [
          fileProblem(
            file.path,
            'render-failed',
            `${format} renderer failed: ${e instanceof Error ? e.message : String(e)} (a bug in undoc; nothing written for this document)${detail}`,
          ),
        ]);
        outcome.fail(EXIT.internal);
      }
    }
    if (rendered.length < available.length) continue;
    let ok = true;
    for (const [format, bytes] of rendered) {
      const target = join(outDir, `${file.name}.${format}`);
      try {
        await writeAtomically(target, bytes);
        written++;
      } catch (e) {
        report(output, [fileProblem(target, 'write-failed', `cannot write: ${ioMessage(e)}`)]);
        outcome.fail(EXIT.io);
        ok = false;
      }
    }
    if (ok) built++;
  }
  // TODO(index page): write DIR/index.html once src/render/index-page.ts lands.
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const failed = files.length - built;
  const formatsLine = available.length > 0 ? available.join(', ') : 'no format available';
  output.out(
    `build: ${built} of ${files.length} document${files.length === 1 ? '' : 's'} built into ${outDir}/ ` +
      `(${formatsLine}; ${written} file${written === 1 ? '' : 's'} written)` +
      `${failed > 0 && available.length > 0 ? `, ${failed} failed` : ''} in ${seconds} s\n`,
  );
  return outcome.code;
}
