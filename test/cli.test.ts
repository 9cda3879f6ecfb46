/**
 * The `undoc` command as a user runs it: `node bin/undoc.js …` against a build of the package in
 * a private folder (so that a concurrent `npm run build` elsewhere cannot interfere). Exit codes,
 * positioned diagnostics, the schema, and atomic writes that keep the previous output on failure.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateCli, privateCli } from './private-cli.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const SEED = readFileSync(join(ROOT, 'source/A-61-859.yaml'), 'utf8');

let pkg = '';
let work = '';

let cli: PrivateCli | undefined;

beforeAll(() => {
  cli = privateCli();
  pkg = cli.pkg;
  work = mkdtempSync(join(tmpdir(), 'undoc-cli-work-'));
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/undoc.js …` in the work folder. */
function undoc(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(pkg, 'bin/undoc.js'), ...args],
      { cwd: work, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Writes a file under the work folder (creating folders) and returns its relative path. */
function put(path: string, content: string | Uint8Array): string {
  mkdirSync(dirname(join(work, path)), { recursive: true });
  writeFileSync(join(work, path), content);
  return path;
}

/** The documents' files in an output folder, without the build manifest and the index page. */
const outputs = (dir: string) =>
  readdirSync(join(work, dir)).filter((f) => f !== '.undoc-manifest.json' && f !== 'index.html');

// html is the quickest to render; every renderer goes through the same write path.
const format = 'html';

describe.concurrent('undoc, the command', () => {
  it('--version prints the package version, then that the PDF engine is as built for', async () => {
    const run = await undoc('--version');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [version, engine, ...rest] = run.stdout.split('\n');
    expect(version).toBe(PKG.version);
    expect(engine).toMatch(
      /^PDF engine: pdfmake \d+\.\d+\.\d+, pdfkit \d+\.\d+\.\d+, fontkit \d+\.\d+\.\d+, as built for \(\d+ patched and \d+ called members present\)$/,
    );
    expect(rest).toEqual(['']);
  });

  it('--help prints usage with the exit codes; no command is a usage error', async () => {
    const help = await undoc('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('undoc build [paths…]');
    expect(help.stdout).toContain('0 ok · 1 invalid document · 2 usage · 3 file or folder I/O');
    expect((await undoc()).code).toBe(2);
  });

  it('an unknown command or option is a usage error (2) with a suggestion', async () => {
    const command = await undoc('bulid');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command `bulid` (did you mean `build`?)');
    const option = await undoc('build', '--fromat', 'pdf');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('did you mean `--format`?');
    expect((await undoc('build', '--format', 'odt')).code).toBe(2);
    expect((await undoc('validate', '--out', 'x')).code).toBe(2);
  });

  it('schema prints the JSON schema, as valid JSON', async () => {
    const run = await undoc('schema');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(readFileSync(join(ROOT, 'schema/undoc.schema.json'), 'utf8')),
    );
  });

  it('validate passes the sources (exit 0)', async () => {
    const run = await undoc('validate', join(ROOT, 'source'));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const n = readdirSync(join(ROOT, 'source')).filter((f) => f.endsWith('.yaml')).length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(run.stdout).toBe(`validate: ${n} of ${n} documents valid\n`);
  });

  it('validate checks that language versions are parallel (version-mismatch, exit 1)', async () => {
    const fr = readFileSync(join(ROOT, 'source/A-61-859.fr.yaml'), 'utf8');
    put('versions/A-61-859.yaml', readFileSync(join(ROOT, 'source/A-61-859.yaml'), 'utf8'));
    put('versions/A-61-859.fr.yaml', fr);
    expect(await undoc('validate', 'versions')).toMatchObject({
      code: 0,
      stdout: 'validate: 2 of 2 documents valid\n',
    });
    // The French version gains a paragraph, and a file claims to be Spanish.
    const longer = fr.replace(
      '      - chapter: Conclusions de la conférence\n',
      '      - para: Un paragraphe de plus.\n      - chapter: Conclusions de la conférence\n',
    );
    put('versions/A-61-859.fr.yaml', longer);
    put('versions/A-61-859.es.yaml', fr);
    const run = await undoc('validate', 'versions');
    expect(run.code).toBe(1);
    // Placed at the version's 41st numbered paragraph: the first the original does not have.
    const line = longer.split('\n').lastIndexOf('      - para: >-') + 1;
    expect(run.stderr).toContain(
      `versions/A-61-859.fr.yaml:${line}:9: error version-mismatch: numbered paragraphs: 41 here, 40 in versions/A-61-859.yaml (the English version)`,
    );
    expect(run.stderr).toContain(
      'versions/A-61-859.es.yaml:1:1: error version-mismatch: the name says this is the Spanish version, but `language` is fr',
    );
    expect(run.stdout).toBe('validate: 1 of 3 documents valid, 2 invalid\n');
  });

  it('validate names file:line:col of a syntax error, with the line and a caret (exit 1)', async () => {
    const file = put(
      'broken/letter.yaml',
      SEED.replace('docTitle: >-', 'docTitle: Letter dated 30 March 2007: summary\nx: >-'),
    );
    const line = SEED.split('\n').findIndex((l) => l.startsWith('docTitle:')) + 1;
    const run = await undoc('validate', file);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^broken/letter\\.yaml:${line}:11: error yaml-syntax: `));
    expect(lines[1]).toBe(` ${line} | docTitle: Letter dated 30 March 2007: summary`);
    expect(lines[2]).toBe(`${' '.repeat(String(line).length + 1)} | ${' '.repeat(10)}^`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing path, an empty folder and an unusable --out are I/O errors (exit 3)', async () => {
    const missing = await undoc('validate', 'no/such.yaml');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(
      'no/such.yaml: error read-failed: cannot read: no such file or folder\n',
    );
    mkdirSync(join(work, 'empty'), { recursive: true });
    expect((await undoc('validate', 'empty')).code).toBe(3);
    // A folder named like a source, where a file is expected.
    mkdirSync(join(work, 'odd/letter.yaml'), { recursive: true });
    const folder = await undoc('validate', 'odd');
    expect(folder.code).toBe(3);
    expect(folder.stderr).toContain('odd/letter.yaml: error read-failed:');
    put('not-a-folder', 'x');
    const out = await undoc('build', join(ROOT, 'source'), '--out', 'not-a-folder');
    expect(out.code).toBe(3);
    expect(out.stderr).toContain(
      'not-a-folder: error write-failed: cannot create the output folder',
    );
  });

  it('bytes that are not UTF-8 text are refused cleanly (exit 1)', async () => {
    const file = put('bytes/image.yaml', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
    const run = await undoc('validate', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bytes/image.yaml:1:1: error invalid-utf8:');
  });

  it('the highest exit code wins: a missing path (3) over an invalid document (1)', async () => {
    const bad = put('mixed/bad.yaml', SEED.replace('style: ny', 'style: nyc'));
    expect((await undoc('validate', bad, 'mixed/missing.yaml')).code).toBe(3);
  });

  it('two sources with one name are refused (exit 2)', async () => {
    const a = put('clash/a/x.yaml', SEED);
    const b = put('clash/b/x.yaml', SEED);
    const run = await undoc('validate', a, b);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error name-clash');
  });
});

describe('undoc build', { concurrent: true }, () => {
  it('writes DIR/<name>.<format>; one bad document does not stop the others', async () => {
    put('docs/good.yaml', SEED);
    put('docs/bad.yaml', SEED.replace('distribution: General', 'distribution: Public'));
    const run = await undoc('build', 'docs', '--out', 'out-mixed', '--format', format);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('docs/bad.yaml:');
    expect(run.stderr).toContain('error bad-value');
    expect(outputs('out-mixed')).toEqual([`good.${format}`]);
  });

  it('keeps the previous output when a later build of the document fails, and leaves no temp file', async () => {
    const file = put('atomic/letter.yaml', SEED);
    expect((await undoc('build', file, '--out', 'out-atomic', '--format', format)).code).toBe(0);
    const target = join(work, 'out-atomic', `letter.${format}`);
    const before = readFileSync(target);
    expect(before.byteLength).toBeGreaterThan(1000);
    put('atomic/letter.yaml', SEED.replace('docDate: 2007-04-04', 'docDate: 2007-02-30'));
    const failed = await undoc('build', file, '--out', 'out-atomic', '--format', format);
    expect(failed.code).toBe(1);
    expect(readFileSync(target).equals(before)).toBe(true);
    // Only the output itself (and the build manifest): no temporary file is left behind.
    expect(outputs('out-atomic')).toEqual([`letter.${format}`]);
    expect(readdirSync(join(work, 'out-atomic')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes DIR/index.html listing every built document, failed ones left out', async () => {
    put('indexed/good.yaml', SEED);
    put('indexed/draft.yaml', readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8'));
    put('indexed/bad.yaml', SEED.replace('language: en', 'language: de'));
    const run = await undoc('build', 'indexed', '--out', 'out-index', '--format', format);
    expect(run.code).toBe(1);
    const index = readFileSync(join(work, 'out-index', 'index.html'), 'utf8');
    expect(index).toContain(`href="./good.${format}"`);
    expect(index).toContain(`href="./draft.${format}"`);
    expect(index).toContain('A/61/859');
    expect(index).not.toContain('bad.');
  });

  it('builds the same bytes twice', async () => {
    const file = put('twice/letter.yaml', SEED);
    await undoc('build', file, '--out', 'out-1', '--format', format);
    await undoc('build', file, '--out', 'out-2', '--format', format);
    const one = readFileSync(join(work, 'out-1', `letter.${format}`));
    expect(one.equals(readFileSync(join(work, 'out-2', `letter.${format}`)))).toBe(true);
  });
});
