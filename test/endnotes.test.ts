/**
 * Endnotes (`notes: endnotes`): the numbered notes printed after the text under the language's
 * "Notes", the starred ones still at the foot of their page. Every format is read back against
 * the model: the body in order, then the notes section; the starred note where footnotes go.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { importDocx } from '../src/import/index.js';
import { loadSource } from '../src/load/index.js';
import {
  type Block,
  endnotesOf,
  footOf,
  plainText,
  type Rich,
  type SubItem,
  type UnDocument,
} from '../src/model.js';
import { AKN_NS, renderAkn } from '../src/render/akn/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { htmlPage } from '../src/render/html/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import type { Style } from '../src/style/style.js';
import { bodyLines, endnoteLines, footnoteLines, noteLines, words } from '../src/text.js';
import { all, kids, openPackage, paragraphText, wAttr } from './docx-read.js';
import { attr, elements, parseHtml, readLines } from './html-read.js';
import { type Line, type ReadPdf, readPdf, wordsOf } from './pdf-read.js';

const resources = loadResources();
const FEATURES = join(PACKAGE_ROOT, 'test/fixtures/valid/features.yaml');
const ITA = join(PACKAGE_ROOT, 'test/fixtures/issued/A-HRC-WG.6-34-ITA-3.yaml');

function load(text: string, name: string): UnDocument {
  const { model, diagnostics } = loadSource(text, name);
  if (model === undefined) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return model;
}

/** features.yaml (every feature: a starred agenda note, notes in annexes) with endnotes. */
function withEndnotes(style: 'ny' | 'geneva'): string {
  return readFileSync(FEATURES, 'utf8').replace(
    /^style: ny$/mu,
    `style: ${style}\nnotes: endnotes`,
  );
}

const CASES = {
  'features, New York': () => load(withEndnotes('ny'), 'features-endnotes'),
  'features, Geneva': () => load(withEndnotes('geneva'), 'features-endnotes'),
  'A/HRC/WG.6/34/ITA/3': () => load(readFileSync(ITA, 'utf8'), 'A-HRC-WG.6-34-ITA-3'),
} as const;
type CaseName = keyof typeof CASES;
const NAMES = Object.keys(CASES) as CaseName[];

describe('the model', () => {
  it('marks the numbered notes endnotes and keeps the starred ones at the foot', () => {
    for (const name of NAMES) {
      const doc = CASES[name]();
      expect(doc.notes, name).toBe('endnotes');
      expect(endnotesOf(doc).length, name).toBeGreaterThan(0);
      for (const n of doc.footnotes)
        expect(n.endnote, `${name} ${n.id}`).toBe(/^\d+$/u.test(n.mark));
      expect(footOf(doc).length, name).toBeGreaterThan(0);
    }
  });

  it('numbers and marks the notes as footnotes would be', () => {
    const foot = load(readFileSync(FEATURES, 'utf8'), 'features');
    const end = CASES['features, New York']();
    expect(foot.notes).toBe('footnotes');
    expect(foot.footnotes.every((n) => !n.endnote)).toBe(true);
    const strip = (d: UnDocument) => d.footnotes.map(({ endnote: _, ...n }) => n);
    expect(strip(end)).toEqual(strip(foot));
    expect(bodyLines(end)).toEqual(bodyLines(foot));
  });

  it('has the heading word of each language', () => {
    const expected = {
      en: 'Notes',
      fr: 'Notes',
      es: 'Notas',
      ru: 'Примечания',
      zh: '注',
      ar: 'الحواشي',
    };
    for (const [code, word] of Object.entries(expected)) {
      const text = withEndnotes('ny').replace(/^language: en$/mu, `language: ${code}`);
      const doc = loadSource(text, 'x').model;
      // A translation may refuse other keys (its job number's letter): the label is what matters.
      const labels = doc?.labels ?? resources.languages[code as 'en'].labels;
      expect(labels.endnotes, code).toBe(word);
    }
  });
});

/** Lines of a PDF page outside its masthead, running header and footers: body and notes. */
function flowLines(pdf: ReadPdf, doc: UnDocument, style: Style): Line[][] {
  const titleWord = words(bodyLines(doc)[0] ?? '')[0];
  return pdf.pages.map((page, i) => {
    let lines = page.lines.filter((l) =>
      i === 0
        ? l.baseline > style.masthead.thickRule.y && l.baseline < style.firstPageFooter.top
        : l.baseline > style.runningHeader.ruleY &&
          l.baseline < style.page.height - style.page.bottom,
    );
    if (i === 0) lines = lines.slice(lines.findIndex((l) => l.words[0]?.text === titleWord));
    return lines;
  });
}

describe.each(NAMES)('PDF, %s', (name) => {
  let doc: UnDocument;
  let style: Style;
  let pdf: ReadPdf;
  beforeAll(async () => {
    doc = CASES[name]();
    style = resources.styles[doc.style];
    pdf = await readPdf(await renderPdf(doc, style, resources));
  });

  it('reads back the body, then the notes heading, in order', () => {
    const pages = flowLines(pdf, doc, style);
    const body = pages.flat().filter((l) => l.size !== style.footnote.size);
    // The reader sets a call in a 12pt or 14pt heading on a line of its own (its 7pt is not a
    // superscript to it): where the text has such calls, marks are left out on both sides.
    const calls = name === 'A/HRC/WG.6/34/ITA/3';
    const unmarked = (ws: string[]) =>
      calls ? ws.map((w) => w.replace(/[\d*]+$/u, '')).filter((w) => w !== '') : ws;
    expect(unmarked(wordsOf(body))).toEqual(
      unmarked(words([...bodyLines(doc), doc.labels.endnotes].join(' '))),
    );
  });

  it('prints the starred notes at the foot of their page, the endnotes after the heading', () => {
    const pages = flowLines(pdf, doc, style);
    const small = pages.flat().filter((l) => l.size === style.footnote.size);
    expect(wordsOf(small)).toEqual(
      words([...footnoteLines(doc), ...endnoteLines(doc).slice(1)].join(' ')),
    );
    // Every endnote line comes after the heading, which comes after the last body line.
    const all = pages.flatMap((p, i) => p.map((l) => ({ l, i })));
    const heading = all.findIndex(({ l }) => wordsOf([l]).join(' ') === doc.labels.endnotes);
    expect(heading).toBeGreaterThan(0);
    const firstEnd = endnotesOf(doc)[0];
    const firstText = words(endnoteLines(doc)[1] ?? '')
      .slice(1, 3)
      .join(' ');
    const at = all.findIndex(({ l }) => wordsOf([l]).slice(1, 3).join(' ') === firstText);
    expect(firstEnd && at).toBeGreaterThan(heading);
    const lastBody = all.map(({ l }) => l.size !== style.footnote.size).lastIndexOf(true);
    expect(lastBody).toBe(heading);
    // The heading at the frame's edge, as issued ("Notes" at x 56.64 in A/HRC/WG.6/34/ITA/3).
    const line = all[heading]?.l;
    expect(line?.words[0]?.x).toBeCloseTo(style.body.left + style.endnotes.headingX, 0);
    expect(line?.size).toBeCloseTo(style.endnotes.headingSize, 1);
  });

  it('takes no room at the foot of a page for an endnote', () => {
    // Only the starred notes are small lines before the heading's page.
    const pages = flowLines(pdf, doc, style);
    const headingPage = pages.findIndex((p) =>
      p.some((l) => wordsOf([l]).join(' ') === doc.labels.endnotes),
    );
    const before = pages
      .slice(0, headingPage)
      .flat()
      .filter((l) => l.size === style.footnote.size);
    expect(wordsOf(before)).toEqual(words(footnoteLines(doc).join(' ')));
  });
});

describe.each(NAMES)('HTML, %s', (name) => {
  let doc: UnDocument;
  let dom: ReturnType<typeof parseHtml>;
  let html: string;
  beforeAll(async () => {
    doc = CASES[name]();
    html = await htmlPage(doc, resources.styles[doc.style], resources);
    dom = parseHtml(html);
  });

  it('reads back the body, then the notes section, in main', () => {
    const main = elements(dom).find((e) => e.tagName === 'main');
    expect(main && readLines(main)).toEqual(
      [...bodyLines(doc), ...endnoteLines(doc)].map((l) => l.replace(/\s+/g, ' ').trim()),
    );
  });

  it('keeps the starred notes in the notes after the text', () => {
    const sections = elements(dom).filter((e) => attr(e, 'role') === 'doc-endnotes');
    const foot = sections.find((e) => attr(e, 'class') === 'notes');
    expect(foot ? readLines(foot) : []).toEqual(footnoteLines(doc));
  });

  it('links every call to its note and every note back to its first call', () => {
    const ids = new Set(elements(dom).flatMap((e) => (attr(e, 'id') ? [attr(e, 'id')] : [])));
    const calls = elements(dom).filter((e) => attr(e, 'role') === 'doc-noteref');
    expect(calls.length).toBeGreaterThanOrEqual(doc.footnotes.length);
    for (const a of calls) expect(ids).toContain(attr(a, 'href')?.slice(1));
    const backs = elements(dom).filter((e) => attr(e, 'role') === 'doc-backlink');
    expect(backs.length).toBe(doc.footnotes.length);
    for (const a of backs) expect(ids).toContain(attr(a, 'href')?.slice(1));
  });

  it('styles the notes section only on a page that has one', async () => {
    expect(html).toContain('.endnotes-heading');
    expect(html).toContain('--endnotes-heading-size');
    const plain = load(readFileSync(FEATURES, 'utf8'), 'features');
    const other = await htmlPage(plain, resources.styles[plain.style], resources);
    expect(other).not.toContain('endnotes-heading');
    expect(other).not.toContain('--endnotes');
  });
});

describe.each(NAMES)('AKN, %s', (name) => {
  it('writes each note at its call, endnotes placed at the bottom of the main body', async () => {
    const doc = CASES[name]();
    const xml = new TextDecoder().decode(
      await renderAkn(doc, resources.styles[doc.style], resources),
    );
    const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement as Element;
    const notes = Array.from(root.getElementsByTagNameNS(AKN_NS, 'authorialNote'));
    expect(notes.map((n) => n.getAttribute('marker'))).toEqual(doc.footnotes.map((n) => n.mark));
    for (const [i, n] of notes.entries()) {
      const note = doc.footnotes[i];
      expect(n.getAttribute('placement')).toBe('bottom');
      expect(n.getAttribute('placementBase')).toBe(note?.endnote ? '#mainBody' : null);
      expect(words(n.textContent ?? '')).toEqual(
        words(noteLines(doc)[i]?.slice(note?.mark.length) ?? ''),
      );
    }
    const main = root.getElementsByTagNameNS(AKN_NS, 'mainBody')[0];
    expect(main?.getAttribute('eId')).toBe('mainBody');
    // Valid Akoma Ntoso 3.0: placementBase is an eIdRef ("#mainBody") the document holds.
    const xsd = join(PACKAGE_ROOT, 'schema', 'akn');
    const result = await validateXML({
      xml: [{ fileName: 'doc.xml', contents: xml }],
      schema: {
        fileName: 'akomantoso30.xsd',
        contents: readFileSync(join(xsd, 'akomantoso30.xsd'), 'utf8'),
      },
      preload: { fileName: 'xml.xsd', contents: readFileSync(join(xsd, 'xml.xsd'), 'utf8') },
      maxMemoryPages: 4096,
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  });
});

/** The marks of the note calls in a run of inline content, in order. */
function callMarks(rich: Rich): string[] {
  return rich.flatMap((n) =>
    n.kind === 'noteRef' ? [n.mark] : n.kind === 'text' ? [] : callMarks(n.children),
  );
}

describe.each(NAMES)('DOCX, %s', (name) => {
  let doc: UnDocument;
  let bytes: Uint8Array;
  beforeAll(async () => {
    doc = CASES[name]();
    bytes = await renderDocx(doc, resources.styles[doc.style], resources);
  });

  it('calls Word endnotes from the text, and the starred notes as footnotes', () => {
    const pkg = openPackage(bytes);
    const body = pkg.xml('word/document.xml');
    const ends = all(body, 'endnoteReference').map((e) => wAttr(e, 'id'));
    const foots = all(body, 'footnoteReference').map((e) => wAttr(e, 'id'));
    // Each note is called at least once, by its number as Word id, from its own part.
    expect([...new Set(ends)].sort()).toEqual(
      endnotesOf(doc)
        .map((n) => String(n.number))
        .sort(),
    );
    expect([...new Set(foots)].sort()).toEqual(
      footOf(doc)
        .map((n) => String(n.number))
        .sort(),
    );
    // Decimal endnotes at the end of the document (Word's own default is i, ii, iii).
    const pr = all(body, 'endnotePr')[0];
    expect(pr && wAttr(kids(pr, 'numFmt')[0])).toBe('decimal');
    expect(pr && wAttr(kids(pr, 'pos')[0])).toBe('docEnd');
  });

  it('writes the endnotes part: the heading as its separator, then each note in order', () => {
    const pkg = openPackage(bytes);
    const part = pkg.xml('word/endnotes.xml');
    const notes = kids(part, 'endnote');
    const separator = notes.find((e) => wAttr(e, 'type') === 'separator');
    const heading = separator ? all(separator, 'p').map((p) => paragraphText(p, new Map())) : [];
    expect(heading).toEqual([doc.labels.endnotes]);
    const normal = notes.filter((e) => (wAttr(e, 'type') ?? 'normal') === 'normal');
    const marks = new Map(doc.footnotes.map((n) => [`e${n.number}`, n.mark]));
    expect(normal.map((e) => wAttr(e, 'id'))).toEqual(endnotesOf(doc).map((n) => String(n.number)));
    for (const [i, e] of normal.entries()) {
      const note = endnotesOf(doc)[i];
      const text = all(e, 'p')
        .map((p) => paragraphText(p, marks))
        .join(' ');
      expect(words(text.replace(/\t/g, ' ')), note?.id).toEqual(
        words(note ? plainText(note.text) : ''),
      );
      expect(all(e, 'pStyle').map((s) => wAttr(s))).toContain('EndnoteText');
    }
    // Set as the footnotes are: the endnote text style has the footnote text style's indents.
    const styles = pkg.text('word/styles.xml');
    const styleOf = (id: string) =>
      /<w:style [^>]*w:styleId="([^"]+)"[^>]*>(.*?)<\/w:style>/gsu
        .exec(styles.slice(styles.indexOf(`w:styleId="${id}"`) - 60))?.[2]
        ?.replace(/<w:name [^>]*\/>/u, '');
    expect(styleOf('EndnoteText')).toBe(styleOf('FootnoteText'));
  });

  it('reads back the calls in the order of the model, each of its note’s kind', () => {
    const pkg = openPackage(bytes);
    const byId = new Map(doc.footnotes.map((n) => [n.number, n]));
    const calls = all(pkg.xml('word/document.xml'), 'r').flatMap((r) => {
      const e = kids(r, 'endnoteReference')[0];
      const f = kids(r, 'footnoteReference')[0];
      const note = byId.get(Number(wAttr(e ?? f, 'id')));
      if (note === undefined) return [];
      // An endnote call for an endnote, a footnote's for the others.
      expect(e !== undefined, note.id).toBe(note.endnote);
      return [note.mark];
    });
    const blocks = (bs: readonly Block[]): string[] =>
      bs.flatMap((b) =>
        b.kind === 'paragraph' ? [...callMarks(b.text), ...items(b.items)] : callMarks(b.title),
      );
    const items = (is: readonly SubItem[]): string[] =>
      is.flatMap((i) => [...callMarks(i.text), ...items(i.items)]);
    const opt = (r: Rich | undefined) => (r ? callMarks(r) : []);
    const expected = [
      ...doc.organs.flatMap((o) => [
        ...opt(o.agendaLabel),
        ...o.agendaItems.flatMap((a) => callMarks(a.title)),
      ]),
      ...callMarks(doc.title),
      ...opt(doc.subtitle),
      ...(doc.letter?.paragraphs.flatMap((p) => callMarks(p.text)) ?? []),
      ...(doc.letter?.signatories.flatMap((s) => s.titleLines.flatMap(callMarks)) ?? []),
      ...blocks(doc.body),
      ...doc.annexes.flatMap((a) => [
        ...callMarks(a.heading),
        ...opt(a.title),
        ...opt(a.subtitle),
        ...opt(a.dateLine),
        ...opt(a.placeDate),
        ...blocks(a.blocks),
      ]),
    ];
    expect(calls).toEqual(expected);
  });

  it('imports back as the same document with endnotes (round trip)', () => {
    const { yaml } = importDocx(bytes, { name: doc.name });
    expect(yaml).toMatch(/^notes: endnotes$/mu);
    const back = load(yaml, doc.name);
    expect(back.notes).toBe('endnotes');
    const notes = (d: UnDocument) =>
      d.footnotes.map((n) => ({
        id: n.id,
        mark: n.mark,
        endnote: n.endnote,
        text: plainText(n.text),
      }));
    expect(notes(back)).toEqual(notes(doc));
    expect(bodyLines(back)).toEqual(bodyLines(doc));
  });

  it('names a numbered Word footnote beside endnotes, read as an endnote with its text', () => {
    const MIXED = /numbered footnote in a document with endnotes/u;
    expect(
      importDocx(bytes, { name: doc.name })
        .warnings.map((w) => w.message)
        .join('\n'),
    ).not.toMatch(MIXED);
    // The first endnote call becomes a call of a plain numbered Word footnote of its own.
    const files = unzipSync(bytes);
    const text = (part: string) => strFromU8(files[part] ?? new Uint8Array());
    const body = text('word/document.xml');
    const call = /<w:endnoteReference w:id="\d+"\/>/u.exec(body);
    expect(call).not.toBeNull();
    files['word/document.xml'] = strToU8(
      body.replace(call?.[0] ?? '', '<w:footnoteReference w:id="900"/>'),
    );
    const foot = text('word/footnotes.xml');
    expect(foot).toContain('</w:footnotes>');
    files['word/footnotes.xml'] = strToU8(
      foot.replace(
        '</w:footnotes>',
        '<w:footnote w:id="900"><w:p><w:r><w:t>A plain Word footnote.</w:t></w:r></w:p></w:footnote></w:footnotes>',
      ),
    );
    const { yaml, warnings } = importDocx(zipSync(files), { name: doc.name });
    const named = warnings.filter((w) => MIXED.test(w.message));
    expect(named).toHaveLength(1);
    expect(named[0]?.where).toMatch(/^footnote /u);
    const back = load(yaml, doc.name);
    expect(back.notes).toBe('endnotes');
    const plain = back.footnotes.find((n) => plainText(n.text) === 'A plain Word footnote.');
    expect(plain?.endnote).toBe(true);
  });
});
