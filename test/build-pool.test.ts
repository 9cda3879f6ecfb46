/**
 * The worker pool on real threads: documents render in parallel on separate workers, an invalid
 * one fails alone with its line and column, a crashed worker fails only its document and is
 * replaced.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { mainThreadBackend, mixedBackend } from '../src/build/backend.js';
import { RenderPool } from '../src/build/pool.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS } from '../src/render/types.js';

const SEED = readFileSync('source/A-61-seed.yaml', 'utf8');
// Whatever renderers exist today; the pool's contract does not depend on which.
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const BROKEN = 'style: ny\ndocTitle: [unclosed\nlanguage: en\n';

describe('RenderPool', () => {
  const pool = new RenderPool(2);
  afterAll(() => pool.close());

  it('renders valid documents and fails an invalid one alone, with line:col', async () => {
    const jobs = [
      { name: 'A-61-seed', file: 'source/A-61-seed.yaml', text: SEED, formats: AVAILABLE },
      { name: 'broken', file: 'x/broken.yaml', text: BROKEN, formats: AVAILABLE },
      { name: 'A-61-seed', file: 'source/A-61-seed.yaml', text: SEED, formats: AVAILABLE },
    ];
    const [a, broken, b] = await Promise.all(jobs.map((j) => pool.render(j)));
    expect(a?.ok).toBe(true);
    expect(b?.ok).toBe(true);
    if (a?.ok && b?.ok) {
      expect(a.outputs.map((o) => o.format)).toEqual(AVAILABLE);
      for (const [i, o] of a.outputs.entries()) {
        expect(o.bytes.byteLength).toBeGreaterThan(0);
        // Two workers, same input: same bytes.
        expect(Buffer.from(o.bytes).equals(Buffer.from(b.outputs[i]?.bytes ?? []))).toBe(true);
      }
    }
    expect(broken?.ok).toBe(false);
    if (broken && !broken.ok) {
      const p = broken.problems[0];
      expect(p?.code).toBe('yaml-syntax');
      expect(p?.line).toBeGreaterThanOrEqual(2);
      expect(p?.col).toBeGreaterThanOrEqual(1);
    }
  });

  it('runs on more than one thread', async () => {
    const jobs = Array.from({ length: 4 }, (_, i) => ({
      name: `d${i}`,
      file: `d${i}.yaml`,
      text: SEED,
      formats: [],
    }));
    await Promise.all(jobs.map((j) => pool.render(j)));
    // Both workers were started (the pool starts them on demand, up to its size).
    expect((pool as unknown as { slots: unknown[] }).slots).toHaveLength(2);
  });

  it('start() starts every worker before any job, and they then serve jobs', async () => {
    const early = new RenderPool(2);
    const slots = () => (early as unknown as { slots: unknown[] }).slots.length;
    try {
      expect(slots()).toBe(0);
      early.start();
      expect(slots()).toBe(2);
      early.start();
      expect(slots()).toBe(2);
      const job = { name: 'd', file: 'd.yaml', text: SEED, formats: [] };
      const results = await Promise.all([early.render(job), early.render(job)]);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(slots()).toBe(2);
    } finally {
      await early.close();
    }
  });

  it('the main thread and a worker share one queue and give the same bytes', async () => {
    const backend = mixedBackend(1);
    const jobs = Array.from({ length: 4 }, (_, i) => ({
      name: 'A-61-seed',
      file: `copy-${i}.yaml`,
      text: SEED,
      formats: AVAILABLE,
    }));
    const results = await Promise.all(jobs.map((j) => backend.render(j)));
    await backend.close();
    const hashes = results.map((r) =>
      r.ok ? r.outputs.map((o) => createHash('sha256').update(o.bytes).digest('hex')).join() : '',
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(hashes).size).toBe(1);
  });

  it('the main-thread backend gives the same answers', async () => {
    const backend = mainThreadBackend();
    const r = await backend.render({ name: 'broken', file: 'b.yaml', text: BROKEN, formats: [] });
    expect(r.ok).toBe(false);
    await backend.close();
  });
});

describe('RenderPool crash', () => {
  it('a worker that dies fails its document only, and the pool carries on', async () => {
    const pool = new RenderPool(1);
    // The job is posted to a freshly started worker, which is killed before it can answer.
    const first = pool.render({ name: 'a', file: 'a.yaml', text: SEED, formats: AVAILABLE });
    const slot = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] })
      .slots[0];
    await slot?.worker.terminate();
    const r1 = await first;
    expect(r1.ok).toBe(false);
    if (!r1.ok)
      expect(r1.problems[0]).toMatchObject({ code: 'render-failed', message: /render worker/ });
    const r2 = await pool.render({ name: 'b', file: 'b.yaml', text: BROKEN, formats: [] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.problems[0]?.code).toBe('yaml-syntax');
    await pool.close();
  });
});
