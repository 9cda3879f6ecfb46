/**
 * Finding and reading the sources a command is given: files, or folders of *.yaml files (default
 * `source/`). Every path that cannot be used is reported at once, with its exit code.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { EXIT, fileDiagnostic } from '../diagnostics.js';
import { LIMITS, loadSource } from '../load/index.js';
import type { UnDocument } from '../model.js';
import { ioMessage } from './file-system.js';
import { INDEX_NAME } from './index-file.js';
import { type CliOutput, type Outcome, report } from './output.js';

/** One source to process: the path as shown to the user and the output base name. */
export interface SourceFile {
  readonly path: string;
  readonly name: string;
}

/** The folder read when a command is given no paths. */
export const DEFAULT_SOURCES = 'source';

const SOURCE_EXTENSIONS = ['.yaml', '.yml'];

/** Expands the paths (files, or folders of *.yaml) into sources; missing paths are I/O errors. */
export async function collectSources(
  paths: readonly string[],
  output: CliOutput,
  outcome: Outcome,
): Promise<SourceFile[]> {
  const given = paths.length > 0 ? paths : [DEFAULT_SOURCES];
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    const full = resolve(path);
    if (seen.has(full)) return;
    seen.add(full);
    files.push({ path, name: basename(path, extname(path)) });
  };
  const unreadable = (path: string, message: string) => {
    report(output, [fileDiagnostic(path, 'read-failed', message)]);
    outcome.fail(EXIT.io);
  };
  for (const p of given) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (e) {
      unreadable(p, `cannot read: ${ioMessage(e)}`);
      continue;
    }
    if (info.isDirectory()) {
      let entries: string[];
      try {
        entries = await readdir(p);
      } catch (e) {
        unreadable(p, `cannot list the folder: ${ioMessage(e)}`);
        continue;
      }
      const sources = entries
        .filter((f) => !f.startsWith('.') && SOURCE_EXTENSIONS.includes(extname(f)))
        .sort();
      if (sources.length === 0) unreadable(p, 'the folder holds no .yaml sources');
      for (const f of sources) {
        // Only regular files: reading a FIFO named x.yaml would wait forever for a writer.
        const entry = join(p, f);
        const info = await stat(entry).catch((e: unknown) => `cannot read: ${ioMessage(e)}`);
        if (typeof info === 'string' || !info.isFile()) {
          unreadable(entry, typeof info === 'string' ? info : 'not a regular file');
        } else if (withinSize(entry, info.size, output, outcome)) add(entry);
      }
    } else if (info.isFile()) {
      if (withinSize(p, info.size, output, outcome)) add(p);
    } else {
      unreadable(p, 'not a regular file or folder');
    }
  }
  // Two sources with one name would write the same outputs.
  const byName = new Map<string, string>();
  return files.filter((f) => {
    // The listing page is DIR/index.html (index-file.ts): `index.yaml` would write over it, or
    // it over the document's HTML (on a case-insensitive disk, `Index.yaml` too).
    if (f.name.toLowerCase() === INDEX_NAME) {
      report(output, [
        fileDiagnostic(
          f.path,
          'name-clash',
          `a source may not be named "${f.name}": its HTML would be the folder's listing page, ${INDEX_NAME}.html; rename the file`,
        ),
      ]);
      outcome.fail(EXIT.usage);
      return false;
    }
    const first = byName.get(f.name);
    if (first === undefined) {
      byName.set(f.name, f.path);
      return true;
    }
    report(output, [
      fileDiagnostic(
        f.path,
        'name-clash',
        `has the same name as ${first}; its outputs would overwrite that one's`,
      ),
    ]);
    outcome.fail(EXIT.usage);
    return false;
  });
}

/**
 * False (and reported) for a file over the size limit: it is never read, so a multi-gigabyte
 * file costs nothing (reading one whole ended in an internal error in `build`).
 */
function withinSize(path: string, size: number, output: CliOutput, outcome: Outcome): boolean {
  if (size <= LIMITS.maxBytes) return true;
  const message = `the file is ${size} bytes; a source may be at most ${LIMITS.maxBytes} bytes`;
  report(output, [{ ...fileDiagnostic(path, 'file-too-large', message), line: 1, col: 1 }]);
  outcome.fail(EXIT.invalid);
  return false;
}

/** Reads and loads one source; prints its diagnostics at once; the model when it is valid. */
export async function loadFile(
  file: SourceFile,
  output: CliOutput,
  outcome: Outcome,
): Promise<UnDocument | undefined> {
  let bytes: Uint8Array;
  try {
    const info = await stat(file.path);
    // Not even read: the limit exists so that a huge file costs nothing.
    if (!withinSize(file.path, info.size, output, outcome)) return undefined;
    bytes = await readFile(file.path);
  } catch (e) {
    report(output, [fileDiagnostic(file.path, 'read-failed', `cannot read: ${ioMessage(e)}`)]);
    outcome.fail(EXIT.io);
    return undefined;
  }
  // The layouts' fonts: a character none of them prints is an error (missing-glyph).
  const { fontsOf, loadResources } = await import('../resources.js');
  const result = loadSource(bytes, file.name, file.path, fontsOf(loadResources()));
  report(output, result.diagnostics, result.text);
  if (!result.model) outcome.fail(EXIT.invalid);
  return result.model;
}
