/**
 * V8's optimiser slowed for a run of one document (src/build/tiering.ts): a backend for one
 * document slows it, one for more does not, and the bytes are those of a render before it was
 * slowed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../src/build/backend.js';
import type { RenderResult } from '../src/build/render-job.js';
import { optimiserSlowed } from '../src/build/tiering.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS } from '../src/render/types.js';

const SEED = readFileSync('source/A-61-seed.yaml', 'utf8');
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const job = { name: 'A-61-seed', file: 'A-61-seed.yaml', text: SEED, formats: AVAILABLE };
const bytes = (r: RenderResult) =>
  r.ok ? r.outputs.map((o) => Buffer.from(o.bytes).toString('base64')) : [];

describe('the optimiser in a run of one document', () => {
  it('is slowed by a backend for one document only, and the bytes do not change', async () => {
    const two = openBackend(2, 1);
    const before = await two.render(job);
    await two.close();
    expect(optimiserSlowed()).toBe(false);
    const one = openBackend(1, 2);
    expect(optimiserSlowed()).toBe(true);
    const after = await one.render(job);
    await one.close();
    expect(before.ok && after.ok).toBe(true);
    expect(bytes(after)).toEqual(bytes(before));
  });
});
