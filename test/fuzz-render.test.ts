/**
 * Property: any valid document — generated from the schema's shape, with random Unicode text
 * full of Markdown-ish characters (`*_[]<>&"'`), no-break spaces, nested sub-items, headings and
 * footnotes with matching calls — loads, renders in every available format, and reads back to its
 * own text: HTML through parse5 and DOCX through its XML in reading order, PDF through pdfjs
 * (fewer runs: it is the slow one). Fixed seed; FUZZ_RUNS=<n> scales the runs (README, "Fuzzing").
 */
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS, type Format } from '../src/render/types.js';
import { loadResources } from '../src/resources.js';
import { bodyLines, footnoteLines } from '../src/text.js';
import { source } from './fuzz-source.js';
import { parseHtml, readLines } from './html-read.js';
import { readPdf } from './pdf-read.js';

/** Runs per property: FUZZ_RUNS scales them for an occasional long run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 40;
const PDF_RUNS = Math.max(3, Math.round(RUNS / 8));
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
/** A long run outlasts vitest's default timeout: allow about a second per case. */
const TIMEOUT = Math.max(120_000, RUNS * 1000);

const missing = FORMATS.filter((f) => RENDERERS[f] === undefined);
if (missing.length > 0) console.warn(`fuzz-render: no renderer yet for ${missing.join(', ')}`);

const resources = loadResources();

function loaded(yaml: string): UnDocument {
  const result = loadSource(yaml, 'fuzz');
  if (!result.model) {
    throw new Error(
      `generated source invalid:\n${result.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}\n${yaml}`,
    );
  }
  return result.model;
}

async function render(format: Format, doc: UnDocument): Promise<Uint8Array> {
  const renderer = RENDERERS[format];
  if (!renderer) throw new Error(`no ${format} renderer`);
  return renderer(doc, resources.styles[doc.style], resources);
}

/** Whitespace-free text, the no-break hyphen read as "-": layout moves spaces, never letters. */
const squeeze = (s: string) => s.replace(/\u2011/g, '-').replace(/\s+/g, '');

/** Fails unless every line appears in `shown`, in order (when `ordered`), whitespace aside. */
function expectLines(
  shown: string,
  lines: readonly string[],
  ordered: boolean,
  what: string,
): void {
  let from = 0;
  for (const line of lines) {
    const want = squeeze(line);
    const at = shown.indexOf(want, ordered ? from : 0);
    if (at < 0) {
      expect.fail(
        `${what}: "${line}" not read back${ordered ? ' in order' : ''}\nafter: ${shown.slice(Math.max(0, from - 60), from + 200)}`,
      );
    }
    if (ordered) from = at + want.length;
  }
}

/** The model with footnote calls removed (formats print the call mark each their own way). */
function withoutCalls(doc: UnDocument): UnDocument {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      return v
        .filter((x) => !(x && typeof x === 'object' && (x as { kind?: string }).kind === 'noteRef'))
        .map(strip);
    }
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(doc) as UnDocument;
}

describe('fuzz: generated valid documents', () => {
  it.skipIf(!RENDERERS.html)(
    `render to HTML that reads back to their own text (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(source, async (yaml) => {
          const doc = loaded(yaml);
          const html = new TextDecoder().decode(await render('html', doc));
          const shown = squeeze(readLines(parseHtml(html)).join(' '));
          expectLines(shown, bodyLines(doc), true, 'html body');
          expectLines(shown, footnoteLines(doc), true, 'html notes');
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );

  it.skipIf(!RENDERERS.docx)(
    `render to DOCX whose XML reads back to their own text (${RUNS} runs)`,
    async () => {
      const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
      const partText = (xml: string) => {
        const dom = new DOMParser().parseFromString(xml, 'text/xml');
        const t = dom.getElementsByTagNameNS(W, 't');
        let out = '';
        for (let i = 0; i < t.length; i++) out += t.item(i)?.textContent ?? '';
        return out;
      };
      await fc.assert(
        fc.asyncProperty(source, async (yaml) => {
          const doc = loaded(yaml);
          const files = unzipSync(await render('docx', doc));
          const part = (name: string) => new TextDecoder().decode(files[name] ?? new Uint8Array());
          const plain = withoutCalls(doc);
          expectLines(
            squeeze(partText(part('word/document.xml'))),
            bodyLines(plain),
            true,
            'docx body',
          );
          const notes = plain.footnotes.map(
            (n) => footnoteLines({ ...plain, footnotes: [n] })[0]?.slice(n.mark.length) ?? '',
          );
          expectLines(squeeze(partText(part('word/footnotes.xml'))), notes, true, 'docx notes');
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );

  it.skipIf(!RENDERERS.pdf)(
    `render to PDF whose text reads back (${PDF_RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(source, async (yaml) => {
          const doc = loaded(yaml);
          const pdf = await readPdf(await render('pdf', doc));
          // A draft's running foot is the page number "n/N" on a line of its own: set aside.
          const shown = squeeze(
            pdf.pages
              .flatMap((p) => p.lines.map((l) => l.words.map((w) => w.text).join(' ')))
              .filter((l) => !/^\d+\/\d+$/.test(l))
              .join(' '),
          );
          // Notes sit at the page foot, among body lines: each line is looked for on its own.
          expectLines(shown, [...bodyLines(doc), ...footnoteLines(doc)], false, 'pdf');
        }),
        { numRuns: PDF_RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );
});
