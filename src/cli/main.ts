/**
 * The `undoc` command: the only part of undoc that reads and writes files, reads the clock and
 * decides the exit code. `build` renders sources to files, `check` compares them, `watch`
 * rebuilds on changes, `validate` only checks sources, `schema` prints the JSON schema. Every
 * problem of a file is printed at once; bad input never gives a stack trace.
 *
 * The rooms: args.ts (the command line), sources.ts (finding and reading sources), output.ts
 * (printing and exit codes), file-system.ts (atomic writes, folders, the BuildIo), fingerprint.ts
 * (the engine hash), index-file.ts (DIR/index.html), commands/ (one module per command).
 */
import { normalize } from 'node:path';
import { EXIT, type ExitCode } from '../diagnostics.js';
import { nearest, SCHEMA } from '../load/schema.js';
import { EngineMismatch } from '../render/types.js';
import { loadFonts } from '../resources.js';
import { ResourceFailure } from '../style/load.js';
import {
  COMMANDS,
  parseCommandLine,
  parseFormats,
  parseJobs,
  parseShardOption,
  USAGE,
  UsageError,
} from './args.js';
import { build } from './commands/build.js';
import { check } from './commands/check.js';
import { importWord } from './commands/import.js';
import { mergeIndex } from './commands/merge-index.js';
import { validate } from './commands/validate.js';
import { watch } from './commands/watch.js';
import { packageVersion } from './fingerprint.js';
import { exitOnInterrupt } from './interrupt.js';
import { type CliOutput, PROCESS_OUTPUT } from './output.js';

export type { CliOutput } from './output.js';

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
    if (e instanceof ResourceFailure) {
      output.err(`${e.message}\n`);
      return e.kind === 'invalid' ? EXIT.invalid : EXIT.io;
    }
    if (e instanceof EngineMismatch) {
      output.err(`undoc: ${e.message}\n`);
      return EXIT.engine;
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
    // The engine check without its canary: versions and members, a few milliseconds.
    const { engineStatus } = await import('../render/pdf/engine-check.js');
    const status = engineStatus(loadFonts().regular);
    if (!status.ok) throw new EngineMismatch(status.line);
    output.out(`${status.line}\n`);
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
  // An empty value is what `--out "$UNSET"` passes: it must not mean the root or this folder.
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') {
      throw new UsageError(`--${name} needs a value, not an empty one (an unset variable?)`);
    }
  }
  if (paths.some((p) => p.trim() === '')) {
    throw new UsageError('a path is empty (an unset variable?); give a source file or folder');
  }
  if (command === 'import') return importCommand(paths, values, output);
  if (values['accept-changes'] || values['reject-changes']) {
    throw new UsageError('--accept-changes and --reject-changes apply only to `undoc import`');
  }
  const renders = command === 'build' || command === 'check' || command === 'watch';
  const writes = renders || command === 'merge-index';
  if (!writes && (values.out !== undefined || values.format !== undefined)) {
    throw new UsageError(
      '--out and --format apply only to `undoc build`, `check`, `watch` and `merge-index`',
    );
  }
  if (!renders && values.jobs !== undefined) {
    throw new UsageError('--jobs applies only to `undoc build`, `check` and `watch`');
  }
  if (command !== 'build' && command !== 'check' && values.shard !== undefined) {
    throw new UsageError('--shard applies only to `undoc build` and `check`');
  }
  if (command !== 'build' && values.force) {
    throw new UsageError('--force applies only to `undoc build`');
  }
  // Resolved once, lexically, for every read, write and rename under it (`nothere/../out`).
  const outDir = normalize(values.out ?? 'out');
  switch (command) {
    case 'schema':
      if (paths.length > 0) throw new UsageError('`undoc schema` takes no paths');
      output.out(`${JSON.stringify(SCHEMA, null, 2)}\n`);
      return EXIT.ok;
    case 'validate':
      return validate(paths, output);
    case 'build':
      return build(
        paths,
        {
          outDir,
          formats: parseFormats(values.format),
          force: values.force === true,
          jobs: parseJobs(values.jobs),
          shard: parseShardOption(values.shard),
        },
        output,
      );
    case 'check':
      return withInterrupts(output, () =>
        check(
          paths,
          {
            outDir,
            formats: parseFormats(values.format),
            jobs: parseJobs(values.jobs),
            shard: parseShardOption(values.shard),
          },
          output,
        ),
      );
    case 'merge-index':
      return mergeIndex(paths, { outDir, formats: parseFormats(values.format) }, output);
    case 'watch':
      return watch(
        paths,
        { outDir, formats: parseFormats(values.format), jobs: parseJobs(values.jobs) },
        output,
      );
    case 'serve':
      // src/bundle.ts runs it: it needs the built package's dist/ folder.
      throw new UsageError(
        '`undoc serve` runs only from the built CLI (`node bin/undoc.js serve`)',
      );
    default: {
      const near = nearest(command, COMMANDS);
      throw new UsageError(
        `unknown command \`${command}\`${near ? ` (did you mean \`${near}\`?)` : ''}`,
      );
    }
  }
}

/** `undoc import FILE.docx [-o FILE.yaml] [--accept-changes | --reject-changes]`. */
function importCommand(
  paths: readonly string[],
  values: ReturnType<typeof parseCommandLine>['values'],
  output: CliOutput,
): Promise<ExitCode> {
  if (
    values.format !== undefined ||
    values.jobs !== undefined ||
    values.force ||
    values.shard !== undefined
  ) {
    throw new UsageError(
      '`undoc import` takes only -o FILE.yaml and --accept-changes or --reject-changes',
    );
  }
  if (values['accept-changes'] && values['reject-changes']) {
    throw new UsageError('--accept-changes and --reject-changes exclude each other');
  }
  const [file, ...more] = paths;
  if (file === undefined || more.length > 0) {
    throw new UsageError(
      '`undoc import` takes one Word file: undoc import FILE.docx [-o FILE.yaml]',
    );
  }
  const tracked = values['accept-changes']
    ? 'accept'
    : values['reject-changes']
      ? 'reject'
      : 'refuse';
  return importWord(
    file,
    { ...(values.out !== undefined ? { out: values.out } : {}), tracked },
    output,
  );
}

/** Runs a command that writes nothing with interrupts reported (exit 130/143). */
async function withInterrupts(
  output: CliOutput,
  command: () => Promise<ExitCode>,
): Promise<ExitCode> {
  const stop = exitOnInterrupt(output);
  try {
    return await command();
  } finally {
    stop();
  }
}
