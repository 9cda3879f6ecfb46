/**
 * The document model: one readonly tree that every renderer consumes.
 *
 * Everything a renderer would otherwise have to compute is resolved here once, by the loader:
 * paragraph numbers, sub-item labels, chapter numerals, footnote numbers, formatted dates, the
 * job-number line and its barcode payload, the undocs.org URL. A renderer decides only how a node
 * looks, never what it is or what it is called.
 */

/** A place in the source file: 1-based line and column, as editors count them. */
export interface Span {
  readonly line: number;
  readonly col: number;
}

/** Inline content: text with *italic*, **bold** and footnote calls, nothing else. */
export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'italic'; readonly children: Rich }
  | { readonly kind: 'bold'; readonly children: Rich }
  | {
      readonly kind: 'noteRef';
      /** Order of the note among the document's notes (1-based). */
      readonly number: number;
      /** The mark printed at the call and before the note: "1", or "*" for a masthead note. */
      readonly mark: string;
      readonly id: string;
      /** The note is an endnote (printed after the text): Word calls it with an endnote reference. */
      readonly endnote?: boolean;
    };

/** A run of inline content (one paragraph's text, one title). */
export type Rich = readonly Inline[];

/** UN language codes, as the six official languages are written in job numbers and metadata. */
export const LANGUAGES = {
  ar: { name: 'Arabic', letter: 'A', dir: 'rtl' },
  zh: { name: 'Chinese', letter: 'C', dir: 'ltr' },
  en: { name: 'English', letter: 'E', dir: 'ltr' },
  fr: { name: 'French', letter: 'F', dir: 'ltr' },
  ru: { name: 'Russian', letter: 'R', dir: 'ltr' },
  es: { name: 'Spanish', letter: 'S', dir: 'ltr' },
} as const;

/** One of the six official languages. */
export type LanguageCode = keyof typeof LANGUAGES;

const LANGUAGE_CODES = Object.keys(LANGUAGES) as LanguageCode[];

/**
 * Language versions of one document share a base name; each translation adds its language code
 * (`A-61-859.yaml`, `A-61-859.fr.yaml`). A source name split into its version base and the language its suffix names, if any. */
export interface VersionName {
  readonly base: string;
  readonly language?: LanguageCode;
}

/** "A-61-859.fr" → base "A-61-859", language fr; "A-61-859" → base "A-61-859". */
export function versionName(name: string): VersionName {
  const dot = name.lastIndexOf('.');
  const suffix = dot < 0 ? '' : name.slice(dot + 1);
  return LANGUAGE_CODES.includes(suffix as LanguageCode)
    ? { base: name.slice(0, dot), language: suffix as LanguageCode }
    : { base: name };
}

/** The UN layouts undoc knows; their values live in `templates/<name>.yaml`. */
export const STYLE_NAMES = ['ny', 'geneva'] as const;
/** Name of a UN layout. */
export type StyleName = (typeof STYLE_NAMES)[number];

/** A document symbol split for the masthead: "A" is set large, "/61/123" small. */
export interface DocSymbol {
  /** The whole symbol, e.g. "A/61/123" or "S/2007/190/Rev.1". */
  readonly text: string;
  /** The series letter(s) before the first slash, e.g. "A", "S", "E", "ST". */
  readonly series: string;
  /** The rest, starting with "/". */
  readonly rest: string;
  /** https://undocs.org/<symbol>, the address the QR code carries. */
  readonly url: string;
}

/** A calendar date, kept as ISO text and as the words the masthead prints. */
export interface DocDate {
  /** ISO 8601 calendar date, "2007-04-04". */
  readonly iso: string;
  /** As printed in the document's language, "4 April 2007", "4 avril 2007", "2007年4月4日". */
  readonly text: string;
}

/** An agenda item: its number as printed ("61 (a)") and its title. */
export interface AgendaItem {
  readonly number: string;
  readonly title: Rich;
}

/** One organ's column of the masthead (a joint document has several). */
export interface OrganBlock {
  /** "General Assembly", "Security Council", "Economic and Social Council", in the document's language. */
  readonly name: string;
  /**
   * The organ name heading its session column. Only a joint document has it, and only for an
   * organ with a column (`hasSessionBlock`): a single-organ document names its organ once, in the
   * masthead, and its column starts with the session.
   */
  readonly columnHeading?: string;
  /**
   * Session or year line in the document's language, "Sixty-first session" / "Sixty-second year"
   * ("Soixante et unième session" in French, from the number); absent when not given.
   */
  readonly session?: string;
  /**
   * The body and sub-body whose session this is, printed above the session line as issued in
   * Geneva ("Human Rights Council" in the heading size, "Working Group on …" bold); empty when
   * not given.
   */
  readonly bodies: readonly string[];
  /** The session's dates under the session line, as written ("4–15 November 2019"). */
  readonly sessionDates?: string;
  /**
   * Agenda label as printed: "Agenda item 61 (a)", "Agenda items 81 and 112", or with the
   * provisional-agenda wording "Item 61 (a) of the provisional agenda" followed by its note call.
   */
  readonly agendaLabel?: Rich;
  /** The agenda items under the label, one title per line. */
  readonly agendaItems: readonly AgendaItem[];
}

/**
 * Whether an organ has a column under the thick rule: its bodies, session line and dates, or agenda
 * items. In a joint
 * document where only one organ has them, only that organ's column prints (with its heading).
 */
export function hasSessionBlock(o: OrganBlock): boolean {
  return (
    o.bodies.length > 0 ||
    o.session !== undefined ||
    o.sessionDates !== undefined ||
    o.agendaLabel !== undefined ||
    o.agendaItems.length > 0
  );
}

/** The job number and its first-page footer forms. */
export interface JobNumber {
  /** "07-29358". */
  readonly number: string;
  /** Language letter of this version, "E". */
  readonly letter: string;
  /** Processing date(s) as DDMMYY, first the original, then a reissue/translation date. */
  readonly dates: readonly string[];
  /** A reissue carries "*" after the number. */
  readonly reissue: boolean;
  /** Page-1 footer line, "07-29358 (E)    110407" (the spacing is the renderer's). */
  readonly line: string;
  /** Later pages' footer, "07-29358". */
  readonly short: string;
  /** Code 39 payload without start/stop asterisks, "0729358". */
  readonly barcode: string;
}

/** The order of a name's parts as printed: given names first, or surname first ("Wang Yingfan"). */
export const NAME_ORDERS = ['given-first', 'surname-first'] as const;
/** One of NAME_ORDERS. */
export type NameOrder = (typeof NAME_ORDERS)[number];

/** One part of a printed name: its text and whether it is the surname (printed bold). */
export interface NamePart {
  readonly text: string;
  readonly surname: boolean;
}

/**
 * A person's name parts in printed order, empty parts left out: every format prints a name from
 * this, joined by the signatory's `nameSeparator`.
 */
export function nameParts(s: {
  readonly givenNames: string;
  readonly surname: string;
  readonly nameOrder: NameOrder;
}): NamePart[] {
  const given: NamePart = { text: s.givenNames, surname: false };
  const surname: NamePart = { text: s.surname, surname: true };
  const parts = s.nameOrder === 'surname-first' ? [surname, given] : [given, surname];
  return parts.filter((p) => p.text !== '');
}

/**
 * A person's name as one plain text, parts in printed order: "Andrei Dapkiunas", "Wang Yingfan",
 * "安德烈·达普基乌纳斯", "王英凡".
 */
export function nameText(
  s: Parameters<typeof nameParts>[0] & { readonly nameSeparator: string },
): string {
  return nameParts(s)
    .map((p) => p.text)
    .join(s.nameSeparator);
}

/** The signature block of one signatory. */
export interface Signatory {
  /** Print the "(Signed)" mark before the name. */
  readonly signed: boolean;
  readonly givenNames: string;
  /** Printed in bold. */
  readonly surname: string;
  /** Which part prints first: "Andrei **Dapkiunas**", or surname first, "**Wang** Yingfan". */
  readonly nameOrder: NameOrder;
  /**
   * Between the name's parts as printed, from the language table (`names`): a space; in Chinese
   * "·" (U+00B7) between a transliterated name's parts, nothing in a name written surname first.
   */
  readonly nameSeparator: string;
  /** Title lines under the name, e.g. "Permanent Representative of the Republic of Belarus". */
  readonly titleLines: readonly Rich[];
  /** The Member State or body the signatory signs for (metadata; not printed separately). */
  readonly for?: string;
  readonly span: Span;
}

/** A sub-paragraph "(a)", "(i)", "a." with its own sub-items. */
export interface SubItem {
  /** The label as printed, "(a)", "(ii)", "a.". */
  readonly label: string;
  readonly text: Rich;
  readonly items: readonly SubItem[];
  readonly span: Span;
}

/** A block of an annex's (or a report's) body. */
export type Block =
  | {
      readonly kind: 'chapter';
      /** Roman numeral, "I". */
      readonly number: string;
      /** The number as printed in the document's language: "I.", "أولا -". */
      readonly label: string;
      readonly title: Rich;
      readonly span: Span;
    }
  | {
      /** Lettered heading "A. …" (12 pt bold), or numbered "1. …" (10 pt bold). */
      readonly kind: 'heading';
      readonly level: 1 | 2;
      /** The letter or number as English writes it: "A", "1". */
      readonly number: string;
      /** The number as printed in the document's language: "A.", "ألف -", "1.". */
      readonly label: string;
      readonly title: Rich;
      readonly span: Span;
    }
  | {
      /** Italic, unnumbered sub-heading. */
      readonly kind: 'subheading';
      readonly title: Rich;
      readonly span: Span;
    }
  | {
      readonly kind: 'paragraph';
      /** Resolved paragraph number; absent for an unnumbered paragraph. */
      readonly number?: number;
      /** The number as printed in the document's language ("1.", "1 -"), with `number`. */
      readonly label?: string;
      readonly text: Rich;
      readonly items: readonly SubItem[];
      readonly span: Span;
    };

/** An annex: its heading lines, then its body. */
export interface Annex {
  /** "Annex to the letter dated … addressed to the Secretary-General", or "Annex I". */
  readonly heading: Rich;
  readonly title?: Rich;
  readonly subtitle?: Rich;
  /** A date line flush right under the title, as statements are dated: "15 June 2025". */
  readonly dateLine?: Rich;
  /** "New York, 5 March 2007". */
  readonly placeDate?: Rich;
  /** The language the annex was written in, when it is another (its note is `originalNote`). */
  readonly originalLanguage?: LanguageCode;
  /** "[Original: French]", "[原件：法文]": the annex's original language, in the document's. */
  readonly originalNote?: string;
  readonly blocks: readonly Block[];
  readonly span: Span;
}

/** Where a document prints its numbered notes: at the foot of each page, or after the text. */
export const NOTE_PLACEMENTS = ['footnotes', 'endnotes'] as const;
/** One of NOTE_PLACEMENTS. */
export type NotePlacement = (typeof NOTE_PLACEMENTS)[number];

/** A footnote, numbered in order of its first call. */
export interface Footnote {
  readonly id: string;
  /** Order among the document's notes (1-based). */
  readonly number: number;
  /** The mark printed: "1", "2" … or "*" for the provisional-agenda note. */
  readonly mark: string;
  readonly text: Rich;
  /**
   * Printed after the text, in the notes section, rather than at the foot of the page that calls
   * it: a numbered note of a document whose notes are endnotes (a starred note never is).
   */
  readonly endnote: boolean;
}

/** The letter itself: unnumbered paragraphs and the signatures. */
export interface Letter {
  readonly paragraphs: readonly { readonly text: Rich; readonly span: Span }[];
  readonly signatories: readonly Signatory[];
}

/**
 * The words undoc itself prints around the document's text, in the document's language
 * (from `templates/lang/<code>.yaml`, with French spacing already applied).
 */
export interface DocLabels {
  /** "United Nations", "Nations Unies", "الأمم المتحدة". */
  readonly unitedNations: string;
  /** The mark before a signatory's name: "(", italic "Signed", ")". */
  readonly signed: Rich;
  /** Beside the recycling mark on page 1. */
  readonly pleaseRecycle: string;
  /** "Annex", "Annexe", "المرفق". */
  readonly annex: string;
  /** Words a web page adds for readers: the notes' heading, the way back, "Draft". */
  readonly notes: string;
  readonly backToText: string;
  readonly otherLanguages: string;
  readonly draft: string;
  /** Printed in the symbol's slot while the symbol is unassigned: "[symbol unassigned]". */
  readonly symbolUnassigned: string;
  /** The heading of the notes section of a document whose notes are endnotes: "Notes". */
  readonly endnotes: string;
}

/** The whole document, as every renderer sees it. */
export interface UnDocument {
  /** Source file name without extension; output files are named after it. */
  readonly name: string;
  /** The UN layout to use. */
  readonly style: StyleName;
  /** AKN document type, e.g. "officialLetter", "report", "note". */
  readonly docType: string;
  /** Language of this version. */
  readonly language: LanguageCode;
  /** Language the document was written in (the first of them when there are several). */
  readonly originalLanguage: LanguageCode;
  /**
   * Every original language, in the source's order: one for most documents, several for a text
   * submitted in several ("Original: Chinese/English/French/Russian/Spanish").
   */
  readonly originalLanguages: readonly LanguageCode[];
  /** Writing direction of the language: Arabic is right to left. */
  readonly direction: 'ltr' | 'rtl';
  /** The language the distribution block is printed in (English in ru, zh and ar versions). */
  readonly distributionLanguage: LanguageCode;
  /** The furniture's words in this language. */
  readonly labels: DocLabels;
  /** Organ columns of the masthead, in order. */
  readonly organs: readonly OrganBlock[];
  /** Symbols, one per organ for a joint document; empty for a draft whose symbol is unassigned. */
  readonly symbols: readonly DocSymbol[];
  /** "General", "Limited", "Restricted". */
  readonly distribution: string;
  /** Distribution date (the masthead date). */
  readonly date: DocDate;
  /** The distribution block's lines as printed: "Distr.: General", date, "", "Original: English". */
  readonly distributionLines: readonly string[];
  /** Absent for a draft whose job number is not yet assigned. */
  readonly jobNumber?: JobNumber;
  readonly title: Rich;
  readonly subtitle?: Rich;
  /** The sender's date (the date in the title). */
  readonly senderDate?: DocDate;
  readonly letter?: Letter;
  readonly annexes: readonly Annex[];
  /** Body of a document that is not a letter (a report or note), numbered as annexes are. */
  readonly body: readonly Block[];
  /** Footnotes in number order. */
  readonly footnotes: readonly Footnote[];
  /**
   * Where the numbered notes print: `footnotes` at the foot of the page that calls them (the
   * default), `endnotes` in a notes section after the text, headed `labels.endnotes`; starred
   * notes stay at the foot of their page either way.
   */
  readonly notes: NotePlacement;
  /** Keywords for document metadata. */
  readonly keywords: readonly string[];
  /**
   * The document's other language versions built with it (`A-61-859.fr` beside `A-61-859`), by
   * output name; set by the build, which sees the batch (the loader sees one file).
   */
  readonly versions?: readonly { readonly name: string; readonly language: LanguageCode }[];
}

/** The notes printed after the text (a document whose notes are endnotes), in number order. */
export function endnotesOf(doc: UnDocument): readonly Footnote[] {
  return doc.footnotes.filter((n) => n.endnote);
}

/** The notes printed at the foot of the page that calls them, in number order. */
export function footOf(doc: UnDocument): readonly Footnote[] {
  return doc.footnotes.filter((n) => !n.endnote);
}

/** Plain text of a run of inline content; footnote calls become their numbers. */
export function plainText(rich: Rich): string {
  let out = '';
  for (const node of rich) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'noteRef') out += node.mark;
    else out += plainText(node.children);
  }
  return out;
}

/**
 * What joins the symbols of a joint document: a hyphen, as issued documents print it
 * ("A/80/434-S/2025/632", A/80/434-S/2025/632 and A/80/488-S/2025/655; not an en dash).
 */
export const SYMBOL_JOINER = '-';

/**
 * The symbol's slot as the masthead and running header print it: each symbol, or, while the
 * symbol is unassigned, the language's "[symbol unassigned]".
 */
export function symbolSlot(doc: UnDocument): readonly string[] {
  return doc.symbols.length > 0 ? doc.symbols.map((s) => s.text) : [doc.labels.symbolUnassigned];
}

/** The symbols joined as a joint document prints them, "A/80/434-S/2025/632"; "" for a draft. */
export function symbolLine(doc: UnDocument): string {
  return doc.symbols.map((s) => s.text).join(SYMBOL_JOINER);
}
