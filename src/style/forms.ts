/**
 * How a layout prints the job number on page 1 and the page number on later pages, from its
 * template's forms: New York prints "07-29358 (E)" and its dates, and "2/5"; Geneva prints
 * "GE.07-29358(E)" alone, and "2". Every format prints what these functions give.
 */
import type { JobNumber } from '../model.js';
import type { Style } from './style.js';

/** Fills `{name}` placeholders of a template form (the schema admits only known names). */
function fill(form: string, values: Readonly<Record<string, string>>): string {
  return form.replace(/\{([a-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Page 1's job number as the layout prints it, without its dates: "07-29358 (E)". */
export function jobNumberHead(style: Style, job: JobNumber): string {
  return fill(style.firstPageFooter.jobNumber.form, {
    number: `${job.number}${job.reissue ? '*' : ''}`,
    letter: job.letter,
  });
}

/** The processing dates page 1 prints after the job number (none in a layout that omits them). */
export function jobNumberDates(style: Style, job: JobNumber): readonly string[] {
  return style.firstPageFooter.jobNumber.dates ? job.dates : [];
}

/** Page 1's job number line as read back: the head, then its dates, one space apart. */
export function jobNumberLine(style: Style, job: JobNumber): string {
  return [jobNumberHead(style, job), ...jobNumberDates(style, job)].join(' ');
}

/** A piece of the later pages' page number: text as it is, or the page's number or the count. */
export type PageNumberPart = { readonly text: string } | { readonly counter: 'page' | 'pages' };

/** The layout's page number form ("{page}/{pages}") in pieces, in order. */
export function pageNumberParts(style: Style): PageNumberPart[] {
  const parts: PageNumberPart[] = [];
  for (const piece of style.footer.pageNumber.split(/(\{page\}|\{pages\})/)) {
    if (piece === '{page}') parts.push({ counter: 'page' });
    else if (piece === '{pages}') parts.push({ counter: 'pages' });
    else if (piece !== '') parts.push({ text: piece });
  }
  return parts;
}

/** The page number of `page` of `pages` as the layout prints it: "2/5", or "2". */
export function pageNumberText(style: Style, page: number, pages: number): string {
  return pageNumberParts(style)
    .map((p) => ('text' in p ? p.text : String(p.counter === 'page' ? page : pages)))
    .join('');
}
