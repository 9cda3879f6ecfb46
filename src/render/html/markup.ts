/**
 * HTML built by construction, never by concatenating source text: every string handed to `el` is
 * escaped as text, every attribute value is escaped and double-quoted, and only markup made here
 * (or explicitly marked as ours with `trusted`) can be nested. Source text therefore cannot become
 * an element, an attribute or a URL, whatever it contains.
 */

/** A piece of markup this module produced; the only thing `el` nests unescaped. */
export class Markup {
  readonly #html: string;
  private constructor(html: string) {
    this.#html = html;
  }
  /** The markup as text. */
  toString(): string {
    return this.#html;
  }
  /** @internal Wraps markup produced by this module's functions. */
  static of(html: string): Markup {
    return new Markup(html);
  }
}

/** A child of an element: markup, text (escaped), or nothing. */
export type Child = Markup | string | false | null | undefined | readonly Child[];

/** Attribute values: text (escaped), a number, `true` for a bare attribute, or absent. */
export type Attrs = Readonly<Record<string, string | number | true | false | undefined>>;

const VOID = new Set(['meta', 'br', 'hr', 'link', 'img', 'col', 'wbr']);
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Characters HTML cannot carry as text: C0/C1 controls (but tab and line feed), lone surrogates
 * and noncharacters. They become U+FFFD so that the page parses without errors.
 */
const UNREPRESENTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what we replace.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces characters HTML cannot carry (see UNREPRESENTABLE) with U+FFFD. */
export function representable(text: string): string {
  return text.replace(UNREPRESENTABLE, '\uFFFD').replace(/\r\n?/g, '\n');
}

/** Escapes text for an element's content. */
export function escapeText(text: string): string {
  return representable(text).replace(/[&<>]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;',
  );
}

/** Escapes text for a double-quoted attribute value. */
export function escapeAttr(text: string): string {
  return representable(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function childMarkup(child: Child): string {
  if (child === false || child === null || child === undefined) return '';
  if (child instanceof Markup) return child.toString();
  if (typeof child === 'string') return escapeText(child);
  return child.map(childMarkup).join('');
}

/** One element; names are code constants (checked), values and text are escaped. */
export function el(tag: string, attrs: Attrs = {}, ...children: Child[]): Markup {
  if (!NAME.test(tag)) throw new Error(`html: bad element name ${tag}`);
  let open = `<${tag}`;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (!NAME.test(name) || name.startsWith('on')) throw new Error(`html: bad attribute ${name}`);
    open += value === true ? ` ${name}` : ` ${name}="${escapeAttr(String(value))}"`;
  }
  open += '>';
  if (VOID.has(tag)) {
    if (children.length > 0) throw new Error(`html: <${tag}> takes no content`);
    return Markup.of(open);
  }
  return Markup.of(`${open}${childMarkup(children)}</${tag}>`);
}

/** A sequence of children as one piece of markup. */
export function frag(...children: Child[]): Markup {
  return Markup.of(childMarkup(children));
}

/**
 * Marks markup as ours: only for the package's own resources (the emblem, the stylesheet) and
 * library output built from values we control (the QR code, the barcode). Never for source text.
 */
export function trusted(html: string): Markup {
  return Markup.of(html);
}

/**
 * A CSS string literal: every character but letters, digits, space and `/ . - _` is written as a
 * hex escape, so no quote, backslash, `<` or newline from the text can end the string or the
 * style element.
 */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of representable(text)) {
    out += /^[A-Za-z0-9 /._-]$/.test(ch) ? ch : `\\${(ch.codePointAt(0) ?? 0xfffd).toString(16)} `;
  }
  return `${out}"`;
}

/** A URL path built from text: each `/`-separated part percent-encoded, the slashes kept. */
export function encodePath(text: string): string {
  // encodeURIComponent leaves !'()* alone; they are encoded too, so a URL is letters, digits,
  // `%`, `/`, `.`, `_`, `~` and `-` only.
  const part = (p: string): string =>
    encodeURIComponent(p).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return representable(text).split('/').map(part).join('/');
}
