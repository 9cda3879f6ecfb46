/**
 * The watch loop over an in-memory file system whose folder events the test fires: a source
 * change rebuilds that document only, a template change rebuilds all with a fresh context, a
 * broken source is reported and the watch goes on. The spawned `undoc watch` is in
 * build-cli.test.ts.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PoolJob } from '../src/build/pool.js';
import type { RenderResult } from '../src/build/render-job.js';
import type { BuildIo, SourceFile } from '../src/build/run.js';
import { startWatch, type WatchContext, type WatchIo } from '../src/build/watch.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function harness(
  after?: (all: readonly SourceFile[], failed: ReadonlySet<string>) => void,
  warmUpRenders = 0,
) {
  const files = new Map<string, Uint8Array>();
  const listeners = new Map<string, (file: string | undefined) => void>();
  const io: WatchIo & BuildIo = {
    readFile: async (p) => {
      const b = files.get(p);
      if (!b) throw new Error(`ENOENT ${p}`);
      return b;
    },
    listDir: async () => undefined,
    writeFileAtomic: async (p, b) => {
      files.set(p, typeof b === 'string' ? enc.encode(b) : b);
    },
    mkdirp: async () => {},
    now: () => 0,
    watchDir: (dir, on) => {
      listeners.set(dir, on);
      return () => listeners.delete(dir);
    },
  };
  const rendered: string[] = [];
  /** The document count each backend was opened for. */
  const opened: number[] = [];
  let contexts = 0;
  let closedContexts = 0;
  const backendOf = (generation: number) => ({
    threads: 1,
    close: async () => {},
    render: async (job: PoolJob): Promise<RenderResult> => {
      rendered.push(job.name);
      const text = typeof job.text === 'string' ? job.text : dec.decode(job.text);
      if (text.includes('BAD')) {
        return {
          id: 0,
          ok: false,
          problems: [
            {
              code: 'yaml-syntax',
              severity: 'error',
              file: job.file,
              message: 'bad',
              line: 2,
              col: 3,
            },
          ],
        };
      }
      const bytes = enc.encode(`${generation}:${text}`);
      return {
        id: 0,
        ok: true,
        outputs: job.formats.map((format) => ({ format, bytes })),
        warnings: [],
        index: {
          symbol: 'draft',
          title: job.name,
          date: { iso: '2007-04-04', text: '4 April 2007' },
          organs: ['General Assembly'],
        },
      };
    },
  });
  const context = async (): Promise<WatchContext> => {
    contexts += 1;
    const generation = contexts;
    return {
      engine: 'e',
      templates: [{ path: 'ny.yaml', bytes: enc.encode(`gen ${generation}`) }],
      open: (count) => {
        opened.push(count);
        return backendOf(generation);
      },
      close: async () => {
        closedContexts += 1;
      },
    };
  };

  files.set('src/a.yaml', enc.encode('style: ny\na\n'));
  files.set('src/b.yaml', enc.encode('style: ny\nb\n'));
  const discover = async (): Promise<SourceFile[]> =>
    [...files.keys()]
      .filter((p) => p.startsWith('src/'))
      .map((p) => ({ path: p, name: p.slice(4, -5) }));
  let log = '';
  const watcher = startWatch(io, {
    paths: ['src'],
    discover,
    templatesDir: 'templates',
    outDir: 'out',
    formats: ['html'],
    context,
    out: { write: (s) => (log += s), isTTY: false },
    debounceMs: 10,
    warmUpRenders,
    ...(after ? { afterBuild: async (all, failed) => after(all, failed) } : {}),
  });
  const fire = (dir: string, file: string) => listeners.get(resolve(dir))?.(file);
  const settle = () => new Promise((r) => setTimeout(r, 60));
  return {
    files,
    rendered,
    opened,
    watcher,
    fire,
    settle,
    log: () => log,
    counts: () => ({ contexts, closedContexts }),
  };
}

describe('watch', () => {
  it('warms the one-document backend before watching: the first source rendered N times', async () => {
    const h = harness(undefined, 3);
    await h.watcher.ready;
    // The first build (a and b), then three renders of the first source through open(1).
    expect(h.rendered).toEqual(['a', 'b', 'a', 'a', 'a']);
    expect(h.opened).toEqual([2, 1]);
    h.rendered.length = 0;
    h.files.set('src/a.yaml', enc.encode('style: ny\na2\n'));
    h.fire('src', 'a.yaml');
    await h.settle();
    // A saved source is one document: the backend for one (in the CLI, the warm main thread).
    expect(h.rendered).toEqual(['a']);
    expect(h.opened.at(-1)).toBe(1);
    await h.watcher.close();
  });

  it('builds once, then rebuilds only the changed source', async () => {
    const h = harness();
    await h.watcher.ready;
    expect(h.rendered.sort()).toEqual(['a', 'b']);
    h.rendered.length = 0;
    h.files.set('src/b.yaml', enc.encode('style: ny\nb2\n'));
    // A burst of events (write, rename) makes one rebuild.
    h.fire('src', 'b.yaml');
    h.fire('src', 'b.yaml');
    h.fire('src', 'b.yaml.swp');
    await h.settle();
    expect(h.rendered).toEqual(['b']);
    expect(dec.decode(h.files.get('out/b.html'))).toBe('1:style: ny\nb2\n');
    await h.watcher.close();
  });

  it('rebuilds everything with a fresh context when a template changes', async () => {
    const h = harness();
    await h.watcher.ready;
    h.rendered.length = 0;
    h.fire('templates', 'ny.yaml');
    await h.settle();
    expect(h.rendered.sort()).toEqual(['a', 'b']);
    expect(h.log()).toContain('templates changed');
    expect(h.counts()).toEqual({ contexts: 2, closedContexts: 1 });
    expect(dec.decode(h.files.get('out/a.html'))).toMatch(/^2:/);
    await h.watcher.close();
    expect(h.counts().closedContexts).toBe(2);
  });

  it('reports a broken source with file:line:col and keeps watching', async () => {
    const h = harness();
    await h.watcher.ready;
    h.files.set('src/a.yaml', enc.encode('style: ny\nBAD\n'));
    h.fire('src', 'a.yaml');
    await h.settle();
    expect(h.log()).toContain('src/a.yaml:2:3: error yaml-syntax: bad');
    h.rendered.length = 0;
    h.files.set('src/a.yaml', enc.encode('style: ny\nfixed\n'));
    h.fire('src', 'a.yaml');
    await h.settle();
    expect(h.rendered).toEqual(['a']);
    expect(dec.decode(h.files.get('out/a.html'))).toBe('1:style: ny\nfixed\n');
    await h.watcher.close();
  });

  it('calls afterBuild with every watched source after each build', async () => {
    const calls: string[][] = [];
    const h = harness((all, failed) => {
      calls.push([...all.map((x) => x.name), ...[...failed].map((f) => `failed:${f}`)]);
    });
    await h.watcher.ready;
    h.files.set('src/b.yaml', enc.encode('style: ny\nBAD\n'));
    h.fire('src', 'b.yaml');
    await h.settle();
    expect(calls).toEqual([
      ['a', 'b'],
      ['a', 'b', 'failed:src/b.yaml'],
    ]);
    await h.watcher.close();
  });

  it('picks up a new source in a watched folder', async () => {
    const h = harness();
    await h.watcher.ready;
    h.rendered.length = 0;
    h.files.set('src/c.yaml', enc.encode('style: ny\nc\n'));
    h.fire('src', 'c.yaml');
    await h.settle();
    expect(h.rendered).toEqual(['c']);
    await h.watcher.close();
  });
});
