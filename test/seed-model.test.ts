/**
 * The seed as a model: its structure (letter, signatories, annex, 40 numbered paragraphs,
 * chapters, sub-items) and its words, compared in order with the seed text itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { type Block, plainText, type UnDocument } from '../src/model.js';
import { bodyLines, mastheadLines, words } from '../src/text.js';

const SEED_TEXT = new URL('../../shared/seeds/000_3d572358c3a676c0.txt', import.meta.url);
const hasSeed = existsSync(SEED_TEXT);
if (!hasSeed) console.warn(`seed text not found at ${SEED_TEXT.pathname}: word comparison skipped`);

function load(file: string): UnDocument {
  const result = loadSource(readFileSync(new URL(`../source/${file}`, import.meta.url)), 'seed');
  expect(result.diagnostics).toEqual([]);
  if (!result.model) throw new Error(`${file} did not load`);
  return result.model;
}

const numbered = (blocks: readonly Block[]) =>
  blocks.flatMap((b) => (b.kind === 'paragraph' && b.number !== undefined ? [b] : []));

describe.each(['A-61-seed.yaml', 'A-61-859.yaml'])('the seed as %s', (file) => {
  const doc = load(file);

  it('has the letter: 3 paragraphs and 2 signatories', () => {
    expect(doc.letter?.paragraphs).toHaveLength(3);
    expect(doc.letter?.signatories.map((s) => [s.givenNames, s.surname])).toEqual([
      ['Andrei', 'Dapkiunas'],
      ['Hilario', 'Davide, Jr.'],
    ]);
    expect(doc.letter?.signatories.every((s) => s.signed)).toBe(true);
  });

  it('has one annex with paragraphs numbered 1 to 40 in order', () => {
    expect(doc.annexes).toHaveLength(1);
    const paras = numbered(doc.annexes[0]?.blocks ?? []);
    expect(paras.map((p) => p.number)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('has chapters I–III with the seed titles', () => {
    const chapters = (doc.annexes[0]?.blocks ?? []).flatMap((b) =>
      b.kind === 'chapter' ? [`${b.label} ${plainText(b.title)}`] : [],
    );
    expect(chapters).toEqual([
      'I. Introduction',
      'II. Key findings',
      'III. Conclusions of the conference',
    ]);
  });

  it('has sub-items (a)–(e) in paragraph 30 and (a)–(b) in paragraph 31, and none elsewhere', () => {
    const paras = numbered(doc.annexes[0]?.blocks ?? []);
    const labels = (n: number) => paras.find((p) => p.number === n)?.items.map((i) => i.label);
    expect(labels(30)).toEqual(['(a)', '(b)', '(c)', '(d)', '(e)']);
    expect(labels(31)).toEqual(['(a)', '(b)']);
    expect(paras.filter((p) => p.items.length > 0).map((p) => p.number)).toEqual([30, 31]);
  });

  it.skipIf(!hasSeed)("reads, word for word, as the seed's text", () => {
    // Normalised on the seed's side only: its `**bold**` markers and its Markdown `\$` escape.
    const seed = readFileSync(SEED_TEXT, 'utf8').replaceAll('**', '').replaceAll('\\$', '$');
    const masthead = mastheadLines(doc);
    // The seed's text starts below the emblem row, so it lacks that row's "United Nations".
    expect(masthead[0]).toBe('United Nations');
    const once = masthead.slice(1);
    // The symbol (or a draft's unassigned slot) is not in the seed's text.
    const symbols = new Set([...doc.symbols.map((s) => s.text), doc.labels.symbolUnassigned]);
    const ours = [...once.filter((l) => !symbols.has(l)), ...bodyLines(doc)].join(' ');
    expect(words(ours)).toEqual(words(seed));
  });
});

describe('the illustrative issued version', () => {
  const doc = load('A-61-859.yaml');
  it('carries the symbol, its URL and the job number with its barcode payload', () => {
    expect(doc.symbols.map((s) => [s.series, s.rest, s.url])).toEqual([
      ['A', '/61/859', 'https://undocs.org/A/61/859'],
    ]);
    expect(doc.jobNumber).toMatchObject({ line: '07-29358 (E) 110407', barcode: '0729358' });
  });
  it('names its single organ once: the session column starts with the session', () => {
    expect(doc.organs.map((o) => o.columnHeading)).toEqual([undefined]);
    expect(mastheadLines(doc).filter((l) => l === 'General Assembly')).toHaveLength(1);
  });
  it('differs from the draft only in symbol and job number', () => {
    const draft = load('A-61-seed.yaml');
    expect(draft.symbols).toEqual([]);
    expect(draft.jobNumber).toBeUndefined();
    expect(bodyLines(draft)).toEqual(bodyLines(doc));
  });
});
