/**
 * A render worker in a child process: what the pool starts instead of a thread when the command
 * itself runs from the start-up snapshot (src/snapshot.ts). A thread cannot start from the
 * snapshot — it loads the bundle and parses the fonts and templates again, then warms up — while a
 * process started from it has all of that in its heap already. Jobs and results travel over
 * Node's IPC channel, with structured-clone serialisation (the bytes as bytes).
 */

import type { RenderJob } from './render-job.js';
import { serveJobs } from './serve.js';

/** Serves the parent's jobs until it goes (its channel closes). */
export function serveParentProcess(): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('a render worker process needs an IPC channel to its parent');
  // The parent is gone (or closed the pool): nothing is left to render for.
  process.on('disconnect', () => process.exit(0));
  serveJobs({
    onJob: (take) => process.on('message', (job) => take(job as RenderJob)),
    answer: (result) => {
      send(result);
    },
  });
}
