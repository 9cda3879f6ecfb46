/**
 * ICU's objects and the start-up snapshot (issue 13, point 5): V8 cannot write an Intl.Segmenter
 * or any other ICU object into a snapshot, and `node --build-snapshot` aborts when the heap holds
 * one. So no module makes one at load or keeps one but through `lazyIntl` (forgotten before the
 * snapshot is written), nothing calls `toLocale*`, and a snapshot whose warm-up broke a long word
 * (which makes a segmenter) is still written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { forgetIntl, lazyIntl } from '../src/intl.js';
import { graphemeBounds } from '../src/render/pdf/long-word.js';
import { ROOT } from './private-cli.js';

const work = mkdtempSync(join(tmpdir(), 'undoc-intl-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every TypeScript file under src/, with its text. */
function sources(dir = join(ROOT, 'src')): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts')
      ? [{ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }]
      : [];
  });
}

describe('ICU objects in src/', () => {
  it('are made only inside lazyIntl, and toLocale* is never called', () => {
    const found: string[] = [];
    for (const { file, text } of sources()) {
      text.split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$|^\s*\*.*$/u, '');
        if (/new Intl\./u.test(code) && !/lazyIntl\(/u.test(code)) found.push(`${file}:${i + 1}`);
        if (/\.toLocale\w*\(/u.test(code)) found.push(`${file}:${i + 1}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('lazyIntl makes its object once, and again after forgetIntl', () => {
    let made = 0;
    const get = lazyIntl(() => {
      made++;
      return new Intl.Segmenter('en', { granularity: 'grapheme' });
    });
    expect(made).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    forgetIntl();
    expect(get()).not.toBe(first);
    expect(made).toBe(2);
    // A getter still works after a forget: the segmenter of long words.
    expect(graphemeBounds('ab')).toEqual([0, 1, 2]);
  });
});

describe('the start-up snapshot', () => {
  it('is written when its warm-up made a segmenter (a word wider than the line)', {
    timeout: 300_000,
  }, () => {
    const dist = inject('undocDist');
    const entry = join(dist, 'undoc-snapshot.cjs');
    if (!existsSync(entry)) return expect.fail(`the suite's build wrote no ${entry}`);
    const seed = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
    const long = seed.replace('We have the honour', `We have the honour ${'x'.repeat(400)}`);
    expect(long).not.toBe(seed);
    const source = join(work, 'long-word.yaml');
    writeFileSync(source, long);
    const blob = join(work, 'undoc.blob');
    const { NODE_OPTIONS: _, ...env } = process.env;
    // The layouts' drawings, rasterized as scripts/build.ts does it for the snapshot.
    const drawings = join(work, 'drawings.json');
    const bundle = JSON.stringify(join(dist, 'undoc-main.cjs'));
    const raster = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${bundle}).layoutDrawingsJson().then((j) => require('node:fs').writeFileSync(${JSON.stringify(drawings)}, j))`,
      ],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(raster.status, raster.stderr).toBe(0);
    const run = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', entry], {
      cwd: ROOT,
      env: {
        ...env,
        UNDOC_SNAPSHOT_DIST: dist,
        UNDOC_SNAPSHOT_SOURCES: JSON.stringify([source]),
        UNDOC_SNAPSHOT_DRAWINGS: drawings,
      },
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(blob)).toBe(true);
  });
});
