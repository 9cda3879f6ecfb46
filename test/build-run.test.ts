/**
 * The build and check procedures over an in-memory file system and a counting stand-in renderer:
 * incremental skips (nothing re-rendered, files untouched), --force, failures that stop only their
 * own document, check's stale/missing/extra. The real renderers and the CLI are exercised in
 * build-cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/build/hash.js';
import { MANIFEST_FILE, parseManifest } from '../src/build/manifest.js';
import type { PoolJob } from '../src/build/pool.js';
import type { RenderResult } from '../src/build/render-job.js';
import {
  type BuildContext,
  type BuildIo,
  problemLine,
  runBuild,
  runCheck,
  type SourceFile,
} from '../src/build/run.js';
import type { Format } from '../src/render/types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A file system in a Map; `writes` counts writes per path. */
function memoryIo() {
  const files = new Map<string, Uint8Array>();
  const writes = new Map<string, number>();
  let clock = 0;
  const io: BuildIo = {
    readFile: async (path) => {
      const b = files.get(path);
      if (!b) throw new Error(`ENOENT: ${path}`);
      return b;
    },
    listDir: async (dir) => {
      const prefix = `${dir}/`;
      const out = new Map<string, 'file' | 'dir'>();
      for (const path of files.keys()) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        out.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'dir');
      }
      return out.size > 0 ? out : undefined;
    },
    writeFileAtomic: async (path, bytes) => {
      files.set(path, typeof bytes === 'string' ? enc.encode(bytes) : bytes);
      writes.set(path, (writes.get(path) ?? 0) + 1);
    },
    mkdirp: async () => {},
    now: () => (clock += 5),
  };
  return { io, files, writes };
}

/** Index facts the stand-in renderer reports: the title carries the source's hash. */
const factsOf = (name: string, text: string) => ({
  symbol: 'draft',
  title: `${name} ${sha256(text).slice(0, 8)}`,
  date: { iso: '2007-04-04', text: '4 April 2007' },
  organs: ['General Assembly'],
});

/** A stand-in renderer: bytes derived from the source text; a source containing BAD fails at 3:5. */
function fakeContext(templates = [{ path: 'ny.yaml', bytes: enc.encode('name: ny\n') }]) {
  const rendered: string[] = [];
  const render = async (job: PoolJob): Promise<RenderResult> => {
    rendered.push(job.name);
    const text = typeof job.text === 'string' ? job.text : dec.decode(job.text);
    if (text.includes('BAD')) {
      return {
        id: 0,
        ok: false,
        problems: [
          {
            code: 'missing-key',
            severity: 'error',
            file: job.file,
            message: 'docTitle is required',
            line: 3,
            col: 5,
          },
        ],
      };
    }
    const outputs = job.formats.map((format) => ({
      format,
      bytes: enc.encode(`${format}:${job.name}:${sha256(text)}`),
    }));
    return { id: 0, ok: true, outputs, warnings: [], index: factsOf(job.name, text) };
  };
  const ctx = (engine = '0.1.0+000000000000', t = templates): BuildContext => ({
    engine,
    templates: t,
    open: () => ({ render, threads: 2, close: async () => {} }),
  });
  return { ctx, rendered };
}

const FORMATS: Format[] = ['pdf', 'docx', 'html'];
const silent = { write: () => {}, isTTY: false };

function setup(names: string[]) {
  const mem = memoryIo();
  const sources: SourceFile[] = names.map((name) => ({ path: `src/${name}.yaml`, name }));
  for (const s of sources) mem.files.set(s.path, enc.encode(`style: ny\ndocTitle: ${s.name}\n`));
  return { ...mem, sources };
}

const build = (io: BuildIo, ctx: BuildContext, sources: SourceFile[], force = false) =>
  runBuild(io, ctx, { sources, outDir: 'out', formats: FORMATS, force, progress: silent });

describe('incremental build', () => {
  it('builds everything once, then skips everything without rendering or writing', async () => {
    const { io, files, writes, sources } = setup(['a', 'b', 'c']);
    const { ctx, rendered } = fakeContext();
    const first = await build(io, ctx(), sources);
    expect(first).toMatchObject({ built: 3, skipped: 0, failed: 0 });
    expect(rendered.sort()).toEqual(['a', 'b', 'c']);
    const manifest = parseManifest(dec.decode(files.get(`out/${MANIFEST_FILE}`)));
    expect(manifest.ok && Object.keys(manifest.manifest.documents).sort()).toEqual(['a', 'b', 'c']);
    const writesAfterFirst = new Map(writes);

    rendered.length = 0;
    const second = await build(io, ctx(), sources);
    expect(second).toMatchObject({ built: 0, skipped: 3, failed: 0 });
    expect(second.outcomes.map((o) => o.reason)).toEqual([
      'up-to-date',
      'up-to-date',
      'up-to-date',
    ]);
    expect(rendered).toEqual([]);
    // Not one file (outputs or manifest) written again.
    expect(writes).toEqual(writesAfterFirst);
    // The index facts of skipped documents come from the manifest, as the render reported them.
    expect(second.index).toEqual(first.index);
    expect([...second.index.keys()].sort()).toEqual(sources.map((s) => s.path).sort());
  });

  it('reports the index facts of the new source after an edit, the kept ones for the rest', async () => {
    const { io, files, sources } = setup(['a', 'b']);
    const { ctx } = fakeContext();
    const first = await build(io, ctx(), sources);
    const edited = 'style: ny\ndocTitle: b, edited\n';
    files.set('src/b.yaml', enc.encode(edited));
    const second = await build(io, ctx(), sources);
    expect(second.index.get('src/a.yaml')).toEqual(first.index.get('src/a.yaml'));
    expect(second.index.get('src/b.yaml')).toEqual(factsOf('b', edited));
    expect(second.index.get('src/b.yaml')).not.toEqual(first.index.get('src/b.yaml'));
  });

  it('rebuilds only the document whose source changed', async () => {
    const { io, files, sources } = setup(['a', 'b']);
    const { ctx, rendered } = fakeContext();
    await build(io, ctx(), sources);
    files.set('src/b.yaml', enc.encode('style: ny\ndocTitle: b, edited\n'));
    rendered.length = 0;
    const report = await build(io, ctx(), sources);
    expect(rendered).toEqual(['b']);
    expect(report.outcomes.map((o) => [o.name, o.status, o.reason])).toEqual([
      ['a', 'skipped', 'up-to-date'],
      ['b', 'built', 'input-changed'],
    ]);
  });

  it('rebuilds everything when a template or the engine changes', async () => {
    const { io, sources } = setup(['a', 'b']);
    const { ctx, rendered } = fakeContext();
    await build(io, ctx(), sources);
    rendered.length = 0;
    const edited = [{ path: 'ny.yaml', bytes: enc.encode('name: ny\nfont: {size: 11pt}\n') }];
    expect(await build(io, ctx(undefined, edited), sources)).toMatchObject({ built: 2 });
    expect(await build(io, ctx(undefined, edited), sources)).toMatchObject({ skipped: 2 });
    expect(await build(io, ctx('0.2.0+000000000000', edited), sources)).toMatchObject({
      built: 2,
    });
  });

  it('--force rebuilds up-to-date documents', async () => {
    const { io, sources } = setup(['a', 'b']);
    const { ctx, rendered } = fakeContext();
    await build(io, ctx(), sources);
    rendered.length = 0;
    const report = await build(io, ctx(), sources, true);
    expect(report).toMatchObject({ built: 2, skipped: 0 });
    expect(report.outcomes.every((o) => o.reason === 'forced')).toBe(true);
    expect(rendered.sort()).toEqual(['a', 'b']);
  });

  it('rebuilds a document whose output was deleted or edited by hand', async () => {
    const { io, files, sources } = setup(['a', 'b']);
    const { ctx } = fakeContext();
    await build(io, ctx(), sources);
    files.delete('out/a.docx');
    files.set('out/b.pdf', enc.encode('tampered'));
    const report = await build(io, ctx(), sources);
    expect(report.outcomes.map((o) => o.reason)).toEqual(['output-missing', 'output-modified']);
    expect(dec.decode(files.get('out/b.pdf'))).toMatch(/^pdf:b:/);
  });

  it('ignores a corrupt manifest, says so, and rebuilds', async () => {
    const { io, files, sources } = setup(['a']);
    const { ctx } = fakeContext();
    await build(io, ctx(), sources);
    files.set(`out/${MANIFEST_FILE}`, enc.encode('{"undocManifest": 1'));
    const report = await build(io, ctx(), sources);
    expect(report.built).toBe(1);
    expect(report.manifestNote).toMatch(/ignored: not JSON/);
    expect(parseManifest(dec.decode(files.get(`out/${MANIFEST_FILE}`))).ok).toBe(true);
  });
});

describe('a document’s time', () => {
  it('is its render’s own, as the backend measured it, not the time it waited in the queue', async () => {
    const { io, sources } = setup(['a', 'b']);
    const { ctx } = fakeContext();
    const base = ctx();
    // A backend that answers late (the io clock runs on) but says each render took 7 ms.
    const timed: BuildContext = {
      ...base,
      open: (count) => {
        const inner = base.open(count);
        return {
          ...inner,
          render: async (job) => {
            for (let i = 0; i < 20; i++) io.now();
            const r = await inner.render(job);
            return r.ok ? { ...r, ms: 7 } : r;
          },
        };
      },
    };
    const report = await build(io, timed, sources, true);
    expect(report.outcomes.map((o) => o.ms)).toEqual([7, 7]);
    // Without the backend's figure, the time from queueing to the answer (the io clock's).
    const untimed = await build(io, base, sources, true);
    expect(untimed.outcomes.every((o) => (o.ms ?? 0) > 0)).toBe(true);
  });
});

describe('failures', () => {
  it('a failing document stops only itself and is listed with file:line:col', async () => {
    const { io, files, sources } = setup(['a', 'bad', 'c']);
    files.set('src/bad.yaml', enc.encode('style: ny\nBAD\n'));
    const { ctx } = fakeContext();
    let log = '';
    const report = await runBuild(io, ctx(), {
      sources,
      outDir: 'out',
      formats: FORMATS,
      force: false,
      progress: { write: (s) => (log += s), isTTY: false },
    });
    expect(report).toMatchObject({ built: 2, failed: 1 });
    for (const f of ['a.pdf', 'a.docx', 'a.html', 'c.pdf', 'c.docx', 'c.html']) {
      expect(files.has(`out/${f}`)).toBe(true);
    }
    expect(files.has('out/bad.pdf')).toBe(false);
    const failed = report.outcomes.find((o) => o.status === 'failed');
    const first = failed?.problems[0];
    expect(failed && first && problemLine(first)).toBe(
      'src/bad.yaml:3:5: error missing-key: docTitle is required',
    );
    expect(log).toContain('FAILED bad: src/bad.yaml:3:5: error missing-key: docTitle is required');
    // The failed document has no manifest entry, so the next build tries it again.
    const m = parseManifest(dec.decode(files.get(`out/${MANIFEST_FILE}`)));
    expect(m.ok && Object.keys(m.manifest.documents).sort()).toEqual(['a', 'c']);
  });

  it('an unreadable source and a clashing name fail alone', async () => {
    const { io, files, sources } = setup(['a']);
    files.set('other/a.yaml', enc.encode('style: ny\n'));
    const { ctx } = fakeContext();
    const all = [
      ...sources,
      { path: 'other/a.yaml', name: 'a' },
      { path: 'src/gone.yaml', name: 'gone' },
    ];
    const report = await build(io, ctx(), all);
    expect(report.outcomes.map((o) => [o.file, o.status, o.problems[0]?.code])).toEqual([
      ['src/a.yaml', 'built', undefined],
      ['other/a.yaml', 'failed', 'name-clash'],
      ['src/gone.yaml', 'failed', 'read-failed'],
    ]);
  });
});

describe('when the backend opens', () => {
  /** `ctx` whose backend, reads and writes log to `events` in the order they happen. */
  function logged(io: BuildIo, ctx: BuildContext) {
    const events: string[] = [];
    const logIo: BuildIo = {
      ...io,
      readFile: (path) => {
        if (path.startsWith('src/')) events.push(`read ${path}`);
        return io.readFile(path);
      },
    };
    const logCtx: BuildContext = {
      ...ctx,
      open: (count) => {
        events.push(`open ${count}`);
        const backend = ctx.open(count);
        return {
          ...backend,
          render: (job) => {
            events.push(`render ${job.name}`);
            return backend.render(job);
          },
          close: () => {
            events.push('close');
            return backend.close();
          },
        };
      },
    };
    return { events, io: logIo, ctx: logCtx };
  }

  it('a build that skips nothing opens it before reading the sources (its threads start meanwhile)', async () => {
    const mem = setup(['a', 'b', 'c']);
    const { ctx } = fakeContext();
    const first = logged(mem.io, ctx());
    await build(first.io, first.ctx, mem.sources);
    expect(first.events.slice(0, 2)).toEqual(['open 3', 'read src/a.yaml']);
    expect(first.events.filter((e) => e === 'close')).toHaveLength(1);
    expect(first.events.at(-1)).toBe('close');
    // --force over an up-to-date folder, and a changed engine: the same.
    for (const [engine, force] of [
      [undefined, true],
      ['0.2.0+000000000000', false],
    ] as const) {
      const again = logged(mem.io, ctx(engine));
      expect(await build(again.io, again.ctx, mem.sources, force)).toMatchObject({ built: 3 });
      expect(again.events[0]).toBe('open 3');
    }
  });

  it('an incremental build opens it after the plan, for the stale documents only, or never', async () => {
    const mem = setup(['a', 'b', 'c']);
    const { ctx } = fakeContext();
    await build(mem.io, ctx(), mem.sources);
    const noop = logged(mem.io, ctx());
    expect(await build(noop.io, noop.ctx, mem.sources)).toMatchObject({ skipped: 3 });
    expect(noop.events.filter((e) => !e.startsWith('read'))).toEqual([]);
    mem.files.set('src/b.yaml', enc.encode('style: ny\ndocTitle: B again\n'));
    const one = logged(mem.io, ctx());
    expect(await build(one.io, one.ctx, mem.sources)).toMatchObject({ built: 1, skipped: 2 });
    expect(one.events).toEqual([
      'read src/a.yaml',
      'read src/b.yaml',
      'read src/c.yaml',
      'open 1',
      'render b',
      'close',
    ]);
  });

  it('closes an early backend when nothing is left to render, and when the build fails', async () => {
    const mem = setup([]);
    const { ctx } = fakeContext();
    const gone = logged(mem.io, ctx());
    const report = await build(gone.io, gone.ctx, [
      { path: 'src/x.yaml', name: 'x' },
      { path: 'src/y.yaml', name: 'y' },
    ]);
    expect(report).toMatchObject({ failed: 2, threads: 0 });
    expect(gone.events.filter((e) => !e.startsWith('read'))).toEqual(['open 2', 'close']);

    const { io, sources } = setup(['a', 'b']);
    const broken = logged({ ...io, mkdirp: () => Promise.reject(new Error('EROFS')) }, ctx());
    await expect(build(broken.io, broken.ctx, sources)).rejects.toThrow('EROFS');
    expect(broken.events.filter((e) => e === 'open 2' || e === 'close')).toEqual([
      'open 2',
      'close',
    ]);
  });

  it('a check opens it before reading the sources and closes it once', async () => {
    const mem = setup(['a', 'b']);
    const { ctx } = fakeContext();
    await build(mem.io, ctx(), mem.sources);
    const c = logged(mem.io, ctx());
    const result = await runCheck(c.io, c.ctx, {
      sources: mem.sources,
      outDir: 'out',
      formats: FORMATS,
    });
    expect(result.ok).toBe(true);
    expect(c.events[0]).toBe('open 2');
    expect(c.events.filter((e) => e === 'close')).toHaveLength(1);
  });
});

describe('check', () => {
  const check = (io: BuildIo, ctx: BuildContext, sources: SourceFile[]) =>
    runCheck(io, ctx, { sources, outDir: 'out', formats: FORMATS });

  it('passes when the folder holds exactly what build writes, and writes nothing', async () => {
    const { io, writes, sources } = setup(['a', 'b']);
    const { ctx } = fakeContext();
    await build(io, ctx(), sources);
    const before = new Map(writes);
    const result = await check(io, ctx(), sources);
    expect(result).toMatchObject({ ok: true, drift: [], failures: [] });
    expect(writes).toEqual(before);
  });

  it('names each stale, missing and extra file', async () => {
    const { io, files, sources } = setup(['a', 'b']);
    const { ctx } = fakeContext();
    await build(io, ctx(), sources);
    files.set('src/a.yaml', enc.encode('style: ny\ndocTitle: a, edited\n'));
    files.delete('out/b.html');
    files.set('out/old.pdf', enc.encode('%PDF'));
    files.set('out/img/x.png', enc.encode('png'));
    const result = await check(io, ctx(), sources);
    expect(result.ok).toBe(false);
    expect(result.drift).toEqual([
      { file: 'a.docx', kind: 'stale' },
      { file: 'a.html', kind: 'stale' },
      { file: 'a.pdf', kind: 'stale' },
      { file: 'b.html', kind: 'missing' },
      { file: 'img/', kind: 'extra' },
      { file: 'old.pdf', kind: 'extra' },
    ]);
  });

  it('renders rather than trusting the manifest: a renderer change is caught', async () => {
    const { io, sources } = setup(['a']);
    const { ctx } = fakeContext();
    await build(io, ctx(), sources);
    // Same engine string, different bytes: what a renderer edit without a version bump does.
    const changed: BuildContext = {
      ...ctx(),
      open: () => ({
        threads: 1,
        close: async () => {},
        render: async (job) => ({
          id: 0,
          ok: true,
          outputs: job.formats.map((format) => ({ format, bytes: enc.encode(`new ${format}`) })),
          warnings: [],
          index: factsOf(job.name, ''),
        }),
      }),
    };
    const result = await check(io, changed, sources);
    expect(result.drift.map((d) => `${d.kind} ${d.file}`)).toEqual([
      'stale a.docx',
      'stale a.html',
      'stale a.pdf',
    ]);
  });

  it('fails, with file:line:col, when a source does not render', async () => {
    const { io, files, sources } = setup(['a']);
    const { ctx } = fakeContext();
    await build(io, ctx(), sources);
    files.set('src/a.yaml', enc.encode('BAD'));
    const result = await check(io, ctx(), sources);
    expect(result.ok).toBe(false);
    // Its old files are neither stale nor extra: what build would write is unknown.
    expect(result.drift).toEqual([]);
    expect(result.failures.map((f) => f.file)).toEqual(['src/a.yaml']);
  });
});
