/**
 * The HTML renderer: one self-contained page per document (stylesheet, emblem, barcode and QR code
 * inline; no script; nothing fetched), semantic and accessible, styled from the same Style values
 * as the PDF and printable as a UN-looking page.
 *
 * Anchors (stable, so that "para. 12" can be linked): a numbered paragraph is `#para-12` when the
 * document has one numbered sequence (its body, or its only annex with numbered paragraphs);
 * otherwise the body keeps `#para-N` and annex K's paragraphs are `#annex-K-para-N`. A number met
 * again in the same sequence (an explicit restart) is `#para-N-2`, `-3`… Sub-items append their
 * labels: `#para-33-b`, `#para-33-b-ii`. Annexes are `#annex-K`; headings `#chapter-II`,
 * `#chapter-II-A`, `#chapter-II-A-1` (`#section-A` where no chapter is open; same annex prefix);
 * notes `#fn-N` and their calls `#fnref-N` (`#fnref-N-2`… for later calls). Letters and digits
 * outside ASCII become `u` + hex code point ("а)" → `u430`), so every id is plain ASCII.
 */
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import {
  type Annex,
  type Block,
  type DocSymbol,
  endnotesOf,
  type Footnote,
  footOf,
  hasSessionBlock,
  type Inline,
  nameParts,
  type Rich,
  type Signatory,
  type SubItem,
  SYMBOL_JOINER,
  symbolLine,
  symbolSlot,
  type UnDocument,
} from '../../model.js';
import type { Resources } from '../../resources.js';
import { jobNumberDates, jobNumberHead } from '../../style/forms.js';
import type { Style } from '../../style/style.js';
import { signedMark } from '../../text.js';
import type { Renderer } from '../types.js';
import { pageStylesheet } from './css.js';
import { checkHtml } from './guard.js';
import { type Child, el, encodePath, frag, type Markup, trusted } from './markup.js';
import { barcodeFontBase64, printFooterRule, printFooterSvg } from './print-footer.js';

/** The undocs.org address of a symbol, each part percent-encoded. */
export function undocsUrl(symbol: DocSymbol): string {
  return `https://undocs.org/${encodePath(symbol.text)}`;
}

/** Plain text without note marks: for the title element and metadata. */
export function textWithoutNotes(rich: Rich): string {
  let out = '';
  for (const node of rich) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind !== 'noteRef') out += textWithoutNotes(node.children);
  }
  return out;
}

/** Hands out ids, making a repeated one unique with `-2`, `-3`… in order of appearance. */
class Ids {
  private readonly used = new Map<string, number>();
  claim(base: string): string {
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  }
}

/** State of one page being written: ids and note calls seen so far. */
class Page {
  readonly ids = new Ids();
  private readonly calls = new Map<number, number>();

  constructor(readonly doc: UnDocument) {}

  /** Inline content: text escaped, emphasis as i/b, note calls as linked superscripts. */
  inline(rich: Rich): Markup {
    return frag(rich.map((node) => this.node(node)));
  }

  private node(node: Inline): Child {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'italic':
        return el('i', {}, this.inline(node.children));
      case 'bold':
        return el('b', {}, this.inline(node.children));
      case 'noteRef': {
        const seen = (this.calls.get(node.number) ?? 0) + 1;
        this.calls.set(node.number, seen);
        const id = seen === 1 ? `fnref-${node.number}` : `fnref-${node.number}-${seen}`;
        return el(
          'sup',
          {},
          el('a', { href: `#fn-${node.number}`, id, role: 'doc-noteref' }, node.mark),
        );
      }
    }
  }
}

/** Lines separated by line breaks (masthead blocks, signatures): copy/paste keeps the lines. */
function lines(parts: readonly Child[]): Markup {
  return frag(parts.map((p, i) => (i === 0 ? p : frag(el('br'), p))));
}

/** The emblem's markup as the page holds it (a constant the page's check stands in for). */
function emblemHtml(svg: string): string {
  // Our own file: drop an XML prolog or doctype, which cannot stand inside HTML.
  const body = svg.replace(/^\uFEFF?(?:\s*<\?xml[^>]*\?>)?(?:\s*<!DOCTYPE[^>]*>)?\s*/i, '');
  return body.replace(/^<svg\b/, '<svg focusable="false"');
}

function symbolMarkup(symbols: readonly DocSymbol[]): Markup {
  return frag(
    symbols.map((s, i) =>
      frag(
        // The joining dash is presentation: each symbol is a word of its own to a reader.
        i > 0 && el('span', { 'aria-hidden': 'true' }, SYMBOL_JOINER),
        el('span', { class: 'series' }, s.series),
        s.rest,
      ),
    ),
  );
}

function masthead(page: Page, resources: Resources): Markup {
  const { doc } = page;
  const distribution: Child[] = doc.distributionLines.map((l) => l);
  return el(
    'header',
    { class: 'masthead' },
    el(
      'div',
      { class: 'top-line' },
      el('p', { class: 'un' }, doc.labels.unitedNations),
      // Symbols and job numbers are Latin in every language: kept left-to-right in Arabic too.
      doc.symbols.length > 0
        ? el('p', { class: 'symbol', dir: 'ltr' }, symbolMarkup(doc.symbols))
        : el('p', { class: 'symbol unassigned' }, doc.labels.symbolUnassigned),
    ),
    el(
      'div',
      { class: 'organ-row' },
      el('div', { class: 'emblem' }, trusted(emblemHtml(resources.emblemSvg))),
      el('p', { class: 'organs' }, lines(doc.organs.map((o) => o.name))),
      // Russian, Chinese and Arabic versions print this block in English, as issued.
      el(
        'p',
        {
          class: 'distribution',
          ...(doc.distributionLanguage === doc.language
            ? {}
            : { lang: doc.distributionLanguage, dir: 'ltr' }),
        },
        lines(distribution),
      ),
    ),
    el(
      'div',
      { class: 'sessions' },
      doc.organs
        .filter(hasSessionBlock)
        .map((o) =>
          el(
            'p',
            { class: 'session' },
            lines(
              [
                o.columnHeading !== undefined && el('b', {}, o.columnHeading),
                ...o.bodies.map((b, j) => el('b', j === 0 ? { class: 'session-body' } : {}, b)),
                o.session !== undefined && el('b', {}, o.session),
                o.sessionDates,
                o.agendaLabel && page.inline(o.agendaLabel),
                ...o.agendaItems.map((item) => el('b', {}, page.inline(item.title))),
              ].filter((c) => c !== false && c !== undefined),
            ),
          ),
        ),
    ),
  );
}

function signature(page: Page, s: Signatory): Markup {
  const name = frag(
    s.signed && page.inline(signedMark(page.doc)),
    ...nameParts(s).flatMap((p, k) => [
      k > 0 && s.nameSeparator,
      p.surname ? el('b', {}, p.text) : p.text,
    ]),
  );
  return el('p', { class: 'signature' }, lines([name, ...s.titleLines.map((t) => page.inline(t))]));
}

/** Heading ranks inside a body: a heading's level is one below the nearest open lower rank. */
const RANK = { chapter: 1, section: 2, subsection: 3, subheading: 4 } as const;

/**
 * An id part from a printed number or label: ASCII letters and digits kept, other letters and
 * digits written as `u` + hex code point (a Cyrillic "а)" gives "u430"), punctuation dropped.
 */
export function idPart(label: string): string {
  let out = '';
  for (const ch of label) {
    if (/[A-Za-z0-9]/.test(ch)) out += ch;
    else if (/[\p{L}\p{N}]/u.test(ch)) out += `u${(ch.codePointAt(0) ?? 0).toString(16)}`;
  }
  return out;
}

function items(page: Page, list: readonly SubItem[], idBase: string | undefined): Markup {
  return el(
    'ol',
    { class: 'items' },
    list.map((item) => {
      const id =
        idBase === undefined ? undefined : page.ids.claim(`${idBase}-${idPart(item.label)}`);
      return el(
        'li',
        { id },
        el('span', { class: 'label' }, item.label, '\t'),
        page.inline(item.text),
        item.items.length > 0 && items(page, item.items, id),
      );
    }),
  );
}

/**
 * A body's blocks. `baseLevel` is the h-level of its top headings (one below the enclosing
 * heading); `prefix` starts its ids ("" or "annex-2-").
 */
function blocks(page: Page, list: readonly Block[], baseLevel: number, prefix: string): Markup {
  const open: number[] = [];
  // Heading ids nest: chapter-II, chapter-II-A, chapter-II-A-1 (section-A where no chapter).
  let chapterId: string | undefined;
  let sectionId: string | undefined;
  const heading = (rank: number, cls: string, id: string | undefined, content: Child): Markup => {
    while (open.length > 0 && (open[open.length - 1] ?? 0) >= rank) open.pop();
    const level = Math.min(baseLevel + open.length, 6);
    open.push(rank);
    return el(`h${level}`, { class: cls, id }, content);
  };
  return el(
    'div',
    { class: 'text' },
    list.map((b) => block(b)),
  );

  function block(b: Block): Child {
    switch (b.kind) {
      case 'chapter':
        chapterId = page.ids.claim(`${prefix}chapter-${idPart(b.number)}`);
        sectionId = undefined;
        return heading(
          RANK.chapter,
          'heading chapter',
          chapterId,
          frag(el('span', { class: 'num' }, b.label), ' ', page.inline(b.title)),
        );
      case 'heading': {
        const parent = b.level === 1 ? chapterId : (sectionId ?? chapterId);
        const id = page.ids.claim(`${parent ?? `${prefix}section`}-${idPart(b.number)}`);
        if (b.level === 1) sectionId = id;
        return heading(
          b.level === 1 ? RANK.section : RANK.subsection,
          b.level === 1 ? 'heading section' : 'heading subsection',
          id,
          frag(el('span', { class: 'num' }, b.label), ' ', page.inline(b.title)),
        );
      }
      case 'subheading':
        return heading(RANK.subheading, 'subheading', undefined, page.inline(b.title));
      case 'paragraph': {
        if (b.number === undefined || b.label === undefined) {
          return frag(
            el('p', {}, page.inline(b.text)),
            b.items.length > 0 && items(page, b.items, undefined),
          );
        }
        const id = page.ids.claim(`${prefix}para-${b.number}`);
        return frag(
          el(
            'p',
            { class: 'para', id },
            el('span', { class: 'num' }, b.label, '\t'),
            page.inline(b.text),
          ),
          b.items.length > 0 && items(page, b.items, id),
        );
      }
    }
  }
}

const hasNumbered = (list: readonly Block[]): boolean =>
  list.some((b) => b.kind === 'paragraph' && b.number !== undefined);

function annex(page: Page, a: Annex, index: number, prefix: string): Markup {
  const id = page.ids.claim(`annex-${index}`);
  const headingId = page.ids.claim(`annex-${index}-heading`);
  return el(
    'section',
    { class: 'annex', id, 'aria-labelledby': headingId },
    el('h2', { class: 'annex-heading', id: headingId }, page.inline(a.heading)),
    a.originalNote !== undefined && el('p', { class: 'original-note' }, a.originalNote),
    a.title && el('p', { class: 'annex-title' }, page.inline(a.title)),
    a.subtitle && el('p', { class: 'annex-title annex-subtitle' }, page.inline(a.subtitle)),
    a.dateLine && el('p', { class: 'date-line' }, page.inline(a.dateLine)),
    a.placeDate && el('p', { class: 'place-date' }, page.inline(a.placeDate)),
    a.blocks.length > 0 && blocks(page, a.blocks, 3, prefix),
  );
}

/** The notes as list items: each with its mark, its text and a link back to its first call. */
function noteItems(page: Page, list: readonly Footnote[]): Markup {
  const labels = page.doc.labels;
  return el(
    'ol',
    {},
    list.map((n) =>
      el(
        'li',
        { id: `fn-${n.number}` },
        el('span', { class: 'mark' }, el('sup', {}, n.mark)),
        ' ',
        page.inline(n.text),
        ' ',
        el(
          'a',
          { href: `#fnref-${n.number}`, role: 'doc-backlink', 'aria-label': labels.backToText },
          // U+FE0E asks for the text form of the arrow, not an emoji.
          '\u21A9\uFE0E',
        ),
      ),
    ),
  );
}

/** The notes printed at the foot of the page in print: after the text, under a short rule. */
function notes(page: Page, list: readonly Footnote[]): Markup | false {
  if (list.length === 0) return false;
  return el(
    'section',
    { class: 'notes', role: 'doc-endnotes', 'aria-label': page.doc.labels.notes },
    noteItems(page, list),
  );
}

/** A document's endnotes: the notes section closing the text, under its heading ("Notes"). */
function endnotes(page: Page, list: readonly Footnote[]): Markup | false {
  if (list.length === 0) return false;
  const headingId = page.ids.claim('endnotes');
  return el(
    'section',
    { class: 'endnotes', role: 'doc-endnotes', 'aria-labelledby': headingId },
    el('h2', { class: 'endnotes-heading', id: headingId }, page.doc.labels.endnotes),
    noteItems(page, list),
  );
}

async function colophon(doc: UnDocument, style: Style): Promise<Markup | false> {
  const job = doc.jobNumber;
  const symbol = doc.symbols[0];
  if (job === undefined && symbol === undefined) return false;
  const url = symbol === undefined ? undefined : undocsUrl(symbol);
  const qrSvg =
    url === undefined ? undefined : await QRCode.toString(url, { type: 'svg', margin: 0 });
  return el(
    'footer',
    { class: 'colophon' },
    job &&
      el(
        'div',
        { class: 'job-block' },
        el(
          'p',
          { class: 'job', dir: 'ltr' },
          jobNumberHead(style, job),
          jobNumberDates(style, job).length > 0 && ' ',
          jobNumberDates(style, job).length > 0 &&
            el('span', { class: 'job-date' }, jobNumberDates(style, job).join(' ')),
        ),
        // Set in the barcode font (its @font-face in the stylesheet), as the PDF sets it: the
        // payload with its start/stop "*" is the text a reader selects and hears.
        el('p', { class: 'barcode', dir: 'ltr' }, `*${job.barcode}*`),
      ),
    symbol && el('p', { class: 'symbol-ref', dir: 'ltr' }, symbolLine(doc)),
    symbol &&
      url &&
      qrSvg &&
      el(
        'a',
        { class: 'qr', href: url, 'aria-label': `${symbol.text} \u2013 undocs.org` },
        trusted(qrSvg.trim().replace(/^<svg\b/, '<svg aria-hidden="true" focusable="false"')),
      ),
  );
}

function head(doc: UnDocument, css: string): Markup {
  const symbols = symbolLine(doc);
  const title = textWithoutNotes(doc.title);
  const cssHash = createHash('sha256').update(css, 'utf8').digest('base64');
  // The page needs nothing but its own stylesheet: the policy says so to the browser, so that
  // even a mistake of ours could neither run a script nor fetch anything.
  const policy = [
    "default-src 'none'",
    `style-src 'sha256-${cssHash}'`,
    // The barcode font travels inside the stylesheet, as a data: URL.
    'font-src data:',
    // Page 1's printed footer is a drawing inside the stylesheet, as a data: URL.
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const meta = (name: string, content: string): Child =>
    content !== '' && el('meta', { name, content });
  return el(
    'head',
    {},
    el('meta', { charset: 'utf-8' }),
    el('meta', { 'http-equiv': 'Content-Security-Policy', content: policy }),
    el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    el(
      'title',
      {},
      symbols !== '' ? `${symbols} \u2013 ${title}` : `${doc.labels.draft} \u2013 ${title}`,
    ),
    meta(
      'description',
      [title, doc.subtitle && textWithoutNotes(doc.subtitle)].filter(Boolean).join('. '),
    ),
    meta('keywords', doc.keywords.join(', ')),
    // Dublin Core terms; in AKN4UN these are docNumber, docDate, docAuthority, docTitle.
    meta('dcterms.identifier', symbols),
    meta('dcterms.date', doc.date.iso),
    ...doc.organs.map((o) => meta('dcterms.creator', o.name)),
    meta('dcterms.language', doc.language),
    meta('dcterms.title', title),
    meta('un.job-number', doc.jobNumber?.line ?? ''),
    meta('generator', 'undoc'),
    el('style', {}, trusted(css)),
  );
}

/** The page as text (checked by the allow-list before it is returned). */
export async function htmlPage(
  doc: UnDocument,
  style: Style,
  resources: Resources,
): Promise<string> {
  const page = new Page(doc);
  const footerSvg = await printFooterSvg(doc, style, resources);
  const css = pageStylesheet(
    resources.htmlCss,
    style,
    {
      symbols: symbolSlot(doc),
      ...(doc.jobNumber ? { jobShort: doc.jobNumber.short } : {}),
    },
    resources.languages[doc.language].fonts.html ?? [],
    doc.jobNumber ? barcodeFontBase64(style, resources) : undefined,
    footerSvg === undefined ? undefined : printFooterRule(style, footerSvg),
    new Set(endnotesOf(doc).length > 0 ? (['endnotes'] as const) : []),
  );
  const numberedScopes =
    (hasNumbered(doc.body) ? 1 : 0) + doc.annexes.filter((a) => hasNumbered(a.blocks)).length;
  const annexPrefix = (k: number): string => (numberedScopes <= 1 ? '' : `annex-${k}-`);
  // Everything is built in reading order, so note calls and ids are numbered as a reader meets them.
  const header = masthead(page, resources);
  const main = el(
    'main',
    {},
    el('h1', {}, page.inline(doc.title)),
    doc.subtitle && el('p', { class: 'subtitle' }, page.inline(doc.subtitle)),
    doc.letter &&
      el(
        'div',
        { class: 'letter text' },
        doc.letter.paragraphs.map((p) => el('p', {}, page.inline(p.text))),
        doc.letter.signatories.length > 0 &&
          el(
            'div',
            { class: 'signatures' },
            doc.letter.signatories.map((s) => signature(page, s)),
          ),
      ),
    doc.body.length > 0 && blocks(page, doc.body, 2, ''),
    doc.annexes.map((a, i) => annex(page, a, i + 1, annexPrefix(i + 1))),
    endnotes(page, endnotesOf(doc)),
    el('hr', { class: 'closing-rule' }),
  );
  const body = el(
    'body',
    {},
    el(
      'div',
      { class: 'page' },
      versionLinks(doc, resources),
      header,
      main,
      notes(page, footOf(doc)),
      await colophon(doc, style),
    ),
  );
  const html = `<!DOCTYPE html>\n${el('html', { lang: doc.language, dir: doc.direction }, head(doc, css), body)}\n`;
  // A page with language versions links its siblings' pages beside it (./A-61-859.fr.html).
  checkHtml(html, { relativeFiles: (doc.versions ?? []).length > 0 }, [
    emblemHtml(resources.emblemSvg),
  ]);
  return html;
}

/**
 * Links to the document's other language versions (built beside it), each in its own language
 * and marked with it (hreflang, lang, dir), in the order of the official languages' names.
 */
function versionLinks(doc: UnDocument, resources: Resources): Markup | false {
  const versions = doc.versions ?? [];
  if (versions.length === 0) return false;
  const sorted = [...versions].sort((a, b) => (a.language < b.language ? -1 : 1));
  return el(
    'nav',
    { class: 'versions', 'aria-label': doc.labels.otherLanguages },
    sorted.map((v, i) => {
      const table = resources.languages[v.language];
      return frag(
        i > 0 && el('span', { 'aria-hidden': 'true' }, ' | '),
        el(
          'a',
          {
            href: `./${encodePath(`${v.name}.html`)}`,
            hreflang: v.language,
            lang: v.language,
            dir: table.dir,
          },
          table.autonym,
        ),
      );
    }),
  );
}

/** Renders the HTML page as UTF-8 bytes. */
export const renderHtml: Renderer = async (doc, style, resources) =>
  new TextEncoder().encode(await htmlPage(doc, style, resources));
