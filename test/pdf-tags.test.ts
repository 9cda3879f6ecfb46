/**
 * The tagged PDF read back with pdf.js: the structure tree's roles, nesting and text against the
 * model (derived here from the model, not from the renderer's plan), the text in tree order, the
 * drawing unchanged by tagging, bookmarks, the QR code's link, and the PDF/UA and PDF/A marks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadSource } from '../src/load/index.js';
import type { Block, Rich, SubItem, UnDocument } from '../src/model.js';
import { plainText, SYMBOL_JOINER } from '../src/model.js';
import { renderPdfWith } from '../src/render/pdf/index.js';
import { loadResources } from '../src/resources.js';
import { jobNumberLine, pageNumberText } from '../src/style/forms.js';
import { signatureNameLine } from '../src/text.js';
import { type FixtureName, loadFixture } from './pdf-fixtures.js';
import {
  ownText,
  type ReadStructure,
  readStructure,
  type TreeNode,
  treeText,
} from './pdf-structure-read.js';

/** The PDF fixtures, and `features.yaml` made a report (its letter and first annex as its body). */
type Name = FixtureName | 'report';
const NAMES: readonly Name[] = ['seed', 'draft', 'features', 'geneva', 'report'];

function reportModel(): UnDocument {
  const src = parse(readFileSync('test/fixtures/valid/features.yaml', 'utf8'));
  src.docType = 'report';
  src.body = [
    ...src.letter.paragraphs.map((p: unknown) => ({ para: p })),
    ...src.annexes[0].content,
  ];
  delete src.letter;
  src.annexes = src.annexes.slice(1);
  const { model } = loadSource(stringify(src), 'report');
  if (!model) throw new Error('the report made of features.yaml did not load');
  return model;
}

const squeeze = (s: string) => s.replace(/\s+/gu, '');

/** A piece of inline text in reading order: text, or a footnote call. */
type Segment = { readonly text: string } | { readonly mark: string; readonly id: string };

function segment(n: Rich[number]): Segment[] {
  switch (n.kind) {
    case 'text':
      return [{ text: n.text }];
    case 'italic':
    case 'bold':
      return segments(n.children);
    case 'noteRef':
      return [{ mark: n.mark, id: n.id }];
  }
}

function segments(rich: Rich): Segment[] {
  return rich.flatMap(segment);
}

/** One element the tree should hold, in pre-order: its ancestors' roles, role and own text. */
interface Expected {
  readonly path: string;
  readonly role: string;
  /** Own text, whitespace removed (a figure: its alternative text). */
  readonly text: string;
  readonly depth: number;
  /** `/Lang` when the element's language is not the document's. */
  readonly lang?: string;
}

/**
 * The elements of `doc` in reading order, as the README's accessibility section says undoc tags
 * them: masthead paragraphs, the job number and codes, the title `H1`, letter and signature paragraphs, annex headings,
 * numbered paragraphs as `P`, sub-items as `L`/`LI`/`Lbl`/`LBody`, each footnote call a
 * `Reference` followed (at its first call) by its `Note`, the page-1 codes as figures.
 */
function expected(doc: UnDocument): { elements: Expected[]; reading: string } {
  const out: Expected[] = [];
  let reading = '';
  const placed = new Set<string>();
  const add = (path: string[], role: string, text: string, lang?: string) => {
    const e = { path: path.join('/'), role, text: squeeze(text), depth: path.length };
    out.push(lang === undefined ? e : { ...e, lang });
  };
  const push = (path: string[], role: string, text: string, lang?: string) => {
    add(path, role, text, lang);
    if (role !== 'Figure') reading += text;
  };
  const withText = (path: string[], role: string, prefix: string, rich: Rich, after = () => {}) => {
    const parts = segments(rich);
    const own = parts.map((p) => ('text' in p ? p.text : '')).join('');
    add(path, role, prefix + own);
    reading += prefix;
    const inner = [...path, role];
    for (const p of parts) {
      if ('text' in p) {
        reading += p.text;
        continue;
      }
      push(inner, 'Reference', p.mark);
      const note = doc.footnotes.find((n) => n.id === p.id);
      if (note && !placed.has(note.id)) {
        placed.add(note.id);
        push(inner, 'Note', note.mark + plainText(note.text));
      }
    }
    after();
  };
  const list = (path: string[], items: readonly SubItem[]) => {
    if (items.length === 0) return;
    push(path, 'L', '');
    for (const item of items) {
      const li = [...path, 'L'];
      push(li, 'LI', '');
      const inLi = [...li, 'LI'];
      push(inLi, 'Lbl', item.label);
      withText(inLi, 'LBody', '', item.text, () => list([...inLi, 'LBody'], item.items));
    }
  };
  const doc0 = ['Document'];
  const blocks = (bs: readonly Block[]) => {
    let last = 1;
    const level = (n: number) => {
      last = Math.min(n, last + 1, 6);
      return `H${last}`;
    };
    return (start: number) => {
      last = start;
      for (const b of bs) {
        if (b.kind === 'chapter') withText(doc0, level(2), b.label, b.title);
        else if (b.kind === 'heading') withText(doc0, level(b.level + 2), b.label, b.title);
        else if (b.kind === 'subheading') withText(doc0, level(last + 1), '', b.title);
        else {
          withText(doc0, 'P', b.label ?? '', b.text);
          list(doc0, b.items);
        }
      }
    };
  };
  push([], 'Document', '');
  push(doc0, 'Figure', 'United Nations emblem');
  push(doc0, 'P', 'United Nations');
  // The symbol, or while it is unassigned its slot.
  push(
    doc0,
    'P',
    doc.symbols.length > 0
      ? doc.symbols.map((s) => s.text).join(SYMBOL_JOINER)
      : doc.labels.symbolUnassigned,
  );
  for (const o of doc.organs) push(doc0, 'P', o.name);
  // The model may print the distribution block in another language (langdata's field).
  const distr = (doc as { distributionLanguage?: string }).distributionLanguage;
  const distrLang = distr !== undefined && distr !== doc.language ? distr : undefined;
  for (const l of doc.distributionLines) if (l !== '') push(doc0, 'P', l, distrLang);
  for (const o of doc.organs) {
    if (o.columnHeading !== undefined) push(doc0, 'P', o.columnHeading);
    if (o.session !== undefined) push(doc0, 'P', o.session);
    if (o.agendaLabel !== undefined) withText(doc0, 'P', '', o.agendaLabel);
    for (const item of o.agendaItems) withText(doc0, 'P', '', item.title);
  }
  if (doc.jobNumber) {
    push(doc0, 'P', jobNumberLine(loadResources().styles[doc.style], doc.jobNumber));
    push(doc0, 'Figure', doc.jobNumber.barcode);
    // The barcode is text in a barcode font, its start/stop "*" included, inside its Figure.
    reading += `*${doc.jobNumber.barcode}*`;
  }
  // The QR code goes with the symbol, job number or not.
  const url = doc.symbols[0]?.url;
  if (url !== undefined) {
    push(doc0, 'Link', '');
    push([...doc0, 'Link'], 'Figure', url);
  }
  withText(doc0, 'H1', '', doc.title);
  if (doc.subtitle) withText(doc0, 'P', '', doc.subtitle);
  for (const p of doc.letter?.paragraphs ?? []) withText(doc0, 'P', '', p.text);
  for (const s of doc.letter?.signatories ?? []) {
    push(doc0, 'P', signatureNameLine(doc, s));
    for (const t of s.titleLines) withText(doc0, 'P', '', t);
  }
  blocks(doc.body)(1);
  for (const a of doc.annexes) {
    withText(doc0, 'H1', '', a.heading);
    if (a.originalNote !== undefined) push(doc0, 'P', a.originalNote);
    let start = 1;
    if (a.title) {
      withText(doc0, 'H2', '', a.title);
      start = 2;
    }
    if (a.subtitle) withText(doc0, 'P', '', a.subtitle);
    if (a.placeDate) withText(doc0, 'P', '', a.placeDate);
    blocks(a.blocks)(start);
  }
  return { elements: out, reading: squeeze(reading) };
}

const expectedElements = (doc: UnDocument) => expected(doc).elements;

/** The model's text in reading order, each note after its first call; whitespace removed. */
const modelText = (doc: UnDocument) => expected(doc).reading;

/** An element as a page shows it, in pre-order, and whether it leads its page's tree. */
interface Seen {
  readonly path: string;
  readonly role: string;
  readonly text: string;
  readonly depth: number;
  readonly lead: boolean;
  readonly page: number;
  readonly hasObject: boolean;
  readonly lang: string | undefined;
}

function flatten(node: TreeNode, path: string[], lead: boolean, page: number, out: Seen[]): void {
  const text = node.role === 'Figure' ? squeeze(node.alt ?? '') : ownText(node);
  const hasObject = node.children.some((k) => 'object' in k);
  out.push({
    path: path.join('/'),
    role: node.role,
    text,
    depth: path.length,
    lead,
    page,
    hasObject,
    lang: node.lang,
  });
  let first = true;
  for (const k of node.children) {
    if ('role' in k) {
      flatten(k, [...path, node.role], lead && first, page, out);
      first = false;
    } else if ('text' in k && squeeze(k.text) !== '') first = false;
  }
}

/**
 * Matches the pages' trees against the expected elements: each page's leading elements may
 * continue an element of the page before (a paragraph across a page break); everything else
 * must be the next expected element with its role, place and a start of its text.
 */
function matchTree(read: ReadStructure, expected: readonly Expected[]): void {
  const seen: Seen[] = [];
  read.pages.forEach((p, i) => {
    if (p.root) flatten(p.root, [], true, i + 1, seen);
  });
  const got = expected.map(() => '');
  const lastAt = new Map<number, number>();
  let next = 0;
  const where = (s: Seen) => `page ${s.page}: ${s.path}/${s.role} "${s.text.slice(0, 40)}"`;
  for (const s of seen) {
    if (s.role === 'Document' && next > 0) {
      expect(s.depth, where(s)).toBe(0);
      continue;
    }
    const c = lastAt.get(s.depth);
    const prior = c === undefined ? undefined : expected[c];
    if (s.lead && c !== undefined && prior?.role === s.role && prior.path === s.path) {
      const unfinished = got[c] !== prior.text;
      const inside = expected.slice(c + 1, next + 1).every((e) => e.depth > s.depth);
      if (unfinished || (inside && next < expected.length)) {
        got[c] += s.text;
        expect(prior.text.startsWith(got[c] ?? ''), where(s)).toBe(true);
        continue;
      }
    }
    const e = expected[next];
    expect(e, `an element the model does not have: ${where(s)}`).toBeDefined();
    if (e === undefined) return;
    expect(`${s.path}/${s.role}`, where(s)).toBe(`${e.path}/${e.role}`);
    expect(e.text.startsWith(s.text), `${where(s)} vs "${e.text.slice(0, 60)}"`).toBe(true);
    if (s.role === 'Link') expect(s.hasObject, where(s)).toBe(true);
    expect(s.lang, `${where(s)}: /Lang`).toBe(e.lang);
    got[next] = s.text;
    lastAt.set(s.depth, next);
    for (const d of [...lastAt.keys()]) if (d > s.depth) lastAt.delete(d);
    next++;
  }
  expect(next, `elements missing from the tree after ${next}`).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(got[i], `${e.path}/${e.role} incomplete`).toBe(e.text);
  });
}

function roleCounts(expected: readonly Expected[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of expected) counts[e.role] = (counts[e.role] ?? 0) + 1;
  return counts;
}

interface Case {
  readonly doc: UnDocument;
  readonly tagged: Uint8Array;
  readonly untagged: Uint8Array;
  readonly read: ReadStructure;
  readonly plain: ReadStructure;
}

const cases = new Map<Name, Case>();

beforeAll(async () => {
  const resources = loadResources();
  for (const name of NAMES) {
    const doc = name === 'report' ? reportModel() : loadFixture(name);
    const style = resources.styles[doc.style];
    const tagged = await renderPdfWith(doc, style, resources, { tagged: true });
    const untagged = await renderPdfWith(doc, style, resources, { tagged: false });
    cases.set(name, {
      doc,
      tagged,
      untagged,
      read: await readStructure(tagged),
      plain: await readStructure(untagged),
    });
  }
}, 120_000);

const get = (name: Name): Case => {
  const c = cases.get(name);
  if (c === undefined) throw new Error(`${name} not rendered`);
  return c;
};

const has = (tool: string, flag = '--version') => {
  try {
    execFileSync(tool, [flag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const QPDF = has('qpdf');
const PDFTOPPM = has('pdftoppm', '-v');
const PDFFONTS = has('pdffonts', '-v');
for (const [ok, what] of [
  [QPDF, 'qpdf not found; skipping qpdf --check'],
  [PDFTOPPM, 'pdftoppm (poppler-utils) not found; skipping the pixel comparison'],
  [PDFFONTS, 'pdffonts (poppler-utils) not found; skipping the font check'],
] as const) {
  if (!ok) console.warn(`pdf-tags: ${what}`);
}

/** The PDF's text as Latin-1, where pdfkit writes every dictionary (streams are compressed). */
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

describe.each(NAMES)('tagged PDF of %s', (name) => {
  it('holds every element of the model in reading order, with its role, place and text', () => {
    const { doc, read } = get(name);
    matchTree(read, expectedElements(doc));
  });

  it('reads, in tree order, the model’s text with each note after its call', () => {
    const { doc, read } = get(name);
    const text = read.pages.map((p) => (p.root ? treeText(p.root) : '')).join('');
    expect(text).toBe(modelText(doc));
  });

  it('has one Document per page and only standard structure types', () => {
    const { read } = get(name);
    const standard = new Set([
      'Document',
      'P',
      'H1',
      'H2',
      'H3',
      'H4',
      'H5',
      'H6',
      'L',
      'LI',
      'Lbl',
      'LBody',
      'Note',
      'Reference',
      'Figure',
      'Link',
    ]);
    const roles = (n: TreeNode): string[] => [
      n.role,
      ...n.children.flatMap((k) => ('role' in k ? roles(k) : [])),
    ];
    for (const p of read.pages) {
      expect(p.root?.role).toBe('Document');
      for (const r of p.root ? roles(p.root) : []) expect(standard.has(r), r).toBe(true);
    }
  });

  it('marks every word as content or artifact; furniture is an artifact', () => {
    const { doc, read } = get(name);
    read.pages.forEach((p, i) => {
      expect(p.unmarkedText.trim(), `page ${i + 1}`).toBe('');
      if (i > 0) {
        // Running header and footer: symbols, page number, job number.
        for (const s of doc.symbols) expect(p.artifactText).toContain(s.text);
        expect(squeeze(p.artifactText)).toContain(
          pageNumberText(loadResources().styles[doc.style], i + 1, read.pages.length),
        );
      }
    });
  });

  it('draws the same pages as the untagged PDF: every glyph, path and state, at the same place', () => {
    const { read, plain } = get(name);
    expect(read.pages.length).toBe(plain.pages.length);
    read.pages.forEach((p, i) => {
      expect(p.markedOps).toBeGreaterThan(0);
      // Text objects lie inside marked content (pdf/text-run.ts), so their operators differ.
      const drawn = plain.pages[i]?.drawn ?? [];
      expect(p.drawn.map((d) => d.key)).toEqual(drawn.map((d) => d.key));
      p.drawn.forEach((d, k) => {
        const there = drawn[k]?.numbers ?? [];
        expect(d.numbers.length).toBe(there.length);
        // pdf.js keeps a text matrix in single precision: 0.001 pt.
        const off = d.numbers.findIndex((n, j) => Math.abs(n - (there[j] ?? Number.NaN)) > 1e-3);
        expect(off, `page ${i + 1}, ${d.key.slice(0, 80)}: ${d.numbers} / ${there}`).toBe(-1);
      });
    });
    expect(plain.pages.every((p) => p.markedOps === 0)).toBe(true);
  });

  it('sets the language, the title shown as the window’s, and marks the file as tagged', () => {
    const { doc, tagged, read } = get(name);
    expect(read.language).toBe(doc.language);
    expect(read.info.Title).toBe(plainText(doc.title).replace(/\s+/gu, ' ').trim());
    expect(read.markInfo?.Marked).toBe(true);
    expect(latin1(tagged)).toMatch(/\/DisplayDocTitle true/u);
  });

  it('bookmarks the title, each annex, and each chapter under its annex', () => {
    const { doc, read } = get(name);
    const chapters = (bs: readonly Block[]) =>
      bs.flatMap((b) => (b.kind === 'chapter' ? [`${b.label} ${plainText(b.title)}`] : []));
    const one = (s: string) => s.replace(/\s+/gu, ' ').trim();
    const expected = [
      { title: one(plainText(doc.title)), items: chapters(doc.body).map(one) },
      ...doc.annexes.map((a) => ({
        title: one(plainText(a.heading)),
        items: chapters(a.blocks).map(one),
      })),
    ];
    expect(
      read.outline.map((o) => ({ title: o.title, items: o.items.map((i) => i.title) })),
    ).toEqual(expected);
  });

  it('links the QR code to its address, with the address as the annotation’s contents', () => {
    const { doc, read } = get(name);
    const url = doc.symbols[0]?.url;
    const links = read.pages.flatMap((p) => p.links);
    expect(links).toEqual(url ? [{ url, contents: url }] : []);
    // PDF/UA: a page with annotations orders them by structure; pdfkit gives every page of a
    // tagged document `/Tabs /S` (it writes dictionaries uncompressed).
    const tabs = latin1(get(name).tagged).match(/\/Type \/Page\n[^>]*\/Tabs \/S\n/gu) ?? [];
    expect(tabs.length).toBe(read.pages.length);
  });

  it('identifies PDF/A-2b and PDF/UA-1 in well-formed XMP that repeats the title', () => {
    const { doc, read } = get(name);
    expect(read.xmp.get('pdfaid:part')).toBe('2');
    expect(read.xmp.get('pdfaid:conformance')).toBe('B');
    expect(read.xmp.get('pdfuaid:part')).toBe('1');
    expect(read.xmp.get('dc:title')).toBe(read.info.Title);
    expect(read.xmp.get('dc:language')).toBe(doc.language);
  });

  it('has an sRGB output intent holding pdfkit’s ICC profile, and notes with an ID', () => {
    const { tagged } = get(name);
    const text = latin1(tagged);
    expect(text).toMatch(/\/OutputIntents \[\d+ 0 R\]/u);
    expect(text).toMatch(/\/S \/GTS_PDFA1/u);
    const notes = text.match(/\/S \/Note\n[^>]*?\/ID \(note-[^)]+\)/gu) ?? [];
    const noteElements = text.match(/\/S \/Note\n/gu) ?? [];
    expect(notes.length).toBe(noteElements.length);
  });
});

describe('tagged PDF', () => {
  it('tags the seed as its model says: roles and counts', () => {
    const { doc, read } = get('seed');
    const counts = roleCounts(expectedElements(doc));
    const blocks = doc.annexes.flatMap((a) => a.blocks);
    const items = (list: readonly SubItem[]): number =>
      list.reduce((n, i) => n + 1 + items(i.items), 0);
    const paragraphs = blocks.filter((b) => b.kind === 'paragraph');
    expect(counts.H1).toBe(1 + doc.annexes.length);
    expect(counts.LI).toBe(paragraphs.reduce((n, b) => n + items(b.items), 0));
    expect(counts.Figure).toBe(3);
    expect(counts.Link).toBe(1);
    matchTree(read, expectedElements(doc));
  });

  it('gives a distribution block printed in another language its /Lang', async () => {
    const resources = loadResources();
    // As the languages data prints it in a Russian version: English (here French in English).
    const doc = { ...loadFixture('features'), distributionLanguage: 'fr' } as UnDocument;
    const bytes = await renderPdfWith(doc, resources.styles[doc.style], resources, {
      tagged: true,
    });
    const read = await readStructure(bytes);
    const langs = read.pages[0]?.root?.children.flatMap((k) =>
      'role' in k && k.lang !== undefined ? [k.lang] : [],
    );
    expect(langs).toEqual(doc.distributionLines.filter((l) => l !== '').map(() => 'fr'));
    matchTree(read, expectedElements(doc));
  });

  it('without PDF/A (measured by the bench only) keeps the PDF/UA marks and drops PDF/A’s', async () => {
    const resources = loadResources();
    const { doc, read: full } = get('features');
    const bytes = await renderPdfWith(doc, resources.styles[doc.style], resources, {
      tagged: true,
      archival: false,
    });
    const read = await readStructure(bytes);
    expect(read.xmp.get('pdfuaid:part')).toBe('1');
    expect(read.xmp.get('pdfaid:part')).toBeUndefined();
    expect(latin1(bytes)).not.toMatch(/\/OutputIntents/u);
    expect(read.pages.map((p) => p.ops)).toEqual(full.pages.map((p) => p.ops));
  });

  it('gives the same bytes on a second render', async () => {
    const resources = loadResources();
    const { doc, tagged } = get('features');
    const again = await renderPdfWith(doc, resources.styles[doc.style], resources, {
      tagged: true,
    });
    expect(Buffer.from(again).equals(Buffer.from(tagged))).toBe(true);
  });

  it('writes well-formed XMP for a title full of XML and PDF specials', async () => {
    const resources = loadResources();
    const source = readFileSync('test/fixtures/valid/features.yaml', 'utf8').replace(
      /^docTitle: >-\n(?: {2}.*\n)+/mu,
      `docTitle: 'Tom & Jerry <script>alert("x")</script> ]]> (paren) \\\\ ü'\n`,
    );
    const { model } = loadSource(source, 'hostile-title');
    if (!model) throw new Error('fixture did not load');
    const bytes = await renderPdfWith(model, resources.styles[model.style], resources, {
      tagged: true,
    });
    const text = latin1(bytes);
    const start = text.indexOf('<?xpacket begin');
    const end = text.indexOf('<?xpacket end');
    const xmp = Buffer.from(bytes.slice(start, text.indexOf('?>', end) + 2)).toString('utf8');
    const errors: string[] = [];
    new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(xmp, 'text/xml');
    expect(errors).toEqual([]);
    const read = await readStructure(bytes);
    expect(read.xmp.get('dc:title')).toBe(read.info.Title);
    expect(String(read.info.Title)).toContain('Tom & Jerry <script>');
    matchTree(read, expectedElements(model));
  });

  it.skipIf(!QPDF)('passes qpdf --check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undoc-tags-'));
    try {
      for (const name of NAMES) {
        const file = join(dir, `${name}.pdf`);
        writeFileSync(file, get(name).tagged);
        const out = execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
        expect(out).toContain('No syntax or stream encoding errors');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!PDFTOPPM)('renders to the same pixels as the untagged PDF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undoc-tags-'));
    try {
      for (const name of ['seed', 'features'] as const) {
        const { tagged, untagged } = get(name);
        writeFileSync(join(dir, 't.pdf'), tagged);
        writeFileSync(join(dir, 'u.pdf'), untagged);
        execFileSync('pdftoppm', ['-png', '-r', '40', join(dir, 't.pdf'), join(dir, 't')]);
        execFileSync('pdftoppm', ['-png', '-r', '40', join(dir, 'u.pdf'), join(dir, 'u')]);
        const pages = get(name).read.pages.length;
        for (let p = 1; p <= pages; p++) {
          const n = String(p).padStart(String(pages).length, '0');
          const a = readFileSync(join(dir, `t-${n}.png`));
          const b = readFileSync(join(dir, `u-${n}.png`));
          expect(a.equals(b), `${name} page ${p}`).toBe(true);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!PDFFONTS)('embeds every font, each with a Unicode map', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undoc-tags-'));
    try {
      const file = join(dir, 'f.pdf');
      writeFileSync(file, get('features').tagged);
      const rows = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2);
      const fonts = rows.filter((r) => r.trim() !== '');
      expect(fonts.length).toBeGreaterThan(0);
      for (const row of fonts) expect(row, row).toMatch(/\byes\s+yes\s+yes\b/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
