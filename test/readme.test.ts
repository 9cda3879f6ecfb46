/** The README is the contract with a newcomer: it must name every key, code and exit code. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, EXIT } from '../src/diagnostics.js';
import { SCHEMA } from '../src/load/schema.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('has the two commands', () => {
    expect(README).toContain('npm install && npm start');
    expect(README).toContain('npm test');
  });

  it('lists every diagnostic code in its table', () => {
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !README.includes(`| \`${c}\` |`));
    expect(missing).toEqual([]);
  });

  it('documents every top-level key of the source format', () => {
    const keys = Object.keys(SCHEMA.properties as Record<string, unknown>);
    expect(keys.filter((k) => !README.includes(`| \`${k}\` |`))).toEqual([]);
  });

  it('documents every exit code', () => {
    for (const code of Object.values(EXIT))
      expect(README).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
