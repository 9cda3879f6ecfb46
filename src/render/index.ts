/** The renderers by format, as pandoc's Writers.hs registers its writers by name. */
import { renderDocx } from './docx.js';
import { renderHtml } from './html.js';
import { renderPdf } from './pdf.js';
import type { Format, Renderer } from './types.js';

/** Every format's renderer; undefined where that renderer is not available yet. */
export const RENDERERS: Readonly<Record<Format, Renderer | undefined>> = {
  pdf: renderPdf,
  docx: renderDocx,
  html: renderHtml,
};
