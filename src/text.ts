/**
 * The model's text in reading order, as plain lines: what every renderer's read-back test
 * compares its output against. A line is one paragraph-level element with its number or label.
 */
import {
  type Block,
  endnotesOf,
  type Footnote,
  footOf,
  type NameOrder,
  nameText,
  plainText,
  type Rich,
  type SubItem,
  type UnDocument,
} from './model.js';
import { endsWithFullWidthMark } from './style/typography.js';

/**
 * The "(Signed)" mark as printed before a name: the language's label and one space, none after
 * a full-width mark, which carries its own ("（签名）安德烈·达普基乌纳斯").
 */
export function signedMark(doc: UnDocument): Rich {
  const mark = doc.labels.signed;
  if (endsWithFullWidthMark(plainText(mark))) return mark;
  const last = mark[mark.length - 1];
  if (last?.kind === 'text') return [...mark.slice(0, -1), { ...last, text: `${last.text} ` }];
  return [...mark, { kind: 'text', text: ' ' }];
}

/** Masthead lines in reading order: organs, symbols, distribution, sessions and agenda. */
export function mastheadLines(doc: UnDocument): string[] {
  const lines: string[] = [
    doc.labels.unitedNations,
    ...(doc.symbols.length > 0 ? doc.symbols.map((s) => s.text) : [doc.labels.symbolUnassigned]),
  ];
  lines.push(...doc.organs.map((o) => o.name));
  lines.push(...doc.distributionLines.filter((l) => l !== ''));
  for (const o of doc.organs) {
    if (o.columnHeading) lines.push(o.columnHeading);
    lines.push(...o.bodies);
    if (o.session) lines.push(o.session);
    if (o.sessionDates) lines.push(o.sessionDates);
    if (o.agendaLabel) lines.push(plainText(o.agendaLabel));
    for (const item of o.agendaItems) lines.push(plainText(item.title));
  }
  return lines;
}

/** The signature's first line as printed: "(Signed) Andrei Dapkiunas", "(Signé) …". */
export function signatureNameLine(
  doc: UnDocument,
  s: {
    signed: boolean;
    givenNames: string;
    surname: string;
    nameOrder: NameOrder;
    nameSeparator: string;
  },
): string {
  const name = nameText(s);
  return s.signed ? `${plainText(signedMark(doc))}${name}` : name;
}

function itemLines(items: readonly SubItem[]): string[] {
  return items.flatMap((i) => [`${i.label} ${plainText(i.text)}`, ...itemLines(i.items)]);
}

/** One block's lines: a heading with its number, a paragraph with its number, its sub-items. */
export function blockLines(b: Block): string[] {
  switch (b.kind) {
    case 'chapter':
    case 'heading':
      return [`${b.label} ${plainText(b.title)}`];
    case 'subheading':
      return [plainText(b.title)];
    case 'paragraph': {
      const text = plainText(b.text);
      return [b.label === undefined ? text : `${b.label} ${text}`, ...itemLines(b.items)];
    }
  }
}

const opt = (r: Rich | undefined): string[] => (r ? [plainText(r)] : []);

/** The body in reading order: title, letter, signatures, body blocks, annexes. No footnotes. */
export function bodyLines(doc: UnDocument): string[] {
  const lines = [plainText(doc.title), ...opt(doc.subtitle)];
  if (doc.letter) {
    lines.push(...doc.letter.paragraphs.map((p) => plainText(p.text)));
    for (const s of doc.letter.signatories) {
      lines.push(signatureNameLine(doc, s), ...s.titleLines.map(plainText));
    }
  }
  lines.push(...doc.body.flatMap(blockLines));
  for (const a of doc.annexes) {
    lines.push(plainText(a.heading), ...(a.originalNote ? [a.originalNote] : []));
    lines.push(...opt(a.title), ...opt(a.subtitle), ...opt(a.dateLine), ...opt(a.placeDate));
    lines.push(...a.blocks.flatMap(blockLines));
  }
  return lines;
}

const noteLine = (n: Footnote): string => `${n.mark} ${plainText(n.text)}`;

/** Every note of the document, footnotes and endnotes, in number order: "1 Text of the note.". */
export function noteLines(doc: UnDocument): string[] {
  return doc.footnotes.map(noteLine);
}

/** The notes printed at the foot of a page (all of them, unless the notes are endnotes). */
export function footnoteLines(doc: UnDocument): string[] {
  return footOf(doc).map(noteLine);
}

/**
 * The notes section of a document whose notes are endnotes, as printed after the text: its
 * heading ("Notes"), then each note; empty when there is none.
 */
export function endnoteLines(doc: UnDocument): string[] {
  const list = endnotesOf(doc);
  return list.length === 0 ? [] : [doc.labels.endnotes, ...list.map(noteLine)];
}

/** Splits text into words for order-preserving comparisons (whitespace-insensitive). */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}
