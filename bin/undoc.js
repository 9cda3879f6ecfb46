#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm run build` (scripts/build.ts);
// dist/undoc.cjs loads the bundle through V8's code cache.
import { createRequire } from 'node:module';

let launcher;
try {
  launcher = createRequire(import.meta.url)('../dist/undoc.cjs');
} catch (e) {
  if (e?.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes('undoc.cjs')) throw e;
  process.stderr.write('undoc: the CLI is not built yet; run `npm run build` first\n');
  process.exit(4);
}
process.exitCode = await launcher.main(process.argv.slice(2));
