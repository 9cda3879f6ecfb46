/**
 * The Akoma Ntoso renderer: the document as AKN 3.0 XML (OASIS LegalDocML), following the
 * conventions of Akoma Ntoso for the UN (AKN4UN, the HLCM guidelines), valid against the OASIS
 * schema kept in schema/akn/.
 *
 * What follows AKN4UN:
 * - the document is a `<doc>` whose `name` is the AKN4UN document class (`officialLetter`,
 *   `report`, `note`: the source's `docType`);
 * - FRBR Work / Expression / Manifestation IRIs in the AKN naming convention with country `un`:
 *   `/akn/un/doc/<class>/<docDate>/<symbol>` (the symbol's slashes as hyphens), the expression
 *   `…/<lang>@` with the ISO 639-2 language, the manifestation `…/<lang>@/!main.xml`; each annex a
 *   component `!annex_<n>`;
 * - the masthead in the preface with the AKN title inlines: `docNumber` (the symbol),
 *   `docAuthority` (the organ), `docStatus` (the distribution), `docDate`, `session`, `longTitle`
 *   around `docTitle`, and `docketNumber` (the job number);
 * - numbered paragraphs as `paragraph` with `num` and `content`; sub-paragraphs (a), (i), a. as
 *   nested `point`s under an `intro`; chapters, lettered sections and numbered subsections as
 *   `chapter`, `section`, `subsection` with `num` and `heading`, holding what follows them;
 * - footnotes as `authorialNote` (with `marker` and `placement="bottom"`) at their first call and
 *   `noteRef` at any later call; a document's endnotes with `placementBase="#mainBody"` too
 *   (at the bottom of the main body: AKN has no placement at the document's end); signatures in `conclusions` with `signature`, `person`, `role`;
 *   annexes as `attachments`, each a `doc name="annex"` with its own metadata;
 * - the UN page furniture (running header, job-number footer, barcode, QR code, layout, recycling
 *   mark) inside `<proprietary source="#un">`, in undoc's own namespace.
 *
 * Where we chose (AKN4UN leaves it open or the UN model differs):
 * - a draft without a symbol is named by its source name in the IRIs (`draft-<name>`);
 * - an unnumbered paragraph (`text:`) is a `paragraph` without `num`, class `unnumbered`;
 * - an italic sub-heading is an `hcontainer name="subheading"` with only a `heading` (AKN's
 *   `crossHeading` may not stand directly in a `mainBody`);
 * - a chapter holds every block up to the next chapter, a section up to the next section or
 *   chapter, a subsection up to the next heading of any level;
 * - the signatory's printed "(Signed)" mark stays in the `signature` text, as printed; what they
 *   sign for is in the proprietary block (it is metadata, not printed);
 * - element ids (`eId`) follow the naming convention's shape (`chp_II__sec_A__para_12`), with
 *   `-2`, `-3` … where a restarted numbering would repeat one.
 */
import type { Annex, Block, LANGUAGES, Rich, SubItem, UnDocument } from '../../model.js';
import { endnotesOf, nameParts, nameText } from '../../model.js';
import type { Style } from '../../style/style.js';
import { signedMark } from '../../text.js';
import type { Renderer } from '../types.js';
import { serialize, type XmlElement, type XmlNode, x } from './xml.js';

/** The Akoma Ntoso 3.0 namespace. */
export const AKN_NS = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';
/** undoc's namespace for the UN page furniture inside `proprietary`. */
export const UNDOC_NS = 'https://undoc.dev/ns/akn4un/furniture/1.0';

/** ISO 639-2 codes of the six languages, as the AKN naming convention writes them. */
const ISO639_2: Readonly<Record<keyof typeof LANGUAGES, string>> = {
  ar: 'ara',
  zh: 'zho',
  en: 'eng',
  fr: 'fra',
  ru: 'rus',
  es: 'spa',
};

/** Elements that hold only structure (never text): the serializer may indent inside them. */
const STRUCTURE = new Set([
  'akomaNtoso',
  'doc',
  'meta',
  'identification',
  'FRBRWork',
  'FRBRExpression',
  'FRBRManifestation',
  'references',
  'proprietary',
  'undoc:furniture',
  'undoc:jobNumber',
  'preface',
  'container',
  'longTitle',
  'mainBody',
  'chapter',
  'section',
  'subsection',
  'paragraph',
  'point',
  'hcontainer',
  'intro',
  'content',
  'conclusions',
  'blockContainer',
  'attachments',
  'attachment',
]);

/** State of one document's walk: which notes have been written, which ids are taken. */
interface Walk {
  readonly doc: UnDocument;
  readonly written: Set<string>;
  readonly eIds: Set<string>;
}

/** An id unique in the document: `base`, else `base-2`, `base-3` … */
function eId(w: Walk, base: string): string {
  let id = base;
  for (let n = 2; w.eIds.has(id); n++) id = `${base}-${n}`;
  w.eIds.add(id);
  return id;
}

const noteEId = (number: number): string => `authorialNote_${number}`;

/** Inline content: italic and bold as `i` and `b`, a note as its text at its first call. */
function inline(w: Walk, rich: Rich): XmlNode[] {
  const out: XmlNode[] = [];
  for (const node of rich) {
    if (node.kind === 'text') out.push(node.text);
    else if (node.kind === 'italic') out.push(x('i', {}, inline(w, node.children)));
    else if (node.kind === 'bold') out.push(x('b', {}, inline(w, node.children)));
    else if (w.written.has(node.id)) {
      out.push(x('noteRef', { href: `#${noteEId(node.number)}`, marker: node.mark }));
    } else {
      w.written.add(node.id);
      const note = w.doc.footnotes.find((n) => n.id === node.id);
      // AKN places a note relative to an element: a footnote at the bottom of its page, an
      // endnote at the bottom of the main body (AKN has no "end of document" placement).
      const end = note?.endnote === true ? { placementBase: `#${MAIN_BODY_EID}` } : {};
      out.push(
        x(
          'authorialNote',
          { eId: eId(w, noteEId(node.number)), marker: node.mark, placement: 'bottom', ...end },
          x('p', {}, note ? inline(w, note.text) : []),
        ),
      );
    }
  }
  return out;
}

const p = (w: Walk, cls: string | undefined, rich: Rich): XmlElement =>
  x('p', { class: cls }, inline(w, rich));

const plain = (text: string): Rich => [{ kind: 'text', text }];

/** Lower camel case of an organ's name, its id in the references: "generalAssembly". */
function organId(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((s) => s !== '');
  const id = words
    .map((s, i) => (i === 0 ? s.toLowerCase() : s[0]?.toUpperCase() + s.slice(1).toLowerCase()))
    .join('');
  return id === '' ? 'organ' : id;
}

// ---------------------------------------------------------------------------------------------
// Metadata

/** The Work IRI's number: the first symbol with its slashes as hyphens, or the draft's name. */
function workNumber(doc: UnDocument): string {
  const first = doc.symbols[0];
  return first ? first.text.replace(/\//g, '-') : `draft-${doc.name}`;
}

function identification(doc: UnDocument, component: string): XmlElement {
  const work = `/akn/un/doc/${doc.docType}/${doc.date.iso}/${workNumber(doc)}`;
  const expression = `${work}/${ISO639_2[doc.language]}@`;
  const authors = doc.organs.map((o) => x('FRBRauthor', { href: `#${organId(o.name)}` }));
  const date = x('FRBRdate', { date: doc.date.iso, name: 'distribution' });
  return x(
    'identification',
    { source: '#undoc' },
    x(
      'FRBRWork',
      {},
      x('FRBRthis', { value: `${work}/!${component}` }),
      x('FRBRuri', { value: work }),
      doc.symbols.map((s) => x('FRBRalias', { value: s.text, name: 'symbol' })),
      date,
      authors,
      x('FRBRcountry', { value: 'un' }),
      x('FRBRsubtype', { value: doc.docType }),
      doc.symbols.map((s) => x('FRBRnumber', { value: s.text })),
      x('FRBRname', { value: doc.docType }),
    ),
    x(
      'FRBRExpression',
      {},
      x('FRBRthis', { value: `${expression}/!${component}` }),
      x('FRBRuri', { value: expression }),
      date,
      authors,
      x('FRBRlanguage', { language: ISO639_2[doc.language] }),
    ),
    x(
      'FRBRManifestation',
      {},
      x('FRBRthis', { value: `${expression}/!${component}.xml` }),
      x('FRBRuri', { value: `${expression}.akn` }),
      date,
      x('FRBRauthor', { href: '#undoc' }),
    ),
  );
}

function references(doc: UnDocument): XmlElement {
  const organs = new Map(doc.organs.map((o) => [organId(o.name), o.name]));
  return x(
    'references',
    { source: '#undoc' },
    x('TLCOrganization', {
      eId: 'undoc',
      href: '/ontology/organization/undoc',
      showAs: 'undoc',
    }),
    x('TLCOrganization', {
      eId: 'un',
      href: '/ontology/organization/un',
      showAs: 'United Nations',
    }),
    [...organs].map(([id, name]) =>
      x('TLCOrganization', { eId: id, href: `/ontology/organization/un/${id}`, showAs: name }),
    ),
    (doc.letter?.signatories ?? []).flatMap((s, i) => {
      const id = `signatory_${i + 1}`;
      const name = nameText(s);
      return [
        x('TLCPerson', { eId: id, href: `/ontology/person/un/${id}`, showAs: name }),
        x('TLCRole', { eId: `${id}-role`, href: `/ontology/role/un/${id}`, showAs: name }),
      ];
    }),
  );
}

/** The UN page furniture, which AKN has no element for: kept as data for a faithful re-layout. */
function furniture(doc: UnDocument, style: Style): XmlElement {
  const u = (name: string, attrs: Record<string, string | undefined> = {}, ...kids: XmlNode[]) =>
    x(`undoc:${name}`, attrs, ...kids);
  const job = doc.jobNumber;
  const first = doc.symbols[0];
  return x(
    'proprietary',
    { source: '#un' },
    x(
      'undoc:furniture',
      { 'xmlns:undoc': UNDOC_NS },
      u('layout', {
        name: style.name,
        pageWidth: String(style.page.width),
        pageHeight: String(style.page.height),
        unit: 'pt',
      }),
      u('language', { version: doc.language, original: doc.originalLanguages.join(' ') }),
      doc.symbols.map((s) => u('runningHeader', {}, s.text)),
      job &&
        x(
          'undoc:jobNumber',
          {
            number: job.number,
            language: job.letter,
            reissue: String(job.reissue),
            short: job.short,
          },
          ...job.dates.map((d) => u('processed', {}, d)),
        ),
      job && u('barcode', { symbology: 'code39' }, job.barcode),
      first && u('qrCode', {}, first.url),
      u('recycle'),
      doc.senderDate && u('senderDate', { date: doc.senderDate.iso }, doc.senderDate.text),
      doc.keywords.map((k) => u('keyword', {}, k)),
      (doc.letter?.signatories ?? []).map((s, i) =>
        u('signatory', { person: `#signatory_${i + 1}`, for: s.for, signed: String(s.signed) }),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The masthead and the letter

function preface(w: Walk): XmlElement {
  const { doc } = w;
  const masthead = x(
    'container',
    { name: 'masthead' },
    p(w, 'unitedNations', plain(doc.labels.unitedNations)),
    doc.symbols.map((s) => x('p', { class: 'symbol' }, x('docNumber', {}, s.text))),
    doc.organs.map((o) => x('p', { class: 'organ' }, x('docAuthority', {}, o.name))),
    doc.distributionLines.flatMap((line, i) => {
      if (line === '') return [];
      if (line === doc.date.text) {
        return [x('p', { class: 'date' }, x('docDate', { date: doc.date.iso }, line))];
      }
      if (i === 0) return [x('p', { class: 'distribution' }, x('docStatus', {}, line))];
      return [x('p', { class: 'language' }, line)];
    }),
  );
  const sessions = doc.organs.flatMap((o) => {
    const lines: XmlElement[] = [];
    if (o.columnHeading) lines.push(x('p', { class: 'columnHeading' }, o.columnHeading));
    for (const b of o.bodies) lines.push(x('p', { class: 'sessionBody' }, b));
    if (o.session) lines.push(x('p', { class: 'session' }, x('session', {}, o.session)));
    if (o.sessionDates) lines.push(x('p', { class: 'sessionDates' }, o.sessionDates));
    if (o.agendaLabel) lines.push(p(w, 'agendaLabel', o.agendaLabel));
    for (const item of o.agendaItems) {
      lines.push(x('p', { class: 'agendaItem', title: item.number }, inline(w, item.title)));
    }
    return lines.length > 0 ? [x('container', { name: 'session' }, lines)] : [];
  });
  return x(
    'preface',
    {},
    masthead,
    sessions,
    x('longTitle', {}, x('p', {}, x('docTitle', {}, inline(w, doc.title)))),
    doc.subtitle && p(w, 'subtitle', doc.subtitle),
    doc.jobNumber &&
      x(
        'p',
        { class: 'jobNumber' },
        x('docketNumber', {}, doc.jobNumber.line.replace(/\s+/g, ' ')),
      ),
  );
}

function signatures(w: Walk): XmlElement | undefined {
  const list = w.doc.letter?.signatories ?? [];
  if (list.length === 0) return undefined;
  return x(
    'conclusions',
    {},
    list.map((s, i) => {
      const id = `signatory_${i + 1}`;
      const name: XmlNode[] = [];
      nameParts(s).forEach((p, k) => {
        if (k > 0 && s.nameSeparator !== '') name.push(s.nameSeparator);
        name.push(p.surname ? x('b', {}, p.text) : p.text);
      });
      return x(
        'blockContainer',
        { eId: eId(w, `signature_${i + 1}`), class: 'signature' },
        x(
          'p',
          {},
          x(
            'signature',
            {},
            s.signed && inline(w, signedMark(w.doc)),
            x('person', { refersTo: `#${id}` }, name),
          ),
        ),
        s.titleLines.map((line) =>
          x('p', { class: 'role' }, x('role', { refersTo: `#${id}-role` }, inline(w, line))),
        ),
      );
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Blocks

const labelKey = (label: string): string => label.replace(/[^\p{L}\p{N}]/gu, '') || 'item';

function points(w: Walk, items: readonly SubItem[], parent: string): XmlElement[] {
  return items.map((item) => {
    const id = eId(w, `${parent}__point_${labelKey(item.label)}`);
    const text = x('p', {}, inline(w, item.text));
    return x(
      'point',
      { eId: id },
      x('num', {}, item.label),
      item.items.length > 0
        ? [x('intro', {}, text), ...points(w, item.items, id)]
        : x('content', {}, text),
    );
  });
}

/** A block's element; `prefix` is its container's eId (or '' at the top). */
function paragraph(w: Walk, b: Extract<Block, { kind: 'paragraph' }>, prefix: string): XmlElement {
  const base = b.number === undefined ? 'para_unnumbered' : `para_${b.number}`;
  const id = eId(w, `${prefix}${base}`);
  const text = x('p', {}, inline(w, b.text));
  return x(
    'paragraph',
    { eId: id, class: b.number === undefined ? 'unnumbered' : undefined },
    b.label !== undefined && x('num', {}, b.label),
    b.items.length > 0 ? [x('intro', {}, text), ...points(w, b.items, id)] : x('content', {}, text),
  );
}

/** How deep a heading sits: chapter 0, lettered section 1, numbered subsection 2. */
const DEPTH = { chapter: 0, 1: 1, 2: 2 } as const;
const ELEMENT = ['chapter', 'section', 'subsection'] as const;
const ID_PREFIX = ['chp', 'sec', 'subsec'] as const;

/** One open heading while walking the flat list of blocks. */
interface Open {
  readonly depth: number;
  readonly eId: string;
  readonly attrs: Record<string, string | undefined>;
  readonly head: XmlElement[];
  readonly children: XmlElement[];
}

/**
 * The model's flat list of blocks as AKN's hierarchy: each heading holds what follows it up to
 * the next heading of its level or above.
 */
function blocks(w: Walk, list: readonly Block[], scope: string): XmlElement[] {
  const top: XmlElement[] = [];
  const stack: Open[] = [];
  const close = (depth: number) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? -1) >= depth) {
      const o = stack.pop() as Open;
      const el = x(ELEMENT[o.depth] ?? 'hcontainer', o.attrs, o.head, o.children);
      const parent = stack[stack.length - 1];
      (parent ? parent.children : top).push(el);
    }
  };
  const here = (): string => {
    const parent = stack[stack.length - 1];
    return parent ? `${parent.eId}__` : scope;
  };
  const add = (el: XmlElement) => {
    const parent = stack[stack.length - 1];
    (parent ? parent.children : top).push(el);
  };
  for (const b of list) {
    if (b.kind === 'chapter' || b.kind === 'heading') {
      const depth = DEPTH[b.kind === 'chapter' ? 'chapter' : b.level];
      close(depth);
      const id = eId(w, `${here()}${ID_PREFIX[depth]}_${labelKey(b.number)}`);
      stack.push({
        depth,
        eId: id,
        attrs: { eId: id },
        head: [x('num', {}, b.label), x('heading', {}, inline(w, b.title))],
        children: [],
      });
    } else if (b.kind === 'subheading') {
      const id = eId(w, `${here()}hcontainer_subheading`);
      add(x('hcontainer', { eId: id, name: 'subheading' }, x('heading', {}, inline(w, b.title))));
    } else {
      add(paragraph(w, b, here()));
    }
  }
  close(0);
  return top;
}

/** The main body's eId, given when endnotes are placed relative to it. */
const MAIN_BODY_EID = 'mainBody';

/**
 * A `mainBody` needs one child: an empty body is one empty paragraph (nothing to print). A
 * document with endnotes names it, as the notes' `placementBase`.
 */
const body = (children: XmlElement[], named: boolean): XmlElement =>
  x('mainBody', named ? { eId: MAIN_BODY_EID } : {}, children.length > 0 ? children : [x('p', {})]);

function annex(w: Walk, a: Annex, n: number): XmlElement {
  const scope = `att_${n}__`;
  return x(
    'attachment',
    { eId: eId(w, `att_${n}`) },
    x('heading', {}, inline(w, a.heading)),
    x(
      'doc',
      { name: 'annex' },
      x('meta', {}, identification(w.doc, `annex_${n}`)),
      x(
        'preface',
        {},
        a.originalNote !== undefined && x('p', { class: 'originalLanguage' }, a.originalNote),
        a.title && x('longTitle', {}, x('p', {}, x('docTitle', {}, inline(w, a.title)))),
        a.subtitle && p(w, 'subtitle', a.subtitle),
        a.dateLine && p(w, 'dateLine', a.dateLine),
        a.placeDate && p(w, 'placeDate', a.placeDate),
        // A preface needs one child: an annex with only its heading gets an empty one.
        !a.originalNote && !a.title && !a.subtitle && !a.dateLine && !a.placeDate && x('p', {}),
      ),
      body(blocks(w, a.blocks, scope), false),
    ),
  );
}

// ---------------------------------------------------------------------------------------------

/** The AKN document as XML text. Pure: same model and style, same text. */
export function aknXml(doc: UnDocument, style: Style): string {
  const w: Walk = { doc, written: new Set(), eIds: new Set() };
  // The walk writes each note at its first call, so the parts are built in reading order.
  const prefaceEl = preface(w);
  const letter = (doc.letter?.paragraphs ?? []).map((para) => p(w, undefined, para.text));
  const named = endnotesOf(doc).length > 0;
  if (named) w.eIds.add(MAIN_BODY_EID);
  const main = body([...letter, ...blocks(w, doc.body, '')], named);
  const conclusions = signatures(w);
  const annexes = doc.annexes.map((a, i) => annex(w, a, i + 1));
  const root = x(
    'akomaNtoso',
    { xmlns: AKN_NS },
    x(
      'doc',
      { name: doc.docType },
      x('meta', {}, identification(doc, 'main'), references(doc), furniture(doc, style)),
      prefaceEl,
      main,
      conclusions,
      annexes.length > 0 && x('attachments', {}, annexes),
    ),
  );
  return serialize(root, STRUCTURE);
}

/** Renders the AKN XML as UTF-8 bytes. */
export const renderAkn: Renderer = async (doc, style) =>
  new TextEncoder().encode(aknXml(doc, style));
