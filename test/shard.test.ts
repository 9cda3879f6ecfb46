/**
 * `--shard i/n` and `merge-index`: the shards partition the sources (each in exactly one, by a
 * hash of its path), their union is every document, each shard keeps its own manifest, the index
 * merged from the shards is the unsharded build's byte for byte, and `check` agrees with both.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isManifestFile, parseManifest, shardManifestFile } from '../src/build/manifest.js';
import { inShard, parseShard, shardKey, shardOf } from '../src/build/shard.js';
import { runCli } from './in-process-cli.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const TMP = mkdtempSync(join(tmpdir(), 'undoc-shard-'));
const SRC = join(TMP, 'src');
const SEED = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
const COUNT = 3;

const cli = (args: string[]) => runCli(args);

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** File name → sha256 of each file in `dir` but the manifests. */
const contents = (dir: string) =>
  new Map(
    readdirSync(dir)
      .filter((f) => !isManifestFile(f))
      .sort()
      .map((f) => [f, sha(join(dir, f))]),
  );

describe('shard assignment', () => {
  const paths = Array.from({ length: 300 }, (_, i) => `source/doc-${i}.yaml`);

  it('parses i/n and refuses what is not one shard of n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/2', '1/1001']) {
      expect(typeof parseShard(bad)).toBe('string');
    }
  });

  it('puts every path in exactly one shard, and the union is every path', () => {
    for (const n of [1, 2, 3, 7]) {
      const shards = Array.from({ length: n }, (_, i) =>
        inShard(
          paths.map((path) => ({ path })),
          { index: i + 1, count: n },
        ).map((s) => s.path),
      );
      const union = shards.flat();
      expect(union.sort()).toEqual([...paths].sort());
      expect(new Set(union).size).toBe(paths.length);
      // A hash spreads 300 paths over every shard.
      for (const s of shards) expect(s.length).toBeGreaterThan(0);
    }
  });

  it('depends on the path alone, written with / or \\ and with or without ./', () => {
    for (const p of paths.slice(0, 20)) {
      expect(shardOf(`./${p}`, 5)).toBe(shardOf(p, 5));
      expect(shardOf(p.replace('/', '\\'), 5)).toBe(shardOf(p, 5));
    }
    expect(shardKey('./a\\b.yaml')).toBe('a/b.yaml');
  });
});

describe('build --shard, merge-index and check --shard', () => {
  const whole = join(TMP, 'whole');
  const merged = join(TMP, 'merged');
  const shardDir = (i: number) => join(TMP, `shard-${i}`);
  const names = Array.from({ length: 9 }, (_, i) => `doc-${i}`);

  beforeAll(async () => {
    mkdirSync(SRC);
    for (const [i, name] of names.entries()) {
      // Each a different title, so that the index lists nine different documents.
      writeFileSync(
        join(SRC, `${name}.yaml`),
        SEED.replace(/^docTitle: >-\n/m, `docTitle: >-\n  ${i}.\n`),
      );
    }
    copyFileSync(join(ROOT, 'test/fixtures/valid/features.yaml'), join(SRC, 'features.yaml'));
    writeFileSync(join(SRC, 'bad.yaml'), SEED.replace(/^docTitle:/m, 'docTitel:'));
    const html = ['--format', 'html', '--jobs', '1'];
    expect((await cli(['build', SRC, '--out', whole, ...html])).code).toBe(1);
    mkdirSync(merged);
    for (let i = 1; i <= COUNT; i++) {
      await cli(['build', SRC, '--out', shardDir(i), '--shard', `${i}/${COUNT}`, ...html]);
      cpSync(shardDir(i), merged, { recursive: true });
    }
  });
  afterAll(() => rmSync(TMP, { recursive: true, force: true }));

  it('each shard builds its own documents, with its own manifest and no index page', () => {
    const seen: string[] = [];
    for (let i = 1; i <= COUNT; i++) {
      const files = readdirSync(shardDir(i));
      expect(files).toContain(shardManifestFile(i, COUNT));
      expect(files).not.toContain('index.html');
      const read = parseManifest(
        readFileSync(join(shardDir(i), shardManifestFile(i, COUNT)), 'utf8'),
      );
      if (!read.ok) throw new Error(read.reason);
      for (const entry of Object.values(read.manifest.documents)) {
        expect(shardOf(entry.source, COUNT)).toBe(i);
        seen.push(entry.source);
      }
    }
    // The union of the shards is every valid source, each once.
    const valid = [...names, 'features'].map((n) => join(SRC, `${n}.yaml`));
    expect(seen.sort()).toEqual(valid.sort());
  });

  it('the shards together write the unsharded build’s files, byte for byte', () => {
    const all = contents(whole);
    all.delete('index.html');
    const fromShards = contents(merged);
    expect(fromShards).toEqual(all);
  });

  it('merge-index writes the unsharded build’s index page', async () => {
    const r = await cli(['merge-index', SRC, '--out', merged, '--format', 'html']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lists 10 of 11 documents from 3 shards/);
    expect(sha(join(merged, 'index.html'))).toBe(sha(join(whole, 'index.html')));
    expect(contents(merged)).toEqual(contents(whole));
  });

  it('check passes on the merged folder, and check --shard on the unsharded one', async () => {
    const html = ['--format', 'html', '--jobs', '1'];
    const bad = join(SRC, 'bad.yaml');
    // The invalid source fails every check that holds it; the others pass.
    for (let i = 1; i <= COUNT; i++) {
      const r = await cli(['check', SRC, '--out', whole, '--shard', `${i}/${COUNT}`, ...html]);
      expect(r.out).not.toMatch(/stale|missing|extra/);
      expect(r.code).toBe(shardOf(bad, COUNT) === i ? 1 : 0);
    }
    const r = await cli(['check', SRC, '--out', merged, ...html]);
    expect(r.out).not.toMatch(/stale|missing|extra/);
    expect(r.code).toBe(1);
  });

  it('merge-index refuses an incomplete set of shards, naming what is missing', async () => {
    const partial = join(TMP, 'partial');
    cpSync(shardDir(1), partial, { recursive: true });
    const r = await cli(['merge-index', SRC, '--out', partial, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error shard-set:');
    expect(r.err).toContain(shardManifestFile(2, COUNT));
    expect(readdirSync(partial)).not.toContain('index.html');
  });

  it('--shard is refused where it has no meaning, and when malformed', async () => {
    expect((await cli(['validate', SRC, '--shard', '1/2'])).code).toBe(2);
    expect((await cli(['build', SRC, '--shard', '3/2'])).code).toBe(2);
  });
});
