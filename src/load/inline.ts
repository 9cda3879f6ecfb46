/**
 * Inline Markdown for text fields: *italic*, **bold** and footnote calls `[^id]`. Everything else
 * marked recognises (links, code, raw HTML, images) is kept as the literal characters the author
 * typed, so nothing but emphasis can ever become markup in any output.
 */
import { Lexer, type Token } from 'marked';
import type { Inline, Rich } from '../model.js';

/** A footnote call `[^id]`; ids are letters, digits, `-` and `_`. */
export const NOTE_CALL = /\[\^([A-Za-z0-9_-]+)\]/g;

/** Resolves a footnote id to its number and printed mark (called per call, in reading order). */
export type NoteNumberer = (id: string) => { readonly number: number; readonly mark: string };

const lexer = new Lexer({ async: false, gfm: true, breaks: false });

/** Parses one text field into inline nodes; `noteNumber` numbers footnote calls as they appear. */
export function parseInline(source: string, noteNumber: NoteNumberer): Rich {
  const tokens = lexer.inlineTokens(source.replace(/\s+/g, ' ').trim());
  return merge(tokens.flatMap((t) => convert(t, noteNumber)));
}

function convert(token: Token, noteNumber: NoteNumberer): Inline[] {
  switch (token.type) {
    case 'em':
      return [{ kind: 'italic', children: children(token.tokens, noteNumber) }];
    case 'strong':
      return [{ kind: 'bold', children: children(token.tokens, noteNumber) }];
    case 'escape':
      return [{ kind: 'text', text: token.raw.slice(1) }];
    case 'text':
      // A text token may carry nested tokens (marked does this inside some constructs).
      if ('tokens' in token && token.tokens && token.tokens.length > 0) {
        return children(token.tokens, noteNumber).slice();
      }
      return calls(token.raw, noteNumber);
    default:
      // Links, code spans, raw HTML, images, line breaks: literal text, never markup.
      return calls(token.raw, noteNumber);
  }
}

function children(tokens: Token[] | undefined, noteNumber: NoteNumberer): Rich {
  return merge((tokens ?? []).flatMap((t) => convert(t, noteNumber)));
}

function calls(text: string, noteNumber: NoteNumberer): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(NOTE_CALL)) {
    const id = m[1] ?? '';
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'noteRef', id, ...noteNumber(id) });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Joins adjacent text nodes so that renderers see one run per style change. */
function merge(nodes: readonly Inline[]): Rich {
  const out: Inline[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.kind === 'text' && prev?.kind === 'text')
      out[out.length - 1] = { kind: 'text', text: prev.text + n.text };
    else out.push(n);
  }
  return out;
}
