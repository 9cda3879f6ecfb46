/**
 * V8's optimising compiler (TurboFan) for a run of one document, and for a batch on every core.
 * Such a run spends much of its CPU compiling optimised code (on V8's background threads) for
 * functions that would have run only a little longer; V8 picks a function for optimising once it has spent an "interrupt budget"
 * of bytecode. A run of one document raises that budget fourfold: lukewarm code stays in the
 * interpreter and baseline tiers, truly hot loops (Arabic shaping over a long report) are still
 * optimised. Measured from the start-up snapshot (CPU, medians, load 13–17; README "Speed"): the
 * seed 1240 → 1035 ms, the Arabic A/61/859 4000 → 2965 ms. Turning the optimiser off altogether
 * gave the seed 950 ms but the Arabic report 5640 ms, so it is only slowed, not stopped.
 *
 * A batch on every core, in processes of their own (the start-up snapshot's render workers), slows
 * it too, in each process: optimising on V8's background threads is cheap while a core is idle,
 * and takes time from another process's renders when none is. 100 copies of the seed on 2 cores,
 * alternating runs (3 December 2026, load 1–2): 6.40 → 6.00 s wall, 10.6 → 9.6 s CPU; the same
 * 100 on one thread, where the second core is idle, were 0.2 s slower for 0.35 s less CPU, so a
 * batch that leaves a core idle keeps V8's default. A lower budget than the default (optimise
 * sooner) was slower still: 7.2 s.
 *
 * V8's flags are the process's, and this one is not put back: it changes when code is
 * optimised, never what it computes. It is set only where no worker thread exists (a worker
 * loading the code cache under other flags would find it refused) and never by the build's
 * code-cache warm-up (two documents).
 */
import { setFlagsFromString } from 'node:v8';

/** Node 20's V8 default interrupt budget (66 KiB of bytecode), four times. */
export const SHORT_RUN_INTERRUPT_BUDGET = 4 * 66 * 1024;

let slowed = false;

/** Raises the interrupt budget for the rest of the process; idempotent. */
export function slowOptimiser(): void {
  if (slowed) return;
  setFlagsFromString(`--interrupt-budget=${SHORT_RUN_INTERRUPT_BUDGET}`);
  slowed = true;
}

/** Whether this process's optimiser has been slowed. */
export function optimiserSlowed(): boolean {
  return slowed;
}
