/**
 * Text runs (pdf/engine.ts hook 20): consecutive words of a page written in one text object.
 * pdfkit writes every word as a text object of its own, with everything it needs around it —
 * `/Gs1 gs /DeviceRGB cs 0 0 0 scn f q 1 0 0 -1 0 792 cm BT 1 0 0 1 x y Tm /F1 12 Tf 0.23 Tc
 * 102.13 Tz [<…>] TJ ET Q`, some 150 bytes a word, then deflated — and the `f`, a fill with no
 * path, is not even valid PDF. A run opens the text object at a word and keeps it open for the
 * words that follow, writing each word's text matrix and only the text state that changed; it is
 * closed (`ET Q`) before anything else is written to the page, and when the page ends. Marked
 * content (`BDC`/`EMC`, the tagging of pdf/tags.ts) is written outside text objects, so each text
 * object lies wholly inside one marked-content sequence (ISO 32000-1, 14.6).
 *
 * The graphics state a word is drawn with — the opacity (`gs`) and fill colour pdfmake sets
 * before each word — is written only when it changes, outside the text object: a state written
 * before a word is held back (`hold`) until the next write, and written then, before that write,
 * unless it is what the page is already drawing with. Anything else written to the page is
 * written as it comes, after what was held back, and the state is then taken as unknown, so the
 * page draws exactly what pdfkit's own writes draw. A fill colour held back has no `f`: pdfkit's
 * `fill(colour)` with no path under construction paints nothing; one with a path is never held
 * back (`pathOpen`).
 *
 * This module only makes the lines; pdf/engine.ts keeps one `TextRun` per content stream and
 * passes it every write.
 */

/** The text state of a word (pdfkit's `_fragment` order: font and size, spacing, scaling). */
export interface WordState {
  /** The page height (pt): the run's text space flips pdfkit's page space back, as pdfkit does. */
  readonly height: number;
  /** `/F1 12 Tf` */
  readonly font: string;
  /** The character spacing as written (`0` when none). */
  readonly spacing: string;
  /** The horizontal scaling as written (`100` when none). */
  readonly scaling: string;
}

/** pdfkit's number formatting (PDFObject.number): six decimals at most. */
export function pdfNumber(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

/**
 * A word's glyph lines as a run writes them: pdfkit's `[<…> 0] TJ` (a TJ array whose last
 * number moves only the text position after the word, which the next word's `Td` does not read)
 * written without that number, and as `<…> Tj` when nothing is left to adjust.
 */
export function runGlyphs(tj: string): string {
  if (!tj.endsWith('] TJ') || tj.includes('\n')) return tj;
  const last = tj.lastIndexOf('>');
  const body = tj.slice(1, last + 1);
  return body.indexOf('>') === body.length - 1 ? `${body} Tj` : `[${body}] TJ`;
}

/** Text state at the start of a text object inside `q`: what pdfkit's words assume. */
const UNSET_SPACING = '0';
const UNSET_SCALING = '100';

/** Marked-content operators: they change no graphics state and sit outside text objects. */
const MARKED = /(?:^|\s)(?:BDC|BMC)$|^EMC$/u;

/** Path construction operators: a path then waits to be painted (or clipped, then painted). */
const CONSTRUCTION = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
/** Path painting operators, which end the path (`n` after a clip too). */
const PAINTING = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);

/**
 * Whether a path waits to be painted after `lines` (one operator a line, as pdfkit writes them),
 * `open` being whether one waited before: the last construction or painting operator decides.
 */
function pathAfter(lines: string, open: boolean): boolean {
  let end = lines.length;
  while (end > 0) {
    const start = lines.lastIndexOf('\n', end - 1) + 1;
    const line = lines.slice(start, end).trimEnd();
    const op = line.slice(line.lastIndexOf(' ') + 1);
    if (CONSTRUCTION.has(op)) return true;
    if (PAINTING.has(op)) return false;
    end = start - 1;
  }
  return open;
}

/** The run of one content stream: its open text object and the graphics state around it. */
export class TextRun {
  /** Whether a text object (`q … cm BT`) is open. */
  private open = false;
  /** The text state written in the open text object. */
  private font = '';
  private spacing = UNSET_SPACING;
  private scaling = UNSET_SCALING;
  private height = Number.NaN;
  /** Graphics state held back (an opacity `gs`, fill colour lines), not yet written. */
  private heldOpacity: string | undefined;
  private heldFill: string | undefined;
  /** What the page draws with, as far as the run's own writes tell (undefined: unknown). */
  private opacity: string | undefined;
  private fill: string | undefined;
  /**
   * Where the open text object's line starts (its text line matrix's translation, as a reader
   * adds up the `Td`s), or undefined after a word that set it with a `Tm` of its own.
   */
  private lineX: number | undefined;
  private lineY = 0;
  /** Whether the last write left a path under construction (a fill then paints it). */
  pathOpen = false;
  /** Whether a word was drawn: the stream is a page's content (pdf/engine.ts hook 21). */
  drewText = false;
  /** Set while pdfkit's `opacity()` writes: its `gs` line is held back (pdf/engine.ts). */
  holding = false;
  /** The lines of the word last made, which are the run's own write (`beforeWrite`). */
  private own: string | undefined;

  /**
   * Holds back a graphics-state line written before a word: `gs`, an opacity's ExtGState (pdfkit's
   * `opacity()`), or `fill`, a fill colour's lines without their `f`.
   */
  hold(kind: 'gs' | 'fill', lines: string): void {
    if (kind === 'gs') this.heldOpacity = lines;
    else this.heldFill = lines;
  }

  /** The lines that close the open text object, or ''. */
  private close(): string {
    if (!this.open) return '';
    this.open = false;
    return 'ET\nQ';
  }

  /** The held-back state that differs from what the page draws with, written now. */
  private flushHeld(): string[] {
    const lines: string[] = [];
    if (this.heldOpacity !== undefined && this.heldOpacity !== this.opacity) {
      lines.push(this.heldOpacity);
      this.opacity = this.heldOpacity;
    }
    if (this.heldFill !== undefined && this.heldFill !== this.fill) {
      lines.push(this.heldFill);
      this.fill = this.heldFill;
    }
    this.heldOpacity = undefined;
    this.heldFill = undefined;
    return lines;
  }

  /**
   * Before each write to the stream (`chunk`: lines, or bytes): the lines to write first, '' for
   * none. A word's lines (made by `word`) go into the run; before anything else, the text
   * object is closed and the state held back written.
   */
  beforeWrite(chunk: string | Uint8Array): string {
    if (chunk === this.own) {
      this.own = undefined;
      return '';
    }
    return this.beforeOther(chunk);
  }

  private beforeOther(chunk: string | Uint8Array): string {
    const lines = typeof chunk === 'string' ? chunk : undefined;
    const closing = this.close();
    if (lines !== undefined && MARKED.test(lines)) return closing;
    const held = this.flushHeld();
    // The write may set any state: nothing is known of it until the run writes it again.
    this.opacity = undefined;
    this.fill = undefined;
    if (lines !== undefined) this.pathOpen = pathAfter(lines, this.pathOpen);
    if (closing === '') return held.join('\n');
    return held.length === 0 ? closing : `${closing}\n${held.join('\n')}`;
  }

  /** The lines that end the stream: the text object closed (held-back state paints nothing). */
  end(): string {
    this.heldOpacity = undefined;
    this.heldFill = undefined;
    return this.close();
  }

  /**
   * The lines that draw a word at (`x`, `y`) (pt, the run's text space): the graphics state held
   * back for it, a text object opened if none is, the word's place (`Tm` for the first word of a
   * text object, then `Td` from the word before), the text state that differs from the previous
   * word's, and its `glyphs`; `ownMatrix`: the glyph lines set text matrices of their own (a
   * glyph the font offsets), after which the next word is placed with `Tm`.
   */
  word(state: WordState, x: number, y: number, glyphs: string, ownMatrix: boolean): string {
    this.drewText = true;
    let out = '';
    const held = this.flushHeld();
    if (held.length > 0 || state.height !== this.height) {
      const closing = this.close();
      if (closing !== '') out += `${closing}\n`;
      if (held.length > 0) out += `${held.join('\n')}\n`;
    }
    if (!this.open) {
      out += `q\n1 0 0 -1 0 ${pdfNumber(state.height)} cm\nBT\n`;
      this.open = true;
      this.height = state.height;
      this.font = '';
      this.spacing = UNSET_SPACING;
      this.scaling = UNSET_SCALING;
      this.lineX = undefined;
    }
    if (this.lineX === undefined) {
      const tx = pdfNumber(x);
      const ty = pdfNumber(y);
      out += `1 0 0 1 ${tx} ${ty} Tm`;
      this.lineX = tx;
      this.lineY = ty;
    } else {
      // Relative to where the reader has the line start: no error adds up along a run.
      const dx = pdfNumber(x - this.lineX);
      const dy = pdfNumber(y - this.lineY);
      out += `${dx} ${dy} Td`;
      this.lineX += dx;
      this.lineY += dy;
    }
    if (ownMatrix) this.lineX = undefined;
    if (state.font !== this.font) {
      out += `\n${state.font}`;
      this.font = state.font;
    }
    if (state.spacing !== this.spacing) {
      out += `\n${state.spacing} Tc`;
      this.spacing = state.spacing;
    }
    if (state.scaling !== this.scaling) {
      out += `\n${state.scaling} Tz`;
      this.scaling = state.scaling;
    }
    this.own = glyphs === '' ? out : `${out}\n${glyphs}`;
    return this.own;
  }
}
