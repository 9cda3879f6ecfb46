/**
 * Build progress and the closing summary. On a terminal, one line rewritten in place; anywhere
 * else (CI logs, pipes) plain lines with no control codes, one per document. The caller says
 * which (`isTTY`), so tests can drive both; the caller also supplies the times (no clock here).
 */

/** Where progress goes: a stream's `write` and whether it is a terminal. */
export interface ProgressSink {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
  /** Terminal width in columns; the live line is cut to it. */
  readonly columns?: number;
}

/** What happened to one document. */
export type DocStatus = 'built' | 'skipped' | 'failed';

/** One document's outcome, as progress reports it. */
export interface ProgressEvent {
  readonly name: string;
  readonly status: DocStatus;
  /** Render time in ms (built documents). */
  readonly ms?: number;
  /** For a failure: its first problem as `file:line:col: error code: message`. */
  readonly detail?: string;
}

// ESC[2K erases the line; CR returns to its start. Only ever written when the sink is a TTY.
const CLEAR_LINE = '\r\u001b[2K';

/** Reports each document as it finishes; `end()` clears the live line before the summary. */
export class Progress {
  private done = 0;
  private failed = 0;
  private live = false;

  /** `total` documents are expected. */
  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
  ) {}

  /** Records one finished document. */
  report(event: ProgressEvent): void {
    this.done += 1;
    if (event.status === 'failed') this.failed += 1;
    if (!this.sink.isTTY) {
      this.sink.write(`${plainLine(event, this.done, this.total)}\n`);
      return;
    }
    if (event.status === 'failed') {
      // A failure stays on screen: clear the live line, print it, redraw below.
      this.sink.write(`${CLEAR_LINE}${plainLine(event, this.done, this.total)}\n`);
    }
    const failed = this.failed > 0 ? `, ${this.failed} failed` : '';
    const line = `[${this.done}/${this.total}${failed}] ${verb(event.status)} ${event.name}`;
    this.sink.write(`${CLEAR_LINE}${this.fit(line)}`);
    this.live = true;
  }

  /** On a terminal, shows what is under way ("rendering 3 documents…") until the next report. */
  note(text: string): void {
    if (!this.sink.isTTY) return;
    this.sink.write(`${CLEAR_LINE}${this.fit(`[${this.done}/${this.total}] ${text}`)}`);
    this.live = true;
  }

  private fit(line: string): string {
    const width = Math.max(20, (this.sink.columns ?? 80) - 1);
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  }

  /** Clears the live line (TTY) so the summary starts on a clean line. */
  end(): void {
    if (this.sink.isTTY && this.live) this.sink.write(CLEAR_LINE);
    this.live = false;
  }
}

function verb(status: DocStatus): string {
  return status === 'built' ? 'built' : status === 'skipped' ? 'up to date' : 'FAILED';
}

function plainLine(event: ProgressEvent, done: number, total: number): string {
  const count = `[${String(done).padStart(String(total).length)}/${total}]`;
  const ms = event.ms !== undefined ? ` (${Math.round(event.ms)} ms)` : '';
  const detail = event.detail !== undefined ? `: ${event.detail}` : '';
  return `${count} ${verb(event.status)} ${event.name}${ms}${detail}`;
}

/** The figures of a finished build. */
export interface BuildTotals {
  readonly documents: number;
  readonly formats: readonly string[];
  readonly built: number;
  readonly skipped: number;
  readonly failed: number;
  /** Wall time in ms. */
  readonly ms: number;
  /** Threads that rendered (the summary names them when more than one). */
  readonly threads: number;
  /** The output folder as given. */
  readonly outDir: string;
}

/**
 * The summary line, e.g. "build: 2 of 3 documents built into out/ (pdf, docx, html; 6 files
 * written), 1 up to date, 0 failed in 1.42 s on 2 threads".
 */
export function summaryLine(t: BuildTotals): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const where = t.threads > 1 ? ` on ${t.threads} threads` : '';
  const written = t.built * t.formats.length;
  return (
    `build: ${t.built} of ${plural(t.documents, 'document')} built into ` +
    `${t.outDir.replace(/\/+$/, '')}/ (${t.formats.join(', ')}; ${plural(written, 'file')} written), ` +
    `${t.skipped} up to date, ${t.failed} failed in ${(t.ms / 1000).toFixed(2)} s${where}`
  );
}
