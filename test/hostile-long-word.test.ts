/**
 * One long unbroken word (issue 16, point 7): pdfmake broke it by measuring the rest of the word
 * again for every line, quadratic in its length (a 40 000-character word took minutes and
 * gigabytes). The work is bounded by counting the characters fontkit shapes — never by time —
 * and the word printed through the real command reads back whole, in order, inside the margins.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { LIMITS, loadSource } from '../src/load/index.js';
import { parseFont } from '../src/render/pdf/engine.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { graphemeBounds } from '../src/render/pdf/long-word.js';
import { loadFonts, loadResources } from '../src/resources.js';
import { readPdf } from './pdf-read.js';
import { type PrivateCli, privateCli, stackLines } from './private-cli.js';

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
    - WORD
`;

/** A word of `n` letters that pdfkit's shaping cache has not seen (each call differs). */
let salt = 0;
function word(n: number): string {
  salt++;
  let s = '';
  for (let i = 0; s.length < n; i++) s += String.fromCharCode(97 + ((i * 7 + salt * 13) % 26));
  return s;
}

/** Characters fontkit shapes while `run` renders (every measure and draw goes through layout). */
async function shapedCharacters(run: () => Promise<unknown>): Promise<number> {
  const font = parseFont(loadFonts().regular);
  const proto = Object.getPrototypeOf(font) as {
    layout(text: string, ...rest: unknown[]): unknown;
  };
  const layout = proto.layout;
  let shaped = 0;
  proto.layout = function (this: unknown, text: string, ...rest: unknown[]) {
    shaped += text.length;
    return layout.call(this, text, ...rest);
  };
  try {
    await run();
  } finally {
    proto.layout = layout;
  }
  return shaped;
}

async function renderWord(n: number): Promise<void> {
  const resources = loadResources();
  const { model } = loadSource(VALID.replace('WORD', word(n)), 'long.yaml');
  if (!model) throw new Error('the long-word source did not load');
  await renderPdf(model, resources.styles[model.style], resources);
}

describe('a word wider than the line', () => {
  it('costs shaping linear in its length (counted characters, 4 000 vs 16 000)', async () => {
    await renderWord(100); // fonts and furniture shaped once, outside the counts
    const small = await shapedCharacters(() => renderWord(4_000));
    const large = await shapedCharacters(() => renderWord(16_000));
    // Measured: pdfmake's own breaking shaped 211 614 and 3 186 324 characters (15×); broken
    // here, 4 439 and 16 968 (pdfkit's cache answers each letter measured alone).
    expect(large / small).toBeLessThan(6);
    expect(large).toBeLessThan(16_000 * 10);
  });

  it('splits at grapheme boundaries, as Intl.Segmenter does on the whole text', () => {
    const pieces = ['a', 'e\u0301', '\u{1F1EB}\u{1F1F7}', '\u{1F469}\u200D\u{1F467}', '\r\n', 'क्ष'];
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (let n = 0; n < 3000; n += 97) {
      let text = '';
      for (let i = 0; i < n; i++) text += pieces[(i * 5 + n) % pieces.length];
      const expected = [0, ...[...segmenter.segment(text)].map((s) => s.index + s.segment.length)];
      expect(graphemeBounds(text)).toEqual(expected);
    }
  });
});

describe('through the command', () => {
  let cli: PrivateCli;
  let work = '';
  beforeAll(() => {
    cli = privateCli();
    work = mkdtempSync(join(tmpdir(), 'undoc-long-word-'));
  });
  afterAll(() => {
    cli?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`a word at the text limit (${LIMITS.maxTextLength} characters) prints whole, in order, inside the margins`, async () => {
    // Accented letters written as base + combining mark: a break never separates them.
    const unit = 'abcde\u0301fghij';
    const text = unit.repeat(Math.floor(LIMITS.maxTextLength / unit.length));
    writeFileSync(join(work, 'long.yaml'), VALID.replace('WORD', text));
    const run = await cli.run(['build', 'long.yaml', '--out', 'out', '--format', 'pdf'], {
      cwd: work,
      timeout: 120_000,
    });
    expect(stackLines(run.stderr)).toEqual([]);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(EXIT.ok);
    const pdf = await readPdf(readFileSync(join(work, 'out/long.pdf')));
    const { body } = loadResources().styles.ny;
    const words = pdf.pages.flatMap((p) =>
      p.lines
        .flatMap((l) => l.words)
        .filter((w) => /^(?:[a-j]|\u0301)+$/u.test(w.text.normalize('NFD'))),
    );
    expect(
      words
        .map((w) => w.text)
        .join('')
        .normalize('NFD'),
    ).toBe(text.normalize('NFD'));
    for (const w of words) {
      expect(w.x).toBeGreaterThanOrEqual(body.left - 0.5);
      expect(w.right).toBeLessThanOrEqual(body.right + 0.5);
    }
  });
});
