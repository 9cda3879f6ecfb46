/**
 * The alternative text of a picture undoc prints from an SVG of `templates/` (the emblem, the
 * recycling mark): the SVG's own `aria-label`, one source for the PDF's figure and the DOCX's
 * picture (the HTML inlines the SVG, label included).
 */
export function svgLabel(svg: string): string | undefined {
  const head = /<svg\b[^>]*>/u.exec(svg)?.[0] ?? '';
  return /\baria-label="([^"]*)"/u.exec(head)?.[1];
}
