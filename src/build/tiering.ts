/**
 * V8's optimising compiler (TurboFan) for a short run. A command that renders one document or a
 * few spends more CPU compiling optimised code (on V8's background threads) than that code saves
 * before the process exits; interpreted and baseline code finish such a run sooner. So the main
 * thread renders a short run with the optimiser held, and a longer one its first document only,
 * letting it go for the rest, where optimised code pays. README "Speed" has the figures.
 *
 * V8's flags are the process's: they are changed only while no worker thread exists (a worker
 * loading the code cache under other flags would find it refused), and always put back when the
 * backend closes (the build writes its code cache after a warm-up run, under the default flags).
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Documents the main thread renders with the optimiser held, of a run of `count`: all of a run of
 * up to three, else the first. Measured from the start-up snapshot (CPU, medians of 3): one seed
 * 1350 → 950 ms, three 2070 → 1670 ms, nine 2890 → 2780 ms; holding it for four of nine cost
 * 3280 ms.
 */
export function heldDocuments(count: number): number {
  return count <= 3 ? count : 1;
}

let held = false;

/** Holds the optimiser (no new optimised code) until `release()`; idempotent. */
export function holdOptimiser(): void {
  if (held) return;
  setFlagsFromString('--no-opt');
  held = true;
}

/** Lets the optimiser go again (code that got hot meanwhile is optimised from now on). */
export function releaseOptimiser(): void {
  if (!held) return;
  setFlagsFromString('--opt');
  held = false;
}

/** Whether the optimiser is held now. */
export function optimiserHeld(): boolean {
  return held;
}
