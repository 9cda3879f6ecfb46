/**
 * Word's own hyphens in the DOCX: a non-breaking hyphen (U+2011) is written `<w:noBreakHyphen/>`
 * and a soft hyphen (U+00AD) `<w:softHyphen/>`, as Word writes them, each in a run of its own
 * with the text's formatting; the importer reads them back as the characters, and LibreOffice
 * keeps "non‑international" whole at a line end, where a plain hyphen breaks it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDocx } from '../src/import/index.js';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { renderDocx } from '../src/render/docx/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { bodyLines } from '../src/text.js';
import { all, kids, openPackage, paragraphs } from './docx-read.js';
import { soffice } from './soffice.js';

const resources = loadResources();
const SEED = readFileSync(join(PACKAGE_ROOT, 'source/A-61-seed.yaml'), 'utf8');
const FIRST = 'We have the honour to request you kindly';

/** Words of varied length before each compound, so the compounds land at many line ends. */
const FILLER = ['the', 'armed', 'conflicts', 'of', 'a', 'most', 'serious', 'and', 'lasting'];
function compounds(hyphen: string): string {
  return Array.from({ length: 60 }, (_, i) => {
    const words = FILLER.slice(i % 5, (i % 5) + 1 + (i % 4)).join(' ');
    return `${words} non${hyphen}international`;
  }).join(' ');
}

function seedWith(prefix: string): UnDocument {
  const yaml = SEED.replace(FIRST, `${prefix} ${FIRST}`);
  expect(yaml).not.toBe(SEED);
  const r = loadSource(yaml, 'hyphens');
  if (!r.model) throw new Error(JSON.stringify(r.diagnostics));
  return r.model;
}

const docx = (doc: UnDocument) => renderDocx(doc, resources.styles[doc.style], resources);

describe('DOCX: non-breaking and soft hyphens as Word writes them', () => {
  const doc = seedWith('*Co\u00adoperation* in non\u2011international armed conflicts.');

  it('writes w:noBreakHyphen and w:softHyphen runs, in place, with the text’s formatting', async () => {
    const body = openPackage(await docx(doc)).xml('word/document.xml');
    const runs = all(body, 'r');
    const noBreak = runs.filter((r) => kids(r, 'noBreakHyphen').length > 0);
    const soft = runs.filter((r) => kids(r, 'softHyphen').length > 0);
    expect(noBreak).toHaveLength(1);
    expect(soft).toHaveLength(1);
    // Only the hyphen in its run, and no hyphen character left in any w:t.
    for (const r of [...noBreak, ...soft]) expect(kids(r, 't')).toEqual([]);
    expect(all(body, 't').some((t) => /[\u2011\u00ad]/.test(t.textContent ?? ''))).toBe(false);
    // The soft hyphen sits inside the italic word, and is italic itself.
    expect(kids(kids(soft[0] as never, 'rPr')[0] as never, 'i')).toHaveLength(1);
    // Read in order, the paragraph has the model's text.
    const read = paragraphs(body, new Map()).map((p) => p.text);
    expect(read).toContain(bodyLines(doc).find((l) => l.startsWith('Co')));
  });

  it('imports them back as U+2011 and U+00AD: the same text', async () => {
    const r = importDocx(await docx(doc), { name: 'hyphens', tracked: 'refuse' });
    expect(r.warnings).toEqual([]);
    expect(r.yaml).toContain('non\u2011international');
    expect(r.yaml).toContain('Co\u00adoperation');
    const back = loadSource(r.yaml, 'hyphens');
    if (!back.model) throw new Error(JSON.stringify(back.diagnostics));
    expect(bodyLines(back.model)).toEqual(bodyLines(doc));
  });

  const tools = ['soffice', 'pdftotext'].filter((t) => spawnSync('which', [t]).status !== 0);
  if (tools.length > 0)
    console.warn(`docx-hyphens: ${tools.join(', ')} not installed; LibreOffice check skipped`);
  it.skipIf(tools.length > 0)(
    'LibreOffice keeps non‑international whole at line ends; a plain hyphen breaks there',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'undoc-hyphens-'));
      try {
        const names = ['nobreak', 'plain'];
        writeFileSync(join(dir, 'nobreak.docx'), await docx(seedWith(compounds('\u2011'))));
        writeFileSync(join(dir, 'plain.docx'), await docx(seedWith(compounds('-'))));
        const out = soffice(
          dir,
          'pdf',
          dir,
          names.map((n) => join(dir, `${n}.docx`)),
        );
        expect(out.status, out.stderr).toBe(0);
        const lines = (name: string) =>
          execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', join(dir, `${name}.pdf`), '-'], {
            encoding: 'utf8',
          }).split('\n');
        const whole = (ls: string[]) =>
          ls.join('\n').match(/non[-\u2010\u2011]international/g)?.length ?? 0;
        const brokenAfterNon = (ls: string[]) =>
          ls.filter((l) => /non[-\u2010\u2011]$/.test(l.trim())).length;
        // The plain hyphen lets LibreOffice break some of the sixty: the compounds do land at
        // line ends. The non-breaking hyphen keeps every one whole.
        expect(brokenAfterNon(lines('plain'))).toBeGreaterThan(0);
        expect(brokenAfterNon(lines('nobreak'))).toBe(0);
        expect(whole(lines('nobreak'))).toBe(60);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
