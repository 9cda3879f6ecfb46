/**
 * Reading a DOCX back for the tests: unzip with fflate, parse parts with @xmldom/xmldom, and walk
 * WordprocessingML as Word reads it (runs' text and tabs in order, footnote calls as their marks).
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';

/** WordprocessingML's main namespace. */
export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** An unzipped package: its parts as bytes, its XML parts parsed on demand. */
export interface Package {
  readonly files: Record<string, Uint8Array>;
  xml(path: string): Element;
  text(path: string): string;
}

/** Unzips a DOCX. */
export function openPackage(bytes: Uint8Array): Package {
  const files = unzipSync(bytes);
  const cache = new Map<string, Element>();
  const text = (path: string): string => {
    const f = files[path];
    if (!f) throw new Error(`no part ${path}`);
    return strFromU8(f);
  };
  return {
    files,
    text,
    xml(path) {
      let el = cache.get(path);
      if (!el) {
        const d = new DOMParser().parseFromString(text(path), 'text/xml');
        if (!d.documentElement) throw new Error(`${path}: not XML`);
        el = d.documentElement;
        cache.set(path, el);
      }
      return el;
    },
  };
}

/** Child elements of `el` in the W namespace named `local`. */
export function kids(el: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (
      n.nodeType === 1 &&
      (n as Element).namespaceURI === W &&
      (n as Element).localName === local
    ) {
      out.push(n as Element);
    }
  }
  return out;
}

/** All descendants in the W namespace named `local`, in document order. */
export function all(el: Element, local: string): Element[] {
  return Array.from(el.getElementsByTagNameNS(W, local));
}

/** A w:val (or other W-namespace) attribute. */
export function wAttr(el: Element | undefined, name = 'val'): string | null {
  return el ? el.getAttributeNS(W, name) : null;
}

/** A paragraph as read back: its style id and its text with tabs as "\t". */
export interface ReadParagraph {
  readonly style: string | null;
  readonly text: string;
  readonly el: Element;
}

/**
 * The text of a paragraph: w:t, run-level w:tab as "\t", Word's hyphens (w:noBreakHyphen,
 * w:softHyphen) as U+2011 and U+00AD, footnote calls as `marks[id]`, endnote calls as
 * `marks["e" + id]`.
 */
export function paragraphText(p: Element, marks: ReadonlyMap<string, string>): string {
  let out = '';
  const walk = (el: Element): void => {
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      const e = n as Element;
      if (e.namespaceURI !== W) continue;
      if (e.localName === 'pPr' || e.localName === 'rPr' || e.localName === 'instrText') continue;
      if (e.localName === 't') out += e.textContent ?? '';
      else if (e.localName === 'tab') out += '\t';
      else if (e.localName === 'noBreakHyphen') out += '\u2011';
      else if (e.localName === 'softHyphen') out += '\u00ad';
      else if (e.localName === 'footnoteReference') {
        // A custom mark follows as ordinary text; an automatic one prints its number.
        if (wAttr(e, 'customMarkFollows') !== '1') out += marks.get(wAttr(e, 'id') ?? '') ?? '?';
      } else if (e.localName === 'endnoteReference') {
        out += marks.get(`e${wAttr(e, 'id') ?? ''}`) ?? '?';
      } else walk(e);
    }
  };
  walk(p);
  return out;
}

/** Every paragraph under `root` (tables included), in reading order. */
export function paragraphs(root: Element, marks: ReadonlyMap<string, string>): ReadParagraph[] {
  return all(root, 'p').map((p) => {
    const pPr = kids(p, 'pPr')[0];
    const ps = pPr ? kids(pPr, 'pStyle')[0] : undefined;
    return { style: wAttr(ps), text: paragraphText(p, marks), el: p };
  });
}

/** Target part of a relationship id in word/_rels/document.xml.rels, as "word/header1.xml". */
export function relTarget(pkg: Package, id: string): string {
  const rels = pkg.xml('word/_rels/document.xml.rels');
  for (const r of Array.from(rels.getElementsByTagName('Relationship'))) {
    if (r.getAttribute('Id') === id) return `word/${r.getAttribute('Target') ?? ''}`;
  }
  throw new Error(`no relationship ${id}`);
}

/** The section's header or footer parts by type ("default", "even", "first"). */
export function headerFooterParts(pkg: Package, kind: 'header' | 'footer'): Record<string, string> {
  const sect = all(pkg.xml('word/document.xml'), 'sectPr')[0];
  if (!sect) throw new Error('no sectPr');
  const out: Record<string, string> = {};
  for (const ref of kids(sect, `${kind}Reference`)) {
    out[wAttr(ref, 'type') ?? ''] = relTarget(pkg, ref.getAttributeNS(R, 'id') ?? '');
  }
  return out;
}

/** DOS date/time fields of every local file header, as "date:time" hex. */
export function zipEntryTimes(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let i = 0; i + 30 <= bytes.length; ) {
    if (view.getUint32(i, true) !== 0x04034b50) break;
    const time = view.getUint16(i + 10, true);
    const date = view.getUint16(i + 12, true);
    out.push(`${date.toString(16)}:${time.toString(16)}`);
    const size = view.getUint32(i + 18, true);
    const nameLen = view.getUint16(i + 26, true);
    const extraLen = view.getUint16(i + 28, true);
    i += 30 + nameLen + extraLen + size;
  }
  return out;
}
