/** The renderers by format, as pandoc's Writers.hs registers its writers by name. */
import type { Format, Renderer } from './types.js';

/**
 * A renderer whose module (and its libraries) load on its first call: a command loads only the
 * renderers it uses (`--format html` never loads pdfmake, `validate` none of them).
 */
function onDemand(load: () => Promise<Renderer>): Renderer {
  let renderer: Promise<Renderer> | undefined;
  return async (doc, style, resources) => {
    renderer ??= load();
    return (await renderer)(doc, style, resources);
  };
}

/** Every format's renderer. */
export const RENDERERS: Readonly<Record<Format, Renderer>> = {
  pdf: onDemand(async () => (await import('./pdf/index.js')).renderPdf),
  docx: onDemand(async () => (await import('./docx/index.js')).renderDocx),
  html: onDemand(async () => (await import('./html/index.js')).renderHtml),
  akn: onDemand(async () => (await import('./akn/index.js')).renderAkn),
};
