#!/usr/bin/env node
// Thin launcher. `npm run build` (scripts/build.ts) puts the CLI in dist/: one bundle that
// dist/undoc.cjs loads through V8's code cache, and a start-up snapshot (dist/undoc.blob) whose
// heap already holds the parsed templates, fonts and PDF font tables. `build` and `check` run in
// a Node started from that snapshot (src/snapshot.ts); every other command, and any run where the
// snapshot was written by another Node or is missing, goes through dist/undoc.cjs in this process.
// When the user has started `undoc serve`, `build`, `check` and `validate` run in that server
// instead (dist/undoc-client.cjs), and here only if it does not take them.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const argv = process.argv.slice(2);

/** The formats asked for with --format/-f, lower-cased; undefined when all. */
function formatsAsked() {
  const i = argv.findIndex((a) => /^(--format|-f)(=|$)/.test(a));
  const option = argv[i];
  if (option === undefined) return undefined;
  const value = option.includes('=') ? option.slice(option.indexOf('=') + 1) : argv[i + 1];
  return String(value).toLowerCase();
}

/**
 * The arguments that start the snapshot's Node (its V8 options, then the snapshot) when it
 * applies to this command and this Node, else undefined. Its heap is warm for the PDF: a command
 * that renders no PDF is quicker without the second process.
 */
function snapshot() {
  if (process.env.UNDOC_NO_SNAPSHOT || (argv[0] !== 'build' && argv[0] !== 'check')) return;
  if (formatsAsked()?.includes('pdf') === false) return;
  // A Node started with other V8 flags (--max-old-space-size…, here or in NODE_OPTIONS) refuses
  // the snapshot and exits: only a plain `node` uses it.
  if (process.execArgv.length > 0 || process.env.NODE_OPTIONS) return;
  try {
    const made = JSON.parse(readFileSync(`${DIST}undoc.blob.json`, 'utf8'));
    const same = made.node === process.version && made.v8 === process.versions.v8;
    // Its heap holds the folder it was built in: a copied or moved package would only start it
    // to find that out (src/snapshot.ts) and fall back.
    const here = made.dist === realpathSync(DIST);
    const flags = Array.isArray(made.flags) ? made.flags.map(String) : [];
    const blob = `${DIST}undoc.blob`;
    return same && here && made.arch === process.arch
      ? [...flags, '--snapshot-blob', blob]
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the command in this process, through dist/undoc.cjs and its code cache. */
async function fromLauncher() {
  let launcher;
  try {
    launcher = createRequire(import.meta.url)('../dist/undoc.cjs');
  } catch (e) {
    const { code, message } = /** @type {{ code?: string, message?: string }} */ (e ?? {});
    if (code !== 'MODULE_NOT_FOUND' || !String(message).includes('undoc.cjs')) throw e;
    process.stderr.write('undoc: the CLI is not built yet; run `npm run build` first\n');
    process.exit(4);
  }
  process.exitCode = await launcher.main(argv);
}

/** Node's exit code when it cannot load a start-up snapshot (none of undoc's own codes). */
const SNAPSHOT_REFUSED = 14;

let ranHere = false;

/** Runs the command in this process after all (the snapshot's process did not run it). */
function runHere() {
  if (ranHere) return;
  ranHere = true;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(s);
  fromLauncher().catch((e) => {
    process.stderr.write(`undoc: cannot start: ${e?.message ?? e}\n`);
    process.exitCode = 4;
  });
}

/**
 * The command's exit code from `undoc serve` when one is running for this undoc (opt-in: only a
 * server the user started; src/serve-client.ts), else undefined: the command runs here.
 */
async function fromServer() {
  if (process.env.UNDOC_NO_SERVER || !['build', 'check', 'validate'].includes(argv[0] ?? '')) {
    return undefined;
  }
  // The sockets' folder (src/serve-socket.ts `socketFolder`, here for speed): none, no server
  // was ever started, and nothing more is loaded.
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const runtime = process.env.XDG_RUNTIME_DIR;
  const folder = runtime ? join(runtime, 'undoc') : join(tmpdir(), `undoc-${uid}`);
  if (!existsSync(folder)) return undefined;
  try {
    /** @type {typeof import('../src/serve-client.js')} */
    const client = createRequire(import.meta.url)('../dist/undoc-client.cjs');
    return await client.viaServer(argv, DIST, folder);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (process.env.UNDOC_DEBUG) process.stderr.write(`undoc: no server: ${why}\n`);
    return undefined;
  }
}

const served = await fromServer();
const fromSnapshot = served === undefined ? snapshot() : undefined;
if (served !== undefined) process.exitCode = served;
else if (fromSnapshot) {
  const child = spawn(process.execPath, [...fromSnapshot, DIST, ...argv], {
    stdio: 'inherit',
  });
  // A signal sent to this process is meant for the command.
  /** @type {NodeJS.Signals[]} */
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, () => child.kill(signal));
  // The second Node could not start at all: run the command here instead.
  child.on('error', () => runHere());
  child.on('exit', (code, signal) => {
    // After a failed start Node may or may not report an exit too.
    if (ranHere) return;
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else if (code === SNAPSHOT_REFUSED) {
      // Refused before it ran anything (Node said why): run the command here instead.
      runHere();
    } else process.exitCode = code ?? 4;
  });
} else await fromLauncher();
