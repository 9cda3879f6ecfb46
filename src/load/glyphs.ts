/**
 * Never a silent box: every character a source asks to print must have a glyph in one of its
 * layout's font families (templates: `font.family`, `font.fallback`). A character none of them
 * has (Devanagari, an emoji, a flag) would print as a box in the PDF, overprint its neighbour and
 * vanish from the text layer; it is an error at its place in the source, in every format, before
 * anything is written.
 */
import { createRequire } from 'node:module';
import type { Diagnostic } from '../diagnostics.js';
import { LANGUAGES, type LanguageCode } from '../model.js';
import type { ScriptFonts } from '../style/script-fonts.js';
import { type DataPath, issue, type SourceMap } from './yaml-source.js';

/** Keys whose text is never printed on a page (PDF metadata, the signatory's State). */
const UNPRINTED = new Set(['for', 'keywords', 'style', 'language', 'originalLanguage']);

/** Layout characters of the source (C0, DEL, C1, line and paragraph separators): never printed. */
function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029;
}

/** The Unicode name of a character ("DEVANAGARI LETTER KA"); loaded only to report one. */
function characterName(cp: number): string {
  try {
    const names = createRequire(import.meta.url)('unicode-name') as {
      unicodeName(cp: number): string | undefined;
      unicodeLabel(cp: number): string | undefined;
    };
    return names.unicodeName(cp) ?? names.unicodeLabel(cp) ?? '';
  } catch {
    return '';
  }
}

/** "U+0915 DEVANAGARI LETTER KA" */
export function describeCharacter(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const name = characterName(cp);
  return name === '' ? `U+${hex}` : `U+${hex} ${name}`;
}

/** One character the layout's fonts cannot print, where the source first has it. */
interface Unprintable {
  readonly cp: number;
  readonly path: DataPath;
  readonly char: string;
  count: number;
}

function collect(
  value: unknown,
  path: DataPath,
  fonts: ScriptFonts,
  found: Map<number, Unprintable>,
): void {
  if (typeof value === 'string') {
    for (const char of value) {
      const cp = char.codePointAt(0) ?? 0;
      if (isControl(cp)) continue;
      const known = found.get(cp);
      if (known !== undefined) known.count++;
      else if (fonts.familyOf(cp) === undefined) found.set(cp, { cp, path, char, count: 1 });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      collect(v, [...path, i], fonts, found);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!UNPRINTED.has(k)) collect(v, [...path, k], fonts, found);
    }
  }
}

/**
 * An error for each character of the source's printed texts that no font family of its layout
 * has, at the first place it appears (a character that recurs is reported once, with its count).
 */
export function glyphIssues(
  data: unknown,
  map: SourceMap,
  fonts: ScriptFonts,
  language: LanguageCode,
  layout: string,
): Diagnostic[] {
  const found = new Map<number, Unprintable>();
  collect(data, [], fonts, found);
  const lang = `${LANGUAGES[language].name} (${language})`;
  return [...found.values()].map((u) => {
    const more = u.count > 1 ? ` (and ${u.count - 1} more time${u.count > 2 ? 's' : ''})` : '';
    return issue(
      map.file,
      'missing-glyph',
      map.within(u.path, u.char),
      `${describeCharacter(u.cp)} cannot be printed: no font of the ${layout} layout has it ` +
        `(${fonts.families.join(', ')}); the document's language is ${lang}${more}`,
      `remove or replace it, or give templates/${layout}.yaml a font family that has it (font.fallback, fontFiles)`,
    );
  });
}
