/**
 * The index page (out/index.html): every built document with its symbol, title, date and organs,
 * and links to its PDF, DOCX, HTML and Akoma Ntoso XML. Built like the document pages: by escaping, no script,
 * nothing fetched, checked against the same allow-list (plus relative links to the files).
 */
import { createHash } from 'node:crypto';
import {
  type DocDate,
  LANGUAGES,
  type LanguageCode,
  symbolLine,
  type UnDocument,
  versionName,
} from '../../model.js';
import type { Style } from '../../style/style.js';
import { FORMATS, type Format } from '../types.js';
import { customProperties } from './css.js';
import { checkHtml } from './guard.js';
import { textWithoutNotes } from './index.js';
import { el, encodePath, frag, trusted } from './markup.js';

/** One built document as the index lists it. */
export interface IndexEntry {
  /** The source's base name, e.g. "A-61-859". */
  readonly name: string;
  /** The symbol line ("A/52/691–S/1997/910"), or "draft" while unassigned. */
  readonly symbol: string;
  /** The title as plain text. */
  readonly title: string;
  /** The distribution date. */
  readonly date: DocDate;
  /** Organ names, in masthead order. */
  readonly organs: readonly string[];
  /** The document's language (the row's `lang`); English when absent. */
  readonly language?: LanguageCode;
  /** File names of the built outputs, relative to the index page, by format. */
  readonly outputs: Readonly<Partial<Record<Format, string>>>;
}

/**
 * What the index lists of a document, apart from its name and files: all of it comes from the
 * source, so an incremental build keeps it in its manifest instead of loading skipped sources.
 */
export type IndexFacts = Omit<IndexEntry, 'name' | 'outputs'>;

/** The index facts of a model. */
export function indexFacts(doc: UnDocument): IndexFacts {
  const symbol = symbolLine(doc);
  return {
    symbol: symbol === '' ? 'draft' : symbol,
    title: textWithoutNotes(doc.title),
    date: { iso: doc.date.iso, text: doc.date.text },
    organs: doc.organs.map((o) => o.name),
    language: doc.language,
  };
}

/** The index entry of a model, given the relative file names of its outputs. */
export function indexEntry(doc: UnDocument, outputs: IndexEntry['outputs']): IndexEntry {
  return { name: doc.name, ...indexFacts(doc), outputs };
}

const LABEL: Readonly<Record<Format, string>> = {
  pdf: 'PDF',
  docx: 'DOCX',
  html: 'HTML',
  akn: 'AKN',
};

// Only custom properties from the style: the index has no length of its own.
const INDEX_CSS = `
body { margin: 0; padding: var(--font-leading) var(--frame-left); font-family: Tinos, "Liberation Serif", "Times New Roman", Times, serif; font-size: var(--font-size); line-height: var(--font-leading); }
h1 { font-size: var(--masthead-organ-size); line-height: var(--masthead-organ-step); border-bottom: var(--masthead-thick-rule-width) solid #000; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: start; padding-bottom: var(--font-paragraph-gap); }
th, td { text-align: start; vertical-align: top; padding: var(--font-paragraph-gap); border-bottom: var(--masthead-thin-rule-width) solid #000; }
thead th { font-weight: bold; }
tbody th { font-weight: bold; white-space: nowrap; }
tbody.versions tr:not(:last-child) th, tbody.versions tr:not(:last-child) td { border-bottom-style: dotted; }
td.date, td.files { white-space: nowrap; }
td.files a { margin-inline-end: var(--font-paragraph-gap); }
a { color: #0b5fb3; }
`;

/**
 * Entries grouped by document: language versions (same base name) together, the original (no
 * language suffix) first, then by language code; groups in the order their first entry came.
 */
export function versionGroups(entries: readonly IndexEntry[]): IndexEntry[][] {
  const groups = new Map<string, IndexEntry[]>();
  for (const e of entries) {
    const { base } = versionName(e.name);
    groups.set(base, [...(groups.get(base) ?? []), e]);
  }
  const key = (e: IndexEntry) => versionName(e.name).language ?? '';
  return [...groups.values()].map((g) => [...g].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
}

/** Renders the index page as UTF-8 bytes; `style` supplies the type sizes and rules. Pure. */
export function renderIndexPage(entries: readonly IndexEntry[], style?: Style): Uint8Array {
  const css = `${style ? `${customProperties(style)}\n` : ''}${INDEX_CSS.trim()}\n`;
  const cssHash = createHash('sha256').update(css, 'utf8').digest('base64');
  const policy = `default-src 'none'; style-src 'sha256-${cssHash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const row = (e: IndexEntry) =>
    el(
      'tr',
      { lang: e.language, dir: e.language === undefined ? undefined : LANGUAGES[e.language].dir },
      el('th', { scope: 'row' }, e.symbol),
      el('td', { lang: 'en', dir: 'ltr' }, LANGUAGES[e.language ?? 'en'].name),
      el('td', {}, e.title),
      el('td', { class: 'date' }, el('time', { datetime: e.date.iso }, e.date.text)),
      el('td', {}, frag(e.organs.map((o, i) => frag(i > 0 && el('br'), o)))),
      el(
        'td',
        { class: 'files' },
        FORMATS.map((f) => {
          const file = e.outputs[f];
          if (file === undefined) return false;
          const symbol = e.symbol === 'draft' ? e.name : e.symbol;
          const who = `${symbol} (${LANGUAGES[e.language ?? 'en'].name})`;
          return frag(
            el(
              'a',
              { href: `./${encodePath(file)}`, 'aria-label': `${LABEL[f]}: ${who}` },
              LABEL[f],
            ),
            ' ',
          );
        }),
      ),
    );
  // One table body per document: its language versions (A-61-859, A-61-859.fr…) side by side.
  const groups = versionGroups(entries);
  const html = `<!DOCTYPE html>\n${el(
    'html',
    { lang: 'en', dir: 'ltr' },
    el(
      'head',
      {},
      el('meta', { charset: 'utf-8' }),
      el('meta', { 'http-equiv': 'Content-Security-Policy', content: policy }),
      el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      el('title', {}, 'United Nations documents'),
      el('meta', { name: 'generator', content: 'undoc' }),
      el('style', {}, trusted(css)),
    ),
    el(
      'body',
      {},
      el(
        'main',
        {},
        el('h1', {}, 'United Nations documents'),
        el(
          'table',
          {},
          el('caption', {}, `${entries.length} document${entries.length === 1 ? '' : 's'}`),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['Symbol', 'Language', 'Title', 'Date', 'Organ', 'Files'].map((h) =>
                el('th', { scope: 'col' }, h),
              ),
            ),
          ),
          groups.map((g) =>
            el(
              'tbody',
              g.length > 1 ? { class: 'versions' } : {},
              g.map((e) => row(e)),
            ),
          ),
        ),
      ),
    ),
  )}\n`;
  checkHtml(html, { relativeFiles: true });
  return new TextEncoder().encode(html);
}
