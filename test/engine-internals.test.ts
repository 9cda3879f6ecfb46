/**
 * The PDF engine's use of library internals stays in one room: src/render/pdf/engine.ts, whose
 * PATCHES, CALLED and FIELDS tables are checked at start-up (pdf/engine-check.ts). No other file
 * of src/ may read or write an underscore field of an object (pdfkit's `_font`, `_fillColor`,
 * pdfmake's `_width`…) — not as `obj._x`, `obj['_x']`, a destructured `{ _x }`, nor by passing the
 * name `'_x'` around. Each file is compiled to JavaScript first (esbuild), so that comments and
 * type declarations, which read nothing, do not count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;
const ENGINE = 'render/pdf/engine.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const NAME = '_[A-Za-z][A-Za-z0-9_]*';
const PATTERNS: readonly [string, RegExp][] = [
  ['a field read or written', new RegExp(`\\.\\s*${NAME}\\b`, 'g')],
  ['a field by its name', new RegExp(`(['"\`])${NAME}\\1`, 'g')],
  ['a field destructured or set in a literal', new RegExp(`[{,]\\s*${NAME}\\s*(?=[,}:=])`, 'g')],
];

/** The underscore-field accesses in TypeScript `code`, as "what: text" (comments and types aside). */
function internalsIn(code: string): string[] {
  const js = transformSync(code, { loader: 'ts', format: 'esm' }).code;
  return PATTERNS.flatMap(([what, pattern]) =>
    [...js.matchAll(pattern)].map((m) => `${what}: ${m[0].trim()}`),
  );
}

describe('library internals are touched in pdf/engine.ts alone', () => {
  it('the scan finds each form of access, and not comments or types', () => {
    const found = internalsIn(`
      // doc._comment is no read
      interface Doc { readonly _typed: number }
      const a = (doc as any)._font;
      doc?._fontSize;
      doc['_fillColor'] = [];
      const { _width: w } = item;
      const name = '_textOptions';
      const o = { _x: 1 };
    `);
    expect(found).toEqual([
      'a field read or written: ._font',
      'a field read or written: ._fontSize',
      'a field by its name: "_fillColor"',
      'a field by its name: "_textOptions"',
      'a field destructured or set in a literal: { _width',
      'a field destructured or set in a literal: { _x',
    ]);
  });

  it('engine.ts is where they are (its tables list them)', () => {
    expect(internalsIn(readFileSync(join(SRC, ENGINE), 'utf8')).length).toBeGreaterThan(10);
  });

  it('no other file of src/ reads or writes an underscore field', () => {
    const elsewhere = sourceFiles(SRC)
      .map((path) => relative(SRC, path))
      .filter((file) => file !== ENGINE)
      .flatMap((file) =>
        internalsIn(readFileSync(join(SRC, file), 'utf8')).map((hit) => `${file}: ${hit}`),
      );
    expect(elsewhere).toEqual([]);
  });
});
