/**
 * The generator of valid sources the fuzz properties share: the schema's shape, random Unicode
 * text full of Markdown-ish characters, nested sub-items, headings and footnotes with matching
 * calls (fuzz-render reads every format back; import-roundtrip goes model → DOCX → source).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

/** Characters a UN text in a European language can hold, plus what Markdown and HTML treat specially. */
const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'éèêëàâçîïôöûüñøåæœßÉÀÇÑŌōăşţžŁł',
  ...'αβγδΩЖжщЫыяёПётр',
  ...'.,;:!?()/-–—‘’“”…%§°',
  ...'*_[]<>&"\'`#~|\\{}=+',
  '\u00a0',
  '\u202f',
];

const word = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 10 });
const text = fc.array(word, { minLength: 1, maxLength: 10 }).map((w) => w.join(' '));

const items3 = fc.array(text, { minLength: 1, maxLength: 2 });
const items2 = fc.array(fc.oneof(text, fc.record({ text, items: items3 })), {
  minLength: 1,
  maxLength: 2,
});
const items1 = fc.array(fc.oneof(text, fc.record({ text, items: items2 })), {
  minLength: 1,
  maxLength: 3,
});
const block = fc.oneof(
  text.map((t) => ({ chapter: t })),
  text.map((t) => ({ section: t })),
  text.map((t) => ({ subsection: t })),
  text.map((t) => ({ subheading: t })),
  text.map((t) => ({ para: t })),
  fc.record({ text, items: items1 }).map((p) => ({ para: p })),
  text.map((t) => ({ text: t })),
);

/** A source with the schema's shape; footnotes are called from the letter, one call each. */
export const source = fc
  .record({
    style: fc.constantFrom('ny', 'geneva'),
    organs: fc.subarray(['General Assembly', 'Security Council', 'Economic and Social Council'], {
      minLength: 1,
    }),
    session: fc.option(text, { nil: undefined }),
    agenda: fc.option(
      fc.array(fc.record({ number: fc.constantFrom('31', '61 (a)', '112'), title: text }), {
        minLength: 1,
        maxLength: 2,
      }),
      { nil: undefined },
    ),
    title: text,
    subtitle: fc.option(text, { nil: undefined }),
    paragraphs: fc.array(text, { minLength: 1, maxLength: 3 }),
    signatures: fc.array(
      fc.record({
        signed: fc.boolean(),
        givenNames: word,
        surname: word,
        role: fc.array(text, { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    annexes: fc.array(
      fc.record({
        heading: text,
        title: fc.option(text, { nil: undefined }),
        content: fc.array(block, { maxLength: 6 }),
      }),
      { maxLength: 2 },
    ),
    notes: fc.array(text, { maxLength: 3 }),
  })
  .map((s) => {
    const paragraphs = s.paragraphs.map((p, i) =>
      [p, ...s.notes.flatMap((_, n) => (n % s.paragraphs.length === i ? [`[^n${n}]`] : []))].join(
        '',
      ),
    );
    const doc: Record<string, unknown> = {
      style: s.style,
      language: 'en',
      originalLanguage: 'en',
      distribution: 'General',
      docDate: '2024-03-01',
      docAuthority: s.organs.map((organ, i) => ({
        organ,
        ...(s.session !== undefined ? { session: s.session } : {}),
        ...(i === 0 && s.agenda ? { agendaItems: s.agenda } : {}),
      })),
      docTitle: s.title,
      ...(s.subtitle !== undefined ? { subtitle: s.subtitle } : {}),
      letter: { paragraphs, signatures: s.signatures },
      annexes: s.annexes.map((a) => ({
        heading: a.heading,
        ...(a.title !== undefined ? { title: a.title } : {}),
        content: a.content,
      })),
    };
    if (s.notes.length > 0) doc.footnotes = Object.fromEntries(s.notes.map((t, n) => [`n${n}`, t]));
    return stringify(doc, { lineWidth: 0 });
  });
