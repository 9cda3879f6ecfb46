/**
 * The body font for pdfmake: registered once per process (per Resources object), and measured
 * with fontkit, the shaper pdfkit itself uses, so that tabs built from widths land where pdfmake
 * will put the text.
 */
import type * as fontkit from 'fontkit';
import type { FontFiles, Resources } from '../../resources.js';
import type { FontFamilyFiles, Style } from '../../style/style.js';
import { glyphCount, metricsAt, wordAdvance } from '../../style/word-metrics.js';
import { engine, type FaceSource, parseFont, shareFonts } from './engine.js';

/** One of the four faces pdfmake knows. */
export type Face = 'normal' | 'bold' | 'italics' | 'bolditalics';

/** Font measurements in points for a given size. */
export interface FontMetrics {
  /** pdfmake's natural line height of the face at `size` pt (ascender − descender), in pt. */
  readonly naturalLineHeight: (size: number) => number;
  /** Advance width of `text` at `size` pt in `face`, in pt (kerning included, as pdfkit does). */
  readonly width: (text: string, size: number, face: Face) => number;
}

interface Registered {
  readonly family: string;
  readonly metrics: FontMetrics;
  /** What the family name carries after the body font's name ("" or "-2"): fallbacks carry it too. */
  readonly suffix: string;
}

// Keyed on the Resources object: one registration (and one fontkit parse) per process, not per
// document. A second Resources object (tests may build one) registers its own family name.
const registered = new WeakMap<Resources, Registered>();
let counter = 0;

function open(buf: Buffer): fontkit.Font {
  const f = parseFont(buf);
  if ('fonts' in f) throw new Error('resources.fonts: a font collection is not a single face');
  return f;
}

function metricsOf(faces: Readonly<Record<Face, fontkit.Font>>): FontMetrics {
  const regular = faces.normal;
  const widths = new Map<string, number>();
  return {
    // pdfkit: (ascender − descender) / 1000 × size, with ascender/descender scaled from hhea.
    naturalLineHeight: (size) => ((regular.ascent - regular.descent) / regular.unitsPerEm) * size,
    width: (text, size, face) => {
      const key = `${face}\u0000${text}`;
      let units = widths.get(key);
      if (units === undefined) {
        const f = faces[face];
        units = f.layout(text).advanceWidth / f.unitsPerEm;
        widths.set(key, units);
      }
      return units * size;
    },
  };
}

/** Registers a family's faces with pdfmake under `family` and shares its decoded tables. */
function register(
  family: string,
  fonts: FontFiles,
  features?: Readonly<Record<string, boolean>>,
): Record<Face, fontkit.Font> {
  const files: Record<Face, Buffer> = {
    normal: fonts.regular,
    bold: fonts.bold,
    italics: fonts.italic,
    bolditalics: fonts.boldItalic,
  };
  const descriptor: Record<Face, string> = {
    normal: '',
    bold: '',
    italics: '',
    bolditalics: '',
  };
  for (const face of Object.keys(files) as Face[]) {
    // Through pdfmake's virtual file system: handing it a Buffer makes it stringify the whole
    // font on every lookup.
    const name = `${family}-${face}.ttf`;
    engine.virtualfs.writeFileSync(name, files[face]);
    descriptor[face] = name;
  }
  engine.addFonts({ [family]: descriptor });
  // A family whose italic is its upright face (Chinese) parses that file once.
  const parsed = new Map<Buffer, fontkit.Font>();
  const openOnce = (buf: Buffer) => {
    let f = parsed.get(buf);
    if (f === undefined) {
      f = open(buf);
      parsed.set(buf, f);
    }
    return f;
  };
  const faces: Record<Face, fontkit.Font> = {
    normal: openOnce(files.normal),
    bold: openOnce(files.bold),
    italics: openOnce(files.italics),
    bolditalics: openOnce(files.bolditalics),
  };
  // Shaping and decoded tables are shared across documents, the font object is not (see
  // pdf/engine.ts, hook 4: a shared font object printed "`a" as "a" after 128 documents).
  const sources: Record<string, FaceSource> = {};
  for (const face of Object.keys(files) as Face[])
    sources[face] = { file: files[face], font: faces[face] };
  shareFonts(family, sources, features);
  return faces;
}

/**
 * Registers the body font with pdfmake (once per Resources object) and returns the pdfmake family
 * name to use plus the metrics. Also closes pdfmake's file and URL access: a renderer reads nothing.
 */
export function preparePdfFonts(resources: Resources, familyName: string): Registered {
  const known = registered.get(resources);
  if (known) return known;
  counter += 1;
  const family = counter === 1 ? familyName : `${familyName}-${counter}`;
  const faces = register(family, resources.fonts);
  engine.setUrlAccessPolicy(() => false);
  engine.setLocalAccessPolicy(() => false);
  const entry = { family, metrics: metricsOf(faces), suffix: family.slice(familyName.length) };
  registered.set(resources, entry);
  return entry;
}

/** A fallback family as registered: its pdfmake name and natural line (em). */
interface Fallback {
  readonly family: string;
  readonly naturalLine: number;
}

const fallbacks = new WeakMap<Resources, Map<string, Fallback>>();

/**
 * Registers a fallback family (a Chinese or Arabic font) with pdfmake the first time a document
 * of this Resources object needs it; its files are read then.
 */
export function prepareFallbackFont(
  resources: Resources,
  name: string,
  files: FontFamilyFiles,
): Fallback {
  let known = fallbacks.get(resources);
  if (known === undefined) {
    known = new Map();
    fallbacks.set(resources, known);
  }
  let entry = known.get(name);
  if (entry === undefined) {
    const body = registered.get(resources);
    const family = `${name}${body?.suffix ?? ''}`;
    const faces = register(family, resources.fontFamily(files), files.features);
    const regular = faces.normal;
    entry = { family, naturalLine: (regular.ascent - regular.descent) / regular.unitsPerEm };
    known.set(name, entry);
  }
  return entry;
}

const mirrors = new WeakMap<Resources, Map<string, string>>();

/**
 * Registers, once per Resources object, a second pdfmake family over the same files as the
 * pdfmake family `family`: right-to-left text draws its mirrored brackets with it, so that they
 * have a subset (and a ToUnicode map) of their own (pdf/bidi.ts).
 */
export function prepareMirrorFont(
  resources: Resources,
  family: string,
  faces: FontFiles,
  features?: Readonly<Record<string, boolean>>,
): string {
  let known = mirrors.get(resources);
  if (known === undefined) {
    known = new Map();
    mirrors.set(resources, known);
  }
  let name = known.get(family);
  if (name === undefined) {
    name = `${family} mirrored`;
    register(name, faces, features);
    known.set(family, name);
  }
  return name;
}

/** `metrics` measuring text as Word sets it in `style` (its `font.wordMetrics`, per size). */
export function asWordSets(metrics: FontMetrics, style: Style): FontMetrics {
  return {
    naturalLineHeight: metrics.naturalLineHeight,
    width: (text, size, face) =>
      wordAdvance(metricsAt(style, size), metrics.width(text, size, face), glyphCount(text)),
  };
}
