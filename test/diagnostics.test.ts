/** The printed form of a diagnostic: location, code, source line, caret, hint. */
import { describe, expect, it } from 'vitest';
import { countLine, type Diagnostic, formatDiagnostic } from '../src/diagnostics.js';

const at = (line: number, col: number, hint?: string): Diagnostic => ({
  code: 'bad-value',
  severity: 'error',
  file: 'x.yaml',
  line,
  col,
  message: 'a message',
  ...(hint ? { hint } : {}),
});

describe('formatDiagnostic', () => {
  it('keeps tabs before the column so the caret lines up', () => {
    const [, source, caret] = formatDiagnostic(at(2, 3), 'a: 1\n\t\tb: 2\n').split('\n');
    expect(source).toBe(' 2 | \t\tb: 2');
    expect(caret).toBe('   | \t\t^');
  });

  it('cuts a long line around the column and keeps the caret under it', () => {
    const line = `${'a'.repeat(5000)}X${'b'.repeat(5000)}`;
    const [, source, caret] = formatDiagnostic(at(1, 5001), line).split('\n');
    expect((source ?? '').length).toBeLessThan(140);
    const column = (caret ?? '').indexOf('^');
    expect(source?.[column]).toBe('X');
  });

  it('shows control characters as U+FFFD, drops a CR, and names a whole-file problem without a place', () => {
    expect(formatDiagnostic(at(1, 1), 'a\u0007b\r\n').split('\n')[1]).toBe(' 1 | a\ufffdb');
    expect(formatDiagnostic({ ...at(0, 0), code: 'read-failed' }, 'x')).toBe(
      'x.yaml: error read-failed: a message',
    );
  });

  it('ends with the hint', () => {
    expect(
      formatDiagnostic(at(1, 1, 'do this'), 'a')
        .split('\n')
        .at(-1),
    ).toBe('  hint: do this');
  });

  it('counts errors and warnings', () => {
    expect(countLine([])).toBe('no problems');
    expect(countLine([at(1, 1), at(1, 1), { ...at(1, 1), severity: 'warning' }])).toBe(
      '2 errors, 1 warning',
    );
  });
});
