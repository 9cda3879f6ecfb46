/**
 * A language's typography: transforms the loader applies to every text of a document in that
 * language (the source's own text and the furniture's labels), named in the language table's
 * `typography` list (templates/lang/<code>.yaml). Each transform takes a text's runs (the text
 * nodes of one field, in order, *emphasis* and note calls between them) and returns them with the
 * same count, so a mark at a run's edge sees its neighbours in the runs beside it.
 */

/** The transforms a language table may name, in the order they are applied. */
export const TYPOGRAPHY_RULES = ['frenchSpacing', 'fullWidthPunctuation'] as const;
/** One of TYPOGRAPHY_RULES. */
export type TypographyRule = (typeof TYPOGRAPHY_RULES)[number];

const NBSP = '\u00a0';
const NNBSP = '\u202f';

/**
 * French typography: a no-break space before ":" (U+00A0) and before ";", "!", "?" (the narrow
 * U+202F), and inside « » (U+00A0). A space already there becomes the no-break one; none is added
 * before a mark followed by a letter, digit or "/" (URLs, times, "A/61/859" stay as written).
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(
      /([ \u00a0\u202f]*)([:;!?])(?=$|[\s»)\]"”’.,…])/g,
      (_m, space: string, mark: string, at: number) =>
        // A mark that opens a text run (after *emphasis*) keeps what it had: no space, none added.
        at === 0 && space === '' ? mark : `${mark === ':' ? NBSP : NNBSP}${mark}`,
    )
    .replace(/«[ \u00a0\u202f]*/g, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NBSP}»`);
}

/** ASCII marks and the full-width forms Chinese text prints them in. */
const FULL_WIDTH: Readonly<Record<string, string>> = {
  ',': '\uff0c',
  ':': '\uff1a',
  ';': '\uff1b',
  '!': '\uff01',
  '?': '\uff1f',
  '(': '\uff08',
  ')': '\uff09',
};

/**
 * Han ideographs, kana, CJK punctuation, the full-width forms and the double quotation marks
 * Chinese text uses (“ ”): what a Chinese mark stands beside.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff01-\uff60“”]/u;
/** Spaces a full-width mark absorbs (it carries its own space). */
const SPACE = /[ \u00a0\u202f]/;
/** A parenthesised label kept half-width, as enumerations and references print: "(a)", "(iv)", "61(a)". */
const LABEL = /^(?:[a-z]|[ivxlc]+|\d+)$/;

const isCjk = (ch: string | undefined): boolean => ch !== undefined && CJK.test(ch);

/** CJK and full-width punctuation: each mark is set on a full em and carries its own space. */
const FULL_WIDTH_MARK = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff60]$/u;

/** Whether a text ends with a full-width mark ("（签名）"): no space is set after it. */
export function endsWithFullWidthMark(text: string): boolean {
  return FULL_WIDTH_MARK.test(text);
}

/**
 * Chinese typography: an ASCII ",", ":", ";", "!", "?" with a Chinese character beside it (spaces
 * between ignored) prints in its full-width form, and so does a pair of parentheses with Chinese
 * beside or inside it, the spaces around the new mark dropped: "中文, 英文 (English)" →
 * "中文，英文（English）". Latin runs stay as written: "A/61/859", "10:30", URLs, "(a)" labels, an
 * English sentence's own marks. The text is read across `runs` and each run returned in place.
 */
export function fullWidthPunctuation(runs: readonly string[]): string[] {
  const chars = runs.flatMap((r, i) => Array.from(r, (ch) => ({ ch, run: i })));
  const text = chars.map((c) => c.ch);
  const out = text.slice();
  const converted = new Set<number>();
  const near = (at: number, step: 1 | -1): string | undefined => {
    let i = at + step;
    while (i >= 0 && i < text.length && SPACE.test(text[i] ?? '')) i += step;
    return text[i];
  };
  const cjkBeside = (at: number) => isCjk(near(at, -1)) || isCjk(near(at, 1));
  const convert = (at: number) => {
    out[at] = FULL_WIDTH[text[at] ?? ''] ?? text[at] ?? '';
    converted.add(at);
  };
  const pairs = parenPairs(text);
  const paired = new Set(pairs.map(([, close]) => close));
  for (const [open, close] of pairs) {
    const inside = text.slice(open + 1, close ?? open + 1).join('');
    const reference = LABEL.test(inside);
    const chinese =
      isCjk(near(open, -1)) ||
      isCjk(near(open, 1)) ||
      (close !== undefined && (isCjk(near(close, -1)) || isCjk(near(close, 1))));
    if (reference || !chinese) continue;
    convert(open);
    if (close !== undefined) convert(close);
  }
  text.forEach((ch, i) => {
    if (ch === ')' && !converted.has(i) && isCjk(near(i, -1)) && !paired.has(i)) convert(i);
    if (',:;!?'.includes(ch) && cjkBeside(i)) convert(i);
  });
  // A full-width mark carries its own space: spaces beside it go.
  for (const at of converted) {
    for (const step of [-1, 1] as const) {
      for (let i = at + step; SPACE.test(text[i] ?? ''); i += step) out[i] = '';
    }
  }
  const back = runs.map(() => '');
  chars.forEach((c, i) => {
    back[c.run] += out[i] ?? '';
  });
  return back;
}

/** Each "(" with its matching ")" (undefined when it has none), nested pairs included. */
function parenPairs(text: readonly string[]): [number, number | undefined][] {
  const pairs: [number, number | undefined][] = [];
  const open: number[] = [];
  text.forEach((ch, i) => {
    if (ch === '(') open.push(i);
    else if (ch === ')' && open.length > 0) pairs.push([open.pop() ?? 0, i]);
  });
  for (const i of open) pairs.push([i, undefined]);
  return pairs;
}

/** Applies `rules` in order to a text's runs; the runs come back in the same count and order. */
export function typeset(rules: readonly TypographyRule[], runs: readonly string[]): string[] {
  return rules.reduce<string[]>(
    (acc, rule) => (rule === 'frenchSpacing' ? acc.map(frenchSpacing) : fullWidthPunctuation(acc)),
    [...runs],
  );
}
