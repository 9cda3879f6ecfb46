/**
 * The pinned and guarded PDF engine (src/render/pdf/engine.ts, engine-check.ts): the pins agree
 * with package.json and its lockfile, `PATCHES` is exactly what the hooks replace, a version or a
 * member that differs gives its one line, the canary catches a hook that no longer works, and the
 * real command fails with that one line and exit 6.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import {
  ENGINE_VERSIONS,
  fieldProblem,
  layoutHooksInstalled,
  PATCHES,
  type PatchedClass,
  type Prototype,
  reach,
} from '../src/render/pdf/engine.js';
import {
  canaryProblem,
  type EngineProbe,
  engineProblem,
  installedEngine,
  libraryProblem,
} from '../src/render/pdf/engine-check.js';
import { preparePdfFonts } from '../src/render/pdf/fonts.js';
import type { TextKit } from '../src/render/pdf/text.js';
import { loadResources } from '../src/resources.js';
import { type PrivateCli, privateCli, ROOT } from './private-cli.js';

const resources = loadResources();
const font = resources.fonts.regular;
const OWNERS = [...new Set(PATCHES.map((p) => p.owner))];

/** Each patched prototype's own and inherited functions, before the hooks are installed. */
function functionsOf(proto: Prototype): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (let o: object | null = proto; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (out.has(name)) continue;
      const d = Object.getOwnPropertyDescriptor(o, name);
      if (typeof d?.value === 'function') out.set(name, d.value);
    }
  }
  return out;
}

// Taken before anything in this process renders a PDF (vitest runs each file in its own process).
const installedBefore = layoutHooksInstalled();
const before = new Map<PatchedClass, Map<string, unknown>>();
for (const owner of OWNERS) {
  const proto = reach(owner, font);
  if (proto) before.set(owner, functionsOf(proto));
}

const { family, metrics } = preparePdfFonts(resources, resources.styles.ny.font.family);
const kit: TextKit = { style: resources.styles.ny, metrics };

describe('the pins', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    overrides: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };

  it('package.json asks for exactly the versions the hooks were written against', () => {
    expect(pkg.dependencies.pdfmake).toBe(ENGINE_VERSIONS.pdfmake);
    expect(pkg.dependencies.fontkit).toBe(ENGINE_VERSIONS.fontkit);
    expect(pkg.overrides.pdfkit).toBe(ENGINE_VERSIONS.pdfkit);
    expect(pkg.overrides.fontkit).toBe(ENGINE_VERSIONS.fontkit);
  });

  it('the lockfile installs them, and nowhere another copy', () => {
    for (const [library, version] of Object.entries(ENGINE_VERSIONS)) {
      const copies = Object.entries(lock.packages).filter(([path]) =>
        path.endsWith(`node_modules/${library}`),
      );
      expect(copies.map(([, p]) => p.version)).toEqual([version]);
    }
  });

  it('the installed libraries are those versions and have every patched member', () => {
    expect(libraryProblem(installedEngine(font))).toBeUndefined();
  });
});

describe('PATCHES', () => {
  it('is exactly the set of members the hooks replace', async () => {
    if (installedBefore) return expect.fail('the hooks were installed before this file started');
    expect(await engineProblem(kit, family, font)).toBeUndefined();
    const changed: string[] = [];
    for (const owner of OWNERS) {
      const proto = reach(owner, font);
      const old = before.get(owner);
      expect(proto, owner).toBeDefined();
      expect(old, owner).toBeDefined();
      if (!proto || !old) continue;
      const now = functionsOf(proto);
      for (const [name, fn] of now) if (old.get(name) !== fn) changed.push(`${owner}.${name}`);
    }
    expect(changed.sort()).toEqual(PATCHES.map((p) => `${p.owner}.${p.member}`).sort());
  });

  it('says why for each, and marks the layout hooks as features', () => {
    for (const p of PATCHES) expect(p.why.length).toBeGreaterThan(10);
    const features = PATCHES.filter((p) => p.kind === 'feature').map((p) => p.hook);
    expect([...new Set(features)].sort((a, b) => a - b)).toEqual([1, 2, 3, 14, 15]);
  });

  it('is listed in the README, member by member', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The PDF engine'));
    for (const p of PATCHES) {
      const row = section
        .split('\n')
        .find((l) => l.startsWith('| ') && l.includes(p.owner) && l.includes(`.${p.member}\``));
      expect(row, `${p.owner}.${p.member}`).toBeDefined();
      expect(row).toContain(`| ${p.hook} |`);
    }
  });
});

describe('the check, with stand-in libraries', () => {
  const real = installedEngine(font);
  const probe = (over: Partial<EngineProbe>): EngineProbe => ({ ...real, ...over });

  it('names a version other than the pinned one in one line', () => {
    const problem = libraryProblem(
      probe({ version: (l) => (l === 'pdfmake' ? '0.3.12' : real.version(l)) }),
    );
    expect(problem).toBe(
      "pdfmake 0.3.12 is not the version undoc's PDF engine was built for (0.3.11); " +
        "reinstall undoc's dependencies from its lockfile",
    );
  });

  it('names a library that is not installed', () => {
    const problem = libraryProblem(
      probe({ version: (l) => (l === 'fontkit' ? undefined : real.version(l)) }),
    );
    expect(problem).toMatch(/^fontkit is not installed; .*fontkit 2\.0\.4/);
  });

  it('names a patched member that a release renamed', () => {
    const renamed = (owner: PatchedClass): Prototype | undefined => {
      const proto = real.prototype(owner);
      if (owner !== 'ElementWriter' || proto === undefined) return proto;
      // As a patch release might: the same code under another name.
      const { addLine, ...rest } = functionsObject(proto);
      return { ...rest, addLineToPage: addLine };
    };
    expect(libraryProblem(probe({ prototype: renamed }))).toBe(
      "undoc's PDF engine patches pdfmake's ElementWriter.addLine (hook 2), which the installed " +
        "pdfmake 0.3.11 does not have; reinstall undoc's dependencies from its lockfile",
    );
  });

  it('names a class that moved', () => {
    const moved = (owner: PatchedClass) =>
      owner === 'PDFReference' ? undefined : real.prototype(owner);
    expect(libraryProblem(probe({ prototype: moved }))).toMatch(
      /patches pdfkit's PDFReference \(hook 7\), which the installed pdfkit 0\.19\.1 does not have/,
    );
  });
});

/** A prototype's functions as a plain object. */
function functionsObject(proto: Prototype): Record<string, unknown> {
  return Object.fromEntries(functionsOf(proto));
}

describe('the canary', () => {
  it('passes with the hooks as installed', async () => {
    expect(await engineProblem(kit, family, font)).toBeUndefined();
    expect(await canaryProblem(kit, family)).toBeUndefined();
  });

  /** Puts pdfmake's own member back for one canary run: the hook "no longer works". */
  async function without(owner: PatchedClass, member: string): Promise<string | undefined> {
    const proto = reach(owner, font);
    const original = before.get(owner)?.get(member);
    if (!proto || typeof original !== 'function') throw new Error(`no ${owner}.${member}`);
    const hooked = proto[member];
    proto[member] = original;
    try {
      return await canaryProblem(kit, family);
    } finally {
      proto[member] = hooked;
    }
  }

  it('finds footnotes out of place when the page limit is pdfmake’s again (hook 1)', async () => {
    expect(await without('DocumentContext', 'initializePage')).toMatch(/footnote|limit/);
  });

  it('finds the footnote call unrecorded and the widow left when lines go unseen (hook 2)', async () => {
    expect(await without('ElementWriter', 'addLine')).toMatch(/footnote call|widow|one line/);
  });

  it('finds a field the hooks read gone from its document (hooks 11, 13, 15, 16, 17, 20)', () => {
    const font = { unicode: [], widthOfString: () => 0, subset: { glyphs: [] } };
    const doc = {
      _root: { data: {} },
      version: 1.7,
      fontCache: { f: { normal: font } },
      _font: font,
      _fontSize: 10,
      _fillColor: ['black', undefined],
      page: { content: {} },
    };
    const svg = { _width: 8, _height: 8 };
    expect(fieldProblem(doc, [svg])).toBeUndefined();
    expect(fieldProblem({ ...doc, _textOptions: { continued: true } }, [svg])).toBeUndefined();
    const { _root, ...renamed } = doc;
    expect(fieldProblem({ ...renamed, _catalog: _root }, [svg])).toBe(
      "its document lacks pdfkit's PDFDocument._root (an object, read by hook 15)",
    );
    const { unicode, ...oldFont } = font;
    expect(
      fieldProblem({ ...doc, fontCache: { f: { normal: { ...oldFont, toUnicode: unicode } } } }, [
        svg,
      ]),
    ).toBe("its document lacks pdfkit's EmbeddedFont.unicode (an array, read by hook 16)");
    const { subset, ...unsubset } = font;
    expect(fieldProblem({ ...doc, fontCache: { f: { normal: unsubset } } }, [svg])).toBe(
      "its document lacks pdfkit's EmbeddedFont.subset (an object, read by hook 17)",
    );
    const { _fontSize, ...sizeless } = doc;
    expect(fieldProblem(sizeless, [svg])).toBe(
      "its document lacks pdfkit's PDFDocument._fontSize (a number, read by hook 11)",
    );
    expect(fieldProblem({ ...doc, _textOptions: 'continued' }, [svg])).toMatch(/_textOptions/);
    expect(fieldProblem(doc, [{ _width: 8 }])).toBe(
      "its document lacks pdfmake's SVGNode._height (a number, read by hook 13)",
    );
    expect(fieldProblem(doc, [])).toMatch(/SVGNode\._width/);
    expect(fieldProblem({ ...doc, page: { contents: {} } }, [svg])).toBe(
      "its document lacks pdfkit's PDFPage.content (an object, read by hook 20)",
    );
  });

  it('finds a hyphen stretched when justification is pdfmake’s again (hook 3)', async () => {
    expect(await without('ElementWriter', 'alignLine')).toBe(
      'justification stretched a gap that is not a space (after a hyphen or before a comma)',
    );
  });
});

describe('the command, with a renamed pdfmake member or another version', () => {
  let cli: PrivateCli;
  const bundle = () => join(cli.pkg, 'dist/undoc-main.cjs');
  /** The bundle with `from` replaced once by `to` (pdfmake's code is inlined in it). */
  const edit = (from: string, to: string) => {
    const text = readFileSync(bundle(), 'utf8');
    expect(text.split(from).length - 1, from).toBe(1);
    writeFileSync(bundle(), text.replace(from, to));
  };

  beforeAll(() => {
    cli = privateCli();
    // V8 would take a code cache made for another source text of the same length.
    rmSync(join(cli.pkg, 'dist/undoc-main.cache'), { force: true });
  });
  afterAll(() => cli.dispose());

  const build = async () => {
    const out = join(cli.pkg, 'o');
    const run = await cli.run(['build', join(ROOT, 'source/A-61-seed.yaml'), '--out', out], {
      cwd: cli.pkg,
    });
    return { run, out };
  };

  it('a renamed member: exit 6, one line, no document written', async () => {
    edit('initializePage(){', 'initializePageInPlace(){');
    const { run, out } = await build();
    expect(run.code).toBe(EXIT.engine);
    expect(run.stderr).toBe(
      "undoc: undoc's PDF engine patches pdfmake's DocumentContext.initializePage (hook 1), which " +
        "the installed pdfmake 0.3.11 does not have; reinstall undoc's dependencies from its lockfile\n",
    );
    expect(() => readFileSync(join(out, 'A-61-seed.pdf'))).toThrow();
    edit('initializePageInPlace(){', 'initializePage(){');
  });

  it('--version with a renamed member: the version, then exit 6 and the one line', async () => {
    edit('initializePage(){', 'initializePageInPlace(){');
    const run = await cli.run(['--version'], { cwd: cli.pkg });
    edit('initializePageInPlace(){', 'initializePage(){');
    expect(run.code).toBe(EXIT.engine);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run.stderr).toBe(
      "undoc: undoc's PDF engine patches pdfmake's DocumentContext.initializePage (hook 1), which " +
        "the installed pdfmake 0.3.11 does not have; reinstall undoc's dependencies from its lockfile\n",
    );
  });

  it('--version with another version: exit 6 and the version line', async () => {
    edit('name:"pdfmake",version:"0.3.11"', 'name:"pdfmake",version:"0.3.12"');
    const run = await cli.run(['--version'], { cwd: cli.pkg });
    edit('name:"pdfmake",version:"0.3.12"', 'name:"pdfmake",version:"0.3.11"');
    expect(run.code).toBe(EXIT.engine);
    expect(run.stderr).toBe(
      "undoc: pdfmake 0.3.12 is not the version undoc's PDF engine was built for (0.3.11); " +
        "reinstall undoc's dependencies from its lockfile\n",
    );
  });

  it('another version: exit 6 and the version line', async () => {
    edit('name:"pdfmake",version:"0.3.11"', 'name:"pdfmake",version:"0.3.12"');
    const { run } = await build();
    expect(run.code).toBe(EXIT.engine);
    expect(run.stderr).toBe(
      "undoc: pdfmake 0.3.12 is not the version undoc's PDF engine was built for (0.3.11); " +
        "reinstall undoc's dependencies from its lockfile\n",
    );
    edit('name:"pdfmake",version:"0.3.12"', 'name:"pdfmake",version:"0.3.11"');
  });

  it('an HTML-only build does not need the PDF engine', async () => {
    edit('name:"pdfmake",version:"0.3.11"', 'name:"pdfmake",version:"0.3.12"');
    const out = join(cli.pkg, 'h');
    const run = await cli.run(
      ['build', join(ROOT, 'source/A-61-seed.yaml'), '--out', out, '--format', 'html'],
      { cwd: cli.pkg },
    );
    expect(run.code).toBe(EXIT.ok);
    expect(readFileSync(join(out, 'A-61-seed.html'), 'utf8')).toContain('<html');
    edit('name:"pdfmake",version:"0.3.12"', 'name:"pdfmake",version:"0.3.11"');
  });
});
