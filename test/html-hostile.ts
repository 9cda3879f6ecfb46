/**
 * A hostile source: the feature fixture with the usual cross-site scripting vectors appended to
 * every text field (symbols, organ names, agenda numbers, titles, paragraphs, items, signatures,
 * notes, keywords). Only fields the loader interprets as codes (layout, languages, dates, the job
 * number) keep their values, since they cannot carry text into the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { docSymbol } from '../src/load/build.js';
import { loadSource } from '../src/load/index.js';
import type { UnDocument } from '../src/model.js';
import { PACKAGE_ROOT } from '../src/resources.js';

/** Each vector, as an author could type it into a text field. */
export const VECTORS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"><script>alert(3)</script>',
  "'><svg onload=alert(4)>",
  '<svg><script>alert(5)</script></svg>',
  'javascript:alert(6)',
  '[x](javascript:alert(7))',
  '[y](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(9)">link</a>',
  '</style><script>alert(10)</script>',
  '<style>@import url(http://evil.example/a.css);</style>',
  'body{background:url(http://evil.example/b.png)}',
  '--><script>alert(11)</script><!--',
  '<iframe src="http://evil.example/c"></iframe>',
  '<math><mi xlink:href="javascript:alert(12)">m</mi></math>',
  '![i](http://evil.example/d.png)',
  '<http://evil.example/e>',
  '&lt;script&gt;alert(13)&lt;/script&gt;',
  '<object data="http://evil.example/f"></object>',
  '<link rel=stylesheet href=http://evil.example/g.css>',
] as const;

/** All vectors in one string, as appended to every field. */
export const PAYLOAD = VECTORS.join(' ');

/**
 * What the symbols and the job number get. The loader refuses anything but a well-formed symbol
 * or job number, so these are put into the model directly: the renderer must hold on its own.
 */
export const SYMBOL_PAYLOAD =
  '"><script>alert(20)</script><img/src=x/onerror=alert(21)></style>--><!--';

/** Keys whose values the loader reads as codes, not text. */
const CODES = new Set([
  'style',
  'docType',
  'distribution',
  'language',
  'originalLanguage',
  'docDate',
  'senderDate',
  'docketNumber',
  'docNumber',
]);

function poison(node: unknown, key: string | undefined): unknown {
  if (typeof node === 'string') {
    // A chapter's number is a Roman numeral the loader counts on from.
    const code =
      (key !== undefined && CODES.has(key)) || (key === 'number' && /^[IVXLCDM]+$/.test(node));
    return code ? node : `${node} ${PAYLOAD}`;
  }
  if (Array.isArray(node)) return node.map((v) => poison(v, undefined));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, poison(v, k)]));
  }
  return node;
}

/** The hostile source as YAML text. */
export function hostileSource(): string {
  const text = readFileSync(join(PACKAGE_ROOT, 'test/fixtures/valid/features.yaml'), 'utf8');
  return stringify(poison(parse(text), undefined), { lineWidth: 0 });
}

/** The hostile source's model. */
export function hostileModel(): UnDocument {
  const result = loadSource(hostileSource(), 'hostile');
  const model = result.model;
  if (!model) throw new Error(`hostile source: ${JSON.stringify(result.diagnostics)}`);
  const job = model.jobNumber;
  return {
    ...model,
    symbols: model.symbols.map((s) => docSymbol(`${s.text}${SYMBOL_PAYLOAD}`)),
    ...(job
      ? {
          jobNumber: {
            ...job,
            short: `${job.short}${SYMBOL_PAYLOAD}`,
            line: `${job.short}${SYMBOL_PAYLOAD} (${job.letter}) ${job.dates.join(' ')}`,
          },
        }
      : {}),
  };
}
