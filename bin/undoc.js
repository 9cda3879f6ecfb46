#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`).
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist')) throw e;
  process.stderr.write('undoc: the CLI is not built yet; run `npm run build` first\n');
  process.exit(4);
}
process.exitCode = await cli.main(process.argv.slice(2));
