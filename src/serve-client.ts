/**
 * The client of `undoc serve` (dist/undoc-client.cjs, built by scripts/build.ts and loaded by
 * bin/undoc.js for `build`, `check` and `validate`): when this undoc's server is listening, the
 * command runs there — argv, the working folder, the UNDOC_* variables and whether stdout is a
 * terminal are sent; stdout, stderr and the exit code come back — and the process prints and
 * exits as a local run would. Anything short of a server that takes the command (no socket, a
 * folder or socket not this user's, refused, stale, silent) resolves to `undefined`, and the
 * launcher runs the command here as it always did; `UNDOC_DEBUG=1` says why.
 *
 * Node's built-in modules only, and node:net only once a socket is found: a run with no server
 * pays a stat and a hash.
 */
import { lstatSync } from 'node:fs';
import type { Socket } from 'node:net';
import {
  FORWARDED_ENV,
  type Frame,
  folderProblem,
  frameLine,
  frameReader,
  serverIdentity,
  socketPath,
  userId,
} from './serve-socket.js';

/** How long a server may take to say it has the command before the client runs it itself. */
const ANSWER_MS = 2000;

/** Exit codes of an interrupted command, by signal (as src/cli/interrupt.ts). */
const INTERRUPTED = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

type Interrupt = keyof typeof INTERRUPTED;

const debug = (line: string) => {
  if (process.env.UNDOC_DEBUG) process.stderr.write(`undoc: ${line}\n`);
};

/** The socket to use, or undefined (and why, under UNDOC_DEBUG). */
function findSocket(id: string, folder: string, uid: number): string | undefined {
  let path: string;
  try {
    path = socketPath(id, folder);
    const info = lstatSync(path);
    const problem =
      folderProblem(folder, uid) ||
      (!info.isSocket() ? `${path} is not a socket` : '') ||
      (info.uid !== uid ? `${path} is not this user's` : '');
    if (problem) {
      debug(`not using the server: ${problem}`);
      return undefined;
    }
  } catch (e) {
    // No socket: no server was started, the usual case, which says nothing even under debug.
    if ((e as { code?: string }).code !== 'ENOENT') {
      debug(`no server (${e instanceof Error ? e.message : String(e)}); running here`);
    }
    return undefined;
  }
  return path;
}

/**
 * Runs `argv` through the server of the undoc built in `dist`, whose sockets are in `folder`
 * (bin/undoc.js has checked that it exists: `socketFolder`); resolves to its exit code, or to
 * undefined when the command is to run here.
 */
export function viaServer(
  argv: readonly string[],
  dist: string,
  folder: string,
): Promise<number | undefined> {
  const uid = userId();
  if (uid === undefined) return Promise.resolve(undefined);
  let id: string;
  try {
    id = serverIdentity(dist);
  } catch {
    return Promise.resolve(undefined);
  }
  const path = findSocket(id, folder, uid);
  if (path === undefined) return Promise.resolve(undefined);
  const { connect } = require('node:net') as typeof import('node:net');
  return new Promise((resolve) => {
    const socket: Socket = connect(path);
    socket.setEncoding('utf8');
    let taken = false;
    let printed = false;
    let interrupt: Interrupt | undefined;
    let done = false;
    const handlers = new Map<Interrupt, () => void>();
    const finish = (code: number | undefined, why?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const [signal, handler] of handlers) process.off(signal, handler);
      socket.destroy();
      if (code === undefined) debug(`not through the server: ${why}; running here`);
      resolve(code);
    };
    const timer = setTimeout(() => finish(undefined, `no answer in ${ANSWER_MS} ms`), ANSWER_MS);
    socket.on('connect', () => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) {
        if (FORWARDED_ENV.test(k) && v !== undefined) env[k] = v;
      }
      const run: Frame = {
        t: 'run',
        id,
        argv,
        cwd: process.cwd(),
        env,
        isTTY: process.stdout.isTTY === true,
        ...(process.stdout.columns !== undefined ? { columns: process.stdout.columns } : {}),
      };
      socket.write(frameLine(run));
    });
    socket.on(
      'data',
      frameReader((frame) => {
        if (done) return;
        switch (frame.t) {
          case 'queued':
            taken = true;
            clearTimeout(timer);
            // Committed: the server runs the command only after this, so a client that gave up
            // (and runs it itself) never has it run twice.
            socket.write(frameLine({ t: 'go' }));
            // From here a signal is the command's: the server stops it as a local run stops.
            for (const signal of Object.keys(INTERRUPTED) as Interrupt[]) {
              const handler = () => {
                interrupt ??= signal;
                socket.write(frameLine({ t: 'signal', signal }));
              };
              handlers.set(signal, handler);
              process.on(signal, handler);
            }
            break;
          case 'local':
            if (!printed) finish(undefined, frame.why);
            break;
          case 'out':
            printed = true;
            process.stdout.write(frame.text);
            break;
          case 'err':
            printed = true;
            process.stderr.write(frame.text);
            break;
          case 'exit':
            finish(frame.code);
            break;
        }
      }),
    );
    const gone = (why: string) => {
      if (done) return;
      // Interrupted: the command stopped as a local one would have.
      if (interrupt) finish(INTERRUPTED[interrupt]);
      // Nothing was printed yet: the command can still run here, once.
      else if (!printed) finish(undefined, why);
      else {
        process.stderr.write(`undoc: the server stopped during the command (${why})\n`);
        finish(4);
      }
    };
    socket.on('error', (e) => gone(e.message));
    socket.on('close', () => gone(taken ? 'the server closed the connection' : 'refused'));
  });
}
