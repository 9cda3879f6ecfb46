/**
 * Hostile and odd input: each gives a clean, coded diagnostic and never an exception; a BOM and
 * CRLF line ends are accepted and change nothing; no key pollutes Object.prototype.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';

const SEED = readFileSync(new URL('../source/A-61-859.yaml', import.meta.url), 'utf8');

const codes = (input: string | Uint8Array) =>
  loadSource(input, 'x').diagnostics.map((d) => `${d.code}@${d.line}:${d.col}`);

describe('hostile YAML', () => {
  it('an alias bomb is stopped by the alias limit', () => {
    const laughs = [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const next = String.fromCharCode(98 + i);
        return `${next}: &${next} [${Array(9).fill(`*${prev}`).join(', ')}]`;
      }),
    ].join('\n');
    const started = performance.now();
    expect(codes(laughs)).toEqual(['yaml-alias-limit@2:8']);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('100 000 nested brackets are refused before the composer recurses', () => {
    const deep = `keywords: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(codes(deep)).toEqual(['yaml-too-deep@1:42']);
  });

  it('deep block nesting is refused too', () => {
    const deep = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    expect(codes(`${deep} x\n`)).toEqual(['yaml-too-deep@33:65']);
  });

  it('duplicate keys, tabs, an empty file, a list at the root', () => {
    expect(codes('style: ny\nstyle: geneva\n')).toEqual(['yaml-duplicate-key@2:1']);
    expect(codes('letter:\n\tparagraphs: []\n')).toEqual(['yaml-tab@2:1']);
    expect(codes('')).toEqual(['empty-document@1:1']);
    expect(codes('# only a comment\n')).toEqual(['empty-document@1:1']);
    expect(codes('- style: ny\n')).toEqual(['root-not-mapping@1:1']);
    expect(codes('just text\n')).toEqual(['root-not-mapping@1:1']);
  });

  it('__proto__ and constructor keys are unknown keys and pollute nothing', () => {
    const text = `${SEED}__proto__:\n  polluted: true\nconstructor:\n  prototype: {polluted: true}\n`;
    const lines = SEED.split('\n').length;
    expect(codes(text)).toEqual([`unknown-key@${lines}:1`, `unknown-key@${lines + 2}:1`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('binary bytes and invalid UTF-8 are refused with their place', () => {
    expect(codes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toEqual([
      'invalid-utf8@1:1',
    ]);
    expect(codes(new TextEncoder().encode('style: ny\nx: a\u0000b\n'))).toEqual([
      'binary-content@2:5',
    ]);
    // An overlong encoding of "/" and a UTF-16 surrogate encoded in UTF-8 are both invalid.
    expect(codes(new Uint8Array([0x61, 0x3a, 0x20, 0xc0, 0xaf]))).toEqual(['invalid-utf8@1:4']);
    expect(codes(new Uint8Array([0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80]))).toEqual([
      'invalid-utf8@1:4',
    ]);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = loadSource(bytes, 'x');
        expect(result.model === undefined).toBe(result.diagnostics.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on YAML-like text', () => {
    const token = fc.constantFrom(
      'style: ny\n',
      'docTitle: ',
      '- ',
      '  ',
      '\t',
      '[',
      ']',
      '{',
      '}',
      '&a ',
      '*a ',
      '!tag ',
      '"',
      "'",
      ': ',
      '#',
      '\n',
      '---\n',
      '? ',
      '|\n',
      '>-\n',
      'para: x\n',
      '[^n]',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (parts) => {
        const result = loadSource(parts.join(''), 'x');
        for (const d of result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.col).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('accepted variations', () => {
  const plain = loadSource(SEED, 'x');

  it('a byte-order mark is accepted and changes nothing', () => {
    const bom = loadSource(
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SEED)]),
      'x',
    );
    expect(bom.diagnostics).toEqual([]);
    expect(bom.model).toEqual(plain.model);
  });

  it('CRLF line ends are accepted, with the same model and the same positions', () => {
    const crlf = loadSource(SEED.replace(/\n/g, '\r\n'), 'x');
    expect(crlf.diagnostics).toEqual([]);
    expect(crlf.model).toEqual(plain.model);
    const bad = (text: string) => loadSource(text.replace('style: ny', 'style: nyc'), 'x');
    expect(bad(SEED.replace(/\n/g, '\r\n')).diagnostics).toEqual(bad(SEED).diagnostics);
  });

  it('the model keeps source positions', () => {
    const line = SEED.split('\n').findIndex((l) => l.includes('givenNames: Hilario')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(plain.model?.letter?.signatories[1]?.span).toEqual({ line, col: 7 });
  });
});
