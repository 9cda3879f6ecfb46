/**
 * A layout template (templates/<name>.yaml) → a Style, checked as a source is: bytes decoded,
 * YAML parsed with positions under the loader's limits, each file checked against
 * templates/style.schema.json (keys, types, lengths with their units), `extends` followed, and the
 * merged layout checked to give every key. A problem is a diagnostic at the template's
 * `file:line:col`, never an exception from a renderer; a file that cannot be read is an I/O
 * problem naming it.
 */
import { type Diagnostic, fileDiagnostic, formatDiagnostic } from '../diagnostics.js';
import { errorIssues, schemaIssues } from '../load/schema.js';
import {
  capIssues,
  type DataPath,
  decodeSource,
  issue,
  parseSource,
  type SourceMap,
} from '../load/yaml-source.js';
import { type Style, toPoints } from './style.js';
import { validateLayout, validateTemplate } from './style-validator.generated.js';

/** Reads one file of the templates folder by its name ("ny.yaml"); throws Node's error. */
export type ReadTemplateFile = (file: string) => Uint8Array;

/** Why a resource could not be used: an invalid template (exit 1) or an unreadable file (exit 3). */
export type ResourceFailureKind = 'invalid' | 'unreadable';

/**
 * A template or font that could not be used: its message is the printed diagnostics, each at its
 * template's line and column with the offending line (or naming the file that could not be read).
 */
export class ResourceFailure extends Error {
  override readonly name = 'ResourceFailure';

  constructor(
    readonly kind: ResourceFailureKind,
    /** The diagnostics as printed. */
    report: string,
  ) {
    super(report);
  }

  /** The failure for `diagnostics`; `texts`: each file's text by the path they name. */
  static of(
    kind: ResourceFailureKind,
    diagnostics: readonly Diagnostic[],
    texts: ReadonlyMap<string, string> = new Map(),
  ): ResourceFailure {
    const report = diagnostics.map((d) => formatDiagnostic(d, texts.get(d.file))).join('\n');
    return new ResourceFailure(kind, report);
  }
}

/** Node's error codes in words, for a file that cannot be read. */
const IO_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
};

/** Why a read failed, in words. */
export function ioWords(e: unknown): string {
  const code = (e as { code?: string }).code;
  return (code && IO_WORDS[code]) || (e instanceof Error ? e.message : String(e));
}

/** An I/O failure naming `file` (the path as shown). */
export function unreadable(file: string, e: unknown): ResourceFailure {
  return ResourceFailure.of('unreadable', [
    fileDiagnostic(file, 'read-failed', `cannot read: ${ioWords(e)}`),
  ]);
}

type Tree = { [key: string]: unknown };

function isTree(v: unknown): v is Tree {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One template file as parsed. */
interface Layer {
  readonly name: string;
  /** Its path as diagnostics name it. */
  readonly file: string;
  readonly text: string;
  readonly data: Tree;
  readonly map: SourceMap;
}

/** Deep merge: `over`'s leaves replace `base`'s, mappings merge key by key. */
function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isTree(b) && isTree(v) ? merge(b, v) : v;
  }
  return out;
}

/** Whether `data` has a value at `path`. */
function has(data: unknown, path: DataPath): boolean {
  let at: unknown = data;
  for (const step of path) {
    if (!isTree(at) || !(String(step) in at)) return false;
    at = at[String(step)];
  }
  return true;
}

/** JSON Pointer → path of keys. */
function pointerPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Loads layout `name`. `read` reads a file of the templates folder; `shown` gives the path a
 * diagnostic names for a file there ("templates/ny.yaml"). Throws `ResourceFailure`.
 */
export function loadStyle(
  name: string,
  read: ReadTemplateFile,
  shown: (file: string) => string,
): Style {
  const texts = new Map<string, string>();
  const fail = (diagnostics: readonly Diagnostic[]) =>
    ResourceFailure.of('invalid', diagnostics, texts);

  /** Reads and checks one file on its own; the layers it extends come first. */
  const layersOf = (n: string, chain: readonly Layer[], from?: Layer): Layer[] => {
    const file = shown(`${n}.yaml`);
    let bytes: Uint8Array;
    try {
      bytes = read(`${n}.yaml`);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (from === undefined || code !== 'ENOENT') throw unreadable(file, e);
      // `extends` names a template that is not there: the mistake is in the one that names it.
      throw fail([
        issue(
          from.file,
          'bad-value',
          from.map.at(['extends']),
          `\`extends\` names the template \`${n}\`, but there is no ${file}`,
        ),
      ]);
    }
    const decoded = decodeSource(bytes, file);
    if ('issues' in decoded) {
      if (decoded.text !== undefined) texts.set(file, decoded.text);
      throw fail(decoded.issues);
    }
    texts.set(file, decoded.text);
    const parsed = parseSource(decoded.text, file);
    if ('issues' in parsed) throw fail(parsed.issues);
    const layer: Layer = {
      name: n,
      file,
      text: decoded.text,
      data: parsed.data as Tree,
      map: parsed.map,
    };
    const own = schemaIssues(layer.data, layer.map, validateTemplate);
    if (own.length > 0) throw fail(own);
    const parent = layer.data.extends;
    if (typeof parent !== 'string') return [layer];
    const seen = [...chain, layer];
    if (seen.some((l) => l.name === parent)) {
      const cycle = [...seen.map((l) => l.name), parent].join(' → ');
      throw fail([
        issue(
          file,
          'bad-value',
          layer.map.at(['extends']),
          `\`extends\` goes round in a circle: ${cycle}`,
        ),
      ]);
    }
    return [...layersOf(parent, seen, layer), layer];
  };

  const layers = layersOf(name, []);
  let merged: Tree = {};
  for (const layer of layers) {
    const { extends: _, ...own } = layer.data;
    merged = merge(merged, own);
  }
  const top = layers[layers.length - 1];
  if (top === undefined) throw new Error(`templates: nothing loaded for ${name}`);
  if (!validateLayout(merged)) {
    // Each problem at the file it comes from: a missing key at the first template that has the
    // mapping (where the complete layout is written), a bad value at the last that sets it.
    const diagnostics: Diagnostic[] = [];
    for (const e of validateLayout.errors ?? []) {
      const path = pointerPath(e.instancePath);
      const holders = layers.filter((l) => has(l.data, path));
      const layer = (e.keyword === 'required' ? holders[0] : holders[holders.length - 1]) ?? top;
      diagnostics.push(...errorIssues([e], layer.map));
    }
    throw fail(capIssues(diagnostics));
  }
  if (merged.name !== name) {
    const holder = [...layers].reverse().find((l) => has(l.data, ['name'])) ?? top;
    throw fail([
      issue(
        holder.file,
        'bad-value',
        holder.map.at(['name']),
        `\`name\` is \`${String(merged.name)}\`, but this is the layout ${name} (${top.file})`,
        `write \`name: ${name}\``,
      ),
    ]);
  }
  return toPoints(merged) as Style;
}
