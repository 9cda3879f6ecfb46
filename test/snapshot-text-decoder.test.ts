/**
 * The TextDecoder the start-up snapshot's warm-up puts in place of Node's
 * (src/snapshot-text-decoder.ts): what it decodes is what Node's decodes, for any bytes, and it
 * refuses to stream, so that fflate (which asks once) streams with its own decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotTextDecoder } from '../src/snapshot-text-decoder.js';

/** Bytes that are often UTF-8, sometimes broken, sometimes led by a byte order mark. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 32 }).map((s) => new TextEncoder().encode(s)),
  fc
    .tuple(fc.string({ unit: 'binary', maxLength: 16 }), fc.uint8Array({ maxLength: 8 }))
    .map(([s, tail]) =>
      Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s), ...tail]),
    ),
);

describe('the snapshot TextDecoder', () => {
  it('decodes any bytes as Node’s TextDecoder does (UTF-8, with and without ignoreBOM)', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), (input, ignoreBOM) => {
        const ours = new SnapshotTextDecoder('utf-8', { ignoreBOM }).decode(input);
        expect(ours).toBe(new TextDecoder('utf-8', { ignoreBOM }).decode(input));
        // An ArrayBuffer, and a view into the middle of a larger one, alike.
        const wide = new Uint8Array(input.length + 6);
        wide.set(input, 3);
        const view = new Uint8Array(wide.buffer, 3, input.length);
        expect(new SnapshotTextDecoder().decode(view)).toBe(new TextDecoder().decode(input));
        expect(new SnapshotTextDecoder().decode(input.slice().buffer)).toBe(
          new TextDecoder().decode(input),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('is fatal, and decodes other encodings, as Node’s is', () => {
    const broken = Uint8Array.from([0x61, 0xc3, 0x28]);
    expect(() => new SnapshotTextDecoder('utf-8', { fatal: true }).decode(broken)).toThrow(
      TypeError,
    );
    const latin = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]);
    expect(new SnapshotTextDecoder('latin1').decode(latin)).toBe('café');
    expect(new SnapshotTextDecoder('utf8').encoding).toBe('utf-8');
    expect(new SnapshotTextDecoder().decode()).toBe('');
    expect(() => new SnapshotTextDecoder('no-such-encoding')).toThrow(RangeError);
  });

  it('refuses to stream, as fflate tests for once at load', () => {
    expect(() => new SnapshotTextDecoder().decode(new Uint8Array(0), { stream: true })).toThrow(
      TypeError,
    );
  });
});
