/**
 * The file system as the CLI uses it: plain-words I/O errors, `mkdir -p` that cannot spin,
 * atomic writes through a temporary file, the clean-up of a killed build's temporary files, and
 * the BuildIo/WatchIo object the build procedures (src/build/) receive. The clock is here too.
 */
import { watch as watchFolder } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { NamedBytes } from '../build/hash.js';
import type { WatchIo } from '../build/watch.js';

/** An I/O error in plain words ("no such file or folder"), else its own message. */
export function ioMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'already exists and is not a folder',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  return (code && words[code]) || (e instanceof Error ? e.message : String(e));
}

/** A file's text as UTF-8, or undefined when it cannot be read (for quoting lines). */
export function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/**
 * `mkdir -p` that cannot spin: Node's recursive mkdir retries forever where a parent exists but
 * refuses children with ENOENT (under /proc), so the missing folders are made one by one.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const info = await stat(at).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    });
    if (info?.isDirectory()) break;
    if (info) throw Object.assign(new Error(`${at} is not a folder`), { code: 'EEXIST' });
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((e: unknown) => {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    });
  }
}

/** A temporary file of writeAtomically: `.<name>.<pid>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.tmp$/;

/**
 * Removes the temporary files a killed build left in `dir` (their process is gone); those of a
 * build still running, here or in another process, are left alone.
 */
export async function removeStaleTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(TEMP_FILE.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Writes a file through a temporary file and a rename, so no reader sees a partial file. */
export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(resolve(path, '..'), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** The file system and clock as the build procedures (src/build/) use them. */
export const NODE_IO: WatchIo = {
  readFile: (path) => readFile(path),
  listDir: async (dir) => {
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      return new Map(entries.map((e) => [e.name, e.isDirectory() ? 'dir' : 'file'] as const));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  writeFileAtomic: (path, bytes) =>
    writeAtomically(path, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes),
  mkdirp: (dir) => makeFolder(dir),
  now: () => performance.now(),
  watchDir: (dir, onEvent) => {
    const watcher = watchFolder(dir, (_event, file) => onEvent(file ?? undefined));
    // A watched folder that disappears ends its own watch; the others go on.
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  },
};

/** Every file under `dir` (recursively) that `keep` accepts, by path relative to `dir`. */
export async function filesUnder(
  dir: string,
  keep: (name: string) => boolean,
  prefix = '',
): Promise<NamedBytes[]> {
  const out: NamedBytes[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const path = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), keep, path)));
    else if (e.isFile() && keep(e.name)) {
      out.push({ path, bytes: await readFile(join(dir, e.name)) });
    }
  }
  return out;
}
