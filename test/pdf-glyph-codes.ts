/** The glyph codes a PDF shows, read from its content streams (a .notdef glyph is code 0000). */
import { inflatedStreams } from './pdf-streams.js';

/** The glyph codes of every string shown (TJ, Tj) in the PDF's content streams. */
export function shownGlyphCodes(pdf: Buffer): string[] {
  const codes: string[] = [];
  for (const data of inflatedStreams(pdf)) {
    // A TJ array, or a single string shown with Tj (a text run's word with nothing to adjust).
    for (const tj of data.matchAll(/\[([^\]]*)\] TJ|(<[0-9a-f]*>) Tj/g))
      for (const hex of (tj[1] ?? tj[2] ?? '').matchAll(/<([0-9a-f]*)>/g))
        for (let i = 0; i < (hex[1] ?? '').length; i += 4)
          codes.push((hex[1] ?? '').slice(i, i + 4));
  }
  return codes;
}
