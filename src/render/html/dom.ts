/** Small helpers over parse5's tree: what the output check and the read-back tests walk. */
import { type ParserError, parse, type DefaultTreeAdapterTypes as T } from 'parse5';

/** A parsed element. */
export type Element = T.Element;
/** Any node of the tree. */
export type Node = T.Node;

/** Parses a whole document as a browser would; `errors` collects the parser's complaints. */
export function parseHtml(html: string, errors?: ParserError[]): T.Document {
  return parse(html, errors ? { onParseError: (e) => errors.push(e) } : {});
}

/** True for element nodes. */
export function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function childrenOf(node: Node): readonly T.ChildNode[] {
  if ('content' in node && node.nodeName === 'template') return node.content.childNodes;
  return 'childNodes' in node ? node.childNodes : [];
}

/** Every element under `root` in document order (template contents included). */
export function elements(root: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    if (isElement(n)) out.push(n);
    for (const c of childrenOf(n)) walk(c);
  };
  walk(root);
  return out;
}

/** Every comment's text under `root`. */
export function comments(root: Node): string[] {
  const out: string[] = [];
  const walk = (n: Node): void => {
    if (n.nodeName === '#comment' && 'data' in n) out.push(n.data);
    for (const c of childrenOf(n)) walk(c);
  };
  walk(root);
  return out;
}

/** An attribute's value, or undefined. */
export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** Class names of an element. */
export function classes(element: Element): string[] {
  return (attr(element, 'class') ?? '').split(/\s+/).filter((c) => c !== '');
}

/** Concatenated text of the text nodes under `root`, skipping subtrees `skip` rejects. */
export function textOf(root: Node, skip: (e: Element) => boolean = () => false): string {
  let out = '';
  const walk = (n: Node): void => {
    if (n.nodeName === '#text' && 'value' in n) out += n.value;
    else if (isElement(n) && skip(n)) return;
    for (const c of childrenOf(n)) walk(c);
  };
  walk(root);
  return out;
}
