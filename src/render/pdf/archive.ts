/**
 * PDF/A-2b (ISO 19005-2, level B) and PDF/UA-1 identification: the XMP metadata that says so and
 * repeats the document information dictionary, and the sRGB output intent that gives the page
 * colours (DeviceRGB) their meaning. Fonts are embedded by pdfkit (TrueType subsets), nothing is
 * encrypted, and the file ID and dates come from the source, so rebuilds stay byte-identical.
 *
 * pdfkit writes its own XMP from the information dictionary without escaping it (a title with
 * "&" or "<" gives malformed XML) and without the modification date PDF/A wants matched; its
 * PDF/A option reads the profile from its own folder at run time, which the bundle does not
 * have. So the document is given the XMP to write in place of pdfkit's (hook 15 of
 * pdf/engine.ts), and the intent is made from the profile in Resources.
 */
import { catalogOf, setDocumentXmp } from './engine.js';

/** The document information as undoc sets it (pdf/index.ts `metadata`). */
export interface DocumentInfo {
  readonly title: string;
  readonly author: string;
  readonly subject?: string;
  readonly keywords?: string;
  readonly creator: string;
  readonly producer: string;
  readonly creationDate: Date;
  readonly modDate: Date;
}

interface PdfRef {
  write(chunk: Uint8Array): void;
  end(): void;
}

/** The pdfkit document members used here (listed in pdf/engine.ts `CALLED`). */
interface ArchivedDocument {
  ref(data: Record<string, unknown>): PdfRef;
}

const xml = (s: string) =>
  s.replace(/[&<>"]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** XMP dates as pdfkit writes the information dictionary's: UTC, to the second. */
const xmpDate = (d: Date) => `${d.toISOString().split('.')[0]}Z`;

const alt = (s: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xml(s)}</rdf:li></rdf:Alt>`;

/** The XMP that identifies PDF/A-2b and PDF/UA-1 and repeats the information dictionary. */
export function xmpOf(info: DocumentInfo, language: string, archival = true): string {
  const pdfa = [
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
    '<pdfaid:part>2</pdfaid:part>',
    '<pdfaid:conformance>B</pdfaid:conformance>',
    '</rdf:Description>',
  ];
  const parts = [
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreateDate>${xmpDate(info.creationDate)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(info.modDate)}</xmp:ModifyDate>`,
    `<xmp:CreatorTool>${xml(info.creator)}</xmp:CreatorTool>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(info.title)}</dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${xml(info.author)}</rdf:li></rdf:Seq></dc:creator>`,
    info.subject === undefined ? '' : `<dc:description>${alt(info.subject)}</dc:description>`,
    `<dc:language><rdf:Bag><rdf:li>${xml(language)}</rdf:li></rdf:Bag></dc:language>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    `<pdf:Producer>${xml(info.producer)}</pdf:Producer>`,
    info.keywords === undefined ? '' : `<pdf:Keywords>${xml(info.keywords)}</pdf:Keywords>`,
    '</rdf:Description>',
    ...(archival ? pdfa : []),
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
    '<pdfuaid:part>1</pdfuaid:part>',
    '</rdf:Description>',
    // PDF/A admits only the XMP schemas it names, and others it is given a description of.
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
    ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
    ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
    '<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>',
    '<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>',
    '<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>',
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">',
    '<pdfaProperty:name>part</pdfaProperty:name>',
    '<pdfaProperty:valueType>Integer</pdfaProperty:valueType>',
    '<pdfaProperty:category>internal</pdfaProperty:category>',
    '<pdfaProperty:description>Part of ISO 14289 followed</pdfaProperty:description>',
    '</rdf:li></rdf:Seq></pdfaSchema:property>',
    '</rdf:li></rdf:Bag></pdfaExtension:schemas>',
    '</rdf:Description>',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

/**
 * Gives the pdfkit document `doc`, before it ends, its PDF/UA-1 metadata, and with `icc` (an sRGB
 * profile) makes it a PDF/A-2b file; without, it is only measured (bench part 2b).
 */
export function makeArchival(
  doc: object,
  info: DocumentInfo,
  language: string,
  icc: Uint8Array | undefined,
): void {
  setDocumentXmp(doc, xmpOf(info, language, icc !== undefined));
  const d = doc as ArchivedDocument;
  if (icc === undefined) return;
  const profile = d.ref({ N: 3 });
  profile.write(icc);
  profile.end();
  const intent = d.ref({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: new String('sRGB IEC61966-2.1'),
    Info: new String('sRGB IEC61966-2.1'),
    DestOutputProfile: profile,
  });
  intent.end();
  catalogOf(doc).OutputIntents = [intent];
}
