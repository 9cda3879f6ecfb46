/**
 * Line breaking and justification of Chinese (and other CJK) text. pdfmake breaks text into words
 * with the `linebreak` package, which is UAX #14 with its CJK rules: a break may fall between two
 * ideographs with no space, and never before closing punctuation or the marks that may not start
 * a line (。，、：；！？）」』》 and the like: classes CL, CP, EX, IS, NS), nor after opening ones
 * （「『《. What pdfmake lacks is justification without spaces: a Chinese line is justified by
 * sharing the slack between its characters, which is what `cjkGap` tells the justification hook
 * (pdf/engine.ts, hook 3).
 *
 * One mark UAX #14 lets start a line that Chinese typesetting does not: the interpunct (间隔号)
 * between the parts of a transliterated name, "安东尼奥·古特雷斯". It is U+00B7, class AI, which
 * `linebreak` resolves to AL, so a break may fall before it as after any ideograph; GB/T 15834
 * says it never starts a line. `glueNonStarters` keeps it on the line of the character before it
 * (pdf/engine.ts, hook 9), as pdfmake keeps two inlines together that may not break between.
 */

/** Characters set on the CJK grid: ideographs, kana, hangul, CJK and full-width punctuation. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** The interpunct of a transliterated name, which may not start a line between CJK characters. */
const INTERPUNCT = '\u00b7';

/** No character below this one is set on the CJK grid (the first are Hangul's jamo, U+1100). */
const FIRST_CJK = 0x1100;

const isCjk = (ch: string | undefined): boolean =>
  ch !== undefined && ch.charCodeAt(0) >= FIRST_CJK && CJK.test(ch);

const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** The last character of a text (a surrogate pair whole). */
const lastChar = (t: string): string | undefined => {
  const last = t.at(-1);
  return last !== undefined && isLowSurrogate(last.charCodeAt(0)) ? t.slice(-2) : last;
};

/** The first character of a text (a surrogate pair whole). */
const firstChar = (t: string): string | undefined => {
  const code = t.codePointAt(0);
  return code === undefined ? undefined : String.fromCodePoint(code);
};

/** Whether the boundary between two pieces of a line may stretch as CJK text does. */
export function cjkGap(before: string, after: string): boolean {
  if (before === '' || after === '') return false;
  return isCjk(lastChar(before)) || isCjk(firstChar(after));
}

/** A word as pdfmake's TextBreaker makes it. */
export interface BrokenWord {
  readonly text: string;
  readonly lineEnd?: boolean;
  noNewLine?: boolean;
}

/**
 * Keeps an interpunct between two CJK characters ("奥·古") off the start of a line: the word
 * before it is marked `noNewLine` (pdfmake moves the two to the next line together, or keeps
 * both), so a line may end after the interpunct but never begin with it.
 */
export function glueNonStarters(words: readonly BrokenWord[]): void {
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    const before = words[i - 1];
    if (word === undefined || before === undefined || before.lineEnd) continue;
    if (!word.text.startsWith(INTERPUNCT)) continue;
    const rest = word.text.slice(INTERPUNCT.length);
    const after = rest === '' ? (words[i + 1]?.text ?? '') : rest;
    if (isCjk(lastChar(before.text)) && isCjk(firstChar(after))) before.noNewLine = true;
  }
}
