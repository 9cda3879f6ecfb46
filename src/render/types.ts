/** What every renderer is: a pure function of (model, style, resources) to bytes. */
import type { UnDocument } from '../model.js';
import type { Resources } from '../resources.js';
import type { Style } from '../style/style.js';

/** Output formats, in the order they are built. */
export const FORMATS = ['pdf', 'docx', 'html', 'akn'] as const;
/** One output format. */
export type Format = (typeof FORMATS)[number];

/** Each format's file extension (Akoma Ntoso is XML). */
export const EXTENSIONS: Readonly<Record<Format, string>> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  akn: 'xml',
};

/** The output file of source `name` in `format`: "A-61-859.pdf", "A-61-859.xml". */
export const outputFile = (name: string, format: Format): string => `${name}.${EXTENSIONS[format]}`;

/** Renders one document. Pure: no file system, no clock, no randomness; same input, same bytes. */
export type Renderer = (doc: UnDocument, style: Style, resources: Resources) => Promise<Uint8Array>;

/**
 * The rendering libraries are not the ones undoc was built for (another version, a patched member
 * gone, a canary layout gone wrong): an installation problem, not the document's. The message is
 * the one line the command prints.
 */
export class EngineMismatch extends Error {
  override readonly name = 'EngineMismatch';
}
