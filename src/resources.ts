/**
 * The package's own read-only resources: fonts from the npm font package, the UN templates and
 * the emblem. Read once per process (the CLI and tests call this; renderers receive the result).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STYLE_NAMES, type StyleName } from './model.js';
import { type ScriptFonts, scriptFontsOf } from './style/script-fonts.js';
import { type FontFamilyFiles, parseStyle, type Style } from './style/style.js';

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
}

/** The package root (where package.json and templates/ live). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The templates folder. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** Reads a font family's four TTFs out of its npm package (never the OS). */
export function loadFontFamily(files: FontFamilyFiles): FontFiles {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve(`${files.package}/package.json`));
  const face = (file: string) => readFileSync(join(dir, file));
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
    throw new Error(
      `templates/${style.name}.yaml: font.family ${style.font.family} is not in fontFiles`,
    );
  }
  return loadFontFamily(files);
}

const familyKey = (f: FontFamilyFiles) =>
  [f.package, f.normal, f.bold, f.italics, f.bolditalics].join('\u0000');

/** `loadFontFamily`, once per family and process; the body font is the one already read. */
function familyLoader(body: FontFiles, bodyFiles: FontFamilyFiles | undefined) {
  const loaded = new Map<string, FontFiles>();
  if (bodyFiles !== undefined) loaded.set(familyKey(bodyFiles), body);
  return (files: FontFamilyFiles): FontFiles => {
    const key = familyKey(files);
    let faces = loaded.get(key);
    if (faces === undefined) {
      faces = loadFontFamily(files);
      loaded.set(key, faces);
    }
    return faces;
  };
}

/** Reads every `templates/*.yaml` as text, keyed by file name without extension. */
export function readTemplateTexts(dir = TEMPLATES_DIR): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.yaml')) texts[file.slice(0, -5)] = readFileSync(join(dir, file), 'utf8');
  }
  return texts;
}

/** Reads the sRGB ICC profile pdfkit ships (MIT package; the ICC lets anyone embed it). */
export function loadSrgbProfile(): Uint8Array {
  // Resolved from the package root at run time: the bundle carries pdfkit's code, not its files.
  const dir = dirname(
    createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('pdfkit/package.json'),
  );
  return readFileSync(join(dir, 'js', 'data', 'sRGB_IEC61966_2_1.icc'));
}

let cached: Resources | undefined;

/** Makes the next loadResources() read the templates again (a watch does when they change). */
export function forgetResources(): void {
  cached = undefined;
}

/** Loads fonts, styles and the emblem once per process. */
export function loadResources(): Resources {
  if (cached) return cached;
  const texts = readTemplateTexts();
  const styles = Object.fromEntries(STYLE_NAMES.map((n) => [n, parseStyle(n, texts)])) as Record<
    StyleName,
    Style
  >;
  const fonts = loadFonts(styles.ny);
  cached = {
    fonts,
    fontFamily: familyLoader(fonts, styles.ny.fontFiles[styles.ny.font.family]),
    emblemSvg: readFileSync(join(TEMPLATES_DIR, 'emblem.svg'), 'utf8'),
    recycleSvg: readFileSync(join(TEMPLATES_DIR, 'recycle.svg'), 'utf8'),
    htmlCss: readFileSync(join(TEMPLATES_DIR, 'html.css'), 'utf8'),
    styles,
    srgbIcc: loadSrgbProfile(),
  };
  return cached;
}

/** Each layout's font families (for the loader's missing-glyph check and the PDF's font runs). */
export function fontsOf(resources: Resources): (style: StyleName) => ScriptFonts {
  return (style) => scriptFontsOf(resources.styles[style], resources.fontFamily);
}
