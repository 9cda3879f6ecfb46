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

/** Makes a recording's calls on `doc`, `saved` being the property it was recorded with. */
export function replayDrawing(doc: Doc, calls: readonly Call[], saved: string): void {
  let value: unknown;
  for (const [method, args] of calls) {
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
