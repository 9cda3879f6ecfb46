/**
 * V8's optimiser in a batch (src/build/tiering.ts, src/build/backend.ts): left alone where the
 * workers are threads (they share the process's flags and code cache), slowed by a render worker
 * process when its job says every core renders.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../src/build/backend.js';
import { workersAreProcesses } from '../src/build/pool.js';
import type { RenderJob, RenderResult } from '../src/build/render-job.js';
import { serveJobs } from '../src/build/serve.js';
import { optimiserSlowed } from '../src/build/tiering.js';

const SEED = readFileSync('source/A-61-seed.yaml', 'utf8');
const job = { name: 'A-61-seed', file: 'A-61-seed.yaml', text: SEED, formats: ['html' as const] };

describe('the optimiser in a batch', () => {
  it('is left alone when the workers are threads, even on every core', async () => {
    expect(workersAreProcesses()).toBe(false);
    const backend = openBackend(4, 2);
    const results = await Promise.all([backend.render(job), backend.render(job)]);
    await backend.close();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(optimiserSlowed()).toBe(false);
  });

  it('is slowed by a worker whose job says so, before it renders that job', async () => {
    let take: ((j: RenderJob) => void) | undefined;
    const answers: RenderResult[] = [];
    let answered: () => void = () => {};
    serveJobs({
      onJob: (t) => {
        take = t;
      },
      answer: (r) => {
        answers.push(r);
        answered();
      },
    });
    const next = () => new Promise<void>((done) => (answered = done));
    let done = next();
    take?.({ ...job, id: 1 });
    await done;
    expect(optimiserSlowed()).toBe(false);
    done = next();
    take?.({ ...job, id: 2, slowOptimiser: true });
    expect(optimiserSlowed()).toBe(true);
    await done;
    expect(answers.map((a) => [a.id, a.ok])).toEqual([
      [1, true],
      [2, true],
    ]);
    // Each answer carries its render's own time (the progress line's figure).
    for (const a of answers) expect(a.ok && a.ms !== undefined && a.ms > 0).toBe(true);
  });
});
