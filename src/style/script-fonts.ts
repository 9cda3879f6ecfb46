/**
 * Which font family prints each character: the layout's body family (`font.family`) and its
 * fallbacks (`font.fallback`), as the templates declare them. A letter, ideograph or other
 * character of a script takes the first family that has it, so a Latin run inside Chinese or
 * Arabic text ("A/61/859", an English name) keeps the body font; a neutral character (digits,
 * punctuation, spaces, combining marks) stays in the family of the text around it when that
 * family has it, so "（见附件）" is set in the Chinese font and an Arabic word keeps its vowel
 * marks. A family other than the body's is read only when a text needs it.
 */
import { type Coverage, cmapCoverage } from './cmap.js';
import type { FontFamilyFiles, Style } from './style.js';

/** A stretch of text that one family prints. */
export interface FontRun {
  readonly text: string;
  /** The family, or undefined for characters no family of the layout has. */
  readonly family: string | undefined;
}

/** Characters of no script of their own: they take the family of the text around them. */
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** Coverage of each face's bytes, per process (the same Buffer for every document). */
const coverages = new WeakMap<Uint8Array, Coverage>();

function coverageOf(ttf: Uint8Array): Coverage {
  let c = coverages.get(ttf);
  if (c === undefined) {
    c = cmapCoverage(ttf);
    coverages.set(ttf, c);
  }
  return c;
}

/** The families of one layout and the characters each prints. */
export class ScriptFonts {
  /** The body family first, then the fallbacks in order. */
  readonly families: readonly string[];
  private readonly neutral = new Map<number, boolean>();
  /** Each family's coverage, once read. */
  private readonly coverage = new Map<string, Coverage>();

  constructor(
    private readonly style: Style,
    /** A family's regular face (its coverage stands for the family's). */
    private readonly regularFace: (files: FontFamilyFiles) => Uint8Array,
  ) {
    this.families = [style.font.family, ...style.font.fallback];
  }

  /** The body family's name. */
  get body(): string {
    return this.style.font.family;
  }

  /** Whether `family` prints the character (its regular face has a glyph for it). */
  has(family: string, cp: number): boolean {
    let coverage = this.coverage.get(family);
    if (coverage === undefined) {
      const files = this.style.fontFiles[family];
      if (files === undefined) {
        throw new Error(
          `templates/${this.style.name}.yaml: font family ${family} is not in fontFiles`,
        );
      }
      coverage = coverageOf(this.regularFace(files));
      this.coverage.set(family, coverage);
    }
    return coverage.has(cp);
  }

  /** The first family that prints the character, or undefined when none does. */
  familyOf(cp: number): string | undefined {
    for (const f of this.families) if (this.has(f, cp)) return f;
    return undefined;
  }

  /** True when the body family prints every character of `text`. */
  bodyPrints(text: string): boolean {
    const body = this.body;
    for (const ch of text) if (!this.has(body, ch.codePointAt(0) ?? 0)) return false;
    return true;
  }

  private isNeutral(cp: number): boolean {
    let n = this.neutral.get(cp);
    if (n === undefined) {
      n = NEUTRAL.test(String.fromCodePoint(cp));
      this.neutral.set(cp, n);
    }
    return n;
  }

  /** The family of the next character with a script of its own after index `from`. */
  private nextStrong(cps: readonly number[], from: number): string | undefined {
    for (let i = from; i < cps.length; i++) {
      const cp = cps[i] ?? 0;
      if (!this.isNeutral(cp)) return this.familyOf(cp);
    }
    return undefined;
  }

  /** `text` cut into runs, each printed by one family. */
  runs(text: string): FontRun[] {
    if (this.bodyPrints(text)) return [{ text, family: this.body }];
    const cps = Array.from(text, (ch) => ch.codePointAt(0) ?? 0);
    const out: FontRun[] = [];
    let current: string | undefined;
    let started = false;
    let run = '';
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i] ?? 0;
      let family: string | undefined;
      if (!this.isNeutral(cp)) family = this.familyOf(cp);
      else if (started && current !== undefined && this.has(current, cp)) family = current;
      else {
        const next = this.nextStrong(cps, i + 1);
        family = next !== undefined && this.has(next, cp) ? next : this.familyOf(cp);
      }
      if (started && family !== current) {
        out.push({ text: run, family: current });
        run = '';
      }
      current = family;
      started = true;
      run += String.fromCodePoint(cp);
    }
    if (started) out.push({ text: run, family: current });
    return out;
  }
}

const perStyle = new WeakMap<Style, ScriptFonts>();

/** The script fonts of a layout, made once per process (their coverage is read once). */
export function scriptFontsOf(
  style: Style,
  regularFace: (files: FontFamilyFiles) => Uint8Array,
): ScriptFonts {
  let fonts = perStyle.get(style);
  if (fonts === undefined) {
    fonts = new ScriptFonts(style, regularFace);
    perStyle.set(style, fonts);
  }
  return fonts;
}
