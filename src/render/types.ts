/** What every renderer is: a pure function of (model, style, resources) to bytes. */
import type { UnDocument } from '../model.js';
import type { Resources } from '../resources.js';
import type { Style } from '../style/style.js';

/** Output formats, in the order they are built. */
export const FORMATS = ['pdf', 'docx', 'html'] as const;
/** One output format. */
export type Format = (typeof FORMATS)[number];

/** Renders one document. Pure: no file system, no clock, no randomness; same input, same bytes. */
export type Renderer = (doc: UnDocument, style: Style, resources: Resources) => Promise<Uint8Array>;
