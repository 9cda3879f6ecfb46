/** The PDF renderer (not written yet: see its issue). */
import type { Renderer } from './types.js';

/** Renders the PDF; undefined until the renderer lands. */
export const renderPdf: Renderer | undefined = undefined;
