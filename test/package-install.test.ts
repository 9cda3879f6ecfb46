/**
 * The installable package: `npm pack` holds what runs (package.json `files`), `prepack` builds
 * dist/, and the packed tarball installed into an empty folder runs `npx undoc build` there.
 * The tarball is packed from the suite's build (test/global-setup.ts) without running `prepack`
 * again; installing needs the dependencies from npm's cache or the registry, and the test skips,
 * saying why, when neither can give them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { ROOT, runNode } from './private-cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  scripts: Record<string, string>;
};

const work = mkdtempSync(join(tmpdir(), 'undoc-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The package folder as `npm pack` would see it after `prepack`: this checkout with the suite's dist/. */
function stage(): string {
  const dir = join(work, 'stage');
  mkdirSync(dir);
  for (const f of ['package.json', 'README.md', 'package-lock.json']) {
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  for (const d of ['bin', 'schema', 'templates'])
    cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(inject('undocDist'), join(dir, 'dist'), { recursive: true });
  return dir;
}

/** `npm pack` of the staged folder (prepack already done): the tarball's path and its files. */
function pack(dir: string): { tarball: string; files: string[] } {
  const out = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work, dir],
    { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error('npm pack printed nothing');
  return { tarball: join(work, info.filename), files: info.files.map((f) => f.path).sort() };
}

describe('npm pack', () => {
  it('builds dist/ before packing', () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it('holds the command and its data, not the snapshot tied to the folder it was built in', () => {
    const { files } = pack(stage());
    for (const f of [
      'bin/undoc.js',
      'dist/undoc.cjs',
      'dist/undoc-client.cjs',
      'dist/undoc-main.cjs',
      'schema/undoc.schema.json',
      'templates/ny.yaml',
      'templates/geneva.yaml',
      'templates/style.schema.json',
      'templates/emblem.svg',
      'package.json',
      'README.md',
    ]) {
      expect(files).toContain(f);
    }
    for (const f of files) expect(f).not.toMatch(/undoc\.blob|undoc-snapshot|^src\/|^test\//);
  });

  it('leaves out the checkout itself: package.json `files` applied to this very folder', () => {
    // The staged folder above holds only what `files` names, so it cannot show what `files`
    // leaves out; a dry run over the checkout can (its sources, tests, published set, caches).
    const out = execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json', ROOT], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [info] = JSON.parse(out) as { files: { path: string }[] }[];
    const files = (info?.files ?? []).map((f) => f.path);
    for (const code of ['ar', 'en', 'es', 'fr', 'ru', 'zh'])
      expect(files).toContain(`templates/lang/${code}.yaml`);
    expect(files).toContain('schema/akn/akomantoso30.xsd');
    for (const f of files)
      expect(f).not.toMatch(/^(src|test|source|out|bench|scripts|docs|node_modules)\/|\.blob$/);
  });
});

describe('installed from the tarball into an empty folder', () => {
  it('npx undoc build x.yaml --out o works', async (ctx) => {
    const tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
    if (!existsSync(tarball)) pack(stage());
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      '{ "name": "app", "version": "1.0.0", "private": true }\n',
    );
    // The cache first; the registry only for what the cache lacks (package metadata).
    const install = spawnSync(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
      { cwd: app, encoding: 'utf8', timeout: 300_000 },
    );
    if (install.status !== 0) {
      const why = `${install.stderr ?? ''}${install.error?.message ?? ''}`;
      if (/ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(why)) {
        console.warn(`skipped: npm could not get undoc's dependencies offline or online: ${why}`);
        ctx.skip();
      }
      throw new Error(`npm install failed: ${why}`);
    }
    copyFileSync(join(ROOT, 'source/A-61-seed.yaml'), join(app, 'x.yaml'));
    const npx = join(app, 'node_modules/.bin/undoc');
    expect(existsSync(npx)).toBe(true);
    const run = await runNode([npx, 'build', 'x.yaml', '--out', 'o'], {
      cwd: app,
      timeout: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT.ok);
    expect(readdirSync(join(app, 'o'))).toEqual(
      expect.arrayContaining(['x.pdf', 'x.docx', 'x.html', 'index.html']),
    );
    expect(readFileSync(join(app, 'o/x.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
