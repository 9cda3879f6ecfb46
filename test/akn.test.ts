/**
 * The Akoma Ntoso XML read back: valid against the OASIS AKN 3.0 schema (schema/akn/, through
 * xmllint compiled to WebAssembly, so no system tool is needed), every word and number of the
 * model in reading order, every note at its call with its marker, the AKN4UN metadata (FRBR
 * IRIs, docNumber, docDate, docAuthority, docketNumber, session), annexes as attachments, the page
 * furniture in `proprietary`, and the same bytes from the same source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { AKN_NS, renderAkn, UNDOC_NS } from '../src/render/akn/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { bodyLines, mastheadLines, noteLines, words } from '../src/text.js';
import { source } from './fuzz-source.js';

const resources = loadResources();
const XSD = join(PACKAGE_ROOT, 'schema', 'akn');
const schema = {
  fileName: 'akomantoso30.xsd',
  contents: readFileSync(join(XSD, 'akomantoso30.xsd'), 'utf8'),
};
const preload = { fileName: 'xml.xsd', contents: readFileSync(join(XSD, 'xml.xsd'), 'utf8') };

/** Schema errors of each XML text (an empty list when valid). */
async function schemaErrors(xmls: readonly string[]): Promise<string[]> {
  const result = await validateXML({
    xml: xmls.map((contents, i) => ({ fileName: `doc-${i}.xml`, contents })),
    schema,
    preload,
    maxMemoryPages: 4096,
  });
  return result.errors.map((e) => e.rawMessage);
}

const SOURCES = [
  ['A-61-859', 'source/A-61-859.yaml'],
  ['A-61-seed', 'source/A-61-seed.yaml'],
  ['features', 'test/fixtures/valid/features.yaml'],
] as const;

function load(text: string, name: string): UnDocument {
  const r = loadSource(text, name);
  if (!r.model) throw new Error(`${name}: ${JSON.stringify(r.diagnostics)}`);
  return r.model;
}

async function akn(doc: UnDocument): Promise<string> {
  return new TextDecoder().decode(await renderAkn(doc, resources.styles[doc.style], resources));
}

interface Case {
  readonly name: string;
  readonly doc: UnDocument;
  readonly xml: string;
  readonly root: Element;
}
const cases: Case[] = [];

beforeAll(async () => {
  for (const [name, path] of SOURCES) {
    const text = readFileSync(join(PACKAGE_ROOT, path), 'utf8');
    for (const style of ['ny', 'geneva']) {
      const doc = load(text.replace(/^style: ny$/m, `style: ${style}`), name);
      const xml = await akn(doc);
      const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement as Element;
      cases.push({ name: `${name} (${style})`, doc, xml, root });
    }
  }
});

const ELEMENT = 1;
const TEXT = 3;
const elements = (n: Node): Element[] => {
  const out: Element[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling)
    if (c.nodeType === ELEMENT) out.push(c as Element);
  return out;
};
const all = (root: Element, name: string): Element[] =>
  Array.from(root.getElementsByTagNameNS(AKN_NS, name));

/** The printed text under `n`: a note is read as its marker (its text is at the page foot). */
function shown(n: Node): string {
  if (n.nodeType === TEXT) return n.nodeValue ?? '';
  if (n.nodeType !== ELEMENT) return '';
  const e = n as Element;
  if (e.localName === 'authorialNote' || e.localName === 'noteRef') {
    return e.getAttribute('marker') ?? '';
  }
  if (e.localName === 'meta') return '';
  let out = '';
  for (let c = e.firstChild; c; c = c.nextSibling) out += shown(c);
  return out;
}

/** What the reader of the document sees, in order: masthead, job number, body and annexes. */
function expectedWords(doc: UnDocument): string[] {
  const body = bodyLines(doc);
  const titleLines = 1 + (doc.subtitle ? 1 : 0);
  const job = doc.jobNumber ? [doc.jobNumber.line] : [];
  // A draft's "[symbol unassigned]" is page furniture, not data: AKN has no docNumber for it.
  const masthead = mastheadLines(doc).filter(
    (l) => doc.symbols.length > 0 || l !== doc.labels.symbolUnassigned,
  );
  return words(
    [...masthead, ...body.slice(0, titleLines), ...job, ...body.slice(titleLines)].join(' '),
  );
}

describe('AKN: valid Akoma Ntoso 3.0', () => {
  it('every source validates against the OASIS schema', async () => {
    expect(cases.length).toBe(SOURCES.length * 2);
    expect(await schemaErrors(cases.map((c) => c.xml))).toEqual([]);
  });

  it('the schema check can fail: a paragraph outside its content is refused', async () => {
    const c = cases[0] as Case;
    const broken = c.xml.replace('<mainBody>', '<mainBody><num>1.</num>');
    expect(broken).not.toBe(c.xml);
    const errors = await schemaErrors([broken]);
    expect(errors.join('\n')).toMatch(/num/);
  });

  it('same source, same bytes', async () => {
    for (const c of cases) expect(await akn(c.doc)).toBe(c.xml);
  });
});

describe('AKN: the text reads back', () => {
  it('every word and number of the model, in reading order', () => {
    for (const c of cases) {
      expect(words(shown(c.root)), c.name).toEqual(expectedWords(c.doc));
    }
  });

  it('every footnote once, as an authorialNote with its marker, in number order', () => {
    for (const c of cases) {
      const notes = all(c.root, 'authorialNote').map(
        (n) => `${n.getAttribute('marker')} ${elements(n).map(shown).join(' ')}`,
      );
      expect(
        notes.map((n) => words(n)),
        c.name,
      ).toEqual(noteLines(c.doc).map((l) => words(l)));
      const ids = new Set(all(c.root, 'authorialNote').map((n) => `#${n.getAttribute('eId')}`));
      for (const ref of all(c.root, 'noteRef')) expect(ids).toContain(ref.getAttribute('href'));
    }
  });

  it('paragraphs carry their numbers in num, sub-items their labels', () => {
    for (const c of cases) {
      const blocks = [...c.doc.body, ...c.doc.annexes.flatMap((a) => a.blocks)];
      const numbered = blocks.flatMap((b) =>
        b.kind === 'paragraph' && b.label !== undefined ? [b.label] : [],
      );
      const nums = all(c.root, 'paragraph').flatMap((p) =>
        elements(p)
          .filter((e) => e.localName === 'num')
          .map((e) => e.textContent),
      );
      expect(nums, c.name).toEqual(numbered);
      const eIds = Array.from(c.root.getElementsByTagName('*'))
        .map((e) => e.getAttribute('eId'))
        .filter((id) => id !== null);
      expect(new Set(eIds).size, `${c.name}: eIds unique`).toBe(eIds.length);
    }
  });
});

describe('AKN4UN metadata', () => {
  it('FRBR IRIs, symbol, date, organs, session and job number', () => {
    const c = cases.find((k) => k.name === 'A-61-859 (ny)') as Case;
    const value = (name: string) => all(c.root, name).map((e) => e.getAttribute('value'));
    expect(value('FRBRthis')[0]).toBe('/akn/un/doc/officialLetter/2007-04-04/A-61-859/!main');
    expect(value('FRBRthis')[1]).toBe('/akn/un/doc/officialLetter/2007-04-04/A-61-859/eng@/!main');
    expect(value('FRBRthis')[2]).toBe(
      '/akn/un/doc/officialLetter/2007-04-04/A-61-859/eng@/!main.xml',
    );
    // The main document's FRBRWork (each annex's metadata repeats it).
    expect(value('FRBRnumber')[0]).toBe('A/61/859');
    expect(value('FRBRcountry')[0]).toBe('un');
    expect(all(c.root, 'FRBRlanguage')[0]?.getAttribute('language')).toBe('eng');
    expect(all(c.root, 'docNumber').map((e) => e.textContent)).toEqual(['A/61/859']);
    expect(all(c.root, 'docAuthority').map((e) => e.textContent)).toEqual(['General Assembly']);
    const date = all(c.root, 'docDate')[0];
    expect(date?.getAttribute('date')).toBe('2007-04-04');
    expect(date?.textContent).toBe(c.doc.date.text);
    expect(all(c.root, 'session').map((e) => e.textContent)).toEqual(['Sixty-first session']);
    expect(all(c.root, 'docketNumber').map((e) => e.textContent)).toEqual(['07-29358 (E) 110407']);
    expect(all(c.root, 'doc')[0]?.getAttribute('name')).toBe('officialLetter');
  });

  it('a joint document names both organs and both symbols', () => {
    const c = cases.find((k) => k.name === 'features (ny)') as Case;
    expect(all(c.root, 'docNumber').map((e) => e.textContent)).toEqual(
      c.doc.symbols.map((s) => s.text),
    );
    expect(
      all(c.root, 'FRBRauthor')
        .slice(0, 2)
        .map((e) => e.getAttribute('href')),
    ).toEqual(['#generalAssembly', '#securityCouncil']);
  });

  it('a draft without a symbol is named after its source', () => {
    const c = cases.find((k) => k.name === 'A-61-seed (ny)') as Case;
    expect(all(c.root, 'FRBRuri')[0]?.getAttribute('value')).toBe(
      '/akn/un/doc/officialLetter/2007-04-04/draft-A-61-seed',
    );
    expect(all(c.root, 'docNumber')).toEqual([]);
    expect(all(c.root, 'docketNumber')).toEqual([]);
  });

  it('annexes are attachments, each a doc with its own component IRI', () => {
    for (const c of cases) {
      const attachments = all(c.root, 'attachment');
      expect(attachments.length, c.name).toBe(c.doc.annexes.length);
      attachments.forEach((a, i) => {
        const doc = elements(a).find((e) => e.localName === 'doc');
        expect(doc?.getAttribute('name')).toBe('annex');
        const self = doc && all(doc, 'FRBRthis')[0]?.getAttribute('value');
        expect(self).toMatch(new RegExp(`/!annex_${i + 1}$`));
      });
    }
  });

  it('signatures in conclusions: person and role', () => {
    const c = cases.find((k) => k.name === 'A-61-859 (ny)') as Case;
    const signatories = c.doc.letter?.signatories ?? [];
    expect(all(c.root, 'person').map((e) => words(e.textContent ?? ''))).toEqual(
      signatories.map((s) => words(`${s.givenNames} ${s.surname}`)),
    );
    expect(all(c.root, 'role').length).toBe(
      signatories.reduce((n, s) => n + s.titleLines.length, 0),
    );
  });

  it('the page furniture is in proprietary, in undoc’s namespace', () => {
    const c = cases.find((k) => k.name === 'A-61-859 (geneva)') as Case;
    const furniture = c.root.getElementsByTagNameNS(UNDOC_NS, 'furniture')[0];
    expect(furniture?.parentNode?.nodeName).toBe('proprietary');
    const u = (name: string) => Array.from(c.root.getElementsByTagNameNS(UNDOC_NS, name));
    expect(u('layout')[0]?.getAttribute('name')).toBe('geneva');
    expect(u('barcode')[0]?.textContent).toBe(c.doc.jobNumber?.barcode);
    expect(u('qrCode')[0]?.textContent).toBe(c.doc.symbols[0]?.url);
    expect(u('runningHeader').map((e) => e.textContent)).toEqual(['A/61/859']);
  });
});

describe('AKN: generated documents', () => {
  it('are valid and read back to their own words (40 runs)', async () => {
    const xmls: string[] = [];
    await fc.assert(
      fc.asyncProperty(source, async (yaml) => {
        const doc = load(yaml, 'fuzz');
        const xml = await akn(doc);
        const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement as Element;
        expect(words(shown(root))).toEqual(expectedWords(doc));
        xmls.push(xml);
      }),
      { numRuns: 40, seed: 20261202 },
    );
    expect(await schemaErrors(xmls)).toEqual([]);
  }, 120_000);
});
