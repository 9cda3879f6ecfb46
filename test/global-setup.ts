/**
 * Compiles the package once for the whole suite. Every test file that runs the real `undoc`
 * command copies this output into a private package folder (test/private-cli.ts), instead of
 * running tsc itself.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding `tsc -p tsconfig.build.json` output for this run. */
    undocDist: string;
  }
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles src/ into a temporary folder and hands its path to the test files. */
export default function setup(project: TestProject): () => void {
  const dist = mkdtempSync(join(tmpdir(), 'undoc-test-dist-'));
  // Readable by any user: some hostile-input runs drop to another uid.
  chmodSync(dist, 0o755);
  try {
    execFileSync(
      join(ROOT, 'node_modules/.bin/tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', dist],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } catch (e) {
    // Type errors are `npm test`'s first step to report; they still emit JavaScript, and only a
    // missing CLI makes the command tests impossible.
    if (!existsSync(join(dist, 'cli.js'))) throw e;
    console.warn(`tsc reported errors while building the CLI for the tests:\n${String(e)}`);
  }
  project.provide('undocDist', dist);
  return () => rmSync(dist, { recursive: true, force: true });
}
