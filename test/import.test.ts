/**
 * `undoc import`: undoc's own DOCX back to a source that rebuilds the same model (the sources,
 * both layouts, and a fast-check property over generated documents); edits made in the XML as
 * Word writes it (a word, an added paragraph, a removed footnote) and through LibreOffice where it
 * is installed; tracked changes refused, accepted or rejected, never half-applied; the
 * Secretariat's own Word file imported with every word; hostile packages refused with one
 * diagnostic and nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/diagnostics.js';
import { DocxError, importDocx, type TrackedPolicy } from '../src/import/index.js';
import { canonical } from '../src/import/markdown.js';
import { loadSource } from '../src/load/index.js';
import { LANGUAGES, type UnDocument } from '../src/model.js';
import { renderDocx } from '../src/render/docx/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { bodyLines, footnoteLines, words } from '../src/text.js';
import { source } from './fuzz-source.js';
import { runCli } from './in-process-cli.js';
import { soffice } from './soffice.js';

const resources = loadResources();
const REFERENCE = join(
  PACKAGE_ROOT,
  '..',
  'shared',
  'reference',
  'ECE_TRADE_C_CEFACT_2018_1E.docx',
);
const has = (tool: string): boolean => spawnSync('which', [tool]).status === 0;
const work = mkdtempSync(join(tmpdir(), 'undoc-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function load(text: string | Uint8Array, name = 'doc'): UnDocument {
  const r = loadSource(text, name);
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics, null, 1));
  return r.model;
}

const docx = async (doc: UnDocument): Promise<Uint8Array> =>
  renderDocx(doc, resources.styles[doc.style], resources);

/** The model without source places, every text in its canonical form (same print, same form). */
function canon(doc: UnDocument): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const rich =
        v.length > 0 &&
        v.every(
          (x) =>
            x &&
            typeof x === 'object' &&
            'kind' in x &&
            ['text', 'italic', 'bold', 'noteRef'].includes((x as { kind: string }).kind),
        );
      return rich ? canonical(v) : v.map(walk);
    }
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'span')
          .map(([k, x]) => [k, walk(x)]),
      );
    }
    return v;
  };
  return walk(doc);
}

function imported(bytes: Uint8Array, tracked: TrackedPolicy = 'refuse', name = 'doc') {
  const r = importDocx(bytes, { name, tracked });
  return { ...r, doc: load(r.yaml, name) };
}

const SOURCES = [
  'source/A-61-859.yaml',
  'source/A-61-859.fr.yaml',
  'source/A-61-859.es.yaml',
  'source/A-61-859.ru.yaml',
  'source/A-61-859.zh.yaml',
  'source/A-61-859.ar.yaml',
  'source/A-61-seed.yaml',
  'test/fixtures/valid/features.yaml',
];
const text = (path: string) => readFileSync(join(PACKAGE_ROOT, path), 'utf8');

describe('import: undoc’s own DOCX rebuilds the same document', () => {
  it.each(
    SOURCES.flatMap((p) => [
      [p, 'ny'],
      [p, 'geneva'],
    ]),
  )('%s (%s)', async (path, style) => {
    const doc = load(text(path).replace(/^style: ny$/m, `style: ${style}`), 'doc');
    const back = imported(await docx(doc));
    expect(back.warnings).toEqual([]);
    expect(canon(back.doc)).toEqual(canon(doc));
    // The rebuilt DOCX is the same file, byte for byte.
    expect(Buffer.from(await docx(back.doc)).equals(Buffer.from(await docx(doc)))).toBe(true);
  });

  it('a starred note (the Geneva title’s “not edited” note) comes back starred, its “*” and all', async () => {
    const doc = load(text('test/fixtures/issued/A-HRC-WG.6-34-ITA-3.yaml'), 'doc');
    const starred = doc.footnotes.filter((f) => f.mark === '*');
    expect(starred.map((f) => f.id)).toEqual(['unedited']);
    const back = imported(await docx(doc));
    expect(back.warnings).toEqual([]);
    expect(back.yaml).toMatch(/^ {2}unedited:\n {4}text: .*\n {4}starred: true$/mu);
    const notes = (d: UnDocument) =>
      d.footnotes.map(({ id, number, mark }) => ({ id, number, mark }));
    expect(notes(back.doc)).toEqual(notes(doc));
    expect(canon(back.doc)).toEqual(canon(doc));
  });

  it('property: generated documents → DOCX → import → the same model (40 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(source, async (yaml) => {
        const doc = load(yaml, 'doc');
        const back = imported(await docx(doc));
        expect(canon(back.doc)).toEqual(canon(doc));
      }),
      { numRuns: 40, seed: 20261202 },
    );
  }, 120_000);

  it.each(['fr', 'es', 'ru', 'zh', 'ar'])(
    'test/fixtures/valid/features.yaml in %s: sub-items, signatures and the annex’s original language come back',
    async (code) => {
      const letter = LANGUAGES[code as keyof typeof LANGUAGES].letter;
      const doc = load(
        text('test/fixtures/valid/features.yaml')
          .replace(/^language: en$/m, `language: ${code}`)
          .replace(/ \(E\) /, ` (${letter}) `),
      );
      expect(doc.annexes.some((a) => a.originalLanguage === 'fr')).toBe(true);
      const back = imported(await docx(doc));
      expect(back.warnings).toEqual([]);
      expect(canon(back.doc)).toEqual(canon(doc));
    },
  );

  it('property: generated documents in the six languages, annexes in another → DOCX → import → the same model (30 runs)', async () => {
    const codes = ['en', 'fr', 'es', 'ru', 'zh', 'ar'] as const;
    await fc.assert(
      fc.asyncProperty(
        source,
        fc.constantFrom(...codes),
        fc.constantFrom(...codes),
        async (yaml, language, original) => {
          const written = yaml
            .replace(/^language: en$/m, `language: ${language}`)
            .replace(/^( {2}- heading: .*)$/gm, `$1\n    originalLanguage: ${original}`);
          const doc = load(written, 'doc');
          expect(doc.annexes.every((a) => a.originalLanguage === original)).toBe(true);
          const back = imported(await docx(doc));
          expect(canon(back.doc)).toEqual(canon(doc));
        },
      ),
      { numRuns: 30, seed: 20261202 },
    );
  }, 120_000);

  it('the metadata is an invisible document property, and the DOCX stays deterministic', async () => {
    const doc = load(text('source/A-61-859.yaml'));
    const a = await docx(doc);
    const custom = strFromU8(unzipSync(a)['docProps/custom.xml'] ?? new Uint8Array());
    expect(custom).toContain('name="undoc"');
    expect(custom).toContain('07-29358 (E) 110407');
    expect(Buffer.from(await docx(doc)).equals(Buffer.from(a))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Edits, as Word writes them

/** Rewrites parts of a DOCX (path → new text), zipped again. */
function edit(bytes: Uint8Array, change: (parts: Record<string, string>) => void): Uint8Array {
  const files = unzipSync(bytes);
  const texts: Record<string, string> = {};
  for (const [k, v] of Object.entries(files))
    if (k.endsWith('.xml') || k.endsWith('.rels')) texts[k] = strFromU8(v);
  change(texts);
  for (const [k, v] of Object.entries(texts)) files[k] = strToU8(v);
  return zipSync(files);
}

/** The `<w:p>` element holding `needle`. */
function paragraphWith(xml: string, needle: string): string {
  const at = xml.indexOf(needle);
  const start = Math.max(xml.lastIndexOf('<w:p>', at), xml.lastIndexOf('<w:p ', at));
  const end = xml.indexOf('</w:p>', at) + '</w:p>'.length;
  return xml.slice(start, end);
}

describe('import: edits made in Word come back', async () => {
  const original = load(text('test/fixtures/valid/features.yaml'));
  const bytes = await docx(original);
  const annexParas = (d: UnDocument, a = 0) =>
    (d.annexes[a]?.blocks ?? []).flatMap((b) =>
      b.kind === 'paragraph' && b.number !== undefined ? [b] : [],
    );

  it('a word changed', () => {
    const changed = edit(bytes, (p) => {
      p['word/document.xml'] = (p['word/document.xml'] ?? '').replace(
        'Numbering runs on across headings',
        'Numbering continues across headings',
      );
    });
    const back = imported(changed);
    expect(bodyLines(back.doc)).toContain(
      '4. Numbering continues across headings, as in the seed.',
    );
    expect(bodyLines(back.doc).filter((l) => l.includes('runs on'))).toEqual([]);
  });

  it('a paragraph added (typed with the number of the one it was copied from): numbering follows', () => {
    const changed = edit(bytes, (p) => {
      const xml = p['word/document.xml'] ?? '';
      const para = paragraphWith(xml, 'Several States have issued statements');
      const copy = para.replace(
        /Several States have issued statements of their own[^<]*/,
        'A paragraph added in Word.',
      );
      p['word/document.xml'] = xml.replace(para, para + copy);
    });
    const back = imported(changed);
    const paras = annexParas(back.doc);
    expect(paras.map((b) => b.number)).toEqual([1, 2, 3, 4, 5]);
    expect(bodyLines(back.doc)).toContain('4. A paragraph added in Word.');
    expect(bodyLines(back.doc)).toContain('5. Numbering runs on across headings, as in the seed.');
    expect(back.warnings.some((w) => /typed as paragraph 3: numbered 4/.test(w.message))).toBe(
      true,
    );
  });

  it('an edit to the masthead’s codes is not taken silently: a warning names it', () => {
    const changed = edit(bytes, (p) => {
      p['word/document.xml'] = (p['word/document.xml'] ?? '').replace(
        'Seventy-eighth session',
        'Seventy-ninth session',
      );
    });
    const back = imported(changed);
    expect(back.doc.organs[0]?.session).toBe('Seventy-eighth session');
    expect(back.warnings.map((w) => w.message).join('\n')).toMatch(
      /session “Seventy-eighth session” is no longer on the page/,
    );
  });

  it('a footnote removed', () => {
    const before = original.footnotes.length;
    const changed = edit(bytes, (p) => {
      p['word/document.xml'] = (p['word/document.xml'] ?? '').replace(
        /<w:r>(?:(?!<w:r>).)*?<w:footnoteReference w:id="4"\/><\/w:r>/s,
        '',
      );
      p['word/footnotes.xml'] = (p['word/footnotes.xml'] ?? '').replace(
        /<w:footnote w:id="4">.*?<\/w:footnote>/s,
        '',
      );
    });
    const back = imported(changed);
    expect(back.doc.footnotes.length).toBe(before - 1);
    expect(footnoteLines(back.doc).join('\n')).not.toContain('central electoral commission');
  });

  it('a paragraph in a style undoc does not know: read by its formatting, named in a warning', () => {
    const changed = edit(bytes, (p) => {
      const xml = p['word/document.xml'] ?? '';
      const quote = paragraphWith(xml, 'This paragraph is deliberately unnumbered');
      const heading = paragraphWith(xml, 'Reactions of the international community');
      p['word/document.xml'] = xml
        .replace(quote, quote.replace(/<w:pStyle w:val="[^"]+"\/>/, '<w:pStyle w:val="MyQuote"/>'))
        .replace(
          heading,
          heading
            .replace(/<w:pStyle w:val="[^"]+"\/>/, '<w:pStyle w:val="MyHeading"/>')
            .replace(/<w:r>/g, '<w:r><w:rPr><w:b/></w:rPr>'),
        );
    });
    const back = imported(changed);
    expect(bodyLines(back.doc)).toContain(
      'This paragraph is deliberately unnumbered, as a quoted passage would be.',
    );
    const subheadings = (back.doc.annexes[0]?.blocks ?? []).filter((b) => b.kind === 'subheading');
    expect(
      subheadings.map((b) => (b.kind === 'subheading' ? canonical(b.title) : '')),
    ).toHaveLength(1);
    const named = back.warnings.map((w) => `${w.where}: ${w.message}`);
    expect(
      named.some(
        (w) =>
          /This paragraph is deliberately/.test(w) &&
          /style "MyQuote"/.test(w) &&
          /as a paragraph/.test(w),
      ),
    ).toBe(true);
    expect(
      named.some(
        (w) =>
          /Reactions of the international/.test(w) &&
          /style "MyHeading"/.test(w) &&
          /sub-heading/.test(w),
      ),
    ).toBe(true);
  });

  it.skipIf(!has('soffice'))(
    'LibreOffice opens and saves it: the text comes back',
    async () => {
      const dir = mkdtempSync(join(work, 'lo-'));
      writeFileSync(join(dir, 'in.docx'), bytes);
      const out = join(dir, 'out');
      const r = soffice(dir, 'docx:MS Word 2007 XML', out, [join(dir, 'in.docx')]);
      expect(r.status, String(r.stderr)).toBe(0);
      const back = imported(readFileSync(join(out, 'in.docx')));
      expect(words(bodyLines(back.doc).join(' '))).toEqual(words(bodyLines(original).join(' ')));
      expect(words(footnoteLines(back.doc).join(' '))).toEqual(
        words(footnoteLines(original).join(' ')),
      );
    },
    180_000,
  );
});

// ---------------------------------------------------------------------------------------------

describe('import: tracked changes, all or none', async () => {
  const original = load(text('source/A-61-859.yaml'));
  const tracked = edit(await docx(original), (p) => {
    p['word/document.xml'] = (p['word/document.xml'] ?? '').replace(
      '<w:t xml:space="preserve">We have the honour',
      '<w:t xml:space="preserve">We</w:t></w:r><w:del w:id="901" w:author="Editor" w:date="2007-04-01T00:00:00Z"><w:r><w:delText xml:space="preserve"> have</w:delText></w:r></w:del><w:ins w:id="902" w:author="Editor" w:date="2007-04-01T00:00:00Z"><w:r><w:t xml:space="preserve"> hereby have</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> the honour',
    );
  });

  it('the edit was made where it should be', () => {
    expect(strFromU8(unzipSync(tracked)['word/document.xml'] ?? new Uint8Array())).toContain(
      '<w:ins w:id="902"',
    );
  });

  it('refused by default, with the count and the place, nothing half-applied', () => {
    let error: unknown;
    try {
      importDocx(tracked, { name: 'doc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DocxError);
    expect((error as DocxError).code).toBe('tracked-changes');
    expect((error as DocxError).message).toMatch(/2 tracked changes/);
  });

  it('accepted: the insertion in, the deletion out', () => {
    const first = imported(tracked, 'accept').doc.letter?.paragraphs[0]?.text;
    expect(canonical(first ?? [])).toBe(
      canonical([
        {
          kind: 'text',
          text: (
            (original.letter?.paragraphs[0]?.text[0] ?? { text: '' }) as { text: string }
          ).text.replace('We have', 'We hereby have'),
        },
      ]),
    );
  });

  it('rejected: the document as it was', () => {
    expect(canon(imported(tracked, 'reject').doc)).toEqual(canon(original));
  });
});

// ---------------------------------------------------------------------------------------------

describe('import: a Word file without undoc’s property, its masthead in any of the six languages', () => {
  it.each(['en', 'fr', 'es', 'ru', 'zh', 'ar'])(
    '%s: organ, session, distribution, date, languages',
    async (code) => {
      const doc = load(
        text(code === 'en' ? 'source/A-61-859.yaml' : `source/A-61-859.${code}.yaml`),
      );
      // The same file as another editor saves it: undoc's document property gone.
      const plain = edit(await docx(doc), (p) => {
        p['docProps/custom.xml'] = (p['docProps/custom.xml'] ?? '').replace(
          /<property [^>]*name="undoc"[\s\S]*?<\/property>/,
          '',
        );
      });
      const r = importDocx(plain, { name: 'doc', tracked: 'refuse' });
      const read = load(r.yaml);
      expect(r.warnings.map((w) => w.message).join('\n')).not.toContain('no organ found');
      expect({
        language: read.language,
        originalLanguage: read.originalLanguage,
        distribution: read.distribution,
        date: read.date.iso,
        organ: read.organs[0]?.name,
        session: read.organs[0]?.session,
        symbols: read.symbols.map((x) => x.text),
      }).toEqual({
        language: code,
        originalLanguage: 'en',
        distribution: 'General',
        date: '2007-04-04',
        organ: doc.organs[0]?.name,
        session: doc.organs[0]?.session,
        symbols: ['A/61/859'],
      });
    },
  );
});

describe('import: the Secretariat’s own Word file (ECE/TRADE/C/CEFACT/2018/1)', () => {
  it.skipIf(!existsSync(REFERENCE))(
    'gives a valid report that renders every word of its text',
    async () => {
      const bytes = readFileSync(REFERENCE);
      const back = imported(bytes, 'refuse', 'ECE_TRADE_C_CEFACT_2018_1E');
      expect(back.doc.docType).toBe('report');
      expect(back.doc.style).toBe('geneva');
      expect(back.doc.symbols.map((s) => s.text)).toEqual(['ECE/TRADE/C/CEFACT/2018/1']);
      expect(back.doc.date.iso).toBe('2018-02-08');
      expect(back.doc.organs.map((o) => o.name)).toEqual(['Economic and Social Council']);
      expect(back.doc.footnotes.length).toBe(2);
      // Every paragraph of the Word file (body, tables, footnotes), its text without spaces (runs
      // split words: "twent" + "y-" + "fourth"), is in the rendered DOCX's text, read the same way.
      const texts = (files: Record<string, Uint8Array>, parts: string[]) =>
        parts.flatMap((part) =>
          [...strFromU8(files[part] ?? new Uint8Array()).matchAll(/<w:p[ >].*?<\/w:p>/gs)].map(
            (p) =>
              [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
                .map((m) => m[1] ?? '')
                .join('')
                .replace(/&amp;/g, '&')
                .replace(/&quot;/g, '"')
                .replace(/\s+/g, ''),
          ),
        );
      const parts = ['word/document.xml', 'word/footnotes.xml'];
      const rendered = texts(unzipSync(await docx(back.doc)), parts).join('');
      const missing = texts(unzipSync(bytes), parts).filter(
        (t) => t !== '' && !rendered.includes(t),
      );
      expect(missing).toEqual([]);
    },
    60_000,
  );
});

// ---------------------------------------------------------------------------------------------

/** Runs the CLI in process. */
const cli = (...argv: string[]) => runCli(argv);

describe('import: hostile Word files — one diagnostic, nothing written', async () => {
  const good = await docx(load(text('source/A-61-seed.yaml')));
  const put = (name: string, bytes: Uint8Array) => {
    const path = join(work, name);
    writeFileSync(path, bytes);
    return path;
  };
  const expectRefused = async (file: string, code: string, message: RegExp) => {
    const yaml = join(work, `${code}-${Math.random().toString(36).slice(2)}.yaml`);
    const r = await cli('import', file, '-o', yaml);
    expect(r.code, r.err).toBe(EXIT.invalid);
    expect(r.err).toMatch(new RegExp(`: error ${code}: `));
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(yaml)).toBe(false);
  };

  it('a zip bomb: refused from its directory, nothing inflated', async () => {
    const bomb = zipSync(
      {
        '[Content_Types].xml': strToU8('<Types/>'),
        'word/document.xml': new Uint8Array(80 * 1024 * 1024),
      },
      { level: 9 },
    );
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expectRefused(put('bomb.docx', bomb), 'file-too-large', /zip bomb/);
  });

  it('missing parts', async () => {
    const files = unzipSync(good);
    delete files['word/document.xml'];
    await expectRefused(put('missing.docx', zipSync(files)), 'bad-docx', /no word\/document\.xml/);
  });

  it('XML entities (XXE, billion laughs): refused unparsed', async () => {
    const xxe = edit(good, (p) => {
      p['word/document.xml'] = (p['word/document.xml'] ?? '').replace(
        '?>',
        '?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
      );
    });
    await expectRefused(put('xxe.docx', xxe), 'bad-docx', /DOCTYPE/);
  });

  it('malformed XML, and a file that is not a zip', async () => {
    const broken = edit(good, (p) => {
      p['word/document.xml'] = (p['word/document.xml'] ?? '').replace('</w:body>', '');
    });
    await expectRefused(put('broken.docx', broken), 'bad-docx', /not well-formed/);
    await expectRefused(put('text.docx', strToU8('just text')), 'bad-docx', /not a zip/);
  });

  it('a huge file: refused by its size, unread', async () => {
    const path = join(work, 'huge.docx');
    writeFileSync(path, '');
    spawnSync('truncate', ['-s', '60M', path]);
    await expectRefused(path, 'file-too-large', /at most/);
  });

  it('external relationships are never fetched', async () => {
    let hits = 0;
    const server = createServer((_q, s) => {
      hits++;
      s.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const linked = edit(good, (p) => {
      p['word/_rels/document.xml.rels'] = (p['word/_rels/document.xml.rels'] ?? '').replace(
        '</Relationships>',
        `<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${url}a.png" TargetMode="External"/><Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="${url}t.dotx" TargetMode="External"/></Relationships>`,
      );
    });
    const yaml = join(work, 'linked.yaml');
    const r = await cli('import', put('linked.docx', linked), '-o', yaml);
    await new Promise((res) => setTimeout(res, 200));
    server.close();
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(hits).toBe(0);
    expect(load(readFileSync(yaml), 'linked').title).toBeDefined();
  });

  it('usage: no file, two files, both change policies (exit 2); a missing file (exit 3)', async () => {
    expect((await cli('import')).code).toBe(EXIT.usage);
    expect((await cli('import', 'a.docx', 'b.docx')).code).toBe(EXIT.usage);
    expect((await cli('import', 'a.docx', '--accept-changes', '--reject-changes')).code).toBe(
      EXIT.usage,
    );
    expect((await cli('build', '--accept-changes')).code).toBe(EXIT.usage);
    const missing = await cli('import', join(work, 'nope.docx'));
    expect(missing.code).toBe(EXIT.io);
    expect(missing.err).toMatch(/error read-failed/);
  });

  it('a good file to standard output, warnings on standard error', async () => {
    const r = await cli('import', put('good.docx', good));
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^# yaml-language-server: \$schema=/);
    expect(load(r.out).title).toEqual(load(text('source/A-61-seed.yaml')).title);
  });
});
