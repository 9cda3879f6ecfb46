/**
 * pdfmake's measurement of words (TextInlines.measure, pdfmake 0.3) with the style resolved once
 * per text node instead of once per word and property. pdfmake asks its style stack for some
 * twenty properties of every word; what the word does not set itself comes from the same stack
 * for every word of the node, and walking it per word and property was the largest single cost
 * of a layout. Every value is the one pdfmake's own lookup gives (the word, then the stack from
 * the top, then the default style, then pdfmake's fallback); stacks holding named styles and
 * words naming styles go to pdfmake's own code.
 */

/** A word as pdfmake's TextBreaker made it and as measurement completes it. */
type Word = Record<string, unknown> & { text: string };

/** pdfmake's StyleContextStack, as far as it is read here. */
export interface StyleStack {
  readonly styleOverrides: readonly unknown[];
  readonly defaultStyle?: { readonly [key: string]: unknown } | null;
}

/** A font as pdfkit provides it to pdfmake. */
interface ProvidedFont {
  lineHeight(size: number): number;
}

/** pdfmake's TextInlines, as far as measurement uses it. */
export interface TextInlinesThis {
  readonly pdfDocument: {
    provideFont(family: unknown, bold: unknown, italics: unknown): ProvidedFont;
  };
  widthOfText(text: string, inline: Word): number;
}

/** pdfmake's TextInlines.measure. */
export type Measure = (this: TextInlinesThis, words: Word[], stack: StyleStack) => Word[];

// pdfmake's own patterns (TextInlines.js).
const LEADING = /^(\s)+/g;
const TRAILING = /(\s)+$/g;

/** pdfmake's superscript and subscript scale (TextInlines.js). */
const SCRIPT_SCALE = 0.58;

const isValue = (v: unknown): boolean => v !== undefined && v !== null;

const isNamedStyle = (level: unknown): boolean =>
  typeof level !== 'object' || level === null || level instanceof String;

/** A word's own value `v` (read by name: one property lookup), or the one the stack gives. */
const pick = (v: unknown, inherited: unknown): unknown =>
  v !== undefined && v !== null ? v : inherited;

/** The word's own value, or the one the stack gives. */
function own(word: Word, property: string, inherited: unknown): unknown {
  const v = word[property];
  return v !== undefined && v !== null ? v : inherited;
}

/** Whether a UTF-16 code unit is printable ASCII (never whitespace, as `\s` has it). */
const isPrintableAscii = (unit: number): boolean => unit > 0x20 && unit < 0x7f;

/** The whitespace `text` begins with, as pdfmake's LEADING pattern matches it, or undefined. */
function leadingSpaces(text: string): string | undefined {
  if (text === '' || isPrintableAscii(text.charCodeAt(0))) return undefined;
  return text.match(LEADING)?.[0];
}

/** The whitespace `text` ends with, as pdfmake's TRAILING pattern matches it, or undefined. */
function trailingSpaces(text: string): string | undefined {
  const n = text.length;
  if (n === 0 || isPrintableAscii(text.charCodeAt(n - 1))) return undefined;
  // A word and the one space after it, most of a text's words.
  if (n > 1 && text.charCodeAt(n - 1) === 0x20 && isPrintableAscii(text.charCodeAt(n - 2)))
    return ' ';
  return text.match(TRAILING)?.[0];
}

/** pdfmake's provideFont for the last family and face asked, answered again without asking. */
class LastFont {
  private family: unknown;
  private bold: unknown;
  private italics: unknown;
  private font: ProvidedFont | undefined;

  provide(
    doc: TextInlinesThis['pdfDocument'],
    family: unknown,
    bold: unknown,
    italics: unknown,
  ): ProvidedFont {
    if (
      this.font !== undefined &&
      family === this.family &&
      bold === this.bold &&
      italics === this.italics
    )
      return this.font;
    // pdfmake keeps each family and face it provided: the same font for the same question.
    this.font = doc.provideFont(family, bold, italics);
    this.family = family;
    this.bold = bold;
    this.italics = italics;
    return this.font;
  }
}

/** A font's line height at the last size asked. */
class LastHeight {
  private font: ProvidedFont | undefined;
  private size = Number.NaN;
  private height = 0;

  of(font: ProvidedFont, size: number): number {
    if (font !== this.font || size !== this.size) {
      this.height = font.lineHeight(size);
      this.font = font;
      this.size = size;
    }
    return this.height;
  }
}

/**
 * The width of one space after a word, by everything `widthOfText` reads of the word (pdfmake's
 * font, size, features and spacing; hook 14's alignment and spacing as measured), for the last
 * word that had one.
 */
class LastSpace {
  private key: readonly unknown[] = [];
  private value = 0;

  width(inlines: TextInlinesThis, item: Word): number {
    const key = this.key;
    if (
      key.length === 0 ||
      key[0] !== item.font ||
      key[1] !== item.fontSize ||
      key[2] !== item.fontFeatures ||
      key[3] !== item.characterSpacing ||
      key[4] !== item.undocSpacing ||
      key[5] !== item.alignment
    ) {
      this.value = inlines.widthOfText(' ', item);
      this.key = [
        item.font,
        item.fontSize,
        item.fontFeatures,
        item.characterSpacing,
        item.undocSpacing,
        item.alignment,
      ];
    }
    return this.value;
  }
}

/** The keys a measured word gets from `measure`: the word's own value of each is read first. */
const MEASURED: ReadonlySet<string> = new Set([
  'text',
  'font',
  'alignment',
  'fontSize',
  'fontFeatures',
  'characterSpacing',
  'color',
  'decoration',
  'decorationColor',
  'decorationStyle',
  'decorationThickness',
  'background',
  'link',
  'linkToPage',
  'linkToDestination',
  'noWrap',
  'opacity',
  'sup',
  'sub',
  'width',
  'height',
  'leadingCut',
  'trailingCut',
]);

/** `measure` answering style lookups from one resolution of `stack` per call. */
export function measureWith(original: Measure): Measure {
  return function measure(this: TextInlinesThis, words, stack) {
    if (!stack) return original.call(this, words, stack);
    const levels = stack.styleOverrides;
    if (levels.some(isNamedStyle)) return original.call(this, words, stack);
    for (const w of words)
      if (w.section === undefined && w.style) return original.call(this, words, stack);
    const fromStack = (property: string, fallback: unknown): unknown => {
      for (let i = levels.length - 1; i >= 0; i--) {
        const v = (levels[i] as { readonly [key: string]: unknown })[property];
        if (isValue(v)) return v;
      }
      const d = stack.defaultStyle?.[property];
      return isValue(d) ? d : fallback;
    };
    const first = words[0];
    if (first !== undefined) {
      const leadingIndent = own(first, 'leadingIndent', fromStack('leadingIndent', 0));
      if (leadingIndent) {
        first.leadingCut = -(leadingIndent as number);
        first.leadingIndent = leadingIndent;
      }
    }
    const font = fromStack('font', 'Roboto');
    const bold = fromStack('bold', false);
    const italics = fromStack('italics', false);
    const alignment = fromStack('alignment', 'left');
    const fontSize = fromStack('fontSize', 12);
    const fontFeatures = fromStack('fontFeatures', null);
    const characterSpacing = fromStack('characterSpacing', 0);
    const color = fromStack('color', 'black');
    const decoration = fromStack('decoration', null);
    const decorationColor = fromStack('decorationColor', null);
    const decorationStyle = fromStack('decorationStyle', null);
    const decorationThickness = fromStack('decorationThickness', null);
    const background = fromStack('background', null);
    const link = fromStack('link', null);
    const linkToPage = fromStack('linkToPage', null);
    const linkToDestination = fromStack('linkToDestination', null);
    const noWrap = fromStack('noWrap', null);
    const opacity = fromStack('opacity', 1);
    const sup = fromStack('sup', false);
    const sub = fromStack('sub', false);
    const lineHeight = fromStack('lineHeight', 1);
    const preserveLeadingSpaces = fromStack('preserveLeadingSpaces', false);
    const preserveTrailingSpaces = fromStack('preserveTrailingSpaces', false);
    // Consecutive words mostly share their font, size and spacing: the font pdfmake provides,
    // a line's height and a trailing space's width are asked for again only when one changes.
    const fonts = new LastFont();
    const heights = new LastHeight();
    const spaces = new LastSpace();
    for (let i = 0; i < words.length; i++) {
      const item = words[i] as Word;
      // Every value pdfmake's measure sets, in its order, each read before pdfmake would have
      // overwritten it on the word; the word is made anew with all of them at once (setting
      // them one by one reshaped every word some twenty times).
      const provided = fonts.provide(
        this.pdfDocument,
        pick(item.font, font),
        pick(item.bold, bold),
        pick(item.italics, italics),
      );
      const itemSup = pick(item.sup, sup);
      const itemSub = pick(item.sub, sub);
      const size = pick(item.fontSize, fontSize) as number;
      const w: Word = {
        text: item.text,
        font: provided,
        alignment: pick(item.alignment, alignment),
        fontSize: itemSup || itemSub ? size * SCRIPT_SCALE : size,
        fontFeatures: pick(item.fontFeatures, fontFeatures),
        characterSpacing: pick(item.characterSpacing, characterSpacing),
        color: pick(item.color, color),
        decoration: pick(item.decoration, decoration),
        decorationColor: pick(item.decorationColor, decorationColor),
        decorationStyle: pick(item.decorationStyle, decorationStyle),
        decorationThickness: pick(item.decorationThickness, decorationThickness),
        background: pick(item.background, background),
        link: pick(item.link, link),
        linkToPage: pick(item.linkToPage, linkToPage),
        linkToDestination: pick(item.linkToDestination, linkToDestination),
        noWrap: pick(item.noWrap, noWrap),
        opacity: pick(item.opacity, opacity),
        sup: itemSup,
        sub: itemSub,
        width: 0,
        height: 0,
        leadingCut: item.leadingCut || 0,
        trailingCut: 0,
      };
      // The word's other own keys (its style, line end, glue, undoc's tags), as pdfmake keeps them.
      for (const key in item) if (!MEASURED.has(key)) w[key] = item[key];
      words[i] = w;
      const factor = pick(item.lineHeight, lineHeight) as number;
      w.width = this.widthOfText(w.text, w);
      w.height = heights.of(provided, w.fontSize as number) * factor;
      if (!pick(item.preserveLeadingSpaces, preserveLeadingSpaces)) {
        const lead = leadingSpaces(w.text);
        if (lead !== undefined) w.leadingCut = (w.leadingCut as number) + this.widthOfText(lead, w);
      }
      if (!pick(item.preserveTrailingSpaces, preserveTrailingSpaces)) {
        const trail = trailingSpaces(w.text);
        if (trail === ' ') w.trailingCut = spaces.width(this, w);
        else if (trail !== undefined) w.trailingCut = this.widthOfText(trail, w);
      }
    }
    return words;
  };
}
