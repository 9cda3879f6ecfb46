/**
 * Text runs (pdf/engine.ts hook 20, pdf/text-run.ts): a page's consecutive words in one text
 * object. The pages draw the same glyphs at the same places with the same state as one text
 * object per word (pdfkit's way, the runs off), pdf.js reads the same text back, and the content
 * streams carry no per-word bloat: no text state repeated inside a text object, a few operators a
 * word, no text object across marked content, no fill without a path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { textRuns } from '../src/render/pdf/engine.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { TextRun, type WordState } from '../src/render/pdf/text-run.js';
import { fontsOf, loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { loadFixture } from './pdf-fixtures.js';
import { readPdf, wordsOf } from './pdf-read.js';
import { inflatedStreams } from './pdf-streams.js';
import { readStructure } from './pdf-structure-read.js';

const resources = loadResources();

/** The features fixture with a stack of marks the font offsets (GPOS mark to mark). */
function withMarks(): UnDocument {
  const text = readFileSync(join(PACKAGE_ROOT, 'test/fixtures/valid/features.yaml'), 'utf8');
  const marked = text.replace('I have the honour', 'I have the Cafe\u0301 e\u0300\u0301 honour');
  const { model } = loadSource(marked, 'marks');
  if (!model) throw new Error('features with marks: not valid');
  return model;
}

function arabicLetter(): UnDocument {
  const file = 'test/fixtures/scripts/ar-letter.yaml';
  const { model } = loadSource(
    readFileSync(join(PACKAGE_ROOT, file)),
    'ar',
    file,
    fontsOf(resources),
  );
  if (!model) throw new Error(`${file}: not valid`);
  return model;
}

const DOCUMENTS: Readonly<Record<string, () => UnDocument>> = {
  draft: () => loadFixture('draft'),
  features: () => loadFixture('features'),
  geneva: () => loadFixture('geneva'),
  marks: withMarks,
  arabic: arabicLetter,
};

async function render(doc: UnDocument, runs: boolean): Promise<Uint8Array> {
  textRuns.enabled = runs;
  try {
    return await renderPdf(doc, resources.styles[doc.style], resources);
  } finally {
    textRuns.enabled = true;
  }
}

/** The decoded content streams of a PDF that draw text (its pages'). */
function pageStreams(pdf: Uint8Array): string[] {
  return inflatedStreams(pdf).filter((text) => /^BT$/mu.test(text));
}

/** The operator of each content-stream line (pdfkit and the runs write one operator a line). */
function operators(stream: string): string[] {
  // A dictionary operand spans lines (`/P <<\n/MCID 0\n>> BDC`): join it first.
  const joined = stream.replace(/<<[\s\S]*?>>/gu, '<<>>');
  return joined
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.slice(l.lastIndexOf(' ') + 1));
}

const PATH = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
const PAINT = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
const TEXT_STATE = new Set(['Tf', 'Tc', 'Tz']);

describe('text runs (hook 20)', () => {
  const drawn = new Map<string, { on: Uint8Array; off: Uint8Array }>();

  beforeAll(async () => {
    for (const [name, make] of Object.entries(DOCUMENTS)) {
      const doc = make();
      // A process's first Arabic render draws its brackets otherwise than later ones (the bidi
      // hook's state, runs on or off): both compared renders come after one.
      await render(doc, true);
      drawn.set(name, { on: await render(doc, true), off: await render(doc, false) });
    }
  });

  afterEach(() => {
    textRuns.enabled = true;
  });

  for (const name of Object.keys(DOCUMENTS)) {
    it(`draws what one text object a word draws: ${name}`, async () => {
      const { on, off } = drawn.get(name) ?? { on: new Uint8Array(), off: new Uint8Array() };
      const [a, b] = [await readStructure(on), await readStructure(off)];
      expect(a.pages.length).toBe(b.pages.length);
      a.pages.forEach((page, i) => {
        const there = b.pages[i]?.drawn ?? [];
        expect(page.drawn.map((d) => d.key)).toEqual(there.map((d) => d.key));
        page.drawn.forEach((d, k) => {
          const numbers = there[k]?.numbers ?? [];
          expect(d.numbers.length).toBe(numbers.length);
          const off = d.numbers.findIndex(
            (n, j) => Math.abs(n - (numbers[j] ?? Number.NaN)) > 1e-3,
          );
          expect(off, `page ${i + 1}: ${d.key.slice(0, 60)}`).toBe(-1);
        });
      });
      const [ra, rb] = [await readPdf(on), await readPdf(off)];
      expect(ra.pages.map((p) => wordsOf(p.lines))).toEqual(rb.pages.map((p) => wordsOf(p.lines)));
      // The pages' operators shrink (the seed's to 36 %; a short letter's page 1 is mostly emblem).
      const size = (pdf: Uint8Array) => pageStreams(pdf).reduce((n, t) => n + t.length, 0);
      expect(size(on)).toBeLessThan(size(off) * 0.8);
    });

    it(`writes no per-word bloat: ${name}`, () => {
      const { on, off } = drawn.get(name) ?? { on: new Uint8Array(), off: new Uint8Array() };
      const textOps = (pdf: Uint8Array, runs: boolean) => {
        let words = 0;
        let ops = 0;
        for (const stream of pageStreams(pdf)) {
          const list = operators(stream);
          let inText = false;
          let path = false;
          let state = new Map<string, string>();
          for (const [i, op] of list.entries()) {
            if (op === 'BT') {
              expect(inText).toBe(false);
              // pdfkit's text space: the page flipped back, inside a q…Q of its own.
              expect(list.slice(i - 2, i)).toEqual(['q', 'cm']);
              inText = true;
              state = new Map();
              ops += 3;
            } else if (op === 'ET') {
              inText = false;
              expect(list[i + 1]).toBe('Q');
              ops += 2;
            } else if (inText) {
              // Marked content never starts or ends inside a text object (ISO 32000-1, 14.6).
              expect(['BDC', 'BMC', 'EMC']).not.toContain(op);
              ops++;
              if (op === 'Tj' || op === 'TJ') words++;
            }
            // A fill paints a path: never one that nothing was constructed for.
            if (op === 'f' && runs) expect(path, `f with no path, operator ${i}`).toBe(true);
            if (PATH.has(op)) path = true;
            else if (PAINT.has(op)) path = false;
          }
          // Inside a text object, a text state is written only when it changes.
          inText = false;
          for (const line of stream.split('\n')) {
            const op = line.slice(line.lastIndexOf(' ') + 1);
            if (op === 'BT') {
              inText = true;
              state = new Map();
            } else if (op === 'ET') inText = false;
            else if (inText && runs && TEXT_STATE.has(op)) {
              expect(state.get(op), `${line} written again`).not.toBe(line);
              state.set(op, line);
            }
          }
        }
        return { words, ops };
      };
      const runs = textOps(on, true);
      expect(runs.words).toBeGreaterThan(50);
      // One text object a word is ~9 text operators (q, cm, BT, Tm, Tf, Tc, Tz, TJ, ET, Q); in a run
      // a word is its place and its glyphs (a word whose glyphs the font offsets, more).
      expect(runs.ops / runs.words, `${runs.ops} for ${runs.words} words`).toBeLessThan(
        name === 'draft' ? 2.5 : 3.5,
      );
      const single = textOps(off, false);
      expect(single.words).toBe(runs.words);
      expect(single.ops / single.words).toBeGreaterThan(7);
    });
  }
});

describe('TextRun', () => {
  const state: WordState = { height: 792, font: '/F1 10 Tf', spacing: '0.2', scaling: '102.13' };
  const plain: WordState = { ...state, spacing: '0', scaling: '100' };

  /** Writes as the engine does: each chunk after what the run asks to write before it. */
  function stream() {
    const run = new TextRun();
    const lines: string[] = [];
    const write = (chunk: string) => {
      const before = run.beforeWrite(chunk);
      if (before !== '') lines.push(...before.split('\n'));
      lines.push(...chunk.split('\n'));
    };
    const word = (s: WordState, x: number, y: number, glyphs = '<0001> Tj', own = false) =>
      write(run.word(s, x, y, glyphs, own));
    return { run, lines, write, word };
  }

  it('writes consecutive words in one text object, each placed from the one before', () => {
    const { run, lines, word } = stream();
    word(state, 72, 700);
    word(state, 100.5, 700);
    word(state, 72, 686.5);
    expect(run.end()).toBe('ET\nQ');
    expect(lines).toEqual([
      'q',
      '1 0 0 -1 0 792 cm',
      'BT',
      '1 0 0 1 72 700 Tm',
      '/F1 10 Tf',
      '0.2 Tc',
      '102.13 Tz',
      '<0001> Tj',
      '28.5 0 Td',
      '<0001> Tj',
      '-28.5 -13.5 Td',
      '<0001> Tj',
    ]);
  });

  it('writes a text state that changes back to what a text object starts with', () => {
    const { lines, word } = stream();
    word(state, 72, 700);
    word(plain, 80, 700);
    expect(lines.slice(-4)).toEqual(['8 0 Td', '0 Tc', '100 Tz', '<0001> Tj']);
  });

  it('places the word after one with glyph matrices of its own with Tm', () => {
    const { lines, word } = stream();
    word(state, 72, 700, '[<0001>] TJ\n1 0 0 1 75 702 Tm\n[<0002>] TJ', true);
    word(state, 90, 700);
    expect(lines.slice(-2)).toEqual(['1 0 0 1 90 700 Tm', '<0001> Tj']);
  });

  it('holds the state set before a word back, and writes it once while it stays', () => {
    const { run, lines, word } = stream();
    for (const x of [72, 90]) {
      run.hold('gs', '/Gs1 gs');
      run.hold('fill', '/DeviceRGB cs\n0 0 0 scn');
      word(plain, x, 700);
    }
    expect(lines.slice(0, 4)).toEqual(['/Gs1 gs', '/DeviceRGB cs', '0 0 0 scn', 'q']);
    expect(lines.filter((l) => l.endsWith(' gs') || l.endsWith(' scn'))).toHaveLength(2);
    expect(lines.filter((l) => l === 'BT')).toHaveLength(1);
  });

  it('closes the text object before marked content, keeping the state it knows', () => {
    const { run, lines, write, word } = stream();
    run.hold('gs', '/Gs1 gs');
    word(plain, 72, 700);
    write('EMC');
    write('/P <<\n/MCID 1\n>> BDC');
    run.hold('gs', '/Gs1 gs');
    word(plain, 90, 700);
    expect(lines.slice(lines.indexOf('Q') - 1)).toEqual([
      'ET',
      'Q',
      'EMC',
      '/P <<',
      '/MCID 1',
      '>> BDC',
      'q',
      '1 0 0 -1 0 792 cm',
      'BT',
      '1 0 0 1 90 700 Tm',
      '/F1 10 Tf',
      '<0001> Tj',
    ]);
  });

  it('writes held state before anything else, and forgets what it knew after it', () => {
    const { run, lines, write, word } = stream();
    run.hold('fill', '/DeviceRGB cs\n1 0 0 scn');
    word(plain, 72, 700);
    run.hold('fill', '/DeviceRGB cs\n1 0 0 scn');
    write('0 0 m\n10 0 l\nS');
    run.hold('fill', '/DeviceRGB cs\n1 0 0 scn');
    word(plain, 90, 700);
    const rule = lines.indexOf('0 0 m');
    expect(lines.slice(rule - 2, rule)).toEqual(['ET', 'Q']);
    // The rule was stroked in whatever colour the page had: the word's is set again after it.
    expect(lines.slice(rule + 3, rule + 6)).toEqual(['/DeviceRGB cs', '1 0 0 scn', 'q']);
  });

  it('knows when a path waits to be painted', () => {
    const { run, write } = stream();
    write('0 0 10 10 re');
    expect(run.pathOpen).toBe(true);
    // pdfkit's fillColor() between a path and its fill (a bar of a code).
    write('/DeviceRGB cs\n0 0 0 scn');
    expect(run.pathOpen).toBe(true);
    write('W n');
    expect(run.pathOpen).toBe(false);
    write('0 0 m\n10 0 l');
    write('W');
    expect(run.pathOpen).toBe(true);
    write('f');
    expect(run.pathOpen).toBe(false);
  });
});
