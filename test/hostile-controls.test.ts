/**
 * Invisible characters through the real command (issue 16, points 9 and 10): every control
 * character written as an escape is named at its own escape; a direction override (the "Trojan
 * Source" trick: U+202E made HTML and DOCX show `abcfed` where the PDF showed `abcdef`) and an
 * unbalanced embedding or isolate are refused at their place; balanced ones build in every
 * format and print nothing: the words of a text with them stand where the same text without
 * them stands, in the PDF and in Chromium, and the DOCX and HTML keep them as written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { all, openPackage, paragraphText } from './docx-read.js';
import { parseHtml, readLines } from './html-read.js';
import { readPdf } from './pdf-read.js';
import { type PrivateCli, privateCli, type Run, stackLines } from './private-cli.js';

const HEAD = `style: ny
language: en
originalLanguage: en
distribution: General
docDate: 2024-01-02
docAuthority:
  - organ: General Assembly
`;

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`hostile-controls: Chromium check skipped, no ${CHROMIUM}`);

let cli: PrivateCli;
let work = '';

beforeAll(() => {
  cli = privateCli();
  work = mkdtempSync(join(tmpdir(), 'undoc-controls-'));
});

afterAll(() => {
  cli?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

function put(name: string, text: string): string {
  writeFileSync(join(work, name), text);
  return name;
}

async function undoc(args: readonly string[]): Promise<Run> {
  const run = await cli.run(args, { cwd: work, timeout: 60_000 });
  expect(run.timedOut).toBe(false);
  expect(stackLines(run.stderr)).toEqual([]);
  return run;
}

/** The `file:line:col: error code: message` lines of a run. */
const located = (run: Run) => run.stderr.split('\n').filter((l) => /^\S+:\d+:\d+: error /.test(l));

describe('controls written as escapes', () => {
  it('each is named at its own escape, not only the first of its text', async () => {
    const file = put(
      'escapes.yaml',
      `${HEAD}docTitle: "A \\a title \\x01 and \\e"\nletter:\n  paragraphs:\n    - "one \\0 two \\ud800 three \\u0085 ok"\n`,
    );
    const run = await undoc(['validate', file]);
    expect(run.code).toBe(EXIT.invalid);
    expect(located(run)).toEqual([
      `${file}:8:14: error binary-content: this text holds control character U+0007 (written as \`\\a\`): no output can show it`,
      `${file}:8:23: error binary-content: this text holds control character U+0001 (written as \`\\x01\`): no output can show it`,
      `${file}:8:32: error binary-content: this text holds control character U+001B (written as \`\\e\`): no output can show it`,
      `${file}:11:12: error binary-content: this text holds control character U+0000 (written as \`\\0\`): no output can show it`,
      `${file}:11:19: error invalid-utf8: this text holds a lone UTF-16 surrogate (U+D800), not a character (written as \`\\ud800\`): UTF-8 cannot encode it`,
    ]);
  });
});

describe('bidirectional controls', () => {
  it('a direction override, typed or escaped, is refused at its place; nothing is built', async () => {
    const file = put(
      'override.yaml',
      `${HEAD}docTitle: A title\nletter:\n  paragraphs:\n    - Pay to account 1234\u202e5678 only.\n    - "abc \\u202Ddef"\n`,
    );
    const run = await undoc(['build', file, '--out', 'out-override']);
    expect(run.code).toBe(EXIT.invalid);
    expect(located(run)).toEqual([
      `${file}:11:26: error bidi-control: U+202E RIGHT-TO-LEFT OVERRIDE shows the text after it in another order than it is written (the "Trojan Source" trick); a source may not hold a direction override`,
      `${file}:12:12: error bidi-control: U+202D LEFT-TO-RIGHT OVERRIDE (written as \`\\u202D\`) shows the text after it in another order than it is written (the "Trojan Source" trick); a source may not hold a direction override`,
    ]);
    // The excerpt of the offending line must not play the trick on the terminal.
    expect(run.stderr).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/u);
    expect(run.stderr).toContain(' 11 |     - Pay to account 1234\ufffd5678 only.');
    const written = existsSync(join(work, 'out-override'))
      ? readdirSync(join(work, 'out-override'))
      : [];
    expect(written.filter((f) => f.startsWith('override.'))).toEqual([]);
  });

  it('embeddings and isolates left open, or closers with nothing to close, are each placed', async () => {
    const file = put(
      'unbalanced.yaml',
      `${HEAD}docTitle: "Title \\u2069 stray"\nletter:\n  paragraphs:\n    - "a \\u2067b \\u202c c\\u2069"\n    - "d \\u2066e \\u202bf\\u2069 g"\n    - |-\n      h \u2068i\n      j\u2069\n`,
    );
    const run = await undoc(['validate', file]);
    expect(run.code).toBe(EXIT.invalid);
    expect(located(run).map((l) => l.replace(/ \(written as [^)]*\)/u, ''))).toEqual([
      `${file}:8:18: error bidi-control: U+2069 POP DIRECTIONAL ISOLATE closes nothing: no isolate is open before it`,
      `${file}:11:18: error bidi-control: U+202C POP DIRECTIONAL FORMATTING closes nothing: no embedding is open before it inside its isolate`,
      `${file}:12:18: error bidi-control: U+202B RIGHT-TO-LEFT EMBEDDING is not closed before the isolate around it ends: it would change the direction of the text after it`,
      `${file}:14:9: error bidi-control: U+2068 FIRST STRONG ISOLATE is not closed in its paragraph: it would change the direction of the text after it`,
      `${file}:15:8: error bidi-control: U+2069 POP DIRECTIONAL ISOLATE closes nothing: no isolate is open before it`,
    ]);
  });

  it('balanced embeddings and isolates build in every format and print nothing', async () => {
    const plain = 'left isolated and embedded right';
    const marked = 'left \u2066isolated\u2069 and \u202aembedded\u202c right';
    const file = put(
      'balanced.yaml',
      `${HEAD}docTitle: A title\nletter:\n  paragraphs:\n    - ${marked}\n    - ${plain}\n`,
    );
    const run = await undoc(['build', file, '--out', 'out-balanced', '--format', 'pdf,docx,html']);
    expect(run.code).toBe(EXIT.ok);
    const out = (ext: string) => readFileSync(join(work, 'out-balanced', `balanced.${ext}`));

    // PDF: the two paragraphs print the same words at the same places.
    const pdf = await readPdf(out('pdf'));
    const lines = pdf.pages[0]?.lines.filter((l) => l.words[0]?.text === 'left') ?? [];
    expect(lines.length).toBe(2);
    const placed = lines.map((l) =>
      l.words.map((w) => [w.text, w.x.toFixed(2), w.right.toFixed(2)]),
    );
    expect(placed[0]).toEqual(placed[1]);
    expect(placed[0]?.map((w) => w[0]).join(' ')).toBe(plain);

    // DOCX and HTML keep the controls as written (Word and browsers apply them).
    const docx = openPackage(out('docx'));
    const body = docx.xml('word/document.xml');
    const texts = all(body, 'p').map((p) => paragraphText(p, new Map()));
    expect(texts).toContain(marked);
    expect(texts).toContain(plain);
    const html = out('html').toString('utf8');
    expect(readLines(parseHtml(html))).toEqual(expect.arrayContaining([marked, plain]));

    if (!hasChromium) return;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(work, 'out-balanced/balanced.html')).href);
      // Each word's left and right edge from its paragraph's left, in CSS px.
      const words = await page.evaluate((first: string) => {
        const paras = [...document.querySelectorAll('p')].filter((p) =>
          p.textContent?.startsWith(first),
        );
        return paras.map((p) => {
          const left = p.getBoundingClientRect().left;
          const found: [string, number, number][] = [];
          const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
            const text = n.textContent ?? '';
            for (const m of text.matchAll(/[a-z]+/g)) {
              const range = document.createRange();
              range.setStart(n, m.index);
              range.setEnd(n, m.index + m[0].length);
              const box = range.getBoundingClientRect();
              found.push([
                m[0],
                Math.round((box.left - left) * 100),
                Math.round((box.right - left) * 100),
              ]);
            }
          }
          return found;
        });
      }, 'left');
      expect(words.length).toBe(2);
      expect(words[0]).toEqual(words[1]);
    } finally {
      await browser.close();
    }
  });
});
