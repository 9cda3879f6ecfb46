/**
 * Makes the docx package's output a pure function of the document: the docx package stamps the
 * current time into the core properties and the zip entries, draws random relationship ids and
 * counts drawing ids across the whole process. Here the package's parts (as the docx package
 * compiles them, before it zips) have those values replaced by ones derived from the document, our
 * own styles part is put in, Word's custom footnote marks are written, an embedded font's random
 * obfuscation key is replaced by one derived from the font, and the parts are zipped with a fixed
 * time (docx/zip.ts).
 */
import { createHash } from 'node:crypto';
import { strFromU8, strToU8 } from 'fflate';
import { zipParts } from './zip.js';

/** What the package needs from the document to be made deterministic and complete. */
export interface PackageOptions {
  /** The document's date, ISO "2007-04-04": core-property dates and zip entry times. */
  readonly date: string;
  /** Word locale tag of the document's language, "en-GB". */
  readonly language: string;
  /** The styles part to write instead of the docx package's defaults. */
  readonly stylesXml: string;
  /** Footnotes (by id) whose mark is not Word's automatic number, with the mark to print. */
  readonly customMarks: ReadonlyMap<number, string>;
  /**
   * A document with endnotes: the paragraph (XML) Word prints before them in place of its
   * separator line, the notes' heading ("Notes"), as the Secretariat's files do.
   */
  readonly endnoteSeparator?: string;
}

const isXml = (path: string): boolean => path.endsWith('.xml') || path.endsWith('.rels');

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Relationship ids that are not "rIdN": the docx package's random ones, in package order. */
function randomRelationshipIds(parts: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [path, xml] of parts) {
    if (!path.endsWith('.rels')) continue;
    for (const m of xml.matchAll(/ Id="([^"]+)"/g)) {
      const id = m[1];
      if (id !== undefined && !/^rId\d+$/.test(id) && !found.includes(id)) found.push(id);
    }
  }
  return found;
}

/** Core properties: dates pinned to the document's date, the language added. */
function fixCore(xml: string, o: PackageOptions): string {
  const stamp = `${o.date}T00:00:00Z`;
  let out = xml
    .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
    .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`);
  if (!out.includes('<dc:language>')) {
    out = out.replace(
      '</cp:coreProperties>',
      `<dc:language>${escapeXml(o.language)}</dc:language></cp:coreProperties>`,
    );
  }
  return out;
}

/**
 * Word's custom footnote marks ("*"): the call says `customMarkFollows` and prints the mark
 * itself; the note prints the mark instead of its automatic number.
 */
function fixCustomMarks(path: string, xml: string, marks: ReadonlyMap<number, string>): string {
  let out = xml;
  for (const [id, mark] of marks) {
    const t = `<w:t xml:space="preserve">${escapeXml(mark)}</w:t>`;
    if (path === 'word/document.xml') {
      out = out.replaceAll(
        `<w:footnoteReference w:id="${id}"/>`,
        `<w:footnoteReference w:customMarkFollows="1" w:id="${id}"/>${t}`,
      );
    } else if (path === 'word/footnotes.xml') {
      const start = out.indexOf(`<w:footnote w:id="${id}">`);
      const end = out.indexOf('</w:footnote>', start);
      if (start >= 0 && end > start) {
        const note = out.slice(start, end).replace('<w:footnoteRef/>', t);
        out = out.slice(0, start) + note + out.slice(end);
      }
    }
  }
  return out;
}

/** The endnotes part with its separator (id -1) replaced by `paragraph`. */
function fixEndnoteSeparator(xml: string, paragraph: string): string {
  const open = '<w:endnote w:type="separator" w:id="-1">';
  const start = xml.indexOf(open);
  const end = xml.indexOf('</w:endnote>', start);
  if (start < 0 || end < 0) throw new Error('docx: the endnotes part has no separator');
  return xml.slice(0, start + open.length) + paragraph + xml.slice(end);
}

/** The 16 key bytes of a GUID "{8-4-4-4-12}" as ECMA-376 obfuscation XORs them: last first. */
function keyBytes(guid: string): number[] {
  const hex = guid.replace(/[{}-]/g, '');
  const bytes = hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
  if (bytes.length !== 16) throw new Error(`docx: not a font key: ${guid}`);
  return bytes.reverse();
}

/** XORs a font file's first 32 bytes with a key (ECMA-376 Part 2, font obfuscation). */
function xorHead(data: Uint8Array, key: readonly number[]): Uint8Array {
  const out = new Uint8Array(data);
  for (let i = 0; i < 32 && i < out.length; i++) out[i] = (out[i] ?? 0) ^ (key[i % 16] ?? 0);
  return out;
}

/** A GUID derived from a font file's bytes: the same font gets the same key in every document. */
function fontKeyOf(font: Uint8Array): string {
  const h = createHash('sha256').update(font).digest('hex').toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
}

/**
 * The embedded fonts' files re-obfuscated with keys derived from the fonts (the docx package draws
 * random ones), and the font table naming the new keys.
 */
function rekeyFonts(
  texts: Map<string, string>,
  parts: ReadonlyMap<string, PartData>,
): Map<string, Uint8Array> {
  const fonts = new Map<string, Uint8Array>();
  const table = texts.get('word/fontTable.xml');
  const rels = texts.get('word/_rels/fontTable.xml.rels');
  if (table === undefined || rels === undefined) return fonts;
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = / Id="([^"]+)"/.exec(m[0])?.[1];
    const target = / Target="([^"]+)"/.exec(m[0])?.[1];
    if (id !== undefined && target !== undefined) targets.set(id, `word/${target}`);
  }
  let out = table;
  for (const m of table.matchAll(/<w:embed(?:Regular|Bold|Italic|BoldItalic)\b[^>]*>/g)) {
    const id = / r:id="([^"]+)"/.exec(m[0])?.[1];
    const key = / w:fontKey="([^"]+)"/.exec(m[0])?.[1];
    const path = id === undefined ? undefined : targets.get(id);
    const data = path === undefined ? undefined : parts.get(path);
    if (key === undefined || path === undefined || !(data instanceof Uint8Array)) continue;
    const font = xorHead(data, keyBytes(key));
    const fixed = fontKeyOf(font);
    fonts.set(path, xorHead(font, keyBytes(fixed)));
    out = out.replace(m[0], m[0].replace(key, fixed));
  }
  texts.set('word/fontTable.xml', out);
  return fonts;
}

/** Zip entry time: the document's date at noon, written as local-time fields whatever the TZ. */
function entryTime(isoDate: string): Date {
  const [y = 1980, m = 1, d = 1] = isoDate.split('-').map(Number);
  // fflate writes DOS times from the Date's local fields, so build it from local fields too.
  return new Date(Math.max(y, 1980), m - 1, d, 12, 0, 0);
}

/** A package part as the docx package compiles it: XML as text, pictures and fonts as bytes. */
export type PartData = string | Uint8Array;

/**
 * Writes the docx package's parts (path → data, in package order) as a deterministic, complete
 * DOCX.
 */
export function normalizeDocx(parts: ReadonlyMap<string, PartData>, o: PackageOptions): Uint8Array {
  const texts = new Map<string, string>();
  for (const [path, data] of parts) {
    if (isXml(path)) texts.set(path, typeof data === 'string' ? data : strFromU8(data));
  }
  const renames = randomRelationshipIds(texts).map((id, i) => [id, `rIdU${i + 1}`] as const);
  const fonts = rekeyFonts(texts, parts);
  let drawingId = 0;
  const files: [string, Uint8Array][] = [];
  const mtime = entryTime(o.date);
  for (const path of [...parts.keys()].sort(partOrder)) {
    const raw = parts.get(path);
    if (raw === undefined) continue;
    let data = fonts.get(path) ?? (typeof raw === 'string' ? strToU8(raw) : raw);
    const xml = texts.get(path);
    if (xml !== undefined) {
      let out = path === 'word/styles.xml' ? o.stylesXml : xml;
      for (const [from, to] of renames) out = out.replaceAll(`"${from}"`, `"${to}"`);
      if (path === 'docProps/core.xml') out = fixCore(out, o);
      out = fixCustomMarks(path, out, o.customMarks);
      if (path === 'word/endnotes.xml' && o.endnoteSeparator !== undefined) {
        out = fixEndnoteSeparator(out, o.endnoteSeparator);
      }
      // Drawing ids count up across the process in the docx package; number them per file.
      out = out.replace(/<wp:docPr id="\d+"/g, () => `<wp:docPr id="${++drawingId}"`);
      data = strToU8(out);
    }
    files.push([path, data]);
  }
  return zipParts(files, mtime);
}

/** [Content_Types].xml first, as Office writes it; the rest in name order. */
function partOrder(a: string, b: string): number {
  const rank = (p: string) => (p === '[Content_Types].xml' ? 0 : p.startsWith('_rels/') ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
