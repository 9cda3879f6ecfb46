/** Units of src/build: input hashes, the manifest, the build plan, check's comparison, progress. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputs, describeDrift } from '../src/build/check.js';
import {
  engineFingerprint,
  inputHash,
  type NamedBytes,
  sha256,
  templateFilesFor,
} from '../src/build/hash.js';
import {
  emptyManifest,
  MANIFEST_FILE,
  type Manifest,
  type ManifestEntry,
  parseManifest,
  serializeManifest,
  updateManifest,
} from '../src/build/manifest.js';
import { planBuild } from '../src/build/plan.js';
import { Progress, summaryLine } from '../src/build/progress.js';
import { styleHint } from '../src/build/run.js';
import { engine, keepEngine } from '../src/cli/fingerprint.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const TEMPLATES: NamedBytes[] = [
  { path: 'ny.yaml', bytes: bytes('name: ny\npage: {width: 612pt}\n') },
  { path: 'geneva.yaml', bytes: bytes('extends: ny\nname: geneva\n') },
  { path: 'emblem.svg', bytes: bytes('<svg/>') },
];
const base = {
  source: bytes('style: ny\ndocTitle: x\n'),
  templates: TEMPLATES,
  engine: '0.1.0+abcdef012345',
  formats: ['pdf', 'docx', 'html'],
};

describe('inputHash', () => {
  it('uses sha256 (FIPS 180-2 test vector)', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  const h0 = inputHash(base);
  it('is a stable sha256', () => {
    expect(h0).toMatch(/^[0-9a-f]{64}$/);
    expect(inputHash({ ...base, source: 'style: ny\ndocTitle: x\n' })).toBe(h0);
  });
  it('changes with the source, any template, the engine, the formats', () => {
    const variants = [
      inputHash({ ...base, source: bytes('style: ny\ndocTitle: y\n') }),
      inputHash({
        ...base,
        templates: [
          TEMPLATES[0] as NamedBytes,
          TEMPLATES[1] as NamedBytes,
          { path: 'emblem.svg', bytes: bytes('<svg />') },
        ],
      }),
      inputHash({ ...base, engine: '0.1.1+abcdef012345' }),
      inputHash({ ...base, engine: '0.1.0+abcdef012346' }),
      inputHash({ ...base, formats: ['pdf'] }),
    ];
    for (const v of variants) expect(v).not.toBe(h0);
    expect(new Set(variants).size).toBe(variants.length);
  });
  it('ignores format order and template order', () => {
    expect(inputHash({ ...base, formats: ['html', 'pdf', 'docx'] })).toBe(h0);
    expect(inputHash({ ...base, templates: [...TEMPLATES].reverse() })).toBe(h0);
  });
  it('frames fields, so bytes moved between template files change the hash', () => {
    const a = [
      { path: 'a.svg', bytes: bytes('xy') },
      { path: 'b.svg', bytes: bytes('z') },
    ];
    const b = [
      { path: 'a.svg', bytes: bytes('x') },
      { path: 'b.svg', bytes: bytes('yz') },
    ];
    expect(inputHash({ ...base, templates: a })).not.toBe(inputHash({ ...base, templates: b }));
  });
});

describe('templateFilesFor', () => {
  const names = (style: string) =>
    templateFilesFor(style, TEMPLATES)
      .map((f) => f.path)
      .sort();
  it('takes the style, what it extends, and the shared non-YAML files', () => {
    expect(names('geneva')).toEqual(['emblem.svg', 'geneva.yaml', 'ny.yaml']);
    expect(names('ny')).toEqual(['emblem.svg', 'ny.yaml']);
  });
  it('survives an extends cycle', () => {
    const cyclic = [
      { path: 'a.yaml', bytes: bytes('extends: b\n') },
      { path: 'b.yaml', bytes: bytes('extends: a\n') },
    ];
    expect(templateFilesFor('a', cyclic).map((f) => f.path)).toEqual(['a.yaml', 'b.yaml']);
  });
  it('follows an edited extends (each text parsed once per process, remembered by its text)', () => {
    const three = (a: string) => [
      { path: 'a.yaml', bytes: bytes(a) },
      { path: 'b.yaml', bytes: bytes('name: b\n') },
      { path: 'c.yaml', bytes: bytes('name: c\n') },
    ];
    const chain = (a: string) => templateFilesFor('a', three(a)).map((f) => f.path);
    expect(chain('extends: b\n')).toEqual(['a.yaml', 'b.yaml']);
    expect(chain('extends: c\n')).toEqual(['a.yaml', 'c.yaml']);
    expect(chain('extends: b\n')).toEqual(['a.yaml', 'b.yaml']);
    expect(chain('name: a\n')).toEqual(['a.yaml']);
  });
  it('a geneva edit leaves ny documents alone; an ny edit reaches geneva ones', () => {
    const edited = TEMPLATES.map((f) =>
      f.path === 'geneva.yaml' ? { ...f, bytes: bytes('extends: ny\nname: geneva\nx: 1\n') } : f,
    );
    const hash = (style: string, t: NamedBytes[]) =>
      inputHash({ ...base, templates: templateFilesFor(style, t) });
    expect(hash('ny', edited)).toBe(hash('ny', TEMPLATES));
    expect(hash('geneva', edited)).not.toBe(hash('geneva', TEMPLATES));
    const nyEdited = TEMPLATES.map((f) =>
      f.path === 'ny.yaml' ? { ...f, bytes: bytes('name: ny\npage: {width: 595pt}\n') } : f,
    );
    expect(hash('geneva', nyEdited)).not.toBe(hash('geneva', TEMPLATES));
  });
});

describe('styleHint', () => {
  it('reads a top-level style line and nothing nested', () => {
    expect(styleHint('# c\nstyle: geneva\n')).toBe('geneva');
    expect(styleHint("style: 'ny'\n")).toBe('ny');
    expect(styleHint('letter:\n  style: geneva\n')).toBeUndefined();
  });
});

describe('engineFingerprint', () => {
  const code = [{ path: 'cli.js', bytes: bytes('a') }];
  it('carries the version and changes with the code and library versions', () => {
    const f = engineFingerprint('0.1.0', code, { pdfmake: '0.3.11' });
    expect(f).toMatch(/^0\.1\.0\+[0-9a-f]{12}$/);
    expect(
      engineFingerprint('0.1.0', [{ path: 'cli.js', bytes: bytes('b') }], { pdfmake: '0.3.11' }),
    ).not.toBe(f);
    expect(engineFingerprint('0.1.0', code, { pdfmake: '0.3.12' })).not.toBe(f);
    expect(engineFingerprint('0.1.0', code, { pdfmake: '0.3.11' })).toBe(f);
  });
});

describe('engine: the CLI fingerprint, remembered while its files are unchanged', () => {
  it('hashes the code and the locked versions again once a file changed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'undoc-engine-'));
    try {
      const code = join(root, 'dist');
      mkdirSync(join(code, 'cli'), { recursive: true });
      writeFileSync(join(root, 'package.json'), '{"dependencies":{"pdfmake":"^0.3.0"}}');
      const lock = (v: string) =>
        writeFileSync(
          join(root, 'package-lock.json'),
          JSON.stringify({ packages: { 'node_modules/pdfmake': { version: v } } }),
        );
      lock('0.3.11');
      writeFileSync(join(code, 'undoc-main.cjs'), 'one();');
      writeFileSync(join(code, 'cli/args.js'), 'two();');
      writeFileSync(join(code, 'undoc-main.cache'), 'not code');
      keepEngine();
      const first = await engine(root, code);
      expect(first).toBe(
        engineFingerprint(
          first.split('+')[0] ?? '',
          [
            { path: 'cli/args.js', bytes: bytes('two();') },
            { path: 'undoc-main.cjs', bytes: bytes('one();') },
          ],
          { pdfmake: '0.3.11', 'node:zlib': process.versions.zlib ?? '?' },
        ),
      );
      expect(await engine(root, code)).toBe(first);
      writeFileSync(join(code, 'cli/args.js'), 'three();');
      const second = await engine(root, code);
      expect(second).not.toBe(first);
      lock('0.3.12');
      const third = await engine(root, code);
      expect(third).not.toBe(second);
      writeFileSync(join(code, 'undoc-main.cache'), 'other bytes, not code');
      expect(await engine(root, code)).toBe(third);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

const H = (c: string) => c.repeat(64);
/** Index facts for a manifest entry. */
const facts = (title: string): ManifestEntry['index'] => ({
  symbol: 'draft',
  title,
  date: { iso: '2007-04-04', text: '4 April 2007' },
  organs: ['General Assembly'],
  language: 'en',
});

describe('manifest', () => {
  const manifest: Manifest = {
    undocManifest: 2,
    engine: 'e',
    documents: {
      b: {
        source: 'source/b.yaml',
        input: H('1'),
        outputs: { 'b.pdf': H('2') },
        index: facts('B'),
      },
      a: {
        source: 'source/a.yaml',
        input: H('3'),
        outputs: { 'a.html': H('4'), 'a.docx': H('5') },
        index: facts('A'),
      },
    },
  };
  it('round-trips, with sorted keys so equal manifests are equal bytes', () => {
    const text = serializeManifest(manifest);
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(text.indexOf('a.docx')).toBeLessThan(text.indexOf('a.html'));
    expect(text.endsWith('}\n')).toBe(true);
    const read = parseManifest(text);
    expect(read).toEqual({ ok: true, manifest });
    if (read.ok) expect(serializeManifest(read.manifest)).toBe(text);
  });
  it.each([
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['another version', '{"undocManifest":1,"engine":"e","documents":{}}', /version 1 is not 2/],
    [
      'a bad hash',
      `{"undocManifest":2,"engine":"e","documents":{"a":{"source":"s","input":"xyz","outputs":{}}}}`,
      /"input" is not a sha256/,
    ],
    [
      'a path as output',
      `{"undocManifest":2,"engine":"e","documents":{"a":{"source":"s","input":"${H('1')}","outputs":{"../x":"${H('2')}"}}}}`,
      /not a plain file name/,
    ],
    ['no documents', '{"undocManifest":2,"engine":"e"}', /"documents"/],
    [
      'no index facts',
      `{"undocManifest":2,"engine":"e","documents":{"a":{"source":"s","input":"${H('1')}","outputs":{}}}}`,
      /"index" is not an object/,
    ],
    [
      'index facts in another language',
      `{"undocManifest":2,"engine":"e","documents":{"a":{"source":"s","input":"${H('1')}","outputs":{},"index":${JSON.stringify({ ...facts('A'), language: 'xx' })}}}}`,
      /"language" is not a UN language/,
    ],
    [
      'index facts whose organs are not names',
      `{"undocManifest":2,"engine":"e","documents":{"a":{"source":"s","input":"${H('1')}","outputs":{},"index":${JSON.stringify({ ...facts('A'), organs: [1] })}}}}`,
      /"organs" is not a list/,
    ],
  ])('rejects %s', (_what, text, reason) => {
    const read = parseManifest(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(reason);
  });
  it('updates entries and drops failed documents, keeping the rest', () => {
    const next = updateManifest(
      manifest,
      'e2',
      { c: { source: 'c.yaml', input: H('6'), outputs: {}, index: facts('C') } },
      ['b'],
    );
    expect(Object.keys(next.documents).sort()).toEqual(['a', 'c']);
    expect(next.engine).toBe('e2');
    expect(manifest.documents.b).toBeDefined();
  });
});

describe('planBuild', () => {
  const formats = ['pdf', 'html'];
  const manifest: Manifest = {
    ...emptyManifest('e'),
    documents: {
      a: {
        source: 'a.yaml',
        input: H('1'),
        outputs: { 'a.pdf': H('2'), 'a.html': H('3') },
        index: facts('A'),
      },
    },
  };
  const disk = new Map([
    ['a.pdf', H('2')],
    ['a.html', H('3')],
  ]);
  const plan = (input: string, onDisk = disk, force = false) =>
    planBuild([{ name: 'a', input, formats }], manifest, (f) => onDisk.get(f), force)[0];

  it('skips a document whose inputs and outputs are as recorded', () => {
    expect(plan(H('1'))).toEqual({ name: 'a', action: 'skip', reason: 'up-to-date' });
  });
  it('rebuilds a changed input (source, template or version: they are all in the hash)', () => {
    expect(plan(H('9'))).toMatchObject({ action: 'build', reason: 'input-changed' });
  });
  it('rebuilds when --force is given', () => {
    expect(plan(H('1'), disk, true)).toMatchObject({ action: 'build', reason: 'forced' });
  });
  it('rebuilds a new document', () => {
    const [item] = planBuild(
      [{ name: 'b', input: H('1'), formats }],
      manifest,
      () => H('2'),
      false,
    );
    expect(item).toMatchObject({ action: 'build', reason: 'new' });
  });
  it('rebuilds when an output was deleted or edited by hand', () => {
    const deleted = new Map([['a.pdf', H('2')]]);
    expect(plan(H('1'), deleted)).toMatchObject({ reason: 'output-missing', file: 'a.html' });
    const edited = new Map([...disk, ['a.pdf', H('7')]]);
    expect(plan(H('1'), edited)).toMatchObject({ reason: 'output-modified', file: 'a.pdf' });
  });
  it('rebuilds when a format was added to the build', () => {
    const [item] = planBuild(
      [{ name: 'a', input: H('1'), formats: ['pdf', 'html', 'docx'] }],
      manifest,
      (f) => disk.get(f),
      false,
    );
    expect(item).toMatchObject({ action: 'build', reason: 'output-missing', file: 'a.docx' });
  });
});

describe('checkOutputs', () => {
  const expected = new Map([
    ['a.pdf', H('1')],
    ['a.html', H('2')],
    ['b.pdf', H('3')],
  ]);
  it('is ok when the folder holds exactly the expected files (the manifest aside)', () => {
    const actual = new Map([...expected, [MANIFEST_FILE, H('f')]]);
    expect(checkOutputs(expected, actual)).toEqual({ ok: true, drift: [] });
  });
  it('names each stale, missing and extra file', () => {
    const actual = new Map([
      ['a.pdf', H('1')],
      ['a.html', H('9')],
      ['old.pdf', H('4')],
      ['sub/', ''],
    ]);
    const result = checkOutputs(expected, actual);
    expect(result.ok).toBe(false);
    expect(result.drift).toEqual([
      { file: 'a.html', kind: 'stale' },
      { file: 'b.pdf', kind: 'missing' },
      { file: 'old.pdf', kind: 'extra' },
      { file: 'sub/', kind: 'extra' },
    ]);
    expect(describeDrift({ file: 'b.pdf', kind: 'missing' }, 'out/')).toBe(
      'missing out/b.pdf (build would write it)',
    );
  });
});

describe('progress', () => {
  const run = (isTTY: boolean) => {
    let text = '';
    const p = new Progress({ write: (s) => (text += s), isTTY, columns: 60 }, 3);
    p.report({ name: 'a', status: 'built', ms: 812.4 });
    p.report({ name: 'b', status: 'skipped' });
    p.report({ name: 'c', status: 'failed', detail: 'source/c.yaml:3:5: error x: bad' });
    p.end();
    return text;
  };
  it('writes plain lines, no control codes, when not a terminal', () => {
    const text = run(false);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find none
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text.split('\n')).toEqual([
      '[1/3] built a (812 ms)',
      '[2/3] up to date b',
      '[3/3] FAILED c: source/c.yaml:3:5: error x: bad',
      '',
    ]);
  });
  it('shows what is under way on a terminal only', () => {
    let tty = '';
    new Progress({ write: (s) => (tty += s), isTTY: true }, 2).note('rendering 2 documents…');
    expect(tty).toBe('\r\u001b[2K[0/2] rendering 2 documents…');
    let plain = '';
    new Progress({ write: (s) => (plain += s), isTTY: false }, 2).note('rendering 2 documents…');
    expect(plain).toBe('');
  });

  it('rewrites one line on a terminal, keeping failures on screen', () => {
    const text = run(true);
    expect(text).toContain('\r\u001b[2K[1/3] built a');
    expect(text).toContain('\r\u001b[2K[3/3] FAILED c: source/c.yaml:3:5: error x: bad\n');
    // One newline only: the failure's; everything else is rewritten in place.
    expect(text.split('\n')).toHaveLength(2);
    expect(text.endsWith('\r\u001b[2K')).toBe(true);
  });
  it('summarises documents, formats, outcomes, time', () => {
    expect(
      summaryLine({
        documents: 3,
        formats: ['pdf', 'docx', 'html'],
        built: 1,
        skipped: 1,
        failed: 1,
        ms: 1420,
        threads: 2,
        outDir: 'out/',
      }),
    ).toBe(
      'build: 1 of 3 documents built into out/ (pdf, docx, html; 3 files written), 1 up to date, 1 failed in 1.42 s on 2 threads',
    );
  });
});
