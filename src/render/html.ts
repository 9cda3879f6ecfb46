/** The HTML renderer (not written yet: see its issue). */
import type { Renderer } from './types.js';

/** Renders the HTML; undefined until the renderer lands. */
export const renderHtml: Renderer | undefined = undefined;
