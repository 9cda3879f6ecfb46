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
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
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

/** Options of a private package folder. */
export interface PrivateCliOptions {
  /** Templates copied, not linked: for a build that must see one version of its inputs. */
  readonly copyTemplates?: boolean;
  /**
   * Nothing linked to the checkout: package files copied, and node_modules holding only the
   * packages the bundle loads at run time, so that another user can run the command wherever the
   * checkout is (a checkout under a private, mode-700 folder is unreachable for `nobody`).
   */
  readonly standalone?: boolean;
}

/**
 * The packages the command reads at run time, by name: the bundle's externals (required or
 * resolved by name: pdfkit's sRGB profile) and the font packages the templates name.
 */
function runtimePackages(dist: string): string[] {
  const text = readFileSync(join(dist, 'undoc-main.cjs'), 'utf8');
  const names = new Set<string>();
  for (const name of readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.yaml'))) {
    const yaml = readFileSync(join(ROOT, 'templates', name), 'utf8');
    for (const m of yaml.matchAll(/^\s*package:\s*'?([^'\s]+)'?\s*$/gm)) {
      if (m[1]) names.add(m[1]);
    }
  }
  for (const m of text.matchAll(/\b(?:require|resolve)\("([^"./][^"]*)"\)/g)) {
    const id = m[1] ?? '';
    if (isBuiltin(id)) continue;
    const parts = id.split('/');
    names.add(id.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? id));
  }
  return [...names];
}

/** Copies `names` and what they depend on from the checkout's node_modules into `into`. */
function copyPackages(names: readonly string[], into: string): void {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const from = join(ROOT, 'node_modules', name);
    // An optional dependency for another platform is not installed.
    if (!existsSync(from)) return;
    cpSync(from, join(into, name), { recursive: true, dereference: true });
    const meta = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies }))
      visit(dep);
  };
  for (const name of names) visit(name);
}

/**
 * A private package folder holding the suite's built CLI, with links to the repository's
 * schema, node_modules and templates (see `PrivateCliOptions` for copies instead).
 */
export function privateCli(options: PrivateCliOptions = {}): PrivateCli {
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
  const standalone = options.standalone === true;
  for (const entry of ['package.json', 'package-lock.json', 'schema']) {
    if (standalone) cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true });
    else symlinkSync(join(ROOT, entry), join(pkg, entry));
  }
  if (standalone) {
    mkdirSync(join(pkg, 'node_modules'));
    copyPackages(runtimePackages(join(pkg, 'dist')), join(pkg, 'node_modules'));
  } else symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  if (options.copyTemplates || standalone)
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
