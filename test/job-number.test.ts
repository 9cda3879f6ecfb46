/**
 * A job number written with Geneva's prefix ("GE.19-13879(E) 140819", as Geneva prints it) is
 * the same job number as "19-13879 (E) 140819": the Geneva layout prints "GE.19-13879(E)" once,
 * New York its own form, and the barcode's payload has no prefix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../src/load/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { jobNumberHead } from '../src/style/forms.js';
import { readPdf } from './pdf-read.js';

const ITA = readFileSync(
  join(PACKAGE_ROOT, 'test/fixtures/issued/A-HRC-WG.6-34-ITA-3.yaml'),
  'utf8',
);

function load(docket: string) {
  const text = ITA.replace(/^docketNumber: .*$/mu, `docketNumber: ${docket}`);
  expect(text).toContain(`docketNumber: ${docket}`);
  const { model, diagnostics } = loadSource(text, 'ITA-3');
  return { model, diagnostics };
}

describe('a job number with Geneva\'s "GE." prefix', () => {
  it.each(['GE.19-13879(E) 140819', 'GE.19-13879 (E) 140819'])(
    '%s is the job number 19-13879 (E) 140819',
    (docket) => {
      const plain = load('19-13879 (E) 140819').model?.jobNumber;
      const { model, diagnostics } = load(docket);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(plain).toBeDefined();
      expect(model?.jobNumber).toEqual(plain);
    },
  );

  it('prints once in the Geneva layout, not doubled, and the barcode has no prefix', async () => {
    const { model } = load('GE.19-13879(E) 140819');
    if (model === undefined) throw new Error('not loaded');
    const resources = loadResources();
    const style = resources.styles[model.style];
    expect(style.name).toBe('geneva');
    const job = model.jobNumber;
    if (job === undefined) throw new Error('no job number');
    expect(jobNumberHead(style, job)).toBe('GE.19-13879(E)');
    expect(jobNumberHead(resources.styles.ny, job)).toBe('19-13879 (E)');
    const pdf = await readPdf(await renderPdf(model, style, resources));
    const words = pdf.pages[0]?.lines.flatMap((l) => l.words.map((w) => w.text)) ?? [];
    expect(words).toContain('GE.19-13879(E)');
    expect(words).toContain('*1913879*');
    expect(words.join(' ')).not.toMatch(/GE\.GE\./u);
  });

  it('is still refused where the prefix is not "GE."', () => {
    const { diagnostics } = load('NY.19-13879 (E) 140819');
    expect(diagnostics.map((d) => d.code)).toContain('bad-job-number');
  });
});
