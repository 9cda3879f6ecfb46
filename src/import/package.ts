/**
 * A Word file opened defensively: size limits before anything is inflated (a zip bomb is refused
 * from its directory, and an entry that inflates past what its directory declared is cut there
 * by fflate, then fails as malformed XML), only the parts the importer reads are inflated, XML
 * parts with a DOCTYPE (entity declarations: XXE, billion laughs) are refused unparsed, and
 * relationships to external targets are listed, never fetched.
 */
import { DOMParser, type Document as XmlDocument } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';

/** Limits on a Word file (bytes unless named otherwise). */
export const DOCX_LIMITS = {
  /** The file itself. */
  fileBytes: 50 * 1024 * 1024,
  /** Entries in the zip directory. */
  entries: 5000,
  /** One XML part, inflated (as its directory declares it). */
  partBytes: 64 * 1024 * 1024,
  /** All the parts read, inflated. */
  totalBytes: 200 * 1024 * 1024,
} as const;

/** Why a Word file cannot be imported: the diagnostic code and a sentence. */
export class DocxError extends Error {
  constructor(
    readonly code: 'bad-docx' | 'file-too-large' | 'tracked-changes',
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const WORD_PARTS =
  /^(\[Content_Types\]\.xml|_rels\/\.rels|word\/_rels\/document\.xml\.rels|word\/(document|footnotes|endnotes|styles|numbering|settings)\.xml|docProps\/(core|custom)\.xml)$/;

/** The parts of a Word file the importer reads, parsed. */
export interface DocxPackage {
  /** The main document part (word/document.xml, or where the package relationships point). */
  readonly document: XmlDocument;
  readonly footnotes?: XmlDocument;
  readonly endnotes?: XmlDocument;
  readonly styles?: XmlDocument;
  readonly custom?: XmlDocument;
  /** External relationship targets (hyperlinks, linked pictures, templates): never fetched. */
  readonly external: readonly string[];
}

/** Parses one XML part, refusing a DOCTYPE (Word never writes one) and any malformed XML. */
export function parseXml(text: string, part: string): XmlDocument {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new DocxError(
      'bad-docx',
      `${part} declares a DOCTYPE or entities, which Word never writes: refused unread (XXE)`,
    );
  }
  const problems: string[] = [];
  let doc: XmlDocument;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(String(message).split('\n')[0] ?? '');
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new DocxError('bad-docx', `${part} is not well-formed XML: ${message}`);
  }
  if (problems.length > 0 || !doc.documentElement) {
    throw new DocxError('bad-docx', `${part} is not well-formed XML: ${problems[0] ?? 'empty'}`);
  }
  return doc;
}

/** Opens a Word file's bytes; throws DocxError for anything that is not a readable Word file. */
export function openDocx(bytes: Uint8Array): DocxPackage {
  if (bytes.byteLength > DOCX_LIMITS.fileBytes) {
    throw new DocxError(
      'file-too-large',
      `the file is ${bytes.byteLength} bytes; at most ${DOCX_LIMITS.fileBytes} are imported`,
    );
  }
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new DocxError(
      'bad-docx',
      'not a Word file (.docx): it is not a zip package',
      'save it from Word as .docx (a .doc or .rtf file cannot be imported)',
    );
  }
  let entries = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        entries++;
        if (entries > DOCX_LIMITS.entries) {
          throw new DocxError(
            'file-too-large',
            `the package has over ${DOCX_LIMITS.entries} parts`,
          );
        }
        if (!WORD_PARTS.test(f.name)) return false;
        if (f.originalSize > DOCX_LIMITS.partBytes) {
          throw new DocxError(
            'file-too-large',
            `${f.name} inflates to ${f.originalSize} bytes (at most ${DOCX_LIMITS.partBytes}): a zip bomb?`,
          );
        }
        total += f.originalSize;
        if (total > DOCX_LIMITS.totalBytes) {
          throw new DocxError(
            'file-too-large',
            `the parts inflate to over ${DOCX_LIMITS.totalBytes} bytes: a zip bomb?`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof DocxError) throw e;
    throw new DocxError(
      'bad-docx',
      `not a readable zip package: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const text = (name: string): string | undefined => {
    const data = files[name];
    if (!data) return undefined;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
    } catch {
      throw new DocxError('bad-docx', `${name} is not UTF-8 text`);
    }
  };
  const part = (name: string): XmlDocument | undefined => {
    const t = text(name);
    return t === undefined ? undefined : parseXml(t, name);
  };
  if (!files['[Content_Types].xml']) {
    throw new DocxError('bad-docx', 'not a Word file: the package has no [Content_Types].xml');
  }
  const document = part('word/document.xml');
  if (!document) {
    throw new DocxError('bad-docx', 'not a Word document: the package has no word/document.xml');
  }
  const external: string[] = [];
  for (const name of ['_rels/.rels', 'word/_rels/document.xml.rels']) {
    const rels = part(name);
    const list = rels?.getElementsByTagName('Relationship');
    for (let i = 0; list && i < list.length; i++) {
      const r = list.item(i);
      if (r?.getAttribute('TargetMode') === 'External')
        external.push(r.getAttribute('Target') ?? '');
    }
  }
  const footnotes = part('word/footnotes.xml');
  const endnotes = part('word/endnotes.xml');
  const styles = part('word/styles.xml');
  const custom = part('docProps/custom.xml');
  return {
    document,
    ...(footnotes ? { footnotes } : {}),
    ...(endnotes ? { endnotes } : {}),
    ...(styles ? { styles } : {}),
    ...(custom ? { custom } : {}),
    external,
  };
}
