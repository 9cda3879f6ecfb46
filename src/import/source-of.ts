/**
 * A document model back to a source: the inverse of the loader's model builder, used by
 * `undoc import` once a Word file has been read into a model. Numbers the loader would compute
 * are left out (paragraph numbers run on, chapters count I, II …), so an added paragraph is
 * numbered in its place; a number the loader could not compute (a restart at 1, a chapter or
 * heading numbered out of sequence) is written explicitly.
 */
import { stringify } from 'yaml';
import { itemLabel, roman } from '../load/build.js';
import type * as S from '../load/source-types.js';
import type { Annex, Block, Rich, SubItem, UnDocument } from '../model.js';
import { toMarkdown } from './markdown.js';

/** Something about the source that a reader should know: where, and what. */
export interface SourceNote {
  /** Where in the document, in words: "annex 1, paragraph 12", "footnote 3". */
  readonly where: string;
  readonly message: string;
}

/** The source object and what could not be carried over exactly. */
export interface SourceResult {
  readonly source: S.Source;
  readonly notes: readonly SourceNote[];
}

const letters = (n: number): string => itemLabel(2, n).slice(0, -1).toUpperCase();

/** Writes a source from a model; `where` names the places in warnings. */
export function sourceOf(doc: UnDocument): SourceResult {
  const notes: SourceNote[] = [];
  const md = (rich: Rich, where: string): string => {
    const w = toMarkdown(rich);
    if (w.emphasisDropped) {
      notes.push({
        where,
        message:
          'italic or bold that the source syntax cannot place here was left out (the words are kept)',
      });
    }
    return w.text;
  };

  const items = (list: readonly SubItem[], where: string): S.Item[] =>
    list.map((i) => {
      const text = md(i.text, `${where} ${i.label}`);
      return i.items.length > 0 ? { text, items: items(i.items, `${where} ${i.label}`) } : text;
    });

  const blocks = (list: readonly Block[], where: string): S.ContentBlock[] => {
    let para = 0;
    let chapter = 0;
    let section = 0;
    let subsection = 0;
    // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every kind of Block (tsc checks it)
    return list.map((b): S.ContentBlock => {
      switch (b.kind) {
        case 'chapter': {
          const title = md(b.title, `${where}, chapter ${b.number}`);
          const auto = roman(chapter + 1);
          chapter = romanValue(b.number) ?? chapter + 1;
          section = 0;
          return { chapter: b.number === auto ? title : { number: b.number, title } };
        }
        case 'heading': {
          const title = md(b.title, `${where}, heading ${b.number}`);
          if (b.level === 1) {
            section += 1;
            subsection = 0;
            return { section: b.number === letters(section) ? title : { number: b.number, title } };
          }
          subsection += 1;
          return {
            subsection: b.number === String(subsection) ? title : { number: b.number, title },
          };
        }
        case 'subheading':
          return { subheading: md(b.title, `${where}, sub-heading`) };
        case 'paragraph': {
          const at = `${where}, paragraph ${b.number ?? '(unnumbered)'}`;
          const text = md(b.text, at);
          const sub = b.items.length > 0 ? { items: items(b.items, at) } : {};
          if (b.number === undefined) return { text: b.items.length > 0 ? { text, ...sub } : text };
          const explicit = b.number !== para + 1;
          const previous = para;
          para = b.number;
          if (!explicit && b.items.length === 0) return { para: text };
          // A number past the next (an excerpt's original numbers) is a skip the source says.
          const skip = explicit && b.number > previous + 1 && b.number !== 1;
          return {
            para: {
              text,
              ...(explicit ? { number: b.number } : {}),
              ...(skip ? { skip: true } : {}),
              ...sub,
            },
          };
        }
      }
    });
  };

  const annex = (a: Annex, n: number): S.Annex => {
    const where = `annex ${n}`;
    const original = a.originalLanguage;
    const content = blocks(a.blocks, where);
    return {
      heading: md(a.heading, `${where}, heading`),
      ...(a.title ? { title: md(a.title, `${where}, title`) } : {}),
      ...(a.subtitle ? { subtitle: md(a.subtitle, `${where}, subtitle`) } : {}),
      ...(a.dateLine ? { dateLine: md(a.dateLine, `${where}, date line`) } : {}),
      ...(a.placeDate ? { placeDate: md(a.placeDate, `${where}, place and date`) } : {}),
      ...(original ? { originalLanguage: original } : {}),
      ...(content.length > 0 ? { content } : {}),
    };
  };

  // The provisional-agenda note is written under its organ, not under `footnotes`.
  const provisional = new Map<string, { note: string; id: string }>();
  const organs: S.Organ[] = doc.organs.map((o, i) => {
    const symbol = doc.symbols.length === doc.organs.length ? doc.symbols[i] : undefined;
    const call = o.agendaLabel?.find((n) => n.kind === 'noteRef');
    const note = call?.kind === 'noteRef' ? doc.footnotes.find((f) => f.id === call.id) : undefined;
    if (note)
      provisional.set(note.id, { note: md(note.text, `footnote ${note.mark}`), id: note.id });
    return {
      organ: o.name,
      ...(symbol ? { docNumber: symbol.text } : {}),
      ...(o.bodies.length > 0 ? { bodies: o.bodies } : {}),
      ...(o.session ? { session: o.session } : {}),
      ...(o.sessionDates ? { sessionDates: o.sessionDates } : {}),
      ...(o.agendaItems.length > 0
        ? {
            agendaItems: o.agendaItems.map((a) => ({
              number: a.number,
              title: md(a.title, `agenda item ${a.number}`),
            })),
          }
        : {}),
      ...(note
        ? {
            provisionalAgenda: {
              note: provisional.get(note.id)?.note ?? '',
              ...(note.id === 'provisional-agenda' ? {} : { id: note.id }),
            },
          }
        : {}),
    };
  });

  const letter = doc.letter;
  const footnotes = doc.footnotes.filter((f) => !provisional.has(f.id));
  const job = doc.jobNumber;
  const source: S.Source = {
    style: doc.style,
    ...(doc.docType === 'officialLetter' ? {} : { docType: doc.docType }),
    language: doc.language,
    originalLanguage:
      doc.originalLanguages.length > 1 ? doc.originalLanguages : doc.originalLanguage,
    distribution: doc.distribution,
    docDate: doc.date.iso,
    ...(job
      ? {
          docketNumber: job.line,
        }
      : {}),
    docAuthority: organs,
    docTitle: md(doc.title, 'title'),
    ...(doc.subtitle ? { subtitle: md(doc.subtitle, 'subtitle') } : {}),
    ...(doc.senderDate ? { senderDate: doc.senderDate.iso } : {}),
    ...(doc.keywords.length > 0 ? { keywords: doc.keywords } : {}),
    ...(letter
      ? {
          letter: {
            paragraphs: letter.paragraphs.map((p, i) => md(p.text, `letter, paragraph ${i + 1}`)),
            ...(letter.signatories.length > 0
              ? {
                  signatures: letter.signatories.map((s, i) => ({
                    ...(s.signed ? {} : { signed: false }),
                    ...(s.givenNames !== '' ? { givenNames: s.givenNames } : {}),
                    surname: s.surname,
                    ...(s.nameOrder === 'surname-first' ? { nameOrder: s.nameOrder } : {}),
                    ...(s.titleLines.length > 0
                      ? { role: s.titleLines.map((l) => md(l, `signature ${i + 1}`)) }
                      : {}),
                    ...(s.for ? { for: s.for } : {}),
                  })),
                }
              : {}),
          },
        }
      : {}),
    ...(doc.body.length > 0 ? { body: blocks(doc.body, 'body') } : {}),
    ...(doc.annexes.length > 0 ? { annexes: doc.annexes.map((a, i) => annex(a, i + 1)) } : {}),
    ...(doc.notes === 'endnotes' ? { notes: 'endnotes' as const } : {}),
    ...(footnotes.length > 0
      ? {
          footnotes: Object.fromEntries(
            footnotes.map((f) => {
              const text = md(f.text, `footnote ${f.mark}`);
              return [f.id, f.mark.startsWith('*') ? { text, starred: true } : text];
            }),
          ),
        }
      : {}),
  };
  return { source, notes };
}

/** "IV" → 4; undefined for what is not a Roman numeral. */
function romanValue(numeral: string): number | undefined {
  for (let n = 1; n < 4000; n++) if (roman(n) === numeral) return n;
  return undefined;
}

/** The source as YAML text, with the schema line editors use. */
export function sourceYaml(source: S.Source, schemaPath = '../schema/undoc.schema.json'): string {
  const body = stringify(source, { lineWidth: 100, minContentWidth: 40 });
  return `# yaml-language-server: $schema=${schemaPath}\n${body}`;
}
