/**
 * The optimiser held for a short run (src/build/tiering.ts): a run of up to three documents
 * renders with it held, a longer one its first document only; closing always lets it go (the
 * build's code cache is written afterwards under V8's default flags), and the bytes are those of
 * a render with the optimiser running.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimiserHeldAtFirst } from '../src/build/backend.js';
import { renderJob } from '../src/build/render-job.js';
import { heldDocuments, optimiserHeld } from '../src/build/tiering.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS } from '../src/render/types.js';
import { loadResources } from '../src/resources.js';

const SEED = readFileSync('source/A-61-seed.yaml', 'utf8');
const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const job = (name: string) => ({ name, file: `${name}.yaml`, text: SEED, formats: AVAILABLE });

describe('the optimiser in a short run', () => {
  it('is held for all of a run of up to three, and for the first document of a longer one', () => {
    expect([1, 2, 3, 4, 100].map(heldDocuments)).toEqual([1, 2, 3, 1, 1]);
  });

  it('is held while the first documents render, let go after them and on close', async () => {
    const seen: boolean[] = [];
    const backend = optimiserHeldAtFirst(2);
    const results = [];
    for (const name of ['a', 'b', 'c']) {
      // Asked as each render ends: the flag it rendered under is still set then.
      results.push(await backend.render(job(name)));
      seen.push(optimiserHeld());
    }
    expect(seen).toEqual([true, true, false]);
    expect(results.every((r) => r.ok)).toBe(true);
    const held = optimiserHeldAtFirst(5);
    await held.render(job('d'));
    expect(optimiserHeld()).toBe(true);
    await held.close();
    expect(optimiserHeld()).toBe(false);
    // The same bytes as a render with the optimiser running.
    const plain = await renderJob({ id: 9, ...job('a') }, loadResources());
    const first = results[0];
    expect(plain.ok && first?.ok).toBe(true);
    if (plain.ok && first?.ok) {
      expect(first.outputs.map((o) => Buffer.from(o.bytes).toString('base64'))).toEqual(
        plain.outputs.map((o) => Buffer.from(o.bytes).toString('base64')),
      );
    }
  });
});
