/**
 * Source text → document model: parse YAML with positions, validate, build. Pure: no file
 * system, no clock.
 */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { UnDocument } from '../model.js';
import { buildModel, type SpanAt } from './build.js';
import type { Source } from './source-types.js';

/** A problem found in a source, placed at a 1-based line and column. */
export interface LoadProblem {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly col: number;
}

/** The outcome of loading one source. */
export interface LoadResult {
  readonly model?: UnDocument;
  readonly problems: readonly LoadProblem[];
}

/** Loads a source. `name` is the file's base name without extension. */
export function loadSource(text: string, name: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { code: 'yaml-syntax', message: e.message, line: pos.line, col: pos.col };
      }),
    };
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as Source;
  const spanAt: SpanAt = (path) => {
    const node = doc.getIn(path, true);
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
  return { model: buildModel(data, name, spanAt), problems: [] };
}
