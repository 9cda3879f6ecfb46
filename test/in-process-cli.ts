/**
 * undoc's command run in this process (src/cli/main.ts), for the tests that need no separate
 * process: what it printed to stdout and stderr, and its exit code.
 */
import { type CliOutput, main } from '../src/cli/main.js';

/** What one in-process run did. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `undoc …args`; `tty`: its stdout is a terminal 100 columns wide (else not a terminal). */
export async function runCli(args: readonly string[], tty = false): Promise<CliRun> {
  let out = '';
  let err = '';
  const output: CliOutput = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTTY: tty,
    columns: 100,
  };
  const code = await main(args, output);
  return { code, out, err };
}
