/**
 * The source format as TypeScript types: what a YAML file looks like once it has passed the JSON
 * schema (schema/undoc.schema.json). Field names follow Akoma Ntoso for the UN where one fits.
 */
import type { LanguageCode, NameOrder } from '../model.js';

/** A sub-paragraph: a string, or a text with its own sub-items. */
export type Item = string | { readonly text: string; readonly items?: readonly Item[] };

/** A heading given as its title, or with an explicit number. */
export type HeadingSource = string | { readonly number?: string; readonly title: string };

/** A paragraph given as its text, or with explicit number and sub-items. */
export type ParaSource =
  | string
  | {
      readonly text: string;
      readonly number?: number;
      /** The explicit number skips the ones before it on purpose (an excerpt's original numbers). */
      readonly skip?: boolean;
      readonly items?: readonly Item[];
    };

/** One block of an annex or report body: a single-key mapping. */
export type ContentBlock =
  | { readonly chapter: HeadingSource }
  | { readonly section: HeadingSource }
  | { readonly subsection: HeadingSource }
  | { readonly subheading: string }
  | { readonly para: ParaSource }
  | { readonly text: string | { readonly text: string; readonly items?: readonly Item[] } };

/** One organ of the masthead (docAuthority in AKN4UN). */
export interface Organ {
  readonly organ: string;
  /** The symbol (docNumber); absent while unassigned. */
  readonly docNumber?: string;
  readonly session?: string;
  /** Body and sub-body above the session line ("Human Rights Council", "Working Group on …"). */
  readonly bodies?: readonly string[];
  /** The session's dates under the session line ("4–15 November 2019"). */
  readonly sessionDates?: string;
  readonly agendaItems?: readonly { readonly number: string; readonly title: string }[];
  /** The items are on the provisional agenda; `note` is the footnote (e.g. "A/61/150."). */
  readonly provisionalAgenda?: { readonly note: string; readonly id?: string };
}

/** A signature (AKN4UN `signature`: person and role). */
export interface SignatureSource {
  readonly signed?: boolean;
  readonly givenNames?: string;
  readonly surname: string;
  readonly nameOrder?: NameOrder;
  readonly role?: readonly string[];
  readonly for?: string;
}

/** The letter. */
export interface Letter {
  readonly paragraphs: readonly string[];
  readonly signatures?: readonly SignatureSource[];
}

/** An annex. */
export interface Annex {
  readonly heading: string;
  readonly title?: string;
  readonly subtitle?: string;
  /** A date line flush right under the title ("15 June 2025"). */
  readonly dateLine?: string;
  readonly placeDate?: string;
  readonly originalLanguage?: LanguageCode;
  readonly content?: readonly ContentBlock[];
}

/** A whole source document. */
export interface Source {
  readonly style: string;
  readonly docType?: string;
  readonly language: LanguageCode;
  /** One language, or the list of a document's several original languages. */
  readonly originalLanguage: LanguageCode | readonly LanguageCode[];
  readonly distribution: string;
  readonly docDate: string;
  /** Job number line, "07-29358 (E) 110407"; absent while unassigned. */
  readonly docketNumber?: string;
  readonly docAuthority: readonly Organ[];
  readonly docTitle: string;
  readonly subtitle?: string;
  readonly senderDate?: string;
  readonly keywords?: readonly string[];
  readonly letter?: Letter;
  readonly body?: readonly ContentBlock[];
  readonly annexes?: readonly Annex[];
  /** `endnotes` prints the numbered notes after the text; default `footnotes`. */
  readonly notes?: 'footnotes' | 'endnotes';
  readonly footnotes?: Readonly<
    Record<string, string | { readonly text: string; readonly starred?: boolean }>
  >;
}
