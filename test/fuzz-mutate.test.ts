/**
 * Property: any mutation of a valid source — lines deleted, duplicated, swapped or re-indented,
 * values swapped for another type, YAML syntax or random bytes inserted, the file truncated —
 * gives diagnostics or a model, never an exception; every diagnostic is placed inside the file
 * (line ≥ 1 and at most one past the last line, column ≥ 1) and prints; a model that does load
 * renders to HTML. Fixed seed; FUZZ_RUNS=<n> scales the runs (README, "Fuzzing").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics.js';
import { loadSource } from '../src/load/index.js';
import { RENDERERS } from '../src/render/index.js';
import { loadResources } from '../src/resources.js';
import { ROOT } from './private-cli.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 600;
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
/** A long run outlasts vitest's default timeout: allow 50 ms per case. */
const TIMEOUT = Math.max(120_000, RUNS * 50);

const SOURCES = [
  'source/A-61-859.yaml',
  'source/A-61-seed.yaml',
  'test/fixtures/valid/features.yaml',
].map((p) => readFileSync(join(ROOT, p), 'utf8'));

/** One edit of a source's lines (as text) or bytes; positions are fractions of the length. */
type Mutation =
  | { readonly kind: 'delete' | 'duplicate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly other: number }
  | { readonly kind: 'indent'; readonly at: number; readonly by: number; readonly tab: boolean }
  | { readonly kind: 'retype'; readonly at: number; readonly value: string }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'bytes'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'truncate'; readonly at: number };

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fraction }),
  fc.record({ kind: fc.constant('swap' as const), at: fraction, other: fraction }),
  fc.record({
    kind: fc.constant('indent' as const),
    at: fraction,
    by: fc.integer({ min: -4, max: 4 }),
    tab: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('retype' as const),
    at: fraction,
    value: fc.constantFrom(
      '123',
      '-1.5e9',
      'true',
      '~',
      '[]',
      '{}',
      '[a, b]',
      '{a: b}',
      "''",
      '2024-02-30',
      '.nan',
      '0x1F',
      '!!binary aGk=',
      '&x a',
      '*x',
      '|',
      '>-',
    ),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    text: fc.oneof(
      fc.constantFrom(
        '- ',
        ': ',
        '? ',
        '---\n',
        '...\n',
        '&a ',
        '*a ',
        '!t ',
        '[',
        ']',
        '{',
        '}',
        '"',
        "'",
        '#',
        '|\n',
        '\t',
        '\r',
        '\n',
        '[^x]',
        '**',
        '__proto__: 1\n',
        '<<: *a\n',
        '\\',
        '%YAML 1.1\n',
        '\u00a0',
        '\ufeff',
      ),
      fc.string({ maxLength: 8 }),
    ),
  }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fraction,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
);

const encoder = new TextEncoder();

/** Applies the mutations in order: the result is bytes (random bytes may not be UTF-8). */
function mutate(source: string, mutations: readonly Mutation[]): Uint8Array {
  let bytes = encoder.encode(source);
  for (const m of mutations) {
    if (m.kind === 'bytes' || m.kind === 'truncate') {
      const at = Math.floor(m.at * (bytes.length + 1));
      bytes =
        m.kind === 'truncate'
          ? bytes.slice(0, at)
          : new Uint8Array([...bytes.slice(0, at), ...m.bytes, ...bytes.slice(at)]);
      continue;
    }
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\n');
    const i = Math.floor(m.at * lines.length);
    const line = lines[i] ?? '';
    switch (m.kind) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, line);
        break;
      case 'swap': {
        const j = Math.floor(m.other * lines.length);
        lines[i] = lines[j] ?? '';
        lines[j] = line;
        break;
      }
      case 'indent':
        lines[i] =
          m.by >= 0
            ? `${(m.tab ? '\t' : ' ').repeat(m.by)}${line}`
            : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
        break;
      case 'retype':
        // `key: value` keeps its key; a list item `- value` keeps its dash.
        lines[i] = /:\s/.test(line)
          ? line.replace(/:\s.*$/, `: ${m.value}`)
          : line.replace(/-\s.*$/, `- ${m.value}`);
        break;
      case 'insert': {
        const at = Math.floor(m.at * (text.length + 1));
        return mutate(
          text.slice(0, at) + m.text + text.slice(at),
          mutations.slice(mutations.indexOf(m) + 1),
        );
      }
    }
    bytes = encoder.encode(lines.join('\n'));
  }
  return bytes;
}

const resources = loadResources();
const found = { runs: 0, models: 0, diagnostics: 0, codes: new Map<string, number>() };

describe('fuzz: mutated sources', () => {
  it(
    `give placed diagnostics or a model, never an exception (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SOURCES.keys()),
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          async (which, mutations) => {
            const bytes = mutate(SOURCES[which] ?? '', mutations);
            const result = loadSource(bytes, 'mutant', 'mutant.yaml');
            found.runs++;
            const lines = (result.text ?? new TextDecoder().decode(bytes)).split('\n').length;
            for (const d of result.diagnostics) {
              found.codes.set(d.code, (found.codes.get(d.code) ?? 0) + 1);
              expect(d.line, `${d.code}: ${d.message}`).toBeGreaterThanOrEqual(1);
              expect(d.line, `${d.code}: ${d.message}`).toBeLessThanOrEqual(lines + 1);
              expect(d.col).toBeGreaterThanOrEqual(1);
              expect(d.message.length).toBeGreaterThan(5);
              expect(
                formatDiagnostic(d, result.text).startsWith(`mutant.yaml:${d.line}:${d.col}: `),
              ).toBe(true);
            }
            found.diagnostics += result.diagnostics.length;
            if (result.model) {
              found.models++;
              const html = RENDERERS.html;
              if (html)
                expect(
                  (await html(result.model, resources.styles[result.model.style], resources))
                    .byteLength,
                ).toBeGreaterThan(0);
            } else {
              expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
            }
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      const codes = [...found.codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
      console.info(
        `fuzz-mutate: ${found.runs} cases, ${found.models} still valid, ${found.diagnostics} diagnostics (${codes.join(', ')})`,
      );
    },
    TIMEOUT,
  );
});
