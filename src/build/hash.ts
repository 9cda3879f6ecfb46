/**
 * Content hashes of a build's inputs and outputs. Pure: the caller reads the bytes.
 *
 * A document is up to date when the hash of everything its outputs are a function of is the one
 * recorded when they were written: its source bytes, the template files of its style (with the
 * `extends` chain) and the shared template files (emblem…), the engine (undoc's version AND the
 * hash of its own code and the versions of its rendering libraries, so that an unreleased
 * renderer change invalidates outputs too), and the list of formats asked for.
 */
import { createHash } from 'node:crypto';
import { parse } from 'yaml';

/** sha256 of some bytes (or UTF-8 text), as 64 lowercase hex digits. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A file of the package's own (a template, a compiled module), by path relative to its root. */
export interface NamedBytes {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Everything one document's outputs depend on. */
export interface BuildInput {
  /** The source file's bytes, exactly as read. */
  readonly source: Uint8Array | string;
  /** The template files this document depends on (see `templateFilesFor`). */
  readonly templates: readonly NamedBytes[];
  /** The engine fingerprint (see `engineFingerprint`). */
  readonly engine: string;
  /** Formats to write, e.g. ["pdf", "docx", "html"]; their order does not matter. */
  readonly formats: readonly string[];
  /** Names of the document's other language versions, which its HTML links; none for most. */
  readonly versions?: readonly string[];
}

/**
 * Length-prefixed framing, so that no two different field lists hash alike (a byte moved from one
 * field to the next changes the framing).
 */
function frame(hash: ReturnType<typeof createHash>, label: string, bytes: Uint8Array | string) {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  hash.update(`${label}\0${data.byteLength}\0`);
  hash.update(data);
}

/** The input hash of one document: sha256 over its framed inputs, 64 hex digits. */
export function inputHash(input: BuildInput): string {
  const hash = createHash('sha256');
  frame(hash, 'undoc-input', '1');
  frame(hash, 'engine', input.engine);
  frame(hash, 'formats', [...new Set(input.formats)].sort().join(','));
  frame(hash, 'source', input.source);
  // Framed only when there are some, so a document without versions keeps its hash.
  if (input.versions !== undefined && input.versions.length > 0) {
    frame(hash, 'versions', [...input.versions].sort().join('\n'));
  }
  const templates = [...input.templates].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const t of templates) frame(hash, `template:${t.path}`, t.bytes);
  return hash.digest('hex');
}

/**
 * The template files a document in layout `style` depends on: `<style>.yaml`, the templates it
 * `extends` (transitively), every non-YAML file (emblem, page templates) that all layouts share,
 * and the language tables (`lang/*.yaml`: a label's change reaches every document, whose masthead
 * may name any language). `files` are the template folder's files by path ("ny.yaml",
 * "emblem.svg", "lang/fr.yaml").
 */
export function templateFilesFor(style: string, files: readonly NamedBytes[]): NamedBytes[] {
  const byName = new Map(files.map((f) => [f.path, f]));
  const out = files.filter((f) => !f.path.endsWith('.yaml') || f.path.startsWith('lang/'));
  const seen = new Set<string>();
  let name: string | undefined = style;
  while (name !== undefined && !seen.has(name)) {
    seen.add(name);
    const file = byName.get(`${name}.yaml`);
    if (!file) break;
    out.push(file);
    name = extendsOf(file.bytes);
  }
  return out;
}

/**
 * The `extends` of each template text this process has parsed (at most `EXTENDS_KEPT`), by the
 * text itself: parsing a layout's YAML in a cold process took ~16 ms of each command's start, and
 * a command started from the start-up snapshot finds the warm-up's layouts here.
 */
const extendsByText = new Map<string, string | undefined>();
const EXTENDS_KEPT = 64;

function extendsOf(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('utf8');
  if (extendsByText.has(text)) return extendsByText.get(text);
  let parent: string | undefined;
  try {
    const tree: unknown = parse(text);
    if (tree !== null && typeof tree === 'object' && 'extends' in tree) {
      parent = typeof tree.extends === 'string' ? tree.extends : undefined;
    }
  } catch {
    // A broken template fails the build itself with a clear message; here it just ends the chain.
  }
  // A watch whose templates are edited again and again must not keep every version.
  if (extendsByText.size >= EXTENDS_KEPT) extendsByText.clear();
  extendsByText.set(text, parent);
  return parent;
}

/**
 * The engine fingerprint: `<version>+<12 hex digits>`, the digits hashing undoc's own compiled
 * code (`code`, every module of the running build) and the versions of the libraries it renders
 * with (`libraries`, name → version). Two checkouts with the same code and lockfile agree.
 */
export function engineFingerprint(
  version: string,
  code: readonly NamedBytes[],
  libraries: Readonly<Record<string, string>>,
): string {
  const hash = createHash('sha256');
  for (const f of [...code].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    frame(hash, `code:${f.path}`, f.bytes);
  }
  for (const name of Object.keys(libraries).sort()) {
    frame(hash, `lib:${name}`, libraries[name] ?? '');
  }
  return `${version}+${hash.digest('hex').slice(0, 12)}`;
}
