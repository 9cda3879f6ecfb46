/**
 * Where `undoc serve` listens, shared by the server (src/cli/serve.ts, in the bundle) and the
 * client (src/serve-client.ts, dist/undoc-client.cjs, loaded by bin/undoc.js): a Unix-domain
 * socket in a folder private to this user — `$XDG_RUNTIME_DIR/undoc/` when set, else
 * `<tmpdir>/undoc-<uid>/` — named by a hash of the dist/ folder's real path, the bundle's size
 * and time, and the Node that runs it (`serverIdentity`, which the server also checks on each
 * command), so that two checkouts, two builds or two Nodes never share a server. Node's built-in modules only: the client loads this before anything else.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variables a command reads, sent by the client and set for its request. */
export const FORWARDED_ENV = /^(?:UNDOC_\w+|NO_COLOR|FORCE_COLOR)$/;

/** The bytes a Unix-domain socket's path may take (Linux: 108 with the terminating NUL). */
const MAX_SOCKET_PATH = 100;

/** This user's id; undefined where there is none (Windows: no server there). */
export function userId(): number | undefined {
  return process.platform === 'win32' ? undefined : process.getuid?.();
}

/** The private folder the sockets live in, for this environment and user. */
export function socketFolder(env: NodeJS.ProcessEnv, uid: number): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'undoc') : join(tmpdir(), `undoc-${uid}`);
}

/**
 * What a server is for: the dist/ folder's real path, the bundle's size and time, this Node. The
 * client sends it with each command and the server runs only its own (the socket's name, a hash
 * of it, only finds the server).
 */
export function serverIdentity(dist: string): string {
  const real = realpathSync(dist);
  const bundle = statSync(join(real, 'undoc-main.cjs'));
  return [real, bundle.size, bundle.mtimeMs, process.version, process.arch].join('\0');
}

/**
 * 64 bits of FNV-1a over UTF-16 code units, in two lanes, as hex: a name, not a secret
 * (node:crypto would cost every command 3 ms to load).
 */
function nameHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 13);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(a) + hex(b);
}

/** The socket of the server with `identity` in `folder`. */
export function socketPath(identity: string, folder: string): string {
  return join(folder, `${nameHash(identity)}.sock`);
}

/**
 * Why `folder` is not a safe place for the socket ('' when it is): it must be a folder (not a
 * link), owned by this user, and closed to the group and to others.
 */
export function folderProblem(folder: string, uid: number): string {
  const info = lstatSync(folder);
  if (!info.isDirectory()) return `${folder} is not a folder`;
  if (info.uid !== uid) return `${folder} is owned by user ${info.uid}, not by this user (${uid})`;
  if ((info.mode & 0o077) !== 0) {
    return `${folder} is open to other users (mode ${(info.mode & 0o777).toString(8)}, not 700)`;
  }
  return '';
}

/** Why `path` cannot be a socket's path ('' when it can). */
export function pathProblem(path: string): string {
  return Buffer.byteLength(path) > MAX_SOCKET_PATH
    ? `the socket's path is longer than ${MAX_SOCKET_PATH} bytes: ${path}`
    : '';
}

/** One line of the protocol: a JSON object, newline-terminated. */
export type Frame =
  /** client → server: the command. */
  | {
      readonly t: 'run';
      /** The client's `serverIdentity`. */
      readonly id: string;
      readonly argv: readonly string[];
      readonly cwd: string;
      readonly env: Readonly<Record<string, string>>;
      readonly isTTY: boolean;
      readonly columns?: number;
    }
  /**
   * client → server: after `queued`, the client will wait for the command (it has not given up
   * and run it itself): only now may the server run it.
   */
  | { readonly t: 'go' }
  /** client → server: a signal the client received (Ctrl-C). */
  | { readonly t: 'signal'; readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' }
  /** server → client: the request is taken (it may wait for the one before it). */
  | { readonly t: 'queued' }
  /** server → client: run the command locally (the server is stale, or cannot run it). */
  | { readonly t: 'local'; readonly why: string }
  /** server → client: text for stdout or stderr. */
  | { readonly t: 'out' | 'err'; readonly text: string }
  /** server → client: the command's exit code; the last frame. */
  | { readonly t: 'exit'; readonly code: number };

/**
 * Splits a stream's text into frames (the socket decodes UTF-8 itself: `setEncoding`, so that a
 * character split between two chunks stays whole); a line that is not JSON is dropped.
 */
export function frameReader(take: (frame: Frame) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
      let frame: Frame;
      try {
        frame = JSON.parse(line) as Frame;
      } catch {
        continue;
      }
      take(frame);
    }
  };
}

/** A frame as one line. */
export const frameLine = (frame: Frame): string => `${JSON.stringify(frame)}\n`;
