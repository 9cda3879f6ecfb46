/**
 * Hostile and broken input through the real command (`node bin/undoc.js`): every fixture in
 * test/fixtures/hostile/ gives its exact code, message and position and a non-zero exit, never a
 * stack trace, never a hang; so do the paths that are not files (a folder, a FIFO, a missing or
 * unreadable file) and output folders that cannot be written. Large inputs either render or are
 * refused with the limit named. (test/load-hostile.test.ts covers the loader alone.)
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { LIMITS, loadSource } from '../src/load/index.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS, outputFile } from '../src/render/types.js';
import { loadResources } from '../src/resources.js';
import { bodyLines, mastheadLines } from '../src/text.js';
import { readPdf } from './pdf-read.js';
import { type PrivateCli, privateCli, ROOT, type Run, stackLines } from './private-cli.js';

const FIXTURES = join(ROOT, 'test/fixtures/hostile');

/** Each fixture's one diagnostic: code, 1-based line and column, and the exact message. */
const EXPECTED: Readonly<
  Record<string, readonly [code: string, line: number, col: number, message: string]>
> = {
  'alias-bomb': [
    'yaml-alias-limit',
    3,
    8,
    'aliases expand to too many nodes (the limit is 100 per alias)',
  ],
  'binary-png': ['binary-content', 3, 1, 'NUL byte at offset 8: this is not a text file'],
  'bom-crlf-bad-date': ['bad-date', 6, 10, '`docDate` `2024-02-30` is not a calendar date'],
  'complex-key': ['unknown-key', 13, 3, 'a key must be a name, not a list'],
  'constructor-key': ['unknown-key', 9, 5, 'unknown key `constructor` in `docAuthority[0]`'],
  'deep-block': ['yaml-too-deep', 45, 65, 'collections are nested more than 32 levels deep here'],
  'deep-flow': ['yaml-too-deep', 13, 42, 'collections are nested more than 32 levels deep here'],
  'duplicate-key': [
    'yaml-duplicate-key',
    13,
    1,
    'this key already appears earlier in the same mapping',
  ],
  'emphasis-deep': [
    'yaml-too-deep',
    12,
    7,
    '*emphasis* in this text is nested more than 32 levels deep',
  ],
  'emphasis-runaway': [
    'yaml-too-deep',
    13,
    7,
    '*emphasis* in this text is nested more than 32 levels deep',
  ],
  empty: ['empty-document', 1, 1, 'the file holds no YAML content'],
  'bidi-override': [
    'bidi-control',
    12,
    37,
    'U+202E RIGHT-TO-LEFT OVERRIDE shows the text after it in another order than it is written (the "Trojan Source" trick); a source may not hold a direction override',
  ],
  'bidi-unclosed': [
    'bidi-control',
    12,
    26,
    'U+2067 RIGHT-TO-LEFT ISOLATE (written as `\\u2067`) is not closed in its paragraph: it would change the direction of the text after it',
  ],
  'escaped-control': [
    'binary-content',
    9,
    14,
    'this text holds control character U+0007 (written as `\\a`): no output can show it',
  ],
  'escaped-surrogate': [
    'invalid-utf8',
    9,
    14,
    'this text holds a lone UTF-16 surrogate (U+D800), not a character (written as `\\ud800`): UTF-8 cannot encode it',
  ],
  latin1: ['invalid-utf8', 9, 14, 'byte 0xe9 at offset 246 is not valid UTF-8'],
  'many-unknown-keys': ['unknown-key', 14, 1, 'unknown key `k0` at the top level'],
  'multi-document': [
    'yaml-multiple-documents',
    13,
    1,
    'a second YAML document starts here (`---`)',
  ],
  'only-comment': ['empty-document', 1, 1, 'the file holds no YAML content'],
  'proto-key': ['unknown-key', 13, 1, 'unknown key `__proto__` at the top level'],
  'raw-c1-control': [
    'binary-content',
    9,
    13,
    'control character U+0090 in the text: this is not a text file',
  ],
  'root-list': [
    'root-not-mapping',
    2,
    1,
    'the top level is a list; a source is a mapping of keys (style, docTitle, …) to values',
  ],
  'root-scalar': [
    'root-not-mapping',
    2,
    1,
    'the top level is a single value; a source is a mapping of keys (style, docTitle, …) to values',
  ],
  'tab-indent': ['yaml-tab', 11, 1, 'a tab is used for indentation'],
  'too-many-entries': [
    'file-too-large',
    13,
    11,
    'the source has 50014 list items and keys (50001 in the collection starting here); a source may have at most 50000',
  ],
  'utf16be-bom': ['invalid-utf8', 1, 1, 'the file is UTF-16 (big-endian), not UTF-8'],
  'utf16le-bom': ['invalid-utf8', 1, 1, 'the file is UTF-16 (little-endian), not UTF-8'],
  'utf16le-no-bom': ['invalid-utf8', 1, 1, 'the file is UTF-16 (little-endian), not UTF-8'],
  'utf32le-bom': ['invalid-utf8', 1, 1, 'the file is UTF-32 (little-endian), not UTF-8'],
  'yaml-syntax': ['yaml-syntax', 9, 11, 'nested mappings are not allowed in compact mappings'],
};

/** Fixtures with more than one diagnostic: how many (the first is in EXPECTED). */
const COUNT: Readonly<Record<string, number>> = { 'many-unknown-keys': LIMITS.maxDiagnostics };

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -5))
  .sort();

const VALID = `style: ny
language: en
originalLanguage: en
distribution: General
docDate: 2024-01-02
docAuthority:
  - organ: General Assembly
docTitle: A title
letter:
  paragraphs:
    - First paragraph.
`;

let cli: PrivateCli;
let work = '';

beforeAll(() => {
  // Standalone: some runs are as `nobody`, who may not reach the checkout (under a mode-700
  // folder, as home folders often are).
  cli = privateCli({ standalone: true });
  work = mkdtempSync(join(tmpdir(), 'undoc-hostile-work-'));
  chmodSync(work, 0o755);
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs the command in the work folder. */
const undoc = (
  args: readonly string[],
  extra: { uid?: number; gid?: number; timeout?: number } = {},
) => cli.run(args, { cwd: work, ...extra });

/** A finished run: no hang, no stack trace, the documented exit code. */
function clean(run: Run, exit: number): void {
  expect(run.timedOut, `hung; stderr so far:\n${run.stderr}`).toBe(false);
  expect(stackLines(run.stderr)).toEqual([]);
  expect(stackLines(run.stdout)).toEqual([]);
  expect(run.stderr).not.toContain('internal error');
  expect(run.code).toBe(exit);
}

function put(path: string, content: string | Uint8Array): string {
  const full = join(work, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return path;
}

describe('hostile fixtures', () => {
  it('every fixture has its expected diagnostic, and every expectation its fixture', () => {
    expect(fixtures).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(fixtures)('%s.yaml: the loader gives exactly that diagnostic', (name) => {
    const file = `test/fixtures/hostile/${name}.yaml`;
    const result = loadSource(readFileSync(join(FIXTURES, `${name}.yaml`)), name, file);
    const [code, line, col, message] = EXPECTED[name] ?? [];
    expect(result.model).toBeUndefined();
    expect(result.diagnostics.length).toBe(COUNT[name] ?? 1);
    expect(result.diagnostics.slice(0, 1).map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      [code, line, col, message],
    ]);
    if (COUNT[name]) {
      expect(result.diagnostics.at(-1)?.hint).toContain(
        `${20_000 - LIMITS.maxDiagnostics} more problems not shown (at most ${LIMITS.maxDiagnostics} per file)`,
      );
    }
  });

  it('`undoc validate` of every fixture at once: exit 1, each file:line:col as expected, no stack', async () => {
    const paths = fixtures.map((name) => join(FIXTURES, `${name}.yaml`));
    const run = await undoc(['validate', ...paths]);
    clean(run, EXIT.invalid);
    const firstLines = run.stderr
      .split('\n')
      .filter((l) => l.startsWith(FIXTURES) && !/:k[1-9]\d*:|`k[1-9]\d*`/.test(l));
    expect(firstLines).toEqual(
      fixtures.map((name) => {
        const [code, line, col, message] = EXPECTED[name] ?? [];
        return `${join(FIXTURES, name)}.yaml:${line}:${col}: error ${code}: ${message}`;
      }),
    );
    expect(run.stdout).toBe(
      `validate: 0 of ${fixtures.length} documents valid, ${fixtures.length} invalid\n`,
    );
  });

  it('`undoc build` of the whole folder writes nothing and names every file', async () => {
    const run = await undoc(['build', FIXTURES, '--out', 'out-fixtures']);
    clean(run, EXIT.invalid);
    for (const name of fixtures) expect(run.stderr).toContain(`${join(FIXTURES, name)}.yaml:`);
    const written = readdirSync(join(work, 'out-fixtures')).filter((f) => !f.startsWith('.'));
    expect(written.filter((f) => f !== 'index.html')).toEqual([]);
  });
});

describe('paths that are not readable sources', () => {
  it('a folder given as a file, a missing file: I/O errors (exit 3)', async () => {
    mkdirSync(join(work, 'looks-like.yaml'), { recursive: true });
    const folder = await undoc(['validate', 'looks-like.yaml']);
    clean(folder, EXIT.io);
    expect(folder.stderr).toBe(
      'looks-like.yaml: error read-failed: the folder holds no .yaml sources\n',
    );
    const missing = await undoc(['validate', 'nowhere/x.yaml']);
    clean(missing, EXIT.io);
    expect(missing.stderr).toBe(
      'nowhere/x.yaml: error read-failed: cannot read: no such file or folder\n',
    );
  });

  it.skipIf(process.platform === 'win32')(
    'a FIFO named *.yaml in a source folder is refused, not read (reading it blocked forever)',
    async () => {
      put('fifo/good.yaml', VALID);
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [join(work, 'fifo/pipe.yaml')]);
      const run = await undoc(['validate', 'fifo'], { timeout: 15_000 });
      clean(run, EXIT.io);
      expect(run.stderr).toBe('fifo/pipe.yaml: error read-failed: not a regular file\n');
      expect(run.stdout).toBe('validate: 1 of 1 document valid\n');
      const direct = await undoc(['validate', 'fifo/pipe.yaml'], { timeout: 15_000 });
      clean(direct, EXIT.io);
      expect(direct.stderr).toBe(
        'fifo/pipe.yaml: error read-failed: not a regular file or folder\n',
      );
    },
  );

  // chmod 000 stops no read by root: run the command as `nobody` then, which it does stop.
  const root = process.getuid?.() === 0;
  it.skipIf(process.platform === 'win32')(
    'an unreadable file (chmod 000) is an I/O error (exit 3)',
    async () => {
      const file = put('locked/secret.yaml', VALID);
      chmodSync(join(work, 'locked'), 0o755);
      chmodSync(join(work, file), 0o000);
      const run = await undoc(['validate', file], root ? { uid: 65534, gid: 65534 } : {});
      clean(run, EXIT.io);
      expect(run.stderr).toBe(
        'locked/secret.yaml: error read-failed: cannot read: permission denied\n',
      );
    },
  );
});

describe('output folders that cannot be written', () => {
  // html is the quickest to render; every renderer goes through the same write path.
  const format = 'html';

  it('--out naming a file, or a folder under a file: exit 3, nothing written', async () => {
    const source = put('src/letter.yaml', VALID);
    put('a-file', 'x');
    const onFile = await undoc(['build', source, '--out', 'a-file', '--format', format]);
    clean(onFile, EXIT.io);
    expect(onFile.stderr).toBe(
      'a-file: error write-failed: cannot create the output folder: already exists and is not a folder\n',
    );
    const under = await undoc(['build', source, '--out', 'a-file/sub', '--format', format]);
    clean(under, EXIT.io);
    expect(under.stderr).toBe(
      'a-file/sub: error write-failed: cannot create the output folder: a part of the path is not a folder\n',
    );
    expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('x');
  });

  it.skipIf(!existsSync('/proc/self'))(
    '--out under /proc fails at once (Node’s recursive mkdir spun there forever)',
    async () => {
      const source = put('src/letter.yaml', VALID);
      const run = await undoc(
        ['build', source, '--out', '/proc/undoc-no/out', '--format', format],
        {
          timeout: 15_000,
        },
      );
      clean(run, EXIT.io);
      expect(run.stderr).toBe(
        '/proc/undoc-no/out: error write-failed: cannot create the output folder: no such file or folder\n',
      );
    },
  );

  it.skipIf(process.platform === 'win32')(
    'a read-only output folder: exit 3, the folder named (its lock cannot be taken)',
    async () => {
      const source = put('src/letter.yaml', VALID);
      mkdirSync(join(work, 'read-only'), { recursive: true });
      chmodSync(join(work, 'read-only'), 0o555);
      const root = process.getuid?.() === 0;
      const run = await undoc(
        ['build', source, '--out', 'read-only', '--format', format],
        root ? { uid: 65534, gid: 65534 } : {},
      );
      clean(run, EXIT.io);
      // A build first takes DIR/.undoc-lock (src/cli/lock.ts): nothing is rendered or written.
      expect(run.stderr).toBe(
        'read-only: error write-failed: cannot lock the output folder: permission denied\n',
      );
      expect(readdirSync(join(work, 'read-only'))).toEqual([]);
    },
  );
});

describe('large inputs: rendered, or refused with the limit named', () => {
  it('a source over 1 MiB (a 1.5 MB string) is refused before it is parsed', async () => {
    const file = put(
      'big/huge-string.yaml',
      VALID.replace('First paragraph.', 'x'.repeat(1_500_000)),
    );
    const size = readFileSync(join(work, file)).byteLength;
    const run = await undoc(['validate', file]);
    clean(run, EXIT.invalid);
    expect(run.stderr.split('\n')[0]).toBe(
      `${file}:1:1: error file-too-large: the file is ${size} bytes; a source may be at most ${LIMITS.maxBytes} bytes`,
    );
  });

  it('a 1.5 GB file in a source folder is refused unread by build (it was an internal error)', async () => {
    put('sparse/ok.yaml', VALID);
    const huge = join(work, 'sparse/huge.yaml');
    // Sparse: no disk space is used.
    writeFileSync(huge, '');
    truncateSync(huge, 1_500_000_000);
    const run = await undoc(['build', 'sparse', '--out', 'out-sparse', '--format', 'html'], {
      timeout: 60_000,
    });
    clean(run, EXIT.invalid);
    expect(run.stderr).toContain(
      `sparse/huge.yaml:1:1: error file-too-large: the file is 1500000000 bytes; a source may be at most ${LIMITS.maxBytes} bytes`,
    );
    expect(run.ms).toBeLessThan(30_000);
    rmSync(huge);
  });

  it(`${LIMITS.maxEntries / 2} paragraphs are refused by the entry limit, with both counts named`, async () => {
    const paragraphs = LIMITS.maxEntries / 2;
    const text = `${VALID}annexes:\n  - heading: Annex\n    content:\n${'      - para: x\n'.repeat(paragraphs)}`;
    const file = put('big/too-many.yaml', text);
    const run = await undoc(['validate', file]);
    clean(run, EXIT.invalid);
    // Every paragraph is a list item and a key; the source's other entries come on top.
    expect(run.stderr.split('\n')[0]).toBe(
      `${file}:15:7: error file-too-large: the source has ${2 * paragraphs + 16} list items and keys (${paragraphs} in the collection starting here); a source may have at most ${LIMITS.maxEntries}`,
    );
  });

  it('a text over the length limit (100 001 characters) is refused, placed at the text', async () => {
    const length = LIMITS.maxTextLength + 1;
    const file = put('big/long-text.yaml', VALID.replace('First paragraph.', 'w'.repeat(length)));
    const run = await undoc(['validate', file]);
    clean(run, EXIT.invalid);
    expect(run.stderr.split('\n')[0]).toBe(
      `${file}:11:7: error file-too-large: this text is ${length} characters long; one text may have at most ${LIMITS.maxTextLength}`,
    );
  });

  const formats = FORMATS.filter((f) => RENDERERS[f] !== undefined);
  it.skipIf(formats.length === 0)(
    `20 000 paragraphs and a paragraph at the text-length limit render (${formats.join(', ')})`,
    async () => {
      const many = `${VALID}annexes:\n  - heading: Annex\n    content:\n${'      - para: Text.\n'.repeat(20_000)}`;
      put('large/many.yaml', many);
      // Words of four letters and a space: exactly the longest text allowed.
      const words = 'word '.repeat(LIMITS.maxTextLength / 5).trim();
      put('large/long.yaml', VALID.replace('First paragraph.', words));
      const run = await undoc(
        ['build', 'large', '--out', 'out-large', '--format', formats.join(',')],
        {
          timeout: 120_000,
        },
      );
      clean(run, EXIT.ok);
      for (const name of ['many', 'long'])
        for (const f of formats)
          expect(
            readFileSync(join(work, 'out-large', outputFile(name, f))).byteLength,
          ).toBeGreaterThan(1000);
      const html = formats.includes('html')
        ? readFileSync(join(work, 'out-large', 'many.html'), 'utf8')
        : '';
      if (html) expect(html).toContain('20000');
    },
    180_000,
  );
});

describe('valid documents that once crashed a renderer or lost text', () => {
  const formats = FORMATS.filter((f) => RENDERERS[f] !== undefined);
  const squeeze = (t: string) => t.replace(/\s+/g, '');

  it.each(['three-organs', 'long-signature'])(
    '%s.yaml renders in every format, and the PDF shows every line',
    async (name) => {
      const path = join(FIXTURES, 'renders', `${name}.yaml`);
      const model = loadSource(readFileSync(path), name, path).model;
      if (!model) throw new Error(`${name}.yaml does not load`);
      const resources = loadResources();
      for (const f of formats) {
        const render = RENDERERS[f];
        if (!render) continue;
        const bytes = await render(model, resources.styles[model.style], resources);
        expect(bytes.byteLength).toBeGreaterThan(1000);
        if (f !== 'pdf') continue;
        const pdf = await readPdf(bytes);
        const shown = squeeze(
          pdf.pages.flatMap((p) => p.lines.flatMap((l) => l.words.map((w) => w.text))).join(''),
        );
        for (const line of [...mastheadLines(model), ...bodyLines(model)]) {
          expect(shown).toContain(squeeze(line).slice(0, 200));
        }
      }
    },
  );
});
