/**
 * `undoc check`: does the output folder hold exactly what `build` would write?
 *
 * The expected side is rendered in memory, never taken from the manifest: a manifest only says
 * what an earlier build wrote, and an edit to a renderer (same version number, new bytes) would
 * slip past a comparison of recorded hashes. Rendering costs a build's time but makes `check`
 * answer the question CI asks. Pure: the caller renders and hashes.
 */
import { isManifestFile } from './manifest.js';

/**
 * The lock a build or watch holds on its output folder (src/cli/lock.ts; a shard's is
 * `.undoc-lock-<i>-of-<n>`); never published.
 */
export const LOCK_FILE = '.undoc-lock';

/** Whether a file name is a build's lock (or the file that takes over a dead build's lock). */
export const isLockFile = (file: string): boolean =>
  /^\.undoc-lock(?:-\d+-of-\d+)?(?:\.takeover-[0-9a-f]{16})?$/.test(file);

/** How one file differs. */
export type Drift = 'stale' | 'missing' | 'extra';

/** One file that is not as `build` would write it. */
export interface DriftItem {
  readonly file: string;
  readonly kind: Drift;
}

/** The outcome of a check; `ok` when nothing drifted. */
export interface CheckResult {
  readonly ok: boolean;
  /** Sorted by file name. */
  readonly drift: readonly DriftItem[];
}

/**
 * Compares `expected` (file name → sha256 of what build would write) with `actual` (file name →
 * sha256 of what the folder holds; a sub-folder as "name/" with any hash). The manifests, build's
 * cache (a shard's too), and the locks of builds under way are not published files and never count.
 */
export function checkOutputs(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
): CheckResult {
  const drift: DriftItem[] = [];
  for (const [file, hash] of expected) {
    const has = actual.get(file);
    if (has === undefined) drift.push({ file, kind: 'missing' });
    else if (has !== hash) drift.push({ file, kind: 'stale' });
  }
  for (const file of actual.keys()) {
    if (!isManifestFile(file) && !isLockFile(file) && !expected.has(file))
      drift.push({ file, kind: 'extra' });
  }
  drift.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { ok: drift.length === 0, drift };
}

/** One line per drifted file, naming it and what to do: "stale   out/x.pdf (differs from …)". */
export function describeDrift(item: DriftItem, dir: string): string {
  const path = `${dir.replace(/\/+$/, '')}/${item.file}`;
  switch (item.kind) {
    case 'stale':
      return `stale   ${path} (differs from what build would write)`;
    case 'missing':
      return `missing ${path} (build would write it)`;
    case 'extra':
      return `extra   ${path} (no source builds it)`;
  }
}
