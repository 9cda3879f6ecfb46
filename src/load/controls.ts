/**
 * Invisible characters in a text, each found at its own place in the source: controls written as
 * double-quoted escapes (`"\a"`, `"\x07"`), which no output can show, and the bidirectional
 * controls (U+202A–U+202E, U+2066–U+2069), typed or escaped.
 *
 * A direction override (U+202D, U+202E) makes a text display in another order than it is stored
 * — the "Trojan Source" trick: "abc‮def" shows "abcfed" in a browser or Word — and an embedding or
 * isolate left open (or a closer with nothing to close) changes the direction of whatever follows
 * it, differently in each application. Both are refused; balanced embeddings and isolates are
 * kept (they set the direction of a run of mixed-script text and print nothing themselves).
 */

/** A character of a text as its source writes it: at `offset`, typed or as an escape. */
export interface SourceChar {
  /** Offset in the source text of the character, or of the escape's backslash. */
  readonly offset: number;
  readonly char: string;
  /** The escape as written (`\a`, `\u202e`), when the character is written as one. */
  readonly escape?: string;
}

/** YAML's one-letter escapes of double-quoted scalars (YAML 1.2, 5.7). */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\u0000',
  a: '\u0007',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\u001b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The characters of a scalar's source `raw` (from `base` in the file) in order, each with its
 * place; in a double-quoted scalar, escapes are decoded (an escaped surrogate pair is one
 * character) and escaped line breaks skipped.
 */
export function* sourceChars(
  raw: string,
  base: number,
  doubleQuoted: boolean,
): Generator<SourceChar> {
  let i = 0;
  while (i < raw.length) {
    const cp = raw.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(cp);
    if (!doubleQuoted || char !== '\\') {
      yield { offset: base + i, char };
      i += char.length;
      continue;
    }
    const kind = raw.charAt(i + 1);
    const digits = HEX_DIGITS[kind];
    if (digits === undefined) {
      const short = SHORT_ESCAPES[kind];
      const end = i + 2;
      if (short !== undefined) yield { offset: base + i, char: short, escape: raw.slice(i, end) };
      // An escaped line break (`\` at the end of a line) continues the text on the next line.
      i = kind === '\r' && raw.charAt(end) === '\n' ? end + 1 : end;
      continue;
    }
    const end = i + 2 + digits;
    let code = Number.parseInt(raw.slice(i + 2, end), 16);
    let escapeEnd = end;
    // `\ud83d\ude00`: two escapes, one character.
    if (isHigh(code) && raw.charAt(end) === '\\' && raw.charAt(end + 1) === 'u') {
      const low = Number.parseInt(raw.slice(end + 2, end + 6), 16);
      if (isLow(low)) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        escapeEnd = end + 6;
      }
    }
    const decoded = Number.isNaN(code) ? '' : String.fromCodePoint(code);
    yield { offset: base + i, char: decoded, escape: raw.slice(i, escapeEnd) };
    i = escapeEnd;
  }
}

/** The bidirectional controls, by character. */
export const BIDI_CONTROLS: Readonly<
  Record<string, { readonly name: string; readonly kind: BidiKind }>
> = {
  '\u202a': { name: 'LEFT-TO-RIGHT EMBEDDING', kind: 'embedding' },
  '\u202b': { name: 'RIGHT-TO-LEFT EMBEDDING', kind: 'embedding' },
  '\u202c': { name: 'POP DIRECTIONAL FORMATTING', kind: 'pop-embedding' },
  '\u202d': { name: 'LEFT-TO-RIGHT OVERRIDE', kind: 'override' },
  '\u202e': { name: 'RIGHT-TO-LEFT OVERRIDE', kind: 'override' },
  '\u2066': { name: 'LEFT-TO-RIGHT ISOLATE', kind: 'isolate' },
  '\u2067': { name: 'RIGHT-TO-LEFT ISOLATE', kind: 'isolate' },
  '\u2068': { name: 'FIRST STRONG ISOLATE', kind: 'isolate' },
  '\u2069': { name: 'POP DIRECTIONAL ISOLATE', kind: 'pop-isolate' },
};

type BidiKind = 'embedding' | 'pop-embedding' | 'override' | 'isolate' | 'pop-isolate';

/** Any bidirectional control. */
export const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;

/** Any bidirectional control, everywhere in a text (for removing them). */
export const BIDI_CONTROLS_ALL = /[\u202a-\u202e\u2066-\u2069]/gu;

/** Characters that end a paragraph for the bidirectional algorithm: nothing stays open past one. */
const PARAGRAPH_END = /[\n\r\u0085\u2029]/u;

/** "U+202E RIGHT-TO-LEFT OVERRIDE" */
export function bidiName(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} ${BIDI_CONTROLS[char]?.name ?? ''}`.trimEnd();
}

/** A bidirectional control the text may not hold, and why. */
export interface BidiProblem {
  readonly at: SourceChar;
  readonly message: string;
  readonly hint: string;
}

const written = (c: SourceChar) => (c.escape === undefined ? '' : ` (written as \`${c.escape}\`)`);

/**
 * Overrides, embeddings and isolates left open at the end of a paragraph (or closed inside an
 * isolate they were opened outside), and closers with nothing to close, in `chars` (one text).
 */
export function bidiProblems(chars: Iterable<SourceChar>): BidiProblem[] {
  const problems: BidiProblem[] = [];
  const open: SourceChar[] = [];
  const unclosed = (opener: SourceChar, where: string) => {
    const closer = BIDI_CONTROLS[opener.char]?.kind === 'isolate' ? '\u2069' : '\u202c';
    problems.push({
      at: opener,
      message: `${bidiName(opener.char)}${written(opener)} is not closed ${where}: it would change the direction of the text after it`,
      hint: `close it with ${bidiName(closer)}, or remove it`,
    });
  };
  const closeParagraph = () => {
    for (const opener of open) unclosed(opener, 'in its paragraph');
    open.length = 0;
  };
  for (const c of chars) {
    if (PARAGRAPH_END.test(c.char)) {
      closeParagraph();
      continue;
    }
    const kind = BIDI_CONTROLS[c.char]?.kind;
    if (kind === undefined) continue;
    if (kind === 'override') {
      problems.push({
        at: c,
        message: `${bidiName(c.char)}${written(c)} shows the text after it in another order than it is written (the "Trojan Source" trick); a source may not hold a direction override`,
        hint: 'remove it and write the text in its reading order; to set the direction of a run, enclose it in an isolate (U+2066, U+2067 or U+2068 … U+2069)',
      });
      continue;
    }
    if (kind === 'embedding' || kind === 'isolate') {
      open.push(c);
      continue;
    }
    const wanted = kind === 'pop-isolate' ? 'isolate' : 'embedding';
    const top = open.at(-1);
    const topKind = top === undefined ? undefined : BIDI_CONTROLS[top.char]?.kind;
    if (topKind === wanted) {
      open.pop();
      continue;
    }
    if (wanted === 'isolate' && open.some((o) => BIDI_CONTROLS[o.char]?.kind === 'isolate')) {
      // Embeddings opened inside the isolate end with it.
      while (open.length > 0 && BIDI_CONTROLS[open.at(-1)?.char ?? '']?.kind !== 'isolate') {
        const opener = open.pop();
        if (opener !== undefined) unclosed(opener, 'before the isolate around it ends');
      }
      open.pop();
      continue;
    }
    problems.push({
      at: c,
      message: `${bidiName(c.char)}${written(c)} closes nothing: no ${wanted} is open before it${wanted === 'embedding' && topKind === 'isolate' ? ' inside its isolate' : ''}`,
      hint: 'remove it, or open what it closes before it',
    });
  }
  closeParagraph();
  return problems.sort((a, b) => a.at.offset - b.at.offset);
}
