/**
 * Line breaking and justification of Chinese (and other CJK) text. pdfmake breaks text into words
 * with the `linebreak` package, which is UAX #14 with its CJK rules: a break may fall between two
 * ideographs with no space, and never before closing punctuation or the marks that may not start
 * a line (。，、：；！？）」』》 and the like: classes CL, CP, EX, IS, NS), nor after opening ones
 * （「『《. What pdfmake lacks is justification without spaces: a Chinese line is justified by
 * sharing the slack between its characters, which is what `cjkGap` tells the justification hook
 * (pdf/engine.ts, hook 3).
 */

/** Characters set on the CJK grid: ideographs, kana, hangul, CJK and full-width punctuation. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** Whether the boundary between two pieces of a line may stretch as CJK text does. */
export function cjkGap(before: string, after: string): boolean {
  const last = before.at(-1);
  if (last === undefined || after === '') return false;
  const first = String.fromCodePoint(after.codePointAt(0) ?? 0);
  const lastChar = /[\udc00-\udfff]/.test(last) ? before.slice(-2) : last;
  return CJK.test(lastChar) || CJK.test(first);
}
