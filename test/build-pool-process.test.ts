/**
 * The pool's render workers as child processes (src/build/process-worker.ts), as a command
 * started from the snapshot uses them: same bytes as the main thread, an invalid document fails
 * alone with its line, a killed process fails only the document it held, and closing the pool
 * ends every process.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RenderPool, startWorkerProcesses } from '../src/build/pool.js';
import { renderJob } from '../src/build/render-job.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS } from '../src/render/types.js';
import { loadResources } from '../src/resources.js';

const SEED = readFileSync('source/A-61-seed.yaml', 'utf8');
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const BROKEN = 'style: ny\ndocTitle: [unclosed\nlanguage: en\n';

// From the TypeScript sources: the worker module through tsx, as the bundle's would run.
const entry = new URL('../src/build/process-worker.ts', import.meta.url).href;
startWorkerProcesses(process.execPath, [
  '--import',
  'tsx',
  '--input-type=module',
  '-e',
  `(await import(${JSON.stringify(entry)})).serveParentProcess();`,
]);

/** The pool's worker processes' ids (its slots hold them). */
function pids(pool: RenderPool): number[] {
  const slots = (pool as unknown as { slots: { worker: { pid?: number } }[] }).slots;
  return slots.map((s) => s.worker.pid ?? 0);
}

describe('RenderPool of child processes', () => {
  it('renders the bytes of the main thread and fails an invalid document alone', async () => {
    const pool = new RenderPool(2);
    try {
      const [seed, broken] = await Promise.all([
        pool.render({
          name: 'A-61-seed',
          file: 'source/A-61-seed.yaml',
          text: SEED,
          formats: AVAILABLE,
        }),
        pool.render({ name: 'broken', file: 'x/broken.yaml', text: BROKEN, formats: AVAILABLE }),
      ]);
      const here = await renderJob(
        { id: 0, name: 'A-61-seed', file: 'source/A-61-seed.yaml', text: SEED, formats: AVAILABLE },
        loadResources(),
      );
      expect(seed?.ok && here.ok).toBe(true);
      if (seed?.ok && here.ok) {
        expect(seed.outputs.map((o) => o.format)).toEqual(AVAILABLE);
        for (const [i, o] of seed.outputs.entries()) {
          expect(
            Buffer.from(o.bytes).equals(Buffer.from(here.outputs[i]?.bytes ?? [])),
            o.format,
          ).toBe(true);
        }
      }
      // The problems the main thread finds in it, line and column included.
      const brokenHere = await renderJob(
        { id: 0, name: 'broken', file: 'x/broken.yaml', text: BROKEN, formats: AVAILABLE },
        loadResources(),
      );
      expect(broken?.ok).toBe(false);
      expect(brokenHere.ok).toBe(false);
      if (broken && !broken.ok && !brokenHere.ok) {
        expect(broken.problems[0]).toMatchObject({ code: 'yaml-syntax', file: 'x/broken.yaml' });
        expect(broken.problems).toEqual(brokenHere.problems);
      }
    } finally {
      await pool.close();
    }
  });

  it('a killed process fails its document only; closing ends the processes', async () => {
    const pool = new RenderPool(1);
    const first = pool.render({ name: 'a', file: 'a.yaml', text: SEED, formats: AVAILABLE });
    const [pid] = pids(pool);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid ?? 0, 'SIGKILL');
    const r1 = await first;
    expect(r1.ok).toBe(false);
    if (!r1.ok)
      expect(r1.problems[0]).toMatchObject({ code: 'render-failed', message: /render worker/ });
    const r2 = await pool.render({ name: 'b', file: 'b.yaml', text: BROKEN, formats: [] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.problems[0]?.code).toBe('yaml-syntax');
    const [second] = pids(pool);
    expect(second).not.toBe(pid);
    await pool.close();
    expect(() => process.kill(second ?? 0, 0)).toThrow();
  });
});
