/**
 * One writer per output folder: `build` and `watch` hold DIR/.undoc-lock while they write there,
 * so two builds of different sources into one folder cannot leave a document's PDF from one and
 * its DOCX from the other. A second writer fails at once with a clear message.
 *
 * Shards of one sharded build (`--shard i/n`, the same n) write disjoint documents and manifests:
 * each holds `.undoc-lock-i-of-n`, and they share the folder. Any other pair excludes each other:
 * a whole build and a shard, or shards of different counts (whose documents overlap). Each takes
 * its own lock first and then looks for the others, so of two that start together at least one
 * sees the other and gives way.
 *
 * A lock holds its process id and a random token, written to a temporary file and linked into
 * place (never empty). A lock whose process is gone (a killed build) is taken over, atomically:
 * the taker first creates a takeover file named after that lock's exact content (`wx`: only one
 * process can), then removes the lock only if it still has that content. Two processes that both
 * found the same dead lock cannot both take it: the one that does not get the takeover file finds
 * the winner's lock, alive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILE } from '../build/check.js';
import { type Diagnostic, fileDiagnostic } from '../diagnostics.js';
import { ioMessage, processAlive } from './file-system.js';

/** Another live process holds the folder's lock (or one that excludes ours). */
export class FolderLocked extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(`another undoc (process ${pid}) is writing this folder`);
  }
}

/** A lock file's name: the whole build's, or a shard's (`-<i>-of-<n>`). */
const LOCK_NAME = /^\.undoc-lock(?:-(\d+)-of-(\d+))?$/;

/** Which builds share a folder: shards of the same count; a whole build (`0`) shares with none. */
const shareClass = (name: string): number | undefined => {
  const m = LOCK_NAME.exec(name);
  return m === null ? undefined : Number(m[2] ?? 0);
};

/**
 * Creates the lock at `path` holding `content`, or false when one exists. The content is written
 * to a temporary file first and linked into place, so the lock never exists empty.
 */
async function create(path: string, temp: string, content: string): Promise<boolean> {
  await writeFile(temp, content, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The process id a lock names (`<pid> <token>`, or `<pid>` as earlier versions wrote it). */
const holder = (text: string | undefined): number =>
  Number(/^(\d+)(?: [0-9a-f]+)?\n?$/.exec(text ?? '')?.[1]);

const readLock = (path: string): Promise<string | undefined> =>
  readFile(path, 'utf8').catch(() => undefined);

/**
 * Removes the lock at `path` if it still holds `stale` (its process gone), through the takeover
 * file of that content; false when another process is taking it over.
 */
async function takeOver(path: string, stale: string): Promise<boolean> {
  const token = `${path}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  try {
    await writeFile(token, `${process.pid}\n`, { flag: 'wx' });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return false;
    throw e;
  }
  try {
    // Only a takeover of this content (which needs `token`) could have changed it: if it is
    // still there, nobody else can remove it now.
    if ((await readLock(path)) === stale) await unlink(path).catch(() => undefined);
    return true;
  } finally {
    // A slow taker that creates it again finds the lock changed, and leaves it.
    await unlink(token).catch(() => undefined);
  }
}

/** The first live lock in `dir` that excludes a lock named `own` (of another share class). */
async function excluding(dir: string, own: string): Promise<FolderLocked | undefined> {
  const mine = shareClass(own);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const theirs = shareClass(name);
    if (name === own || theirs === undefined || theirs === mine) continue;
    const path = join(dir, name);
    const pid = holder(await readLock(path));
    if (pid > 0 && pid !== process.pid && processAlive(pid)) return new FolderLocked(path, pid);
  }
  return undefined;
}

/** How many times a lock is tried before giving up (each after a takeover or a stale read). */
const ATTEMPTS = 4;

/**
 * Takes `dir`'s lock (`shard`: `<i>-of-<n>`, a shard's); resolves to the function that releases
 * it (also run when the process exits, however it exits from here on). Rejects with FolderLocked
 * when a live process holds it or a lock that excludes it, or with the I/O error.
 */
export async function lockFolder(dir: string, shard?: string): Promise<() => void> {
  const name = shard === undefined ? LOCK_FILE : `${LOCK_FILE}-${shard}`;
  const path = join(dir, name);
  const content = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const temp = `${path}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      // Only our own: never a lock another process holds.
      if (readFileSync(path, 'utf8') === content) unlinkSync(path);
    } catch {
      // Not there.
    }
    try {
      unlinkSync(temp);
    } catch {
      // Not there.
    }
  };
  // From before the lock exists: an interrupt while it is taken still removes it.
  process.on('exit', release);
  try {
    for (let attempt = 1; ; attempt++) {
      if (await create(path, temp, content)) break;
      const text = await readLock(path);
      const pid = holder(text);
      if (pid > 0 && pid !== process.pid && processAlive(pid)) throw new FolderLocked(path, pid);
      if (attempt === ATTEMPTS) throw new FolderLocked(path, pid || 0);
      // Gone since it was found (released, or taken over): try again. Left by a process that is
      // gone: take it over, unless another process is doing so (then its lock is found next).
      if (text !== undefined && !(await takeOver(path, text))) await pause(20);
    }
    const other = await excluding(dir, name);
    if (other !== undefined) throw other;
  } catch (e) {
    release();
    throw e;
  }
  return release;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The diagnostic for a lock that could not be taken (held by another process, or I/O). */
export function lockDiagnostic(dir: string, e: unknown): Diagnostic {
  if (e instanceof FolderLocked) {
    return fileDiagnostic(
      dir,
      'out-locked',
      `another undoc${e.pid > 0 ? ` (process ${e.pid})` : ''} is building into this folder; try again when it has finished (or, if no undoc is running, remove ${e.lockFile})`,
    );
  }
  return fileDiagnostic(dir, 'write-failed', `cannot lock the output folder: ${ioMessage(e)}`);
}
