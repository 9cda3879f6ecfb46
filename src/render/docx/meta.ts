/**
 * What `undoc import` needs to rebuild the source from undoc's own Word file and that the page
 * does not show as editable text: the layout, the codes and dates behind the masthead, footnote
 * ids, whom each signatory signs for, which optional annex lines exist. Written invisibly as one
 * custom document property (docProps/custom.xml, "undoc"), JSON, in a fixed key order, so the
 * DOCX stays byte-deterministic. Everything a reader can edit on the page (title, letter, body,
 * annexes, footnote texts, signatures) is read from the page itself.
 */

import { toMarkdown } from '../../import/markdown.js';
import type * as S from '../../load/source-types.js';
import type { Block, LanguageCode, UnDocument } from '../../model.js';

/** The custom property's name. */
export const META_PROPERTY = 'undoc';
/** The shape's version: an importer refuses a version it does not know. */
export const META_VERSION = 1;

/** The metadata, as JSON in the custom property. */
export interface DocxMeta {
  readonly version: number;
  readonly style: string;
  readonly docType: string;
  readonly language: LanguageCode;
  readonly originalLanguage: LanguageCode;
  /** Every original language, when there are several (absent when there is one). */
  readonly originalLanguages?: readonly LanguageCode[];
  readonly distribution: string;
  readonly docDate: string;
  readonly docketNumber?: string;
  readonly senderDate?: string;
  readonly keywords: readonly string[];
  /** The masthead's organs as the source gives them (agenda titles as source text). */
  readonly docAuthority: readonly S.Organ[];
  /** Footnote ids by Word footnote id (the note's number). */
  readonly notes: Readonly<Record<string, string>>;
  readonly subtitle: boolean;
  readonly letter: boolean;
  /** Paragraph numbers of the body that skip on purpose; absent: none. */
  readonly bodySkips?: readonly number[];
  /** Per signatory: whom they sign for ("" when not given). */
  readonly signatoriesFor: readonly string[];
  /** Per annex: which optional lines it has, and the language it was written in. */
  readonly annexes: readonly {
    readonly title: boolean;
    readonly subtitle: boolean;
    readonly placeDate: boolean;
    /** Absent in files written before the date line existed: none. */
    readonly dateLine?: boolean;
    /** Paragraph numbers that skip on purpose (an excerpt's original numbers); absent: none. */
    readonly skips?: readonly number[];
    readonly originalLanguage?: LanguageCode;
  }[];
}

/** The paragraph numbers that skip the ones before them (a restart at 1 is not a skip). */
function skipsOf(blocks: readonly Block[]): number[] {
  let previous = 0;
  const out: number[] = [];
  for (const b of blocks) {
    if (b.kind !== 'paragraph' || b.number === undefined) continue;
    if (b.number > previous + 1) out.push(b.number);
    previous = b.number;
  }
  return out;
}

/** The metadata of a model. */
export function docxMeta(doc: UnDocument): DocxMeta {
  const job = doc.jobNumber;
  const md = (r: Parameters<typeof toMarkdown>[0]) => toMarkdown(r).text;
  return {
    version: META_VERSION,
    style: doc.style,
    docType: doc.docType,
    language: doc.language,
    originalLanguage: doc.originalLanguage,
    ...(doc.originalLanguages.length > 1 ? { originalLanguages: doc.originalLanguages } : {}),
    distribution: doc.distribution,
    docDate: doc.date.iso,
    ...(job
      ? {
          docketNumber: job.line,
        }
      : {}),
    ...(doc.senderDate ? { senderDate: doc.senderDate.iso } : {}),
    keywords: doc.keywords,
    docAuthority: doc.organs.map((o, i) => {
      const symbol = doc.symbols.length === doc.organs.length ? doc.symbols[i] : undefined;
      const call = o.agendaLabel?.find((n) => n.kind === 'noteRef');
      return {
        organ: o.name,
        ...(symbol ? { docNumber: symbol.text } : {}),
        ...(o.bodies.length > 0 ? { bodies: o.bodies } : {}),
        ...(o.session ? { session: o.session } : {}),
        ...(o.sessionDates ? { sessionDates: o.sessionDates } : {}),
        ...(o.agendaItems.length > 0
          ? { agendaItems: o.agendaItems.map((a) => ({ number: a.number, title: md(a.title) })) }
          : {}),
        // The note's text is read from the footnotes part; its id is kept here.
        ...(call?.kind === 'noteRef' ? { provisionalAgenda: { note: '', id: call.id } } : {}),
      };
    }),
    notes: Object.fromEntries(doc.footnotes.map((n) => [String(n.number), n.id])),
    subtitle: doc.subtitle !== undefined,
    letter: doc.letter !== undefined,
    ...(skipsOf(doc.body).length > 0 ? { bodySkips: skipsOf(doc.body) } : {}),
    signatoriesFor: (doc.letter?.signatories ?? []).map((s) => s.for ?? ''),
    annexes: doc.annexes.map((a) => ({
      title: a.title !== undefined,
      subtitle: a.subtitle !== undefined,
      placeDate: a.placeDate !== undefined,
      ...(a.dateLine !== undefined ? { dateLine: true } : {}),
      ...(skipsOf(a.blocks).length > 0 ? { skips: skipsOf(a.blocks) } : {}),
      ...(a.originalLanguage ? { originalLanguage: a.originalLanguage } : {}),
    })),
  };
}
