/**
 * The file system as the CLI uses it: plain-words I/O errors, `mkdir -p` that cannot spin,
 * atomic writes through a temporary file, the clean-up of a killed build's temporary files, and
 * the BuildIo/WatchIo object the build procedures (src/build/) receive. The clock is here too.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync, watch as watchFolder } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
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
    EFBIG: 'file too large (a file-size limit)',
    EDQUOT: 'disk quota exceeded',
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

/**
 * A temporary file of writeAtomically: `.<name>.<pid>.<random>.tmp` (earlier versions wrote
 * `.<name>.<pid>.tmp`, which the clean-up still recognises).
 */
const TEMP_FILE = /^\..+\.(\d+)(?:\.[0-9a-f]{16})?\.tmp$/;

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

/** Whether a process of this id exists (here or another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Temporary files this process has created and not yet renamed or removed (for an interrupt). */
const liveTemps = new Set<string>();
/** Writes under way (an interrupt lets them settle before it removes their temporary files). */
const pending = new Set<Promise<unknown>>();

/**
 * Creates `.<name>.<pid>.<random>.tmp` beside `path` exclusively (O_CREAT | O_EXCL: never through
 * a link or over a file planted at that name) and writes `bytes` to it; resolves to its path.
 */
async function writeTemp(path: string, bytes: Uint8Array): Promise<string> {
  if (stopped) throw new Error('interrupted');
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`,
  );
  liveTemps.add(temp);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    return temp;
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    liveTemps.delete(temp);
    throw e;
  }
}

/** Renames a temporary file into place. */
async function commit(temp: string, path: string): Promise<void> {
  await rename(temp, path);
  liveTemps.delete(temp);
}

async function discard(temp: string): Promise<void> {
  await unlink(temp).catch(() => undefined);
  liveTemps.delete(temp);
}

function tracked<T>(work: Promise<T>): Promise<T> {
  pending.add(work);
  const done = () => pending.delete(work);
  work.then(done, done);
  return work;
}

/**
 * Writes a file through a temporary file and a rename, so no reader sees a partial file. `path`
 * is resolved once: the temporary file and the rename use the same folder.
 */
export function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const target = resolve(path);
  return tracked(
    (async () => {
      const temp = await writeTemp(target, bytes);
      try {
        await commit(temp, target);
      } catch (e) {
        await discard(temp);
        throw e;
      }
    })(),
  );
}

/** Files of one document that were not replaced, with why. */
export class SetWriteError extends Error {
  constructor(
    message: string,
    /** The files (as given) that still hold what they held before, or do not exist. */
    readonly notReplaced: readonly string[],
  ) {
    super(message);
  }
}

/**
 * Writes a set of files (one document's formats) so that they are replaced together: every file
 * goes to its temporary file first, and only when all of them are written are they renamed into
 * place. When a write fails (a full disk), none is replaced; the error names them all.
 */
export function writeSetAtomically(
  files: readonly { readonly path: string; readonly bytes: Uint8Array }[],
): Promise<void> {
  return tracked(
    (async () => {
      const targets = files.map((f) => resolve(f.path));
      const written = await Promise.allSettled(
        files.map((f, i) => writeTemp(targets[i] as string, f.bytes)),
      );
      const temps = written.flatMap((w) => (w.status === 'fulfilled' ? [w.value] : []));
      const failed = written.find((w) => w.status === 'rejected');
      if (failed) {
        await Promise.all(temps.map(discard));
        throw new SetWriteError(
          ioMessage(failed.reason),
          files.map((f) => f.path),
        );
      }
      for (let i = 0; i < temps.length; i++) {
        try {
          await commit(temps[i] as string, targets[i] as string);
        } catch (e) {
          await Promise.all(temps.slice(i).map(discard));
          throw new SetWriteError(
            ioMessage(e),
            files.slice(i).map((f) => f.path),
          );
        }
      }
    })(),
  );
}

/** Set by an interrupt: no new temporary file is started. */
let stopped = false;

/**
 * After an interrupt: starts no new write, lets the writes under way settle (at most `waitMs`),
 * then removes every temporary file this process still has. Resolves to how many it removed.
 */
export async function removeLiveTemps(waitMs = 2000): Promise<number> {
  stopped = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((done) => {
    timer = setTimeout(done, waitMs);
  });
  await Promise.race([Promise.allSettled([...pending]), deadline]);
  clearTimeout(timer);
  return removeLiveTempsNow();
}

/** Removes every temporary file this process still has, at once (on exit). */
export function removeLiveTempsNow(): number {
  let removed = 0;
  for (const temp of liveTemps) {
    try {
      unlinkSync(temp);
      removed++;
    } catch {
      // Already gone (renamed or removed).
    }
  }
  liveTemps.clear();
  return removed;
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
  writeSetAtomic: (files) => writeSetAtomically(files),
  mkdirp: (dir) => makeFolder(dir),
  now: () => performance.now(),
  folderId: async (dir) => {
    try {
      const info = await stat(dir);
      // The inode number of a removed folder is often reused at once: its birth time is not.
      return info.isDirectory() ? `${info.dev}:${info.ino}:${info.birthtimeMs}` : undefined;
    } catch {
      return undefined;
    }
  },
  removeFile: (path) => unlink(path),
  watchDir: (dir, onEvent) => {
    const watcher = watchFolder(dir, (_event, file) => onEvent(file ?? undefined));
    // A watched folder that disappears ends its own watch; the others go on.
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  },
};

/**
 * Every file under `dir` (recursively) that `keep` accepts, by path relative to `dir`. With
 * `skipUnreadable`, a file or folder below `dir` that cannot be read is left out.
 */
export async function filesUnder(
  dir: string,
  keep: (name: string) => boolean,
  prefix = '',
  skipUnreadable = false,
): Promise<NamedBytes[]> {
  const out: NamedBytes[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: unknown) => {
    if (skipUnreadable && prefix !== '') return [];
    throw e;
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const path = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) {
      out.push(...(await filesUnder(join(dir, e.name), keep, path, skipUnreadable)));
    } else if (e.isFile() && keep(e.name)) {
      const bytes = await readFile(join(dir, e.name)).catch((error: unknown) => {
        if (skipUnreadable) return undefined;
        throw error;
      });
      if (bytes !== undefined) out.push({ path, bytes });
    }
  }
  return out;
}
