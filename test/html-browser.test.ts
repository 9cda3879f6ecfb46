/**
 * The HTML in a real browser: Debian's Chromium driven by playwright-core (never a downloaded
 * browser). Opens the seed's page from file://, takes screenshots at desktop and phone width,
 * runs axe-core, watches the network, loads the XSS page, measures the layout and prints to PDF.
 * Skips, saying why, where Chromium is absent. UPDATE_SCREENSHOTS=1 refreshes docs/img/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnDocument } from '../src/model.js';
import { renderHtml } from '../src/render/html/index.js';
import { loadResources, PACKAGE_ROOT } from '../src/resources.js';
import { crop, decodeCode39, decodeQr, pageOne } from './codes-read.js';
import { hostileModel } from './html-hostile.js';
import { loadModel } from './html-read.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`html-browser: skipped, no Chromium at ${CHROMIUM} (.ci/run installs it)`);

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasChromium && !hasPdftotext)
  console.warn('html-browser: print positions not measured, no pdftotext (poppler-utils)');

/** A word of a printed page, as pdftotext -bbox gives it (pt from the top-left corner). */
interface Word {
  readonly x: number;
  readonly y: number;
  readonly right: number;
  readonly text: string;
}

const DESKTOP = { width: 1100, height: 1400 };
const PHONE = { width: 390, height: 844 };

let dir: string;
let browser: Browser;
const urls = new Map<string, string>();

async function write(model: UnDocument, file: string): Promise<void> {
  const resources = loadResources();
  const path = join(dir, file);
  writeFileSync(path, await renderHtml(model, resources.styles[model.style], resources));
  urls.set(file, pathToFileURL(path).href);
}

const url = (file: string): string => {
  const u = urls.get(file);
  if (!u) throw new Error(`${file} not written`);
  return u;
};

/** Opens a page, recording every request and dialog. */
async function open(
  file: string,
  options: { bypassCSP?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<{ page: Page; requests: string[]; dialogs: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    bypassCSP: options.bypassCSP ?? false,
    offline: true,
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url(file), { waitUntil: 'load' });
  return { page, requests, dialogs, close: () => context.close() };
}

beforeAll(async () => {
  if (!hasChromium) return;
  dir = mkdtempSync(join(tmpdir(), 'undoc-html-'));
  await write(loadModel('source/A-61-seed.yaml'), 'seed.html');
  await write(loadModel('source/A-61-859.yaml'), 'issued.html');
  await write(hostileModel(), 'hostile.html');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('the page in Chromium', () => {
  it('reflows even long unbroken source text at phone width', async () => {
    const { page, close } = await open('hostile.html', { viewport: PHONE });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await close();
  });

  it('loads from file:// with no request but the page itself, and screenshots', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page, requests, close } = await open('issued.html', { viewport });
      expect(requests).toEqual([url('issued.html')]);
      // Nothing wider than the screen: the page reflows instead of scrolling sideways.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, name).toBeLessThanOrEqual(0);
      const png = await page.screenshot({ fullPage: false });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        writeFileSync(join(PACKAGE_ROOT, 'docs', 'img', `html-${name}.png`), png);
      }
      await close();
    }
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const require = createRequire(import.meta.url);
    const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    for (const file of ['seed.html', 'issued.html']) {
      // The page's own policy forbids scripts; axe is the test's, so the policy is bypassed here.
      const { page, close } = await open(file, { bypassCSP: true });
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const w = window as unknown as {
          axe: {
            run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
          };
        };
        const result = await w.axe.run();
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.length,
        }));
      });
      console.info(`axe-core on ${file}: ${JSON.stringify(violations)}`);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
        [],
      );
      await close();
    }
  });

  it('runs nothing from the XSS page, even with its security policy switched off', async () => {
    for (const bypassCSP of [false, true]) {
      const { page, requests, dialogs, close } = await open('hostile.html', { bypassCSP });
      await page.waitForTimeout(200);
      expect(dialogs).toEqual([]);
      expect(requests).toEqual([url('hostile.html')]);
      const found = await page.evaluate(() => ({
        scripts: document.scripts.length,
        frames: window.frames.length,
        images: document.images.length,
        styles: document.styleSheets.length,
        title: document.title,
      }));
      expect(found).toMatchObject({ scripts: 0, frames: 0, images: 0, styles: 1 });
      expect(found.title).toContain('<script>alert(1)</script>');
      await close();
    }
  });

  it('lays out numbers as the PDF does: "1." then the text one tab in; heading numbers hang', async () => {
    const { page, close } = await open('seed.html');
    const m = await page.evaluate(() => {
      const pt = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) / 10;
      const para = document.getElementById('para-1');
      const num = para?.querySelector('.num');
      const text = num?.nextSibling;
      const range = document.createRange();
      if (text) range.setStart(text, 0);
      if (text) range.setEnd(text, 1);
      const item = document.querySelector('.items > li');
      const label = item?.querySelector('.label');
      const itemText = label?.nextSibling;
      const itemRange = document.createRange();
      if (itemText) itemRange.setStart(itemText, 0);
      if (itemText) itemRange.setEnd(itemText, 1);
      const heading = document.querySelector('.chapter');
      const hNum = heading?.querySelector('.num');
      return {
        pt,
        paraLeft: para?.getBoundingClientRect().left ?? 0,
        numLeft: num?.getBoundingClientRect().left ?? 0,
        textLeft: range.getBoundingClientRect().left,
        labelLeft: label?.getBoundingClientRect().left ?? 0,
        itemTextLeft: itemRange.getBoundingClientRect().left,
        headingLeft: heading?.getBoundingClientRect().left ?? 0,
        headingNumLeft: hNum?.getBoundingClientRect().left ?? 0,
      };
    });
    const style = loadResources().styles.ny;
    expect(m.numLeft).toBeCloseTo(m.paraLeft, 0);
    expect(m.textLeft - m.paraLeft).toBeCloseTo(style.font.numberTab * m.pt, 0);
    expect(m.labelLeft - m.paraLeft).toBeCloseTo(style.font.itemIndent * m.pt, 0);
    expect(m.itemTextLeft - m.paraLeft).toBeCloseTo(
      (style.font.itemIndent + style.font.itemTab) * m.pt,
      0,
    );
    expect(m.headingLeft - m.headingNumLeft).toBeCloseTo(
      (style.body.left - style.headings.chapter.numberX) * m.pt,
      0,
    );
    await close();
  });

  it('prints to PDF on the style paper', async () => {
    const { page, close } = await open('issued.html');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { width, height } = loadResources().styles.ny.page;
    expect(pdf.toString('latin1')).toMatch(new RegExp(`/MediaBox \\[0 0 ${width} ${height}\\]`));
    if (process.env.UPDATE_SCREENSHOTS === '1')
      writeFileSync(join(tmpdir(), 'undoc-html-print.pdf'), pdf);
    writeFileSync(join(dir, 'print.pdf'), pdf);
    await close();
  });

  it.skipIf(!hasPdftotext)(
    'prints the masthead, header, numbers and footer where the style puts them',
    () => {
      const style = loadResources().styles.ny;
      const words = (pageNo: number): Word[] => {
        const xml = execFileSync(
          'pdftotext',
          ['-bbox', '-f', String(pageNo), '-l', String(pageNo), join(dir, 'print.pdf'), '-'],
          {
            encoding: 'utf8',
          },
        );
        return [
          ...xml.matchAll(
            /xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</g,
          ),
        ].map((m) => ({
          x: Number(m[1]),
          y: Number(m[2]),
          right: Number(m[3]),
          text: m[4] ?? '',
        }));
      };
      const at = (list: Word[], text: string): Word => {
        const w = list.find((x) => x.text === text);
        if (!w) throw new Error(`"${text}" not printed`);
        return w;
      };
      // Text boxes as pdftotext reports them (font ascent to descent), so tolerances are ~1.5 pt.
      const p1 = words(1);
      const { masthead: mh } = style;
      expect(at(p1, 'United').x).toBeCloseTo(mh.unitedNations.x, 0);
      expect(Math.abs(at(p1, 'United').y - mh.unitedNations.y)).toBeLessThan(1.5);
      expect(Math.abs(at(p1, 'Assembly').y - mh.organ.y)).toBeLessThan(1.5);
      expect(at(p1, 'Distr.:').x).toBeCloseTo(mh.distribution.x, 0);
      expect(Math.abs(at(p1, 'Distr.:').y - mh.distribution.y)).toBeLessThan(1.5);
      // A single-organ document's session column starts with its session line.
      expect(Math.abs(at(p1, 'Sixty-first').y - mh.session.y)).toBeLessThan(1.5);
      expect(at(p1, 'We').x).toBeCloseTo(style.body.left + style.font.firstLineIndent, 0);
      const p2 = words(2);
      const header = at(p2, 'A/61/859');
      expect(header.x).toBeCloseTo(style.frame.left, 0);
      expect(Math.abs(header.y - style.runningHeader.y)).toBeLessThan(1.5);
      expect(at(p2, '1.').x).toBeCloseTo(style.body.left, 0);
      const first = p2[p2.findIndex((w) => w.text === '1.') + 1];
      expect(first?.x).toBeCloseTo(style.body.left + style.font.numberTab, 0);
      const pageNo = p2.find((w) => /^2\/\d+$/.test(w.text));
      expect(pageNo?.x).toBeCloseTo(style.frame.left, 0);
      expect(Math.abs((pageNo?.y ?? 0) - style.footer.y)).toBeLessThan(1.5);
      expect(at(p2, '07-29358').right).toBeCloseTo(style.frame.right, 0);
      // Odd pages mirror: the header flush right.
      expect(at(words(3), 'A/61/859').right).toBeCloseTo(style.frame.right, 0);
    },
  );

  it.skipIf(!hasPdftotext)(
    "prints page 1's job number, barcode and QR code on page 1, where the PDF has them",
    () => {
      const style = loadResources().styles.ny;
      const f = style.firstPageFooter;
      const pdf = readFileSync(join(dir, 'print.pdf'));
      const text = (pageNo: number) =>
        execFileSync(
          'pdftotext',
          ['-bbox', '-f', String(pageNo), '-l', String(pageNo), join(dir, 'print.pdf'), '-'],
          { encoding: 'utf8' },
        );
      const job = /xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>07-29358</.exec(text(1));
      expect(job, 'the job number on page 1').not.toBeNull();
      expect(Number(job?.[1])).toBeCloseTo(f.jobNumber.x, 0);
      expect(Math.abs(Number(job?.[2]) - f.jobNumber.y)).toBeLessThan(1.5);
      expect(text(1)).toMatch(/>110407</);
      // The barcode is text on the printed page, as in the PDF: its payload between asterisks.
      expect(text(1)).toMatch(/>\*0729358\*</);
      const dpi = 300;
      const px = dpi / 72;
      const page = pageOne(pdf, dpi);
      expect(
        decodeQr(
          crop(
            page,
            (f.qr.x - 8) * px,
            (f.qr.y - 8) * px,
            (f.qr.size + 16) * px,
            (f.qr.size + 16) * px,
          ),
        ),
      ).toBe('https://undocs.org/A/61/859');
      expect(
        decodeCode39(crop(page, (f.barcode.x - 12) * px, f.barcode.y * px, 140 * px, 12 * px)),
      ).toBe('0729358');
    },
  );
});
