/**
 * One contender for an output folder's lock (test/lock.test.ts): waits for `go` to exist, takes
 * the lock of `dir` (a shard's when `shard` is given), prints `won` or `locked`, holds it for
 * `holdMs` and releases it.
 *
 *   node --import tsx test/lock-child.ts <dir> <go-file> <holdMs> [shard]
 */
import { existsSync } from 'node:fs';
import { FolderLocked, lockFolder } from '../src/cli/lock.js';

const [dir, go, hold, shard] = process.argv.slice(2);
if (dir === undefined || go === undefined || hold === undefined)
  throw new Error('usage: lock-child <dir> <go-file> <holdMs> [shard]');
// Every contender starts together: each polls for the same file.
while (!existsSync(go)) await new Promise((done) => setTimeout(done, 1));
try {
  const release = await lockFolder(dir, shard);
  process.stdout.write('won\n');
  await new Promise((done) => setTimeout(done, Number(hold)));
  release();
} catch (e) {
  if (!(e instanceof FolderLocked)) throw e;
  process.stdout.write('locked\n');
}
