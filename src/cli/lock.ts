/**
 * One writer per output folder: `build` and `watch` hold DIR/.undoc-lock (the holder's process
 * id) while they write there, so two builds of different sources into one folder cannot leave a
 * document's PDF from one and its DOCX from the other. A second writer fails at once with a
 * clear message; a lock whose process is gone (a killed build) is taken over.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILE } from '../build/check.js';
import { type Diagnostic, fileDiagnostic } from '../diagnostics.js';
import { ioMessage, processAlive } from './file-system.js';

/** Another live process holds the folder's lock. */
export class FolderLocked extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(`another undoc (process ${pid}) is writing this folder`);
  }
}

/**
 * Creates the lock at `path` holding this process's id, or false when one exists. The id is
 * written to a temporary file first and linked into place, so the lock never exists empty.
 */
async function create(path: string, temp: string): Promise<boolean> {
  await writeFile(temp, `${process.pid}\n`, { flag: 'wx' });
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

const holder = (text: string | undefined): number => Number(/^(\d+)\n?$/.exec(text ?? '')?.[1]);

/**
 * Takes `dir`'s lock; resolves to the function that releases it (also run when the process
 * exits, however it exits from here on). Rejects with FolderLocked when a live process holds
 * it, or with the I/O error.
 */
export async function lockFolder(dir: string, shard?: string): Promise<() => void> {
  const path = join(dir, shard === undefined ? LOCK_FILE : `${LOCK_FILE}-${shard}`);
  const temp = `${path}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    for (const file of [temp, path]) {
      try {
        // Only our own: never a lock another process holds.
        if (holder(readFileSync(file, 'utf8')) === process.pid) unlinkSync(file);
      } catch {
        // Not there.
      }
    }
  };
  // From before the lock exists: an interrupt while it is taken still removes it.
  process.on('exit', release);
  try {
    for (let attempt = 0; ; attempt++) {
      if (await create(path, temp)) break;
      const pid = holder(await readFile(path, 'utf8').catch(() => undefined));
      if (pid > 0 && pid !== process.pid && processAlive(pid)) throw new FolderLocked(path, pid);
      // Left by a process that is gone (or being replaced this instant: try once more).
      if (attempt > 0) throw new FolderLocked(path, pid || 0);
      await unlink(path).catch(() => undefined);
    }
  } catch (e) {
    held = false;
    process.off('exit', release);
    throw e;
  }
  return release;
}

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
