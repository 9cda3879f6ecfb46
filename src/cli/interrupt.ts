/**
 * SIGINT, SIGTERM and SIGHUP during a command that writes: the writes under way settle, every
 * temporary file of this process is removed (the outputs keep their old bytes or their new ones),
 * the folder's lock is released, "undoc: interrupted" is printed, and the process exits with
 * 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM), as shells report a signal.
 */
import { removeLiveTemps } from './file-system.js';
import type { CliOutput } from './output.js';

/** Exit codes of an interrupted command, by signal. */
export const INTERRUPT_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

type Interrupt = keyof typeof INTERRUPT_EXIT;

/** Handles interrupts until the returned function is called. */
export function exitOnInterrupt(output: CliOutput): () => void {
  let ending = false;
  const handlers = new Map<Interrupt, () => void>();
  for (const signal of Object.keys(INTERRUPT_EXIT) as Interrupt[]) {
    const handler = () => {
      // bin/undoc.js passes on the signal a terminal also sends this process: one is enough.
      if (ending) return;
      ending = true;
      void removeLiveTemps().finally(() => {
        output.err('undoc: interrupted\n');
        // 'exit' listeners (the folder's lock) run; worker threads end with the process.
        process.exit(INTERRUPT_EXIT[signal]);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
