/**
 * The DOCX read back: text and styles paragraph by paragraph against the model, the Secretariat's
 * style ids and names, headers, footers and fields, footnotes where the model calls them,
 * deterministic bytes, mammoth, and LibreOffice's own reading of the file where it is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element } from '@xmldom/xmldom';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import {
  type Annex,
  type Block,
  type Inline,
  type Rich,
  type SubItem,
  symbolLine,
  type UnDocument,
} from '../src/model.js';
import { barcodeText } from '../src/render/barcode-font.js';
import { renderDocx } from '../src/render/docx/index.js';
import { UNDOC_STYLES } from '../src/render/docx/styles.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { jobNumberDates, jobNumberHead, pageNumberParts } from '../src/style/forms.js';
import type { Style } from '../src/style/style.js';
import { signatureNameLine } from '../src/text.js';
import {
  all,
  headerFooterParts,
  kids,
  openPackage,
  type Package,
  paragraphs,
  type ReadParagraph,
  W,
  wAttr,
  zipEntryTimes,
} from './docx-read.js';
import { soffice } from './soffice.js';

const WP = 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** The package's fonts and templates, read once. */
const resources = loadResources();
const has = (tool: string): boolean => spawnSync('which', [tool]).status === 0;
const REFERENCE = join(
  PACKAGE_ROOT,
  '..',
  'shared',
  'reference',
  'ECE_TRADE_C_CEFACT_2018_1E.docx',
);

interface Case {
  readonly label: string;
  readonly doc: UnDocument;
  readonly style: Style;
  readonly bytes: Uint8Array;
  readonly pkg: Package;
  /** Footnote id → printed mark. */
  readonly marks: ReadonlyMap<string, string>;
  /** Pages of the same document's PDF. */
  readonly pdfPages: number;
}

const SOURCES = [
  { label: 'A-61-859', path: 'source/A-61-859.yaml', geneva: false },
  { label: 'A-61-seed', path: 'source/A-61-seed.yaml', geneva: false },
  { label: 'features', path: 'test/fixtures/valid/features.yaml', geneva: false },
  { label: 'features (Geneva)', path: 'test/fixtures/valid/features.yaml', geneva: true },
] as const;

function sourceText(path: string, geneva: boolean): string {
  const text = readFileSync(join(PACKAGE_ROOT, path), 'utf8');
  if (!geneva) return text;
  const out = text.replace(/^style: ny$/m, 'style: geneva');
  if (out === text) throw new Error(`${path}: no "style: ny" line to switch`);
  return out;
}

/** The stored results of a part's complex fields (between `separate` and `end`), in order. */
function fieldResults(part: Element): string[] {
  const out: string[] = [];
  let state: 'out' | 'code' | 'result' = 'out';
  let result = '';
  for (const r of all(part, 'r')) {
    const type = kids(r, 'fldChar')[0]?.getAttributeNS(W, 'fldCharType');
    if (type === 'begin') state = 'code';
    else if (type === 'separate') {
      state = 'result';
      result = '';
    } else if (type === 'end') {
      out.push(result);
      state = 'out';
    } else if (state === 'result')
      result += all(r, 't')
        .map((t) => t.textContent)
        .join('');
  }
  return out;
}

const cases: Case[] = [];
beforeAll(async () => {
  for (const s of SOURCES) {
    const loaded = loadSource(sourceText(s.path, s.geneva), s.label);
    if (!loaded.model) throw new Error(`${s.path}: ${JSON.stringify(loaded.diagnostics)}`);
    const doc = loaded.model;
    const style = resources.styles[doc.style];
    const bytes = await renderDocx(doc, style, resources);
    const pdf = Buffer.from(await renderPdf(doc, style, resources)).toString('latin1');
    cases.push({
      pdfPages: pdf.match(/\/Type \/Page\n/g)?.length ?? 0,
      label: s.label,
      doc,
      style,
      bytes,
      pkg: openPackage(bytes),
      marks: new Map(doc.footnotes.map((n) => [String(n.number), n.mark])),
    });
  }
});

const each = (fn: (c: Case) => void | Promise<void>) => async () => {
  expect(cases).toHaveLength(SOURCES.length);
  for (const c of cases) await fn(c);
};

// ---------------------------------------------------------------------------------------------
// What the model says each paragraph is: its text (numbers, labels and tabs as typed) and style.

interface Expected {
  readonly text: string;
  readonly style: string;
}

/** Plain text with note calls as their marks (as plainText) — kept local so the test is independent. */
function plain(rich: Rich, marks = MARKS.on): string {
  return rich
    .map((n: Inline) =>
      n.kind === 'text'
        ? n.text
        : n.kind === 'noteRef'
          ? marks
            ? n.mark
            : ''
          : plain(n.children, marks),
    )
    .join('');
}

/** Whether expected text carries note marks: mammoth drops note calls from its raw text. */
const MARKS = { on: true };

function expectedItems(items: readonly SubItem[], depth: number, body: string): Expected[] {
  return items.flatMap((i) => [
    { text: `${'\t'.repeat(depth)}${i.label}\t${plain(i.text)}`, style: body },
    ...expectedItems(i.items, depth + 1, body),
  ]);
}

function expectedBlock(b: Block, s: Style): Expected[] {
  const w = s.word.styles;
  switch (b.kind) {
    case 'chapter':
      return [{ text: `\t${b.label}\t${plain(b.title)}`, style: w.chapter.id }];
    case 'heading':
      return [
        { text: `\t${b.label}\t${plain(b.title)}`, style: b.level === 1 ? w.h1.id : w.h2.id },
      ];
    case 'subheading':
      return [{ text: plain(b.title), style: w.subheading.id }];
    case 'paragraph':
      return [
        {
          text: b.label === undefined ? plain(b.text) : `${b.label}\t${plain(b.text)}`,
          style: w.body.id,
        },
        ...expectedItems(b.items, 1, w.body.id),
      ];
  }
}

function expectedAnnex(a: Annex, s: Style): Expected[] {
  const w = s.word.styles;
  const { annexHeading, annexTitle } = UNDOC_STYLES;
  const out: Expected[] = [{ text: plain(a.heading), style: annexHeading.id }];
  if (a.originalNote) out.push({ text: a.originalNote, style: w.body.id });
  if (a.title) out.push({ text: plain(a.title), style: annexTitle.id });
  if (a.subtitle) out.push({ text: plain(a.subtitle), style: annexTitle.id });
  if (a.dateLine) out.push({ text: plain(a.dateLine), style: w.body.id });
  if (a.placeDate) out.push({ text: plain(a.placeDate), style: w.body.id });
  return [...out, ...a.blocks.flatMap((b) => expectedBlock(b, s))];
}

/** Masthead paragraphs in reading order (the Secretariat sets them in Normal). */
function expectedMasthead(doc: UnDocument): Expected[] {
  const lines = ['United Nations'];
  lines.push(doc.symbols.length > 0 ? symbolLine(doc) : doc.labels.symbolUnassigned);
  lines.push(...doc.organs.map((o) => o.name));
  lines.push(...doc.distributionLines.filter((l) => l !== ''));
  for (const o of doc.organs) {
    if (o.columnHeading) lines.push(o.columnHeading);
    if (o.session) lines.push(o.session);
    if (o.agendaLabel) lines.push(plain(o.agendaLabel));
    lines.push(...o.agendaItems.map((i) => plain(i.title)));
  }
  return lines.map((text) => ({ text, style: 'Normal' }));
}

function expectedBody(doc: UnDocument, s: Style): Expected[] {
  const w = s.word.styles;
  // In a heading style (Geneva) a title line starts with the two tabs the Secretariat types.
  const heading = new Set([w.chapter.id, w.h1.id, w.h2.id]);
  const line = (text: string, style: string) => ({
    text: heading.has(style) ? `\t\t${text}` : text,
    style,
  });
  const out: Expected[] = [line(plain(doc.title), w.title.id)];
  if (doc.subtitle) out.push(line(plain(doc.subtitle), w.subtitle.id));
  if (doc.letter) {
    const { letter, signature } = UNDOC_STYLES;
    out.push(...doc.letter.paragraphs.map((p) => ({ text: plain(p.text), style: letter.id })));
    for (const sig of doc.letter.signatories) {
      out.push({ text: signatureNameLine(doc, sig), style: signature.id });
      out.push(...sig.titleLines.map((l) => ({ text: plain(l), style: signature.id })));
    }
  }
  out.push(...doc.body.flatMap((b) => expectedBlock(b, s)));
  out.push(...doc.annexes.flatMap((a) => expectedAnnex(a, s)));
  return out;
}

/** The body's non-empty paragraphs as read back. */
const bodyParagraphs = (c: Case): ReadParagraph[] =>
  paragraphs(all(c.pkg.xml('word/document.xml'), 'body')[0] as Element, c.marks).filter(
    (p) => p.text !== '',
  );

const styleDefs = (c: Case): Map<string, Element> =>
  new Map(
    all(c.pkg.xml('word/styles.xml'), 'style').map((s) => [
      s.getAttributeNS(W, 'styleId') ?? '',
      s,
    ]),
  );

const twips = (pt: number) => String(Math.round(pt * 20));

// ---------------------------------------------------------------------------------------------

describe('DOCX read back', () => {
  it(
    'keeps the title’s, the letter’s and the signatures’ formatting in their styles, not on each paragraph',
    each((c) => {
      const defs = styleDefs(c);
      const { letter, signature } = UNDOC_STYLES;
      const w = c.style.word.styles;
      const title = w.title.id;
      const pPr = (e: Element | undefined) => kids(e as Element, 'pPr')[0];
      const rPr = (e: Element | undefined) => kids(e as Element, 'rPr')[0];
      // The styles hold the house values: the title's own style (New York), or the chapter
      // heading's, the Secretariat's Geneva title style, with the chapter's values.
      const t = defs.get(title);
      const inChapter = title === w.chapter.id;
      const m = inChapter
        ? { ...c.style.headings.chapter, gapAfter: c.style.headings.chapter.after }
        : c.style.masthead.title;
      expect(all(rPr(t) as Element, 'b').length, c.label).toBe(1);
      expect(wAttr(all(rPr(t) as Element, 'sz')[0]), c.label).toBe(String(m.size * 2));
      if (!inChapter)
        expect(wAttr(all(pPr(t) as Element, 'ind')[0], 'right'), c.label).toBe(
          twips(c.style.frame.right - c.style.masthead.title.right),
        );
      expect(wAttr(all(pPr(t) as Element, 'spacing')[0], 'after'), c.label).toBe(twips(m.gapAfter));
      expect(wAttr(all(pPr(defs.get(letter.id)) as Element, 'ind')[0], 'firstLine'), c.label).toBe(
        twips(c.style.font.firstLineIndent),
      );
      expect(wAttr(all(pPr(defs.get(signature.id)) as Element, 'jc')[0]), c.label).toBe('right');
      // …and the paragraphs in them carry no size, indent or alignment of their own.
      const { annexHeading, annexTitle } = UNDOC_STYLES;
      const styled = bodyParagraphs(c).filter((p) =>
        [title, w.subtitle.id, letter.id, signature.id, annexHeading.id, annexTitle.id].includes(
          p.style ?? '',
        ),
      );
      // The annex heading's and title's styles hold their sizes, page break and spacing.
      const ax = c.style.annex;
      const ah = defs.get(annexHeading.id);
      expect(all(pPr(ah) as Element, 'pageBreakBefore').length, c.label).toBe(1);
      expect(wAttr(all(rPr(ah) as Element, 'sz')[0]), c.label).toBe(String(ax.heading.size * 2));
      expect(wAttr(all(rPr(defs.get(annexTitle.id)) as Element, 'sz')[0]), c.label).toBe(
        String(ax.title.size * 2),
      );
      expect(styled.length, c.label).toBeGreaterThan(0);
      for (const p of styled) {
        const own = pPr(p.el);
        expect(own && [...all(own, 'ind'), ...all(own, 'jc')], p.text).toEqual([]);
        const sizes = all(p.el, 'r').flatMap((r) => (rPr(r) ? all(rPr(r) as Element, 'sz') : []));
        expect(sizes, p.text).toEqual([]);
      }
    }),
  );

  it(
    'keeps a title gap between the title and the subtitle (they do not run together)',
    each((c) => {
      if (!c.doc.subtitle) return;
      const body = bodyParagraphs(c);
      const at = body.findIndex((p) => p.text.replace(/^\t+/u, '') === plain(c.doc.title));
      const [title, subtitle] = [body[at]?.el, body[at + 1]?.el];
      const spacing = (p: Element | undefined, side: 'before' | 'after'): number => {
        const own = kids(kids(p as Element, 'pPr')[0] as Element, 'spacing')[0];
        const value = own?.getAttributeNS(W, side);
        if (value) return Number(value);
        const style = kids(kids(p as Element, 'pPr')[0] as Element, 'pStyle')[0];
        const def = styleDefs(c).get(style?.getAttributeNS(W, 'val') ?? '');
        const inStyle = def && kids(kids(def, 'pPr')[0] as Element, 'spacing')[0];
        return Number(inStyle?.getAttributeNS(W, side) ?? 0);
      };
      // Word adds the title's space after to the subtitle's space before: together, at least
      // the title gap (the subtitle's own style may ask for more, as Geneva's H1G does).
      const gap = spacing(title, 'after') + spacing(subtitle, 'before');
      expect(gap, c.label).toBeGreaterThanOrEqual(Number(twips(c.style.masthead.title.gapAfter)));
    }),
  );

  it(
    'has every paragraph of the model, in order, with its number, tabs and style',
    each((c) => {
      const got = bodyParagraphs(c).map((p) => ({ text: p.text, style: p.style ?? 'Normal' }));
      const want = [...expectedMasthead(c.doc), ...expectedBody(c.doc, c.style)];
      expect(got, c.label).toEqual(want);
    }),
  );

  it(
    'types paragraph numbers as text and a tab, not Word list numbering',
    each((c) => {
      const doc = c.pkg.text('word/document.xml');
      expect(doc, c.label).not.toContain('<w:numPr>');
      const numbered = bodyParagraphs(c).filter((p) => /^\d+\.\t/.test(p.text));
      const count = [...c.doc.body, ...c.doc.annexes.flatMap((a) => a.blocks)].filter(
        (b) => b.kind === 'paragraph' && b.number !== undefined,
      ).length;
      expect(numbered.length, c.label).toBe(count);
    }),
  );

  it(
    "defines every style used, the house styles under the Secretariat's ids and names",
    each((c) => {
      const defs = styleDefs(c);
      const parts = Object.keys(c.pkg.files).filter((p) => /^word\/.*\.xml$/.test(p));
      for (const part of parts) {
        for (const tag of ['pStyle', 'rStyle']) {
          for (const ref of all(c.pkg.xml(part), tag)) {
            expect(defs.has(wAttr(ref) ?? ''), `${c.label} ${part} uses ${wAttr(ref)}`).toBe(true);
          }
        }
      }
      const w = c.style.word.styles;
      const levels: [keyof typeof w, string][] = [
        ['body', ''],
        ['chapter', '0'],
        ['h1', '1'],
        ['h2', '2'],
        ['subheading', '3'],
        ['h56', '4'],
      ];
      for (const [key, level] of levels) {
        const def = defs.get(w[key].id);
        expect(def, `${c.label}: ${w[key].id}`).toBeDefined();
        if (!def) continue;
        expect(wAttr(kids(def, 'name')[0])).toBe(w[key].name);
        const outline = all(def, 'outlineLvl')[0];
        expect(outline ? wAttr(outline) : '', `${w[key].id} outline level`).toBe(level);
      }
      // The body style as measured: indents from the frame, paragraph gap, exact leading, justified.
      const body = defs.get(w.body.id);
      const ind = body ? all(body, 'ind')[0] : undefined;
      expect(wAttr(ind, 'left')).toBe(twips(c.style.body.left - c.style.frame.left));
      expect(wAttr(ind, 'right')).toBe(twips(c.style.frame.right - c.style.body.right));
      const spacing = body ? all(body, 'spacing')[0] : undefined;
      expect(wAttr(spacing, 'after')).toBe(twips(c.style.font.paragraphGap));
      expect(wAttr(spacing, 'line')).toBe(twips(c.style.font.leading));
      expect(wAttr(body ? all(body, 'jc')[0] : undefined)).toBe('both');
      expect(wAttr(spacing, 'lineRule')).toBe('exact');
      // Headings spaced as the PDF spaces them: before, after and an exact leading, per kind.
      const spaced: [keyof typeof w, 'chapter' | 'h1' | 'h2' | 'subheading'][] = [
        ['chapter', 'chapter'],
        ['h1', 'h1'],
        ['h2', 'h2'],
        ['subheading', 'subheading'],
      ];
      for (const [key, kind] of spaced) {
        const def = defs.get(w[key].id);
        const h = c.style.headings[kind];
        const sp = def ? all(def, 'spacing')[0] : undefined;
        const got = ['before', 'after', 'line', 'lineRule'].map((a) => wAttr(sp, a));
        expect(got, `${c.label} ${key} spacing`).toEqual([
          twips(h.before),
          twips(h.after),
          twips(h.leading),
          'exact',
        ]);
      }
      // Language of the document in the defaults.
      const lang = all(c.pkg.xml('word/styles.xml'), 'lang')[0];
      // The UN writes British English; other languages as language-REGION.
      if (c.doc.language === 'en') expect(wAttr(lang)).toBe('en-GB');
      else expect(wAttr(lang)).toMatch(new RegExp(`^${c.doc.language}-[A-Z]{2}$`));
    }),
  );

  it(
    "carries the PDF's page-break rules: widow control, headings and the letter kept with what follows",
    each((c) => {
      const defs = styleDefs(c);
      // Widow and orphan control on Normal, which every house style is based on.
      const normal = defs.get('Normal');
      expect(normal && all(normal, 'widowControl').length, c.label).toBe(1);
      const w = c.style.word.styles;
      for (const key of ['chapter', 'h1', 'h2', 'subheading', 'h56'] as const) {
        const def = defs.get(w[key].id);
        expect(def && all(def, 'keepNext').length, `${c.label} ${key} keepNext`).toBe(1);
        expect(def && all(def, 'keepLines').length, `${c.label} ${key} keepLines`).toBe(1);
      }
      const letter = c.doc.letter;
      if (!letter || letter.signatories.length === 0) return;
      const paras = bodyParagraphs(c);
      const on = (el: Element | undefined) =>
        el !== undefined && !['false', '0', 'off'].includes(wAttr(el) ?? '') ? 1 : 0;
      // A property as the paragraph has it: its own, else its style's (signature lines take
      // theirs from undoc's signature style).
      const prop = (p: ReadParagraph, name: string) =>
        all(p.el, name)[0] ?? all(defs.get(p.style ?? '') as Element, name)[0];
      const keeps = (p: ReadParagraph | undefined) => (p ? on(prop(p, 'keepNext')) : -1);
      // The letter's last paragraph keeps with the first signature; earlier ones do not.
      const texts = letter.paragraphs.map((p) => plain(p.text));
      const at = texts.map((t) => paras.findIndex((p) => p.text === t));
      expect(
        at.every((i) => i >= 0),
        c.label,
      ).toBe(true);
      expect(
        at.map((i) => keeps(paras[i])),
        c.label,
      ).toEqual(texts.map((_, i) => (i === texts.length - 1 ? 1 : 0)));
      // Each signature's lines keep together.
      const first = at.at(-1) ?? 0;
      const sig = letter.signatories[0];
      const lines = 1 + (sig?.titleLines.length ?? 0);
      const block = paras.slice(first + 1, first + 1 + lines);
      expect(block.map(keeps), c.label).toEqual(block.map((_, i) => (i < lines - 1 ? 1 : 0)));
      expect(
        block.every((p) => on(prop(p, 'keepLines')) === 1),
        c.label,
      ).toBe(true);
    }),
  );

  it.skipIf(!existsSync(REFERENCE))(
    "defines the Geneva styles as the Secretariat's own Word file does",
    async () => {
      const ref = openPackage(new Uint8Array(readFileSync(REFERENCE)));
      const refDefs = new Map(
        all(ref.xml('word/styles.xml'), 'style').map((s) => [s.getAttributeNS(W, 'styleId'), s]),
      );
      const c = cases.find((x) => x.doc.style === 'geneva');
      expect(c).toBeDefined();
      if (!c) return;
      const ours = styleDefs(c);
      // The values the reference defines for the body, chapter and 2/3 headings.
      for (const id of ['SingleTxtG', 'HChG', 'H23G']) {
        const a = ours.get(id);
        const b = refDefs.get(id);
        expect(a && b, id).toBeTruthy();
        if (!a || !b) continue;
        expect(wAttr(kids(a, 'name')[0]), id).toBe(wAttr(kids(b, 'name')[0]));
        for (const [tag, attrs] of [
          ['ind', ['left', 'right', 'hanging']],
          ['tab', ['val', 'pos']],
          ['spacing', ['before', 'after', 'line', 'lineRule']],
          ['sz', ['val']],
        ] as const) {
          for (const attr of attrs) {
            // Where the reference leaves a value to Normal, ours may set it (NY's exact line).
            const want = wAttr(all(b, tag)[0], attr);
            if (want === null || want === '') continue;
            expect(wAttr(all(a, tag)[0], attr), `${id} ${tag}@${attr}`).toBe(want);
          }
        }
      }
    },
  );

  it(
    'sets the page from the style: size, frame margins, a distinct first page, even/odd headers',
    each((c) => {
      const sect = all(c.pkg.xml('word/document.xml'), 'sectPr')[0] as Element;
      const size = kids(sect, 'pgSz')[0];
      expect(wAttr(size, 'w')).toBe(twips(c.style.page.width));
      expect(wAttr(size, 'h')).toBe(twips(c.style.page.height));
      const mar = kids(sect, 'pgMar')[0];
      expect(wAttr(mar, 'left')).toBe(twips(c.style.frame.left));
      expect(wAttr(mar, 'right')).toBe(twips(c.style.page.width - c.style.frame.right));
      expect(kids(sect, 'titlePg')).toHaveLength(1);
      expect(all(c.pkg.xml('word/settings.xml'), 'evenAndOddHeaders')).toHaveLength(1);
    }),
  );

  it(
    'lays the masthead out as a floating borderless table with the rules as cell borders',
    each((c) => {
      const tbl = all(c.pkg.xml('word/document.xml'), 'tbl')[0] as Element;
      const m = c.style.masthead;
      const pos = all(tbl, 'tblpPr')[0];
      expect(wAttr(pos, 'vertAnchor')).toBe('page');
      expect(wAttr(pos, 'tblpX')).toBe(twips(c.style.frame.left));
      const rows = kids(tbl, 'tr');
      const heights = rows.map((r) => all(r, 'trHeight')[0]);
      expect(heights.map((h) => wAttr(h, 'hRule'))).toEqual(['exact', 'exact']);
      expect(wAttr(heights[0])).toBe(twips(c.style.docx.masthead.firstRow));
      expect(wAttr(heights[1])).toBe(twips(m.thickRule.y - m.thinRule.y));
      const cols = all(tbl, 'gridCol').map((g) => Number(wAttr(g, 'w')));
      expect(cols.reduce((a, b) => a + b, 0)).toBe(
        Math.round((c.style.frame.right - c.style.frame.left) * 20),
      );
      const bottoms = (r: Element | undefined) =>
        r ? all(r, 'tcBorders').map((b) => wAttr(kids(b, 'bottom')[0], 'sz')) : [];
      expect(new Set(bottoms(rows[0]))).toEqual(new Set([String(m.thinRule.width * 8)]));
      expect(new Set(bottoms(rows[1]))).toEqual(new Set([String(m.thickRule.width * 8)]));
      expect(all(rows[1] as Element, 'drawing'), 'emblem picture').toHaveLength(1);
    }),
  );

  it(
    'puts the symbol in the running headers and PAGE/NUMPAGES with the job number in the footers',
    each((c) => {
      const headers = headerFooterParts(c.pkg, 'header');
      const footers = headerFooterParts(c.pkg, 'footer');
      expect(Object.keys(headers).sort()).toEqual(['default', 'even', 'first']);
      expect(Object.keys(footers).sort()).toEqual(['default', 'even', 'first']);
      for (const kind of ['default', 'even'] as const) {
        const h = paragraphs(c.pkg.xml(headers[kind] as string), c.marks).map((p) => p.text);
        expect(h.filter((t) => t !== '')).toEqual(
          c.doc.symbols.length > 0
            ? c.doc.symbols.map((s) => s.text)
            : [c.doc.labels.symbolUnassigned],
        );
        const footer = c.pkg.xml(footers[kind] as string);
        const instr = all(footer, 'instrText').map((i) => (i.textContent ?? '').trim());
        // The layout's page number form: "{page}/{pages}" (New York) or "{page}" (Geneva).
        const form = pageNumberParts(c.style);
        expect(instr.map((i) => i.split(/\s+/)[0])).toEqual(
          form.flatMap((p) => ('counter' in p ? [p.counter === 'page' ? 'PAGE' : 'NUMPAGES'] : [])),
        );
        // Each field stores its result: the first page this footer prints on, and the page
        // count of undoc's own layout (its PDF's pages).
        expect(fieldResults(footer)).toEqual(
          form.flatMap((p) =>
            'counter' in p
              ? [p.counter === 'page' ? (kind === 'even' ? '2' : '3') : String(c.pdfPages)]
              : [],
          ),
        );
        const text = paragraphs(footer, c.marks)
          .map((p) => p.text)
          .join('');
        if (c.style.footer.jobNumber) expect(text).toContain(c.doc.jobNumber?.short ?? '');
        else if (c.doc.jobNumber) expect(text).not.toContain(c.doc.jobNumber.short);
        for (const p of form) if ('text' in p) expect(text).toContain(p.text);
      }
      const first = c.pkg.xml(footers.first as string);
      const firstText = paragraphs(first, c.marks)
        .map((p) => p.text)
        .join('\n');
      const job = c.doc.jobNumber;
      if (job) {
        // As the layout prints it: "07-29358 (E)", a tab, the dates; Geneva "GE.07-29358(E)".
        const dates = jobNumberDates(c.style, job);
        expect(firstText).toContain(
          `${jobNumberHead(c.style, job)}${dates.length > 0 ? `\t${dates.join(' ')}` : ''}`,
        );
      }
      // The barcode as text, "*0729358*" in the style's Code 39 font drawn as wide as the
      // style's bars (a character scale), when there is a job number; no picture of it.
      const pictures = Array.from(first.getElementsByTagNameNS(WP, 'docPr')).map(
        (d) => d.getAttribute('descr') ?? '',
      );
      expect(pictures.some((d) => d.startsWith('Code 39'))).toBe(false);
      const family = c.style.firstPageFooter.barcode.family;
      const barcodeRuns = all(first, 'r').filter(
        (r) => wAttr(all(r, 'rFonts')[0], 'ascii') === family,
      );
      if (job) {
        const bars = barcodeText(resources, c.style, job.barcode);
        expect(barcodeRuns.map((r) => all(r, 't')[0]?.textContent)).toEqual([`*${job.barcode}*`]);
        const run = barcodeRuns[0] as Element;
        expect(Number(wAttr(all(run, 'sz')[0]))).toBe(Math.round(bars.size * 2));
        expect(Number(wAttr(all(run, 'w')[0]))).toBe(Math.round(bars.scale * 100));
      } else expect(barcodeRuns).toEqual([]);
      const url = c.doc.symbols[0]?.url;
      expect(pictures.includes(url ?? '\u0000')).toBe(url !== undefined);
    }),
  );

  it(
    'embeds the barcode font (obfuscated as ECMA-376 says, with a key derived from the font) when there is a job number',
    each((c) => {
      const table = c.pkg.xml('word/fontTable.xml');
      const fonts = all(table, 'font');
      if (c.doc.jobNumber === undefined) {
        expect(fonts).toEqual([]);
        expect(Object.keys(c.pkg.files).some((p) => p.endsWith('.odttf'))).toBe(false);
        return;
      }
      const family = c.style.firstPageFooter.barcode.family;
      expect(fonts.map((f) => wAttr(f, 'name'))).toEqual([family]);
      const embed = all(fonts[0] as Element, 'embedRegular')[0];
      const key = wAttr(embed, 'fontKey') ?? '';
      expect(key).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/u);
      const id = embed?.getAttributeNS(R, 'id') ?? '';
      const rels = c.pkg.text('word/_rels/fontTable.xml.rels');
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`, 'u').exec(rels)?.[1];
      const odttf = c.pkg.files[`word/${target}`];
      expect(odttf).toBeDefined();
      // Undone with its key (the GUID's bytes, last first, over the first 32 bytes), the part is
      // the font file the style names, byte for byte.
      const k = (key.replace(/[{}-]/gu, '').match(/../gu) ?? []).map((h) => Number.parseInt(h, 16));
      k.reverse();
      const font = Uint8Array.from(odttf ?? [], (b, i) => (i < 32 ? b ^ (k[i % 16] ?? 0) : b));
      const files = c.style.fontFiles[family];
      if (files === undefined) throw new Error('no barcode font files');
      expect(Buffer.from(font).equals(resources.fontFamily(files).regular)).toBe(true);
      expect(c.pkg.text('[Content_Types].xml')).toContain(
        'application/vnd.openxmlformats-officedocument.obfuscatedFont',
      );
    }),
  );

  it(
    'keeps footnotes in footnotes.xml, called where the model calls them, "*" as a custom mark',
    each((c) => {
      const notes = all(c.pkg.xml('word/footnotes.xml'), 'footnote').filter(
        (n) => Number(wAttr(n, 'id')) > 0,
      );
      expect(notes.map((n) => wAttr(n, 'id'))).toEqual(
        c.doc.footnotes.map((n) => String(n.number)),
      );
      for (const note of c.doc.footnotes) {
        const el = notes.find((n) => wAttr(n, 'id') === String(note.number)) as Element;
        const text = paragraphs(el, c.marks)
          .map((p) => p.text)
          .join('\n');
        const custom = !/^\d+$/.test(note.mark);
        // An automatic mark is Word's footnoteRef; a custom one is typed: "*⇥text".
        expect(text).toBe(`${custom ? note.mark : ''}\t${plain(note.text)}`);
        expect(all(el, 'footnoteRef')).toHaveLength(custom ? 0 : 1);
      }
      const refs = all(c.pkg.xml('word/document.xml'), 'footnoteReference');
      const order = [...new Set(refs.map((r) => wAttr(r, 'id')))];
      expect(order).toEqual(c.doc.footnotes.map((n) => String(n.number)));
      for (const r of refs) {
        const note = c.doc.footnotes.find((n) => String(n.number) === wAttr(r, 'id'));
        expect(wAttr(r, 'customMarkFollows') === '1').toBe(!/^\d+$/.test(note?.mark ?? ''));
      }
    }),
  );

  it(
    'writes the document properties: title, subject = symbol(s), creator, keywords, language, date',
    each((c) => {
      const core = c.pkg.text('docProps/core.xml');
      const tag = (t: string) => new RegExp(`<${t}[^>]*>([^<]*)</${t}>`).exec(core)?.[1];
      const unxml = (s: string | undefined) =>
        s?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(unxml(tag('dc:title'))).toBe(plain(c.doc.title));
      expect(tag('dc:subject') ?? '').toBe(symbolLine(c.doc));
      expect(tag('dc:creator')).toBeTruthy();
      expect(tag('cp:keywords') ?? '').toBe(c.doc.keywords.join(', '));
      expect(tag('dc:language')).toMatch(/^[a-z]{2}-[A-Z]{2}$/);
      expect(tag('dcterms:created')).toBe(`${c.doc.date.iso}T00:00:00Z`);
      expect(tag('dcterms:modified')).toBe(`${c.doc.date.iso}T00:00:00Z`);
    }),
  );

  it(
    'is byte-identical build to build, with zip times from the document date',
    each(async (c) => {
      const resources = loadResources();
      const again = await renderDocx(c.doc, c.style, resources);
      expect(Buffer.from(again).equals(Buffer.from(c.bytes)), c.label).toBe(true);
      const [y, m, d] = c.doc.date.iso.split('-').map(Number) as [number, number, number];
      const dos = `${(((y - 1980) << 9) | (m << 5) | d).toString(16)}:${(12 << 11).toString(16)}`;
      expect(new Set(zipEntryTimes(c.bytes))).toEqual(new Set([dos]));
    }),
  );

  it('is byte-identical under another time zone (child processes, UTC and New York)', () => {
    const source = join(PACKAGE_ROOT, 'test/fixtures/valid/features.yaml');
    const run = (tz: string) =>
      execFileSync(
        process.execPath,
        ['--import', 'tsx', join(PACKAGE_ROOT, 'test/docx-render-child.ts'), source],
        { env: { ...process.env, TZ: tz }, encoding: 'utf8' },
      );
    const utc = run('UTC');
    expect(utc).toMatch(/^[0-9a-f]{64}$/);
    expect(run('America/New_York')).toBe(utc);
    const c = cases.find((x) => x.label === 'features');
    expect(
      createHash('sha256')
        .update(c?.bytes ?? new Uint8Array())
        .digest('hex'),
    ).toBe(utc);
  });

  it(
    'converts with mammoth without losing text',
    each(async (c) => {
      const { value } = await mammoth.extractRawText({ buffer: Buffer.from(c.bytes) });
      MARKS.on = false;
      try {
        const want = [...expectedMasthead(c.doc), ...expectedBody(c.doc, c.style)];
        expect(isSubsequence(words(want.map((w) => w.text).join(' ')), words(value)), c.label).toBe(
          true,
        );
      } finally {
        MARKS.on = true;
      }
    }),
  );
});

/**
 * Words as tokens of letters and digits (punctuation and superscript joins do not matter). A
 * hyphenated compound is one token without its hyphens: a line may end after "fifty-" and the next
 * begin with "first".
 */
function words(text: string): string[] {
  return text
    .replace(/([\p{L}\p{N}][-\u2010\u2011])\s*\n\s*/gu, '$1')
    .split(/[^\p{L}\p{N}\-\u2010\u2011]+/u)
    .map((w) => w.replace(/[-\u2010\u2011]/g, ''))
    .filter((w) => w !== '');
}

/**
 * Whether `want` occurs in `got` in order (other tokens, like page furniture, may come between):
 * "" when it does, else the expected words from the first one missing on.
 */
function missingFrom(want: readonly string[], got: readonly string[]): string {
  let i = 0;
  for (const g of got) if (i < want.length && g === want[i]) i++;
  return i === want.length ? '' : want.slice(i, i + 12).join(' ');
}

const isSubsequence = (want: readonly string[], got: readonly string[]): boolean =>
  missingFrom(want, got) === '';

describe('DOCX as LibreOffice reads it', () => {
  const withSoffice = has('soffice') && has('pdftotext');
  if (!withSoffice)
    console.warn('docx.test: soffice or pdftotext not installed; LibreOffice check skipped');
  it.skipIf(!withSoffice)(
    "converts to PDF without complaint and the PDF has the model's words",
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'undoc-docx-'));
      try {
        const names = cases.map((c, i) => {
          const name = `case-${i}`;
          writeFileSync(join(dir, `${name}.docx`), c.bytes);
          return name;
        });
        const out = soffice(
          dir,
          'pdf',
          dir,
          names.map((n) => join(dir, `${n}.docx`)),
        );
        expect(out.status, out.stderr).toBe(0);
        cases.forEach((c, i) => {
          const pdf = join(dir, `${names[i]}.pdf`);
          expect(existsSync(pdf), `${c.label}: LibreOffice wrote no PDF (${out.stderr})`).toBe(
            true,
          );
          const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], {
            encoding: 'utf8',
          });
          const got = words(text);
          // The body in reading order; masthead lines each on their own (pdftotext reads the
          // right-aligned symbol before "United Nations", as it would in the Secretariat's PDFs).
          const body = words(
            expectedBody(c.doc, c.style)
              .map((w) => w.text)
              .join(' '),
          );
          expect(missingFrom(body, got), c.label).toBe('');
          for (const line of expectedMasthead(c.doc)) {
            expect(isSubsequence(words(line.text), got), `${c.label}: ${line.text}`).toBe(true);
          }
          for (const note of c.doc.footnotes) {
            expect(isSubsequence(words(plain(note.text)), got), `${c.label} note ${note.id}`).toBe(
              true,
            );
          }
          // The barcode's text, set in the embedded font (LibreOffice has no barcode font).
          const job = c.doc.jobNumber;
          if (job) expect(text, c.label).toContain(`*${job.barcode}*`);
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
