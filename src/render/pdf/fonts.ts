/**
 * The body font for pdfmake: registered once per process (per Resources object), and measured
 * with fontkit, the shaper pdfkit itself uses, so that tabs built from widths land where pdfmake
 * will put the text.
 */
import type * as fontkit from 'fontkit';
import type { Resources } from '../../resources.js';
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

/**
 * Registers the body font with pdfmake (once per Resources object) and returns the pdfmake family
 * name to use plus the metrics. Also closes pdfmake's file and URL access: a renderer reads nothing.
 */
export function preparePdfFonts(resources: Resources, familyName: string): Registered {
  const known = registered.get(resources);
  if (known) return known;
  counter += 1;
  const family = counter === 1 ? familyName : `${familyName}-${counter}`;
  const files: Record<Face, Buffer> = {
    normal: resources.fonts.regular,
    bold: resources.fonts.bold,
    italics: resources.fonts.italic,
    bolditalics: resources.fonts.boldItalic,
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
  const faces: Record<Face, fontkit.Font> = {
    normal: open(files.normal),
    bold: open(files.bold),
    italics: open(files.italics),
    bolditalics: open(files.bolditalics),
  };
  // Shaping and decoded tables are shared across documents, the font object is not (see
  // pdf/engine.ts, hook 4: a shared font object printed "`a" as "a" after 128 documents).
  const sources: Record<string, FaceSource> = {};
  for (const face of Object.keys(files) as Face[])
    sources[face] = { file: files[face], font: faces[face] };
  shareFonts(family, sources);
  engine.setUrlAccessPolicy(() => false);
  engine.setLocalAccessPolicy(() => false);
  const entry = { family, metrics: metricsOf(faces) };
  registered.set(resources, entry);
  return entry;
}
