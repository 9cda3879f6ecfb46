/**
 * Builds the package once for the whole suite, with `npm run build`'s own script
 * (scripts/build.ts: tsc, the esbuild bundle and its V8 code cache), so that the tests run exactly
 * what users run. Every test file that runs the real `undoc` command copies this output into a
 * private package folder (test/private-cli.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding `npm run build`'s output (scripts/build.ts) for this run. */
    undocDist: string;
  }
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds into a package folder of its own and hands its dist/ path to the test files. */
export default function setup(project: TestProject): () => void {
  // The build's warm-up run needs a package around dist/: templates, schema, node_modules.
  const pkg = mkdtempSync(join(tmpdir(), 'undoc-test-build-'));
  // Readable by any user: some hostile-input runs drop to another uid.
  chmodSync(pkg, 0o755);
  for (const entry of [
    'package.json',
    'package-lock.json',
    'schema',
    'templates',
    'node_modules',
  ]) {
    symlinkSync(join(ROOT, entry), join(pkg, entry));
  }
  const dist = join(pkg, 'dist');
  mkdirSync(dist, { mode: 0o755 });
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/build.ts', '--outdir', dist], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (e) {
    // Type errors are `npm test`'s first step to report; the build still writes the bundle, and
    // only a missing command makes the command tests impossible.
    if (!existsSync(join(dist, 'undoc-main.cjs')) || !existsSync(join(dist, 'undoc.cjs'))) throw e;
    console.warn(`the build reported errors while building the CLI for the tests:\n${String(e)}`);
  }
  project.provide('undocDist', dist);
  return () => rmSync(pkg, { recursive: true, force: true });
}
