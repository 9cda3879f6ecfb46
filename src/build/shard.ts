/**
 * Sharding a build across CI runners: `--shard i/n` (1-based, as Playwright, Jest and Vitest spell
 * it) keeps the sources whose stable hash falls in shard i. The hash is of the source path as the
 * command names it (`source/A-61-859.yaml`), so every runner that checks out the repository and
 * runs the same command assigns every document to the same shard, whatever else changed. Pure.
 */
import { createHash } from 'node:crypto';

/** One shard of n: `index` from 1 to `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Largest shard count accepted (a matrix that wide is already unusual). */
export const MAX_SHARDS = 1000;

/** Parses `i/n` (1 ≤ i ≤ n ≤ MAX_SHARDS); the reason when it is not one. */
export function parseShard(text: string): Shard | string {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(text);
  if (!m) return `--shard needs the form i/n (e.g. 2/4), not \`${text}\``;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) return `--shard: n must be from 1 to ${MAX_SHARDS}`;
  if (index < 1 || index > count) return `--shard: i must be from 1 to n (${count}), not ${index}`;
  return { index, count };
}

/** The path as hashed: `/` separators, no leading `./`, so Windows and POSIX runners agree. */
export function shardKey(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** The shard (1-based) of a source path among `count` shards. */
export function shardOf(path: string, count: number): number {
  const digest = createHash('sha256').update(shardKey(path)).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The sources of `shard` among `sources`, in their order. */
export function inShard<T extends { readonly path: string }>(
  sources: readonly T[],
  shard: Shard,
): T[] {
  return sources.filter((s) => shardOf(s.path, shard.count) === shard.index);
}

/** "2/4". */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
