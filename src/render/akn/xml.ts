/**
 * A tiny XML tree and its serializer for the Akoma Ntoso writer: deterministic (attributes in
 * the order given, no clock, no ids of its own), escaped, and pretty-printed only where no text
 * can be touched — an element holding text (mixed content) is written on one line as it is.
 */

/** An XML element: name, attributes in output order (undefined ones are left out), children. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: readonly (readonly [string, string | undefined])[];
  readonly children: readonly XmlNode[];
}

/** An element or a run of text. */
export type XmlNode = XmlElement | string;

/** Builds an element; `attrs` keeps its key order, `false`/`undefined` children are skipped. */
export function x(
  name: string,
  attrs: Readonly<Record<string, string | undefined>> = {},
  ...children: readonly (XmlNode | readonly XmlNode[] | false | undefined)[]
): XmlElement {
  const kids: XmlNode[] = [];
  for (const c of children) {
    if (c === false || c === undefined) continue;
    if (typeof c === 'string' || !Array.isArray(c)) kids.push(c as XmlNode);
    else kids.push(...(c as readonly XmlNode[]));
  }
  return { name, attrs: Object.entries(attrs), children: kids };
}

const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const escapeAttr = (s: string): string =>
  escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');

function open(e: XmlElement): string {
  let out = `<${e.name}`;
  for (const [k, v] of e.attrs) if (v !== undefined) out += ` ${k}="${escapeAttr(v)}"`;
  return out;
}

function compact(n: XmlNode): string {
  if (typeof n === 'string') return escapeText(n);
  if (n.children.length === 0) return `${open(n)}/>`;
  return `${open(n)}>${n.children.map(compact).join('')}</${n.name}>`;
}

function pretty(e: XmlElement, indent: string, block: ReadonlySet<string>): string {
  const mixed = e.children.some((c) => typeof c === 'string');
  if (mixed || e.children.length === 0 || !block.has(e.name)) return `${indent}${compact(e)}\n`;
  const inner = e.children.map((c) => pretty(c as XmlElement, `${indent}  `, block)).join('');
  return `${indent}${open(e)}>\n${inner}${indent}</${e.name}>\n`;
}

/**
 * The document as text with its XML declaration, ending in a newline. Only the elements named in
 * `block` (structure, never text) are indented, one child a line; every other element is written
 * on one line as it is, so no whitespace is ever added to a text.
 */
export function serialize(root: XmlElement, block: ReadonlySet<string>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${pretty(root, '', block)}`;
}
