/**
 * Checks beyond the schema, run on a source that has passed it: the symbol and job-number
 * grammars, the job number's language letter and dates, the order of the dates, footnote calls
 * against definitions, explicit paragraph and chapter numbers. Each problem has its own code and
 * points at the offending part of the source.
 */
import type { Diagnostic } from '../diagnostics.js';
import { LANGUAGES, type LanguageCode } from '../model.js';
import { loadLanguageTables } from '../resources.js';
import { ordinalWord, readSessionLine, SESSION_LIMIT, sessionLine } from '../style/language.js';
import { fromRoman, roman } from './build.js';
import { readSessionAnyLanguage } from './furniture.js';
import { NOTE_CALL } from './inline.js';
import { daysInMonth, nearest } from './schema.js';
import type * as S from './source-types.js';
import { checkSymbol } from './symbol.js';
import { type DataPath, issue, type SourceMap } from './yaml-source.js';

/** Runs every check; returns the issues in source order. */
export function semanticIssues(src: S.Source, map: SourceMap): Diagnostic[] {
  const out = [
    ...symbolIssues(src, map),
    ...jobNumberIssues(src, map),
    ...dateOrderIssues(src, map),
    ...footnoteIssues(src, map),
    ...numberingIssues(src, map),
  ];
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

function symbolIssues(src: S.Source, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const organs = src.docAuthority;
  organs.forEach((o, i) => {
    if (o.docNumber === undefined) return;
    const bad = checkSymbol(o.docNumber);
    if (bad) {
      const path = ['docAuthority', i, 'docNumber'];
      out.push(issue(map.file, 'bad-symbol', map.inValue(path, bad.offset), bad.message, bad.hint));
    }
  });
  organs.forEach((o, i) => {
    const mismatch =
      o.docNumber && o.session ? sessionMismatch(o.docNumber, o.session, src.language) : undefined;
    if (mismatch) {
      out.push(
        issue(
          map.file,
          'session-mismatch',
          map.at(['docAuthority', i, 'session']),
          mismatch.message,
          mismatch.hint,
        ),
      );
    }
  });
  const withSymbol = organs.filter((o) => o.docNumber !== undefined).length;
  if (withSymbol > 0 && withSymbol < organs.length) {
    organs.forEach((o, i) => {
      if (o.docNumber !== undefined) return;
      out.push(
        issue(
          map.file,
          'symbol-count',
          map.at(['docAuthority', i]),
          `${o.organ} has no \`docNumber\` while another organ of this joint document has one`,
          'a joint document carries a symbol for each organ; a draft carries none',
        ),
      );
    });
  }
  return out;
}

/** "Sixty-first" → 61, "Tenth" → 10 (English ordinals, from templates/lang/en.yaml). */
export function ordinalNumber(word: string): number | undefined {
  const read = readSessionLine(loadLanguageTables().en, `${word} session`);
  return read?.n;
}

/**
 * A General Assembly symbol carries its session (A/61/…: the sixty-first session), a Security
 * Council symbol its year (S/2007/…: the sixty-second year, counted from 1946); the session line
 * must say the same. The line is read in any of the six languages ("Soixante et unième session",
 * "第六十一届会议"); the hint gives the right line in the language it was written in.
 */
function sessionMismatch(
  symbol: string,
  session: string,
  language: LanguageCode,
): { message: string; hint: string } | undefined {
  const tables = loadLanguageTables();
  const read = readSessionAnyLanguage(tables, session, language);
  if (!read) return undefined;
  const { kind, n: said } = read;
  const ga = /^A\/(\d{1,3})\//.exec(symbol);
  const sc = /^S\/(\d{4})\//.exec(symbol);
  let meant: number | undefined;
  if (ga && kind === 'session') meant = Number(ga[1]);
  if (sc && kind === 'year') meant = Number(sc[1]) - 1945;
  if (meant === undefined || meant < 1 || meant > SESSION_LIMIT || meant === said) {
    return undefined;
  }
  const english = (n: number) =>
    ordinalWord(tables.en.ordinals.plain ?? { words: {}, compounds: [] }, n) ?? String(n);
  const right = sessionLine(tables[read.language], kind, meant) ?? String(meant);
  return {
    message: `the ${kind} line says ${english(said)}, but the symbol ${symbol} belongs to the ${english(meant)} ${kind}`,
    hint: `write "${right}", or check the symbol`,
  };
}

const LETTERS: readonly string[] = Object.values(LANGUAGES).map((l) => l.letter);

/** A job number read piece by piece, so that a malformed one is reported where it goes wrong. */
function scanJobNumber(text: string): { offset: number; message: string } | undefined {
  const steps: [RegExp, string][] = [
    [/^(GE\.)?/, ''],
    [/^\d{2}-\d{5}/, 'a job number starts with YY-NNNNN, e.g. 07-29358 (or GE.19-13879)'],
    [/^\*?/, ''],
    [/^ ?\(/, 'the number is followed by a space and the language letter in brackets, e.g. (E)'],
    [/^[A-Z]/, `the language letter is one of ${LETTERS.join(', ')}`],
    [/^\)/, 'the language letter is one capital letter, closed by )'],
    [/^ \d{6}(?!\d)/, 'then comes the processing date as DDMMYY, after one space'],
    [/^( \d{6}(?!\d))?/, ''],
    [/^$/, 'only a second DDMMYY date (translation or reissue) may follow the first'],
  ];
  let at = 0;
  for (const [re, message] of steps) {
    const m = re.exec(text.slice(at));
    if (!m) return { offset: at, message };
    if (re.source === '^[A-Z]' && !LETTERS.includes(m[0])) {
      return {
        offset: at,
        message: `\`${m[0]}\` is not a language letter; use one of ${LETTERS.join(', ')}`,
      };
    }
    at += m[0].length;
  }
  return undefined;
}

/** DDMMYY → a comparable number and whether it is a calendar date. */
function jobDate(ddmmyy: string): { valid: boolean; key: number } {
  const day = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const yy = Number(ddmmyy.slice(4, 6));
  // UN job numbers date from the 1970s on: 70–99 are 19xx, the rest 20xx.
  const year = yy >= 70 ? 1900 + yy : 2000 + yy;
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  return { valid, key: year * 10000 + month * 100 + day };
}

function jobNumberIssues(src: S.Source, map: SourceMap): Diagnostic[] {
  const text = src.docketNumber;
  if (text === undefined) return [];
  const path = ['docketNumber'];
  const bad = scanJobNumber(text);
  if (bad) {
    return [
      issue(
        map.file,
        'bad-job-number',
        map.inValue(path, bad.offset),
        bad.message,
        'e.g. 07-29358 (E) 110407, or 07-29358* (E) 110407 120407 for a reissue',
      ),
    ];
  }
  const out: Diagnostic[] = [];
  const open = text.indexOf('(');
  const letter = text.charAt(open + 1);
  const expected = LANGUAGES[src.language];
  if (letter !== expected.letter) {
    out.push(
      issue(
        map.file,
        'job-language',
        map.inValue(path, open + 1),
        `the job number's language letter is (${letter}), but this version is ${expected.name}`,
        `write (${expected.letter}), or change \`language\``,
      ),
    );
  }
  const dates = [...text.matchAll(/\d{6}/g)];
  let previous: { key: number } | undefined;
  for (const m of dates) {
    const d = jobDate(m[0]);
    if (!d.valid) {
      out.push(
        issue(
          map.file,
          'bad-job-date',
          map.inValue(path, m.index),
          `\`${m[0]}\` is not a calendar date (DDMMYY)`,
        ),
      );
    } else if (previous && d.key < previous.key) {
      out.push(
        issue(
          map.file,
          'bad-job-date',
          map.inValue(path, m.index),
          `the second date \`${m[0]}\` is earlier than the first`,
          'the second date is the later translation or reissue date',
        ),
      );
    }
    if (d.valid) previous = d;
  }
  return out;
}

function dateOrderIssues(src: S.Source, map: SourceMap): Diagnostic[] {
  if (src.senderDate === undefined || src.senderDate <= src.docDate) return [];
  return [
    issue(
      map.file,
      'sender-after-distribution',
      map.at(['senderDate']),
      `the sender's date ${src.senderDate} is later than the distribution date ${src.docDate}`,
      'a letter is distributed on or after the day it is written; check both dates',
    ),
  ];
}

interface Call {
  readonly id: string;
  readonly path: DataPath;
  /** Which occurrence of the same call text in that string (for its position). */
  readonly occurrence: number;
}

/** Every footnote call in every text of the source, with where it is. */
/**
 * Fields that are names, codes or dates rather than text: the builder does not parse them for
 * inline content, so a `[^id]` there would print literally and its note would never appear.
 */
const NOT_TEXT = new Set([
  'style',
  'docType',
  'language',
  'originalLanguage',
  'distribution',
  'docDate',
  'docketNumber',
  'organ',
  'docNumber',
  'session',
  'bodies',
  'sessionDates',
  'senderDate',
  'keywords',
  'givenNames',
  'surname',
  'nameOrder',
  'for',
  'id',
  'number',
]);

/** The key a value sits under, past list indices: `keywords` for ['keywords', 2]. */
function fieldOf(path: DataPath): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i];
    if (typeof step === 'string') return step;
  }
  return undefined;
}

function footnoteCalls(value: unknown, path: DataPath, out: Call[]): Call[] {
  if (typeof value === 'string') {
    const counts = new Map<string, number>();
    for (const m of value.matchAll(NOTE_CALL)) {
      const id = m[1] ?? '';
      const n = counts.get(id) ?? 0;
      counts.set(id, n + 1);
      out.push({ id, path, occurrence: n });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      footnoteCalls(v, [...path, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) footnoteCalls(v, [...path, k], out);
  }
  return out;
}

function footnoteIssues(src: S.Source, map: SourceMap): Diagnostic[] {
  const defined = new Set(Object.keys(src.footnotes ?? {}));
  // The provisional-agenda note is defined and called by the agenda label itself.
  const implicit = src.docAuthority.flatMap((o) =>
    o.provisionalAgenda ? [o.provisionalAgenda.id ?? 'provisional-agenda'] : [],
  );
  const found = footnoteCalls(src, [], []);
  const out: Diagnostic[] = [];
  const misplaced = found.filter((c) => NOT_TEXT.has(fieldOf(c.path) ?? ''));
  for (const c of misplaced) {
    out.push(
      issue(
        map.file,
        'bad-form',
        map.within(c.path, `[^${c.id}]`, c.occurrence),
        `a footnote call in \`${fieldOf(c.path)}\`, which is not a text field: it would print as typed`,
        'call the note from a text: the title, a paragraph, an agenda item title, a heading',
      ),
    );
  }
  const calls = found.filter((c) => !misplaced.includes(c));
  // A misspelt call leaves its note uncalled: report the typo once, at the call.
  const explained = new Set<string>();
  for (const c of calls) {
    if (defined.has(c.id) || implicit.includes(c.id)) continue;
    const near = nearest(c.id, [...defined]);
    if (near) explained.add(near);
    out.push(
      issue(
        map.file,
        'undefined-footnote',
        map.within(c.path, `[^${c.id}]`, c.occurrence),
        `footnote \`${c.id}\` is called here but not defined under \`footnotes\``,
        near
          ? `did you mean \`${near}\`?`
          : `add \`${c.id}: <text of the note>\` under \`footnotes\``,
      ),
    );
  }
  for (const id of defined) {
    // A note that only calls itself is still unreferenced.
    const called = calls.some(
      (c) => c.id === id && !(c.path[0] === 'footnotes' && c.path[1] === id),
    );
    if (called || explained.has(id) || misplaced.some((c) => c.id === id)) continue;
    out.push(
      issue(
        map.file,
        'unused-footnote',
        map.keyAt(['footnotes'], id),
        `footnote \`${id}\` is defined but never called`,
        `call it with [^${id}] where the note mark belongs, or remove it`,
      ),
    );
  }
  return out;
}

function numberingIssues(src: S.Source, map: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (src.body) out.push(...contentIssues(src.body, ['body'], map));
  (src.annexes ?? []).forEach((a, i) => {
    if (a.content) out.push(...contentIssues(a.content, ['annexes', i, 'content'], map));
  });
  return out;
}

/** Explicit paragraph numbers (1 restarts; anything else must come next) and chapter numerals. */
function contentIssues(
  content: readonly S.ContentBlock[],
  path: DataPath,
  map: SourceMap,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let running = 0;
  content.forEach((block, i) => {
    if ('chapter' in block && typeof block.chapter === 'object' && block.chapter.number) {
      const numeral = block.chapter.number;
      if (roman(fromRoman(numeral)) !== numeral) {
        out.push(
          issue(
            map.file,
            'bad-chapter-number',
            map.at([...path, i, 'chapter', 'number']),
            `\`${numeral}\` is not a well-formed Roman numeral`,
            `did you mean \`${roman(fromRoman(numeral))}\`?`,
          ),
        );
      }
      return;
    }
    if (!('para' in block)) return;
    const n = typeof block.para === 'object' ? block.para.number : undefined;
    const skip = typeof block.para === 'object' && block.para.skip === true;
    if (n === undefined || n === 1 || n === running + 1 || (skip && n > running)) {
      running = n ?? running + 1;
      return;
    }
    const at = map.at([...path, i, 'para', 'number']);
    if (n > running + 1) {
      const gap = n === running + 2 ? `${running + 1}` : `${running + 1}–${n - 1}`;
      out.push(
        issue(
          map.file,
          'paragraph-skip',
          at,
          `paragraph number ${n} skips ${gap}: the previous paragraph is ${running}`,
          `write ${running + 1}, or leave the number out; an excerpt that keeps its original numbers says \`skip: true\``,
        ),
      );
    } else {
      out.push(
        issue(
          map.file,
          'paragraph-repeat',
          at,
          `paragraph number ${n} repeats or goes back: the previous paragraph is ${running}`,
          'only 1 may restart the numbering; leave the number out to continue',
        ),
      );
    }
    running = n;
  });
  return out;
}
