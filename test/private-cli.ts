/**
 * The real `undoc` command for the tests that spawn it: the suite's one build (test/global-setup.ts
 * runs `npm run build`'s script: the bundle and its code cache) copied into a private package
 * folder, so that a concurrent `npm run build` cannot interfere, run as `node bin/undoc.js …` with a deadline, so that a hang
 * fails the test instead of stalling it.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What one run of the command did. */
export interface Run {
  /** Exit code; null when a signal (or the deadline) ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the deadline killed it: a hang. */
  readonly timedOut: boolean;
  /** Wall time in ms. */
  readonly ms: number;
}

/** Options of one run. */
export interface RunOptions {
  readonly cwd: string;
  /** Deadline in ms (default 30 000). */
  readonly timeout?: number;
  /** Run as this user id (root only), e.g. to make chmod 000 mean something. */
  readonly uid?: number;
  readonly gid?: number;
  /** Variables added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A built package in a private folder. */
export interface PrivateCli {
  /** The package folder (holds bin/, dist/ and links to schema/, templates/, node_modules/). */
  readonly pkg: string;
  /** The launcher, `<pkg>/bin/undoc.js`. */
  readonly bin: string;
  /** Runs `node bin/undoc.js …args`. */
  readonly run: (args: readonly string[], options: RunOptions) => Promise<Run>;
  /** Removes the package folder. */
  readonly dispose: () => void;
}

/**
 * A private package folder holding the suite's built CLI, with links to the repository's
 * schema, node_modules and (unless `copyTemplates`, for a build that must see one version of its
 * inputs) templates.
 */
export function privateCli(options: { readonly copyTemplates?: boolean } = {}): PrivateCli {
  const pkg = mkdtempSync(join(tmpdir(), 'undoc-cli-pkg-'));
  // Readable by any user, for the runs under another uid.
  chmodSync(pkg, 0o755);
  // Copied, not linked: Node resolves a module's imports from its real path, which must be here.
  // Without the start-up snapshot: its heap holds paths of the build's own folder, so a copy
  // would only ever fall back to dist/undoc.cjs (test/bundle.test.ts runs the snapshot itself).
  cpSync(inject('undocDist'), join(pkg, 'dist'), {
    recursive: true,
    filter: (f) => !/undoc\.blob(\.json)?$/.test(f),
  });
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(join(ROOT, 'bin/undoc.js'), join(pkg, 'bin/undoc.js'));
  for (const entry of ['package.json', 'package-lock.json', 'schema', 'node_modules']) {
    symlinkSync(join(ROOT, entry), join(pkg, entry));
  }
  if (options.copyTemplates)
    cpSync(join(ROOT, 'templates'), join(pkg, 'templates'), { recursive: true });
  else symlinkSync(join(ROOT, 'templates'), join(pkg, 'templates'));
  const bin = join(pkg, 'bin/undoc.js');
  return {
    pkg,
    bin,
    run: (args, options) => runNode([bin, ...args], options),
    dispose: () => rmSync(pkg, { recursive: true, force: true }),
  };
}

/** Runs `node …args` to its end or its deadline, collecting the output. */
export function runNode(args: readonly string[], options: RunOptions): Promise<Run> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
      // As users run it: V8 options in NODE_OPTIONS (a CI may set some) make Node refuse the
      // build's code cache and snapshot, which the tests expect to be used.
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeout ?? 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
}

/** Lines of a stack trace ("    at f (file:1:2)"), which bad input must never print. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at\s/.test(l));
}
