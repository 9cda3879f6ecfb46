/**
 * Where the CLI prints and how a run ends: stdout for results and summaries, stderr for
 * diagnostics (each with its offending line), and the worst exit code seen so far.
 */
import type { ProgressSink } from '../build/progress.js';
import type { DocOutcome } from '../build/run.js';
import {
  type Diagnostic,
  EXIT,
  type ExitCode,
  formatDiagnostic,
  type Severity,
} from '../diagnostics.js';
import { readText } from './file-system.js';

/** Where the CLI prints: stdout for results and summaries, stderr for diagnostics. */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether `out` is a terminal: build progress is then one line rewritten in place. */
  readonly isTTY?: boolean;
  /** The terminal's width in columns (the progress line is cut to it). */
  readonly columns?: number;
}

/** The process's own stdout and stderr. */
export const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  get columns() {
    return process.stdout.columns ?? 80;
  },
};

/** A run's bookkeeping: the worst exit code so far. */
export class Outcome {
  code: ExitCode = EXIT.ok;

  /** Records a failure; the highest code wins (internal > I/O > usage > invalid). */
  fail(code: ExitCode): void {
    if (code > this.code) this.code = code;
  }
}

/** Prints diagnostics to stderr; `text` is their file's text, for the offending lines. */
export function report(output: CliOutput, diagnostics: readonly Diagnostic[], text?: string): void {
  if (diagnostics.length === 0) return;
  output.err(`${diagnostics.map((d) => formatDiagnostic(d, text)).join('\n')}\n`);
}

/** The build's progress lines, on the CLI's stdout. */
export function progressSink(output: CliOutput): ProgressSink {
  const sink = { write: output.out, isTTY: output.isTTY === true };
  return output.columns === undefined ? sink : { ...sink, columns: output.columns };
}

/** The exit code a failed document stands for: I/O, a bug, or an invalid source. */
function exitFor(problems: readonly Diagnostic[]): ExitCode {
  let code: ExitCode = EXIT.invalid;
  for (const p of problems) {
    const c: ExitCode =
      p.code === 'read-failed' || p.code === 'write-failed'
        ? EXIT.io
        : p.code === 'render-failed'
          ? EXIT.internal
          : p.code === 'engine-mismatch'
            ? EXIT.engine
            : EXIT.invalid;
    if (c > code) code = c;
  }
  return code;
}

/** Prints each document's problems with the offending line; records failures' exit codes. */
export async function reportOutcomes(
  outcomes: readonly DocOutcome[],
  output: CliOutput,
  outcome: Outcome,
): Promise<void> {
  for (const o of outcomes) {
    const warnings = o.warnings ?? [];
    if (o.problems.length + warnings.length === 0) continue;
    const text = await readText(o.file);
    const as = (severity: Severity) => (d: Diagnostic) => ({ ...d, severity });
    report(output, [...o.problems.map(as('error')), ...warnings.map(as('warning'))], text);
    if (o.status === 'failed') outcome.fail(exitFor(o.problems));
  }
}
