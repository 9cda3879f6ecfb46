/**
 * The build manifest, `DIR/.undoc-manifest.json`: for each document, the hash of its inputs and
 * the sha256 of each file written for it, and what the index page lists of it. Incremental builds
 * read it to skip up-to-date documents without loading their sources.
 * It is a cache, not a published document: `check` ignores it and git does not track it. Pure:
 * the CLI reads and writes the file.
 */

import { LANGUAGES, type LanguageCode } from '../model.js';
import type { IndexFacts } from '../render/html/index-page.js';

/** The manifest's file name inside the output folder. */
export const MANIFEST_FILE = '.undoc-manifest.json';

/**
 * The manifest of shard i of n (`undoc build --shard i/n`): each shard has its own, so shards can
 * share an output folder, and the folders of all shards can be copied into one for the merge.
 */
export function shardManifestFile(index: number, count: number): string {
  return `.undoc-manifest.shard-${index}-of-${count}.json`;
}

/** A shard manifest's file name, with its i and n. */
const SHARD_MANIFEST = /^\.undoc-manifest\.shard-([0-9]+)-of-([0-9]+)\.json$/;

/** i and n of a shard manifest's file name; undefined for any other name. */
export function shardOfManifest(file: string): { index: number; count: number } | undefined {
  const m = SHARD_MANIFEST.exec(file);
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}

/** Whether a file in the output folder is a manifest (the build's cache, not a document). */
export function isManifestFile(file: string): boolean {
  return file === MANIFEST_FILE || SHARD_MANIFEST.test(file);
}

/** Version of the manifest's own layout; a manifest of another version is ignored (full build). */
export const MANIFEST_VERSION = 2;

/** What was built for one document. */
export interface ManifestEntry {
  /** The source path as given to the build (informative). */
  readonly source: string;
  /** `inputHash` of the document's inputs when its outputs were written. */
  readonly input: string;
  /** Output file name (e.g. "A-61-seed.pdf") → sha256 of the bytes written. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What the index page lists of the document, from its source at `input`. */
  readonly index: IndexFacts;
}

/** The whole manifest. */
export interface Manifest {
  readonly undocManifest: typeof MANIFEST_VERSION;
  /** Engine fingerprint of the build that last wrote this manifest. */
  readonly engine: string;
  /** Document name (output base name) → its entry. */
  readonly documents: Readonly<Record<string, ManifestEntry>>;
}

/** A manifest with no documents. */
export function emptyManifest(engine: string): Manifest {
  return { undocManifest: MANIFEST_VERSION, engine, documents: {} };
}

/** The outcome of reading a manifest: the manifest, or why it was not usable. */
export type ManifestRead =
  | { readonly ok: true; readonly manifest: Manifest }
  | { readonly ok: false; readonly reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Index facts as the manifest holds them, or the reason they are malformed. */
function parseFacts(v: unknown): IndexFacts | string {
  if (!isRecord(v)) return 'is not an object';
  const { symbol, title, date, organs, language } = v;
  if (typeof symbol !== 'string' || typeof title !== 'string') return 'has no symbol or title';
  if (!isRecord(date) || typeof date.iso !== 'string' || typeof date.text !== 'string') {
    return 'has no date';
  }
  if (!isStringArray(organs)) return '"organs" is not a list of names';
  if (
    language !== undefined &&
    !(typeof language === 'string' && Object.hasOwn(LANGUAGES, language))
  ) {
    return '"language" is not a UN language';
  }
  const facts = { symbol, title, date: { iso: date.iso, text: date.text }, organs };
  return language === undefined ? facts : { ...facts, language: language as LanguageCode };
}

/** A manifest entry, or the reason it is malformed. */
function parseEntry(name: string, v: unknown): ManifestEntry | string {
  if (!isRecord(v)) return `document "${name}" is not an object`;
  const { source, input, outputs } = v;
  if (typeof source !== 'string') return `document "${name}": "source" is not a string`;
  if (typeof input !== 'string' || !HEX64.test(input)) {
    return `document "${name}": "input" is not a sha256`;
  }
  if (!isRecord(outputs)) return `document "${name}": "outputs" is not an object`;
  const out: Record<string, string> = {};
  for (const [file, hash] of Object.entries(outputs)) {
    if (typeof hash !== 'string' || !HEX64.test(hash)) {
      return `document "${name}": output "${file}" has no sha256`;
    }
    if (file.includes('/') || file.includes('\\') || file.startsWith('.')) {
      return `document "${name}": output "${file}" is not a plain file name`;
    }
    out[file] = hash;
  }
  const index = parseFacts(v.index);
  if (typeof index === 'string') return `document "${name}": "index" ${index}`;
  return { source, input, outputs: out, index };
}

/**
 * Parses and validates manifest text. A manifest that is not JSON, of another version, or
 * malformed anywhere is rejected as a whole: the build then treats every document as new.
 */
export function parseManifest(text: string): ManifestRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message})` };
  }
  if (!isRecord(data)) return { ok: false, reason: 'not a JSON object' };
  if (data.undocManifest !== MANIFEST_VERSION) {
    return {
      ok: false,
      reason: `manifest version ${String(data.undocManifest)} is not ${MANIFEST_VERSION}`,
    };
  }
  if (typeof data.engine !== 'string') return { ok: false, reason: '"engine" is not a string' };
  if (!isRecord(data.documents)) return { ok: false, reason: '"documents" is not an object' };
  const documents: Record<string, ManifestEntry> = {};
  for (const [name, v] of Object.entries(data.documents)) {
    const entry = parseEntry(name, v);
    if (typeof entry === 'string') return { ok: false, reason: entry };
    documents[name] = entry;
  }
  return {
    ok: true,
    manifest: { undocManifest: MANIFEST_VERSION, engine: data.engine, documents },
  };
}

/** Serializes a manifest with sorted keys and a final newline, so equal manifests are equal bytes. */
export function serializeManifest(manifest: Manifest): string {
  const documents: Record<string, ManifestEntry> = {};
  for (const name of Object.keys(manifest.documents).sort()) {
    const e = manifest.documents[name];
    if (!e) continue;
    const outputs: Record<string, string> = {};
    for (const file of Object.keys(e.outputs).sort()) outputs[file] = e.outputs[file] ?? '';
    documents[name] = { source: e.source, input: e.input, outputs, index: e.index };
  }
  return `${JSON.stringify({ undocManifest: MANIFEST_VERSION, engine: manifest.engine, documents }, null, 2)}\n`;
}

/**
 * The manifest after a build: `updates` replace (or add) entries, `removed` documents (failed ones,
 * whose outputs are no longer known good) are dropped; other documents' entries are kept.
 */
export function updateManifest(
  manifest: Manifest,
  engine: string,
  updates: Readonly<Record<string, ManifestEntry>>,
  removed: readonly string[],
): Manifest {
  const documents: Record<string, ManifestEntry> = { ...manifest.documents, ...updates };
  for (const name of removed) delete documents[name];
  return { undocManifest: MANIFEST_VERSION, engine, documents };
}
