/**
 * SVG drawings replayed (pdf/engine.ts hook 10). pdfmake draws an SVG through svg-to-pdfkit, which
 * parses the text, resolves styles and turns every shape into pdfkit calls: ~6 ms for the UN
 * emblem, in every document, to make the same ~900 calls (save, transform, bezierCurveTo, fill…)
 * with the same arguments. Here the first drawing of an SVG at a place is recorded as that call
 * sequence, and later drawings make the same calls on their own document: pdfkit then writes the
 * same operators and registers the same resources in the same order, so the bytes are the ones
 * svg-to-pdfkit gives.
 *
 * A recording is reused only when svg-to-pdfkit's calls could not have depended on the document:
 * it read no document property but the one it saves and restores (`saved`: pdfkit's fill colour,
 * which pdf/engine.ts names), every call returned the document itself (for chaining) and took
 * only plain values. Anything else (text, which asks the
 * document for fonts; links, groups and patterns, which read and change its pages) is drawn by
 * svg-to-pdfkit each time.
 */

/** One recorded pdfkit call: method name and (copied) arguments. */
type Call = readonly [method: string, args: readonly unknown[]];

/** A drawing that may be replayed, or undefined when it read or changed the document. */
export type Recording = readonly Call[] | undefined;

/** A pdfkit document as the replay uses it: methods by name, and its current fill colour. */
type Doc = Record<PropertyKey, unknown>;

/** Pseudo-calls of a recording: the fill colour read, and put back. */
const READ = '<read fill colour>';
const RESTORE = '<restore fill colour>';

/** A copy of a call argument made of plain values, or `UNSAFE` for anything else. */
const UNSAFE = Symbol('unsafe');

function plainCopy(value: unknown, depth = 0): unknown {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) {
    return value;
  }
  if (depth > 4 || typeof value !== 'object') return UNSAFE;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const c = plainCopy(v, depth + 1);
      if (c === UNSAFE) return UNSAFE;
      out.push(c);
    }
    return out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return UNSAFE;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = plainCopy(v, depth + 1);
    if (c === UNSAFE) return UNSAFE;
    out[k] = c;
  }
  return out;
}

/**
 * Runs `draw` with a stand-in for `doc` that records the calls made on it; the calls still act on
 * `doc` (the drawing happens). `saved`: the property the drawing may read and put back. Returns
 * the recording, or undefined when it may not be replayed.
 */
export function recordDrawing(doc: Doc, saved: string, draw: (stand: Doc) => void): Recording {
  const calls: Call[] = [];
  let safe = true;
  let read: { value: unknown } | undefined;
  const stand: Doc = new Proxy(doc, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          const copy = plainCopy(args);
          if (copy === UNSAFE || typeof prop !== 'string') safe = false;
          else calls.push([prop, copy as unknown[]]);
          const result: unknown = Reflect.apply(value, target, args);
          if (result === target) return stand;
          if (result !== undefined) safe = false;
          return result;
        };
      }
      if (prop === saved && read === undefined) {
        read = { value };
        calls.push([READ, []]);
      } else safe = false;
      return value;
    },
    set(target, prop, value) {
      // Only the fill colour's restore: svg-to-pdfkit puts back what it read.
      if (prop !== saved || read === undefined || read.value !== value) safe = false;
      else calls.push([RESTORE, []]);
      return Reflect.set(target, prop, value, target);
    },
    defineProperty() {
      safe = false;
      return false;
    },
    deleteProperty() {
      safe = false;
      return false;
    },
  });
  draw(stand);
  return safe ? calls : undefined;
}

/** Pseudo-call of a compiled recording: lines to write as one (what a run of path operators writes). */
const CONTENT = '<content>';

/** A recording as replayed: runs of path operators turned into the lines they write. */
interface Compiled {
  /** The functions the lines were made with: a document whose methods differ replays the calls. */
  readonly made: ReadonlyMap<string, unknown>;
  readonly steps: readonly Call[];
}

const compiledDrawings = new WeakMap<readonly Call[], Compiled>();

/**
 * The one line pdfkit's method `f` writes for `args`, made by `f` itself on a stand-in document
 * that only collects what is written; undefined when `f` does anything else (reads the document,
 * writes other than one line, returns other than the document).
 */
function lineOf(f: unknown, args: readonly unknown[]): string | undefined {
  if (typeof f !== 'function') return undefined;
  const written: unknown[] = [];
  const stand = {
    addContent(data: unknown) {
      written.push(data);
      return stand;
    },
  };
  try {
    const result: unknown = Reflect.apply(f, stand, plainCopy(args) as unknown[]);
    const [line] = written;
    return result === stand && written.length === 1 && typeof line === 'string' ? line : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `calls` with each run of calls to `lineWriters` (pdfkit's path operators, which pdf/engine.ts
 * names: each writes one content-stream line made from its arguments alone, and an emblem is
 * thousands of them) replaced by one write of the lines they write, made by the operators
 * themselves: `addContent("a\nb")` writes what `addContent("a")` then `addContent("b")` write
 * (pdfkit ends every write with a newline), so the bytes are the calls'.
 */
function compile(doc: Doc, calls: readonly Call[], lineWriters: ReadonlySet<unknown>): Compiled {
  const made = new Map<string, unknown>();
  const steps: Call[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) steps.push([CONTENT, [lines.join('\n')]]);
    lines = [];
  };
  for (const call of calls) {
    const [method, args] = call;
    const f = doc[method];
    const line = lineWriters.has(f) ? lineOf(f, args) : undefined;
    if (line === undefined) {
      flush();
      steps.push(call);
    } else {
      made.set(method, f);
      lines.push(line);
    }
  }
  flush();
  return { made, steps };
}

/** `calls` as `doc` replays them: compiled once per recording (the emblem's, in every document). */
function stepsFor(
  doc: Doc,
  calls: readonly Call[],
  lineWriters: ReadonlySet<unknown>,
): readonly Call[] {
  if (lineWriters.size === 0) return calls;
  let compiled = compiledDrawings.get(calls);
  for (const [method, f] of compiled?.made ?? [])
    if (doc[method] !== f || !lineWriters.has(f)) compiled = undefined;
  if (compiled === undefined) {
    compiled = compile(doc, calls, lineWriters);
    compiledDrawings.set(calls, compiled);
  }
  return compiled.steps;
}

/**
 * Makes a recording's calls on `doc`, `saved` being the property it was recorded with; the calls
 * to `lineWriters` as the lines they write, joined (see `compile`).
 */
export function replayDrawing(
  doc: Doc,
  calls: readonly Call[],
  saved: string,
  lineWriters: ReadonlySet<unknown> = new Set(),
): void {
  let value: unknown;
  for (const [method, args] of stepsFor(doc, calls, lineWriters)) {
    if (method === CONTENT) {
      const addContent = doc.addContent;
      if (typeof addContent !== 'function') throw new Error('SVG replay: pdfkit has no addContent');
      Reflect.apply(addContent, doc, args);
      continue;
    }
    if (method === READ) {
      value = doc[saved];
      continue;
    }
    if (method === RESTORE) {
      doc[saved] = value;
      continue;
    }
    const f = doc[method];
    if (typeof f !== 'function') throw new Error(`SVG replay: pdfkit has no method ${method}`);
    // Arrays and objects are copied again: pdfkit may keep (and a later call change) what it gets.
    Reflect.apply(f, doc, plainCopy(args) as unknown[]);
  }
}
