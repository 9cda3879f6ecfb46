/**
 * The package's own read-only resources: fonts from the npm font package, the UN templates and
 * the emblem. Read once per process (the CLI and tests call this; renderers receive the result).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileDiagnostic } from './diagnostics.js';
import { LANGUAGES, type LanguageCode, STYLE_NAMES, type StyleName } from './model.js';
import { type LanguageTables, parseLanguageTable } from './style/language.js';
import { loadStyle, ResourceFailure, unreadable } from './style/load.js';
import { type ScriptFonts, scriptFontsOf } from './style/script-fonts.js';
import type { FontFamilyFiles, Style } from './style/style.js';

/** TrueType bytes of the four faces of the body font. */
export interface FontFiles {
  readonly regular: Buffer;
  readonly bold: Buffer;
  readonly italic: Buffer;
  readonly boldItalic: Buffer;
}

/** Everything a renderer may need besides the model and the style. */
export interface Resources {
  /** The body font's faces (the `font.family` of the layouts: Tinos). */
  readonly fonts: FontFiles;
  /**
   * The faces of a font family the templates declare, read from its package on first use and
   * kept for the process: a Chinese or Arabic font is read only by a document that needs it.
   */
  readonly fontFamily: (files: FontFamilyFiles) => FontFiles;
  /** The UN emblem as SVG source (templates/emblem.svg). */
  readonly emblemSvg: string;
  /** The "Please recycle" mark as SVG source (templates/recycle.svg). */
  readonly recycleSvg: string;
  /** The web page's stylesheet template (templates/html.css), filled in from the Style. */
  readonly htmlCss: string;
  /** Every layout, already parsed. */
  readonly styles: Readonly<Record<StyleName, Style>>;
  /** The sRGB ICC profile (ICC's sRGB2014, shipped in pdfkit): the PDF/A output intent. */
  readonly srgbIcc: Uint8Array;
  /** Every language's furniture (templates/lang/*.yaml), already parsed. */
  readonly languages: LanguageTables;
}

/** The package root (where package.json and templates/ live). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The templates folder. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** The path a diagnostic names for `path`: relative to the working folder when inside it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Reads a font family's four TTFs out of its npm package (never the OS); a package or file that
 * cannot be read throws `ResourceFailure` naming it.
 */
export function loadFontFamily(files: FontFamilyFiles): FontFiles {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(require.resolve(`${files.package}/package.json`));
  } catch (e) {
    throw unreadable(`${files.package} (a font package the templates name)`, e);
  }
  const face = (file: string) => {
    const path = join(dir, file);
    try {
      return readFileSync(path);
    } catch (e) {
      throw unreadable(shownPath(path), e);
    }
  };
  return {
    regular: face(files.normal),
    bold: face(files.bold),
    italic: face(files.italics),
    boldItalic: face(files.bolditalics),
  };
}

/** Reads the faces of the body font the layouts name (Tinos, from @expo-google-fonts/tinos). */
export function loadFonts(style: Style = loadResources().styles.ny): FontFiles {
  const files = style.fontFiles[style.font.family];
  if (files === undefined) {
    const file = shownPath(join(TEMPLATES_DIR, `${style.name}.yaml`));
    const message = `\`font.family\` is ${style.font.family}, which \`fontFiles\` does not list`;
    throw ResourceFailure.of('invalid', [fileDiagnostic(file, 'bad-value', message)]);
  }
  return loadFontFamily(files);
}

const familyKey = (f: FontFamilyFiles) =>
  [f.package, f.normal, f.bold, f.italics, f.bolditalics].join('\u0000');

/** `loadFontFamily`, once per family and process; the body font is `body()`'s. */
function familyLoader(body: () => FontFiles, bodyFiles: () => FontFamilyFiles | undefined) {
  const loaded = new Map<string, FontFiles>();
  return (files: FontFamilyFiles): FontFiles => {
    const key = familyKey(files);
    let faces = loaded.get(key);
    if (faces === undefined) {
      const known = bodyFiles();
      faces = known !== undefined && familyKey(known) === key ? body() : loadFontFamily(files);
      loaded.set(key, faces);
    }
    return faces;
  };
}

/** `make()` once, on first use; a failure is kept and thrown again. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | { error: unknown } | undefined;
  return () => {
    if (made === undefined) {
      try {
        made = { value: make() };
      } catch (error) {
        made = { error };
      }
    }
    if ('error' in made) throw made.error;
    return made.value;
  };
}

/** Reads the sRGB ICC profile pdfkit ships (MIT package; the ICC lets anyone embed it). */
export function loadSrgbProfile(): Uint8Array {
  // Resolved from the package root at run time: the bundle carries pdfkit's code, not its files.
  const dir = dirname(
    createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('pdfkit/package.json'),
  );
  return readFileSync(join(dir, 'js', 'data', 'sRGB_IEC61966_2_1.icc'));
}

let languagesCache: LanguageTables | undefined;

/**
 * Reads and checks the six language tables, `templates/lang/<code>.yaml`, once per process (the
 * loader resolves every label with them; a broken table fails with one line naming its key).
 */
export function loadLanguageTables(dir = join(TEMPLATES_DIR, 'lang')): LanguageTables {
  if (languagesCache && dir === join(TEMPLATES_DIR, 'lang')) return languagesCache;
  const codes = Object.keys(LANGUAGES) as LanguageCode[];
  const table = (c: LanguageCode) => {
    const path = join(dir, `${c}.yaml`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw unreadable(shownPath(path), e);
    }
    try {
      return parseLanguageTable(c, text);
    } catch (e) {
      // The table reader names the file itself; the diagnostic carries it once.
      const message = (e instanceof Error ? e.message : String(e)).replace(/^\S+\.yaml: /, '');
      throw ResourceFailure.of('invalid', [fileDiagnostic(shownPath(path), 'bad-value', message)]);
    }
  };
  const tables = Object.fromEntries(codes.map((c) => [c, table(c)])) as Record<
    LanguageCode,
    ReturnType<typeof parseLanguageTable>
  >;
  if (dir === join(TEMPLATES_DIR, 'lang')) languagesCache = tables;
  return tables;
}

let cached: Resources | undefined;

/** Makes the next loadResources() read the templates again (a watch does when they change). */
export function forgetResources(): void {
  cached = undefined;
  languagesCache = undefined;
}

/**
 * The resources of the templates folder `dir`, each read on first use: a build reads only the
 * layouts its documents use (an unreadable geneva.yaml does not stop a New York build) and each
 * font only when something asks for it. A template that is not valid, or a file that cannot be
 * read, throws `ResourceFailure` where it is first used.
 */
export function resourcesIn(dir: string): Resources {
  const read = (file: string) => readFileSync(join(dir, file));
  const text = (file: string) =>
    once(() => {
      try {
        return readFileSync(join(dir, file), 'utf8');
      } catch (e) {
        throw unreadable(shownPath(join(dir, file)), e);
      }
    });
  const styles = {} as Record<StyleName, Style>;
  for (const name of STYLE_NAMES) {
    const style = once(() => loadStyle(name, read, (file) => shownPath(join(dir, file))));
    Object.defineProperty(styles, name, { get: style, enumerable: true });
  }
  // The body font is the one the New York layout names (Geneva extends it).
  const fonts = once(() => loadFonts(styles.ny));
  const fontFamily = familyLoader(fonts, () => styles.ny.fontFiles[styles.ny.font.family]);
  const emblem = text('emblem.svg');
  const recycle = text('recycle.svg');
  const css = text('html.css');
  const icc = once(() => {
    try {
      return loadSrgbProfile();
    } catch (e) {
      throw unreadable("pdfkit's sRGB profile (js/data/sRGB_IEC61966_2_1.icc)", e);
    }
  });
  return {
    get fonts() {
      return fonts();
    },
    fontFamily,
    get emblemSvg() {
      return emblem();
    },
    get recycleSvg() {
      return recycle();
    },
    get htmlCss() {
      return css();
    },
    styles,
    get srgbIcc() {
      return icc();
    },
    languages: loadLanguageTables(join(dir, 'lang')),
  };
}

/** The package's resources, once per process (each read on first use). */
export function loadResources(): Resources {
  cached ??= resourcesIn(TEMPLATES_DIR);
  return cached;
}

/** Each layout's font families (for the loader's missing-glyph check and the PDF's font runs). */
export function fontsOf(resources: Resources): (style: StyleName) => ScriptFonts {
  return (style) => scriptFontsOf(resources.styles[style], (f) => resources.fontFamily(f).regular);
}
