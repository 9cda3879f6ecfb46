/**
 * One invalid fixture per diagnostic code the loader emits (test/fixtures/invalid/<code>.yaml),
 * each giving exactly one diagnostic: that code, at that line and column, and no model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, type DiagnosticCode, formatDiagnostic } from '../src/diagnostics.js';
import { LIMITS, loadSource } from '../src/load/index.js';
import { fontsOf, loadResources } from '../src/resources.js';

/** The layouts' fonts, as every command that loads a source passes them (missing-glyph). */
const FONTS = fontsOf(loadResources());

const DIR = new URL('./fixtures/invalid/', import.meta.url);

/** Where each fixture's one problem is (1-based line and column, as an editor shows them). */
const EXPECTED: Readonly<Partial<Record<DiagnosticCode, readonly [line: number, col: number]>>> = {
  'invalid-utf8': [4, 27],
  'binary-content': [4, 4],
  'bidi-control': [13, 21],
  'yaml-syntax': [11, 11],
  'yaml-duplicate-key': [12, 1],
  'yaml-tab': [9, 1],
  'yaml-multiple-documents': [22, 1],
  'yaml-tag': [11, 11],
  'yaml-alias-limit': [23, 9],
  'yaml-too-deep': [22, 42],
  'empty-document': [1, 1],
  'root-not-mapping': [3, 1],
  'unknown-key': [11, 1],
  'missing-key': [17, 7],
  'wrong-type': [11, 17],
  'bad-value': [3, 8],
  'bad-date': [7, 10],
  'empty-value': [11, 11],
  'bad-block': [20, 9],
  'bad-form': [19, 27],
  'bad-symbol': [10, 25],
  'symbol-count': [11, 5],
  'session-mismatch': [11, 14],
  'bad-job-number': [8, 15],
  'job-language': [8, 25],
  'bad-job-date': [8, 28],
  'sender-after-distribution': [12, 13],
  'undefined-footnote': [15, 51],
  'unused-footnote': [23, 3],
  'paragraph-skip': [22, 19],
  'paragraph-repeat': [21, 24],
  'bad-chapter-number': [20, 27],
  'missing-glyph': [15, 23],
};

/** Codes that only the command line emits (tested in cli.test.ts), or generated below. */
const NOT_FROM_A_FIXTURE: readonly DiagnosticCode[] = [
  'file-too-large',
  'read-failed',
  'write-failed',
  'out-locked',
  'name-clash',
  'render-failed',
  'shard-set',
  // `undoc import`'s codes concern Word files (test/import.test.ts).
  'bad-docx',
  'tracked-changes',
  'import-approximated',
  // The package's, not a source's: the PDF engine, a template, a template or font file.
  'engine-mismatch',
  'template-invalid',
  'resource-unreadable',
  'version-mismatch',
];

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -5))
  .sort();

describe('invalid fixtures', () => {
  it('cover every loader code, one fixture each', () => {
    const loaderCodes = Object.keys(DIAGNOSTIC_CODES).filter(
      (c) => !NOT_FROM_A_FIXTURE.includes(c as DiagnosticCode),
    );
    expect(fixtures).toEqual([...loaderCodes].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...loaderCodes].sort());
  });

  it.each(fixtures)('%s.yaml gives exactly that code at its place', (name) => {
    const file = `test/fixtures/invalid/${name}.yaml`;
    const result = loadSource(readFileSync(new URL(`${name}.yaml`, DIR)), name, file, FONTS);
    const [line, col] = EXPECTED[name as DiagnosticCode] ?? [0, 0];
    expect(result.model).toBeUndefined();
    expect(
      result.diagnostics.map((d) => ({ code: d.code, line: d.line, col: d.col, file: d.file })),
    ).toEqual([{ code: name, line, col, file }]);
    const d = result.diagnostics[0];
    if (!d) return;
    expect(d.severity).toBe('error');
    expect(d.message.length).toBeGreaterThan(10);
    // The printed form starts with the compiler-style location and code.
    expect(formatDiagnostic(d, result.text).split('\n')[0]).toBe(
      `${file}:${line}:${col}: error ${name}: ${d.message}`,
    );
  });

  it('file-too-large: a source over the size limit is refused before parsing', () => {
    const big = `docTitle: ${'x'.repeat(LIMITS.maxBytes)}\n`;
    const result = loadSource(big, 'big');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([
      ['file-too-large', 1, 1],
    ]);
  });
});

describe('diagnostic form', () => {
  it('prints the offending line and a caret under the column, then the hint', () => {
    const result = loadSource(
      readFileSync(new URL('unknown-key.yaml', DIR)),
      'unknown-key',
      'u.yaml',
    );
    const d = result.diagnostics[0];
    if (!d) throw new Error('no diagnostic');
    expect(formatDiagnostic(d, result.text).split('\n')).toEqual([
      'u.yaml:11:1: error unknown-key: unknown key `docTitel` at the top level',
      ' 11 | docTitel: Letter dated 30 March 2007 addressed to the Secretary-General',
      '    | ^',
      '  hint: did you mean `docTitle`?',
    ]);
  });

  it('puts the caret under the offending part of a value', () => {
    const result = loadSource(readFileSync(new URL('bad-symbol.yaml', DIR)), 'b', 'b.yaml');
    const d = result.diagnostics[0];
    if (!d) throw new Error('no diagnostic');
    const [, source, caret] = formatDiagnostic(d, result.text).split('\n');
    expect(source?.slice(caret?.indexOf('^'))).toBe('add.1');
  });

  it('refuses a footnote call in a field that is not text, once', () => {
    const text = `${readFileSync(
      new URL('../source/A-61-859.yaml', import.meta.url),
      'utf8',
    ).replace(
      'session: Sixty-first session',
      'session: Sixty-first session[^s]',
    )}footnotes:\n  s: A note.\n`;
    const line = text.split('\n').findIndex((l) => l.includes('[^s]')) + 1;
    const found = loadSource(text, 'x').diagnostics.map((d) => [d.code, d.line, d.col]);
    expect(found).toEqual([['bad-form', line, 33]]);
  });

  it('explains the two commonest shape mistakes in content', () => {
    const head = [
      'style: ny',
      'language: en',
      'originalLanguage: en',
      'distribution: General',
      'docDate: 2007-04-04',
      'docAuthority: [{organ: General Assembly}]',
      'docTitle: Note',
      'body:',
    ].join('\n');
    const hints = (body: string) =>
      loadSource(`${head}\n${body}`, 'x').diagnostics.map((d) => d.hint);
    expect(hints('  - Just a paragraph.\n')).toEqual([
      'a block is a mapping with one key: `- para: …`, `- chapter: …`, `- subheading: …`',
    ]);
    const fourLevels =
      '  - para: {text: x, items: [{text: a, items: [{text: i, items: [{text: aa, items: [b]}]}]}]}\n';
    expect(hints(fourLevels)).toEqual([
      'sub-paragraphs nest three levels deep at most: (a), then (i), then a.',
    ]);
  });

  it('reports every problem of a file at once', () => {
    const text = readFileSync(new URL('../source/A-61-859.yaml', import.meta.url), 'utf8')
      .replace('style: ny', 'style: nyc')
      .replace('docTitle:', 'docTitel:')
      .replace('surname: Dapkiunas', 'surnme: Dapkiunas');
    const codes = loadSource(text, 'x').diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(codes).toEqual(['bad-value@5', 'unknown-key@19', 'unknown-key@41']);
  });
});
