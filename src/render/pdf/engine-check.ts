/**
 * The PDF engine's start-up check (house style, "Other people's internals"): before the first PDF
 * of a process, the installed pdfmake, pdfkit and fontkit must be the exact versions the hooks of
 * pdf/engine.ts were written against, every member they patch must exist, and a canary layout
 * must behave: its footnote on the page that calls it, below the text; a page's body stopping at
 * its own limit; a widow moved over; justification that stretches only spaces; the fields the
 * hooks read (`FIELDS`) on its document; a PDF at the end.
 * Anything else fails the command with one line (`EngineMismatch`) instead of a PDF with its
 * footnotes silently gone.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EngineMismatch } from '../types.js';
import {
  CALLED,
  ENGINE_VERSIONS,
  type EngineLibrary,
  FlowProbe,
  fieldProblem,
  installLayoutHooks,
  layoutWithCharacters,
  PATCHES,
  type PatchedClass,
  PdfLayout,
  type Prototype,
  parseFont,
  reach,
} from './engine.js';
import { lineHeight, type TextKit } from './text.js';

/** Where to find what the check reads: the real libraries, or a test's stand-ins. */
export interface EngineProbe {
  /** The installed version of a library, or undefined when it cannot be read. */
  readonly version: (library: EngineLibrary) => string | undefined;
  /** The prototype a hook patches, or undefined when the library no longer has it there. */
  readonly prototype: (owner: PatchedClass) => Prototype | undefined;
}

/** package.json's version of the copy of `library` that `require` loads. */
function installedVersion(library: EngineLibrary): string | undefined {
  // Literal specifiers, so that the bundle carries the versions of the code it bundles
  // (scripts/build.ts resolves fontkit's, which its `exports` hide from Node).
  const require = createRequire(import.meta.url);
  const read = (): unknown => {
    switch (library) {
      case 'pdfmake':
        return require('pdfmake/package.json');
      case 'pdfkit':
        return require('pdfkit/package.json');
      case 'fontkit':
        return require('fontkit/package.json');
    }
  };
  try {
    const pkg = read() as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    // Node refuses fontkit/package.json (not in its `exports`): the file beside its entry point,
    // required by its path (the bundle carries it under the literal name above).
    try {
      let dir = dirname(require.resolve(library));
      for (let up = 0; up < 4; up++, dir = dirname(dir)) {
        let pkg: { name?: unknown; version?: unknown };
        try {
          pkg = require(join(dir, 'package.json')) as typeof pkg;
        } catch {
          continue;
        }
        if (pkg.name === library && typeof pkg.version === 'string') return pkg.version;
      }
    } catch {
      // Not installed at all: reported as such.
    }
    return undefined;
  }
}

/** The real libraries; `fontFile` is a TrueType file to reach fontkit's glyph class through. */
export function installedEngine(fontFile: Buffer): EngineProbe {
  return { version: installedVersion, prototype: (owner) => reach(owner, fontFile) };
}

/**
 * What is wrong with the libraries before any hook is installed: a version other than the pinned
 * one, or a patched member that is gone. One line, or undefined when all is as built for.
 */
export function libraryProblem(probe: EngineProbe): string | undefined {
  for (const [library, pinned] of Object.entries(ENGINE_VERSIONS) as [EngineLibrary, string][]) {
    const installed = probe.version(library);
    if (installed === undefined) {
      return `${library} is not installed; undoc's PDF engine was built for ${library} ${pinned} (reinstall undoc's dependencies)`;
    }
    if (installed !== pinned) {
      return `${library} ${installed} is not the version undoc's PDF engine was built for (${pinned}); reinstall undoc's dependencies from its lockfile`;
    }
  }
  const seen = new Map<PatchedClass, Prototype | undefined>();
  for (const p of [...PATCHES, ...CALLED]) {
    if (!seen.has(p.owner)) seen.set(p.owner, probe.prototype(p.owner));
    const proto = seen.get(p.owner);
    if (typeof proto?.[p.member] !== 'function') {
      const what = proto === undefined ? p.owner : `${p.owner}.${p.member}`;
      return `undoc's PDF engine patches ${p.library}'s ${what} (hook ${p.hook}), which the installed ${p.library} ${probe.version(p.library)} does not have; reinstall undoc's dependencies from its lockfile`;
    }
  }
  return undefined;
}

/** A laid-out line as pdfmake keeps it on a page. */
interface PageLine {
  readonly x: number;
  readonly y: number;
  readonly inlines: readonly {
    readonly text: string;
    readonly x: number;
    readonly width: number;
    /** Width of the trailing space, which ends no line. */
    readonly trailingCut?: number;
    readonly undocPara?: string;
    readonly undocNote?: string;
  }[];
  getHeight(): number;
  getWidth(): number;
}

/** The lines of each laid-out page (1-based page = index + 1). */
function linesOf(pages: readonly object[]): PageLine[][] {
  return pages.map((page) => {
    const items = (page as { items?: readonly { type?: string; item?: unknown }[] }).items ?? [];
    return items.filter((i) => i.type === 'line').map((i) => i.item as PageLine);
  });
}

/** Words of the canary's justified paragraph: a compound and a styled neighbour on every line. */
const JUSTIFIED_RUN = [
  { text: 'The ' },
  { text: 'well-' },
  { text: 'known ' },
  { text: 'Charter', italics: true },
  { text: ', as ' },
];

/** The canary's picture (the emblem and the codes are SVGs). */
const CANARY_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>';

/** The canary's footnote text. */
const NOTE = 'The note';

/** How many lines page 1 of the canary holds (a three-line paragraph then leaves a widow). */
const PAGE_ONE_LINES = 3;

/** Slack when comparing positions (pt). */
const EPSILON = 0.01;

/**
 * Lays out a small document with the hooks installed, in two passes as the renderer does, and
 * returns what it did wrong (undefined when nothing). `family`: the registered body font.
 */
export async function canaryProblem(kit: TextKit, family: string): Promise<string | undefined> {
  const { style } = kit;
  const leading = style.font.leading;
  const top = style.page.top;
  const limitOne = top + PAGE_ONE_LINES * leading + EPSILON;
  const limit = (page: number) => (page === 1 ? limitOne : style.page.height - style.page.bottom);
  const para = (id: string, parts: readonly object[]) => ({
    text: parts.map((p) => ({ ...p, undocPara: id })),
    alignment: 'justify',
  });
  const justified: object[] = [];
  for (let i = 0; i < 12; i++) justified.push(...JUSTIFIED_RUN);
  const pageMargins = {
    left: style.body.left,
    top,
    right: style.page.width - style.body.right,
    bottom: style.page.height,
  };
  let notePage = 0;
  const layout = new PdfLayout({
    pageSize: { width: style.page.width, height: style.page.height },
    pageMargins,
    compress: false,
    content: [
      para('call', [{ text: 'A call ' }, { text: 'here', undocNote: 'n' }]),
      para('widow', [{ text: 'one\ntwo\nthree' }]),
      para('justified', justified),
    ],
    // The note at the foot of the page that calls it, as the furniture places notes; an SVG at
    // the foot of the others, whose laid-out size the tagged drawing reads (`FIELDS`).
    footer: (page: number) =>
      page === notePage
        ? { absolutePosition: { x: style.body.left, y: limitOne }, text: NOTE }
        : { absolutePosition: { x: style.body.left, y: limitOne }, svg: CANARY_SVG, width: 8 },
    defaultStyle: {
      font: family,
      fontSize: style.font.size,
      lineHeight: lineHeight(kit, style.font.size, leading),
    },
  });
  const first = new FlowProbe(limit);
  await layout.run(first);
  notePage = first.notePages.get('n') ?? 0;
  const second = new FlowProbe(limit, first.paragraphLineCounts());
  await layout.run(second);
  const pages = linesOf(layout.laidPages() ?? []);
  const bytes = await layout.bytes();

  const bodyOn = (page: number) =>
    (pages[page - 1] ?? []).filter((l) => l.inlines[0]?.undocPara !== undefined);
  const pageOf = (test: (l: PageLine) => boolean) =>
    pages.findIndex((lines) => lines.some(test)) + 1;
  const callPage = pageOf((l) => l.inlines.some((i) => i.undocNote === 'n'));
  if (callPage !== 1 || second.notePages.get('n') !== 1)
    return 'the footnote call was not recorded on page 1, where it was laid out';
  if (bodyOn(1).some((l) => l.y + l.getHeight() > limitOne + EPSILON))
    return "page 1's body ran past its own limit (the room kept for its footnotes)";
  const note = pages[0]?.find((l) => l.inlines.map((i) => i.text).join('') === NOTE);
  const textBottom = Math.max(...bodyOn(1).map((l) => l.y + l.getHeight()));
  if (note === undefined || pageOf((l) => l === note) !== 1 || note.y + EPSILON < textBottom)
    return 'the footnote was not placed below the text of the page that calls it';
  const widow = pages.map((lines) => lines.filter((l) => l.inlines[0]?.undocPara === 'widow'));
  if (widow[0]?.length !== 0 || widow[1]?.length !== 3)
    return 'a paragraph that would leave one line behind was not moved to the next page';
  const line = pages[1]?.find((l) => l.inlines[0]?.undocPara === 'justified');
  if (line === undefined) return 'the justified paragraph was not laid out';
  const last = line.inlines[line.inlines.length - 1];
  const right = style.body.right;
  const end = last === undefined ? 0 : line.x + last.x + last.width - (last.trailingCut ?? 0);
  if (Math.abs(end - right) > EPSILON) return 'a justified line does not end at the right margin';
  for (let i = 1; i < line.inlines.length; i++) {
    const before = line.inlines[i - 1];
    const after = line.inlines[i];
    if (before === undefined || after === undefined || /\s$/u.test(before.text)) continue;
    if (Math.abs(before.x + before.width - after.x) > EPSILON)
      return 'justification stretched a gap that is not a space (after a hyphen or before a comma)';
  }
  const document = layout.document();
  const svgs = (layout.laidPages() ?? []).flatMap((page) =>
    ((page as { items?: readonly { type?: string; item?: object }[] }).items ?? []).flatMap((i) =>
      i.type === 'svg' && i.item !== undefined ? [i.item] : [],
    ),
  );
  const fields = document === undefined ? 'pdfmake made no document' : fieldProblem(document, svgs);
  if (fields !== undefined) return fields;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 5));
  const tail = new TextDecoder('latin1').decode(bytes.subarray(-7)).trim();
  if (head !== '%PDF-' || tail !== '%%EOF') return 'the canary document did not end as a PDF';
  return undefined;
}

/**
 * Hook 17's check: fontkit, shaping "a b" then "a\u00a0b" with `fontFile` (Tinos draws the space
 * and the no-break space with one glyph), gives each glyph the characters of its own request, as
 * the text layer needs them. Returns what went wrong, or undefined.
 */
export function shapingProblem(fontFile: Buffer): string | undefined {
  const font = parseFont(fontFile);
  if ('fonts' in font) return 'the body font is a collection, not a TrueType font';
  const shaping = font as unknown as Parameters<typeof layoutWithCharacters>[0];
  const layout = shaping.layout.bind(shaping);
  for (const space of [0x20, 0xa0]) {
    const run = layoutWithCharacters(shaping, layout, `a${String.fromCodePoint(space)}b`);
    const codes = run.glyphs.map((g) => g.codePoints.join(' '));
    if (codes.join('|') !== `97|${space}|98`)
      return `a shaped glyph does not carry the characters it was shaped from (${codes.join('|')})`;
  }
  return undefined;
}

/**
 * Checks the engine: versions and patched members (through `probe`), then installs the hooks and
 * lays out the canary. One line when the engine is not what undoc was built for, else undefined.
 */
export async function engineProblem(
  kit: TextKit,
  family: string,
  fontFile: Buffer,
  probe: EngineProbe = installedEngine(fontFile),
): Promise<string | undefined> {
  const problem = libraryProblem(probe);
  if (problem !== undefined) return problem;
  installLayoutHooks(fontFile);
  const failed = await Promise.resolve()
    .then(() => shapingProblem(fontFile) ?? canaryProblem(kit, family))
    .catch((e: unknown) => `it threw: ${e instanceof Error ? e.message : String(e)}`);
  if (failed === undefined) return undefined;
  const versions = Object.entries(ENGINE_VERSIONS)
    .map(([l, v]) => `${l} ${v}`)
    .join(', ');
  return `undoc's PDF engine failed its canary layout (${versions}): ${failed}`;
}

/**
 * What `undoc --version` says of the engine: the pinned versions and the members the hooks patch
 * and call (no canary layout), as one line; `ok` false when the libraries are not as built for.
 */
export function engineStatus(fontFile: Buffer): { readonly ok: boolean; readonly line: string } {
  const problem = libraryProblem(installedEngine(fontFile));
  if (problem !== undefined) return { ok: false, line: problem };
  const versions = Object.entries(ENGINE_VERSIONS)
    .map(([l, v]) => `${l} ${v}`)
    .join(', ');
  return {
    ok: true,
    line: `PDF engine: ${versions}, as built for (${PATCHES.length} patched and ${CALLED.length} called members present)`,
  };
}

/** The verdict of this process's check, once made. */
let verdict: Promise<string | undefined> | undefined;

/**
 * Checks the installed engine once per process and throws `EngineMismatch` with its one line when
 * it is not what undoc was built for.
 */
export async function assertEngine(kit: TextKit, family: string, fontFile: Buffer): Promise<void> {
  verdict ??= engineProblem(kit, family, fontFile);
  const problem = await verdict;
  if (problem !== undefined) throw new EngineMismatch(problem);
}
