/** The DOCX renderer (not written yet: see its issue). */
import type { Renderer } from './types.js';

/** Renders the DOCX; undefined until the renderer lands. */
export const renderDocx: Renderer | undefined = undefined;
