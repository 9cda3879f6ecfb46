/**
 * `undoc serve`: a resident render server, opt-in and in the foreground. It listens on a
 * Unix-domain socket in a folder private to this user (src/serve-socket.ts) and runs the `build`,
 * `check` and `validate` commands that bin/undoc.js sends it (src/serve-client.ts) with the same
 * `main` a local run uses, in the client's working folder and with its UNDOC_* variables, one at a
 * time, sending stdout, stderr and the exit code back. What a cold process pays at every command —
 * starting Node, loading the renderers, and above all V8 running their code for the first time —
 * it pays once: its main thread (and a batch's worker threads) stay warm between commands.
 *
 * Safety: the folder is created mode 0700 and refused unless it is this user's and closed to
 * others; the socket is this user's too. Before each command the server checks that its bundle,
 * templates and fonts are still the ones it loaded (the start-up snapshot's stamp,
 * src/snapshot-stamp.ts): if not, the client runs the command itself and the server exits.
 *
 * A signal the client receives (Ctrl-C) is passed on: a command that handles interrupts (`build`,
 * `check`) stops as it does locally — temporary files removed, "undoc: interrupted", exit 130 —
 * and, as that ends its process, the server exits with it (nothing else could stop the command's
 * writes). Ctrl-C in the server's own terminal, SIGTERM or the idle timeout stop the server.
 */
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { keepBackends } from '../build/backend.js';
import { EXIT, type ExitCode } from '../diagnostics.js';
import {
  FORWARDED_ENV,
  type Frame,
  folderProblem,
  frameLine,
  frameReader,
  pathProblem,
  serverIdentity,
  socketFolder,
  socketPath,
  userId,
} from '../serve-socket.js';
import { snapshotStamp } from '../snapshot-stamp.js';
import { USAGE } from './args.js';
import { keepEngine } from './fingerprint.js';
import { INTERRUPT_EXIT } from './interrupt.js';
import type { CliOutput } from './output.js';

/** The idle timeout when none is given: 30 minutes. */
export const DEFAULT_IDLE_MS = 30 * 60 * 1000;

/** `--idle-timeout` values: `90s`, `30m`, `2h`, a bare number of minutes; `0` never times out. */
export function parseIdleTimeout(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2] === 's' ? 1000 : m[2] === 'h' ? 3_600_000 : 60_000;
  return Math.round(Number(m[1]) * unit);
}

type Interrupt = keyof typeof INTERRUPT_EXIT;
const INTERRUPTS = Object.keys(INTERRUPT_EXIT) as Interrupt[];

/** A command a client sent, and where its answer goes. */
interface Request {
  readonly socket: Socket;
  run?: Extract<Frame, { t: 'run' }>;
  /** The client said `go`: the request is queued. */
  going?: boolean;
  closed: boolean;
}

const send = (req: Request, frame: Frame) => {
  if (!req.closed) req.socket.write(frameLine(frame));
};

/** Whether a server answers at `path` (a socket left by a killed server does not). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.on('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
}

/**
 * Runs the server for the undoc built in `dist` until it is stopped; `args` are the options after
 * `serve`. Resolves to the exit code.
 */
export async function serve(
  args: readonly string[],
  dist: string,
  output: CliOutput,
): Promise<ExitCode> {
  let idleMs = DEFAULT_IDLE_MS;
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { 'idle-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      output.out(USAGE);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new Error('`undoc serve` takes no paths');
    const given = values['idle-timeout'];
    if (given !== undefined) {
      const ms = parseIdleTimeout(given);
      if (ms === undefined) {
        throw new Error(`--idle-timeout takes a time such as 90s, 30m or 2h, not \`${given}\``);
      }
      idleMs = ms;
    }
  } catch (e) {
    output.err(`undoc: ${e instanceof Error ? e.message : String(e)}\n`);
    output.err('Run `undoc --help` for usage.\n');
    return EXIT.usage;
  }
  const uid = userId();
  if (uid === undefined) {
    output.err('undoc serve: needs Unix-domain sockets, which this system does not have\n');
    return EXIT.usage;
  }
  const folder = socketFolder(process.env, uid);
  let path: string;
  let identity: string;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const problem = folderProblem(folder, uid);
    if (problem) {
      output.err(`undoc serve: refusing to listen: ${problem}\n`);
      return EXIT.io;
    }
    identity = serverIdentity(dist);
    path = socketPath(identity, folder);
    const tooLong = pathProblem(path);
    if (tooLong) {
      output.err(`undoc serve: ${tooLong} (set XDG_RUNTIME_DIR to a shorter folder)\n`);
      return EXIT.io;
    }
  } catch (e) {
    output.err(`undoc serve: cannot use ${folder}: ${e instanceof Error ? e.message : e}\n`);
    return EXIT.io;
  }
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(path);
  } catch {
    existing = undefined;
  }
  if (existing) {
    if (!existing.isSocket()) {
      output.err(`undoc serve: refusing to listen: ${path} exists and is not a socket\n`);
      return EXIT.io;
    }
    if (await answers(path)) {
      output.err(`undoc serve: a server for this undoc is already running (${path})\n`);
      return EXIT.io;
    }
    // Left by a server that was killed.
    unlinkSync(path);
  }
  const stamp = snapshotStamp(dist);
  const stopBackends = keepBackends();
  keepEngine();
  const { main } = await import('./main.js');
  const home = process.cwd();

  const queue: Request[] = [];
  /** The server's own signal handlers (a command's are the others). */
  const ownHandlers = new Set<() => void>();
  let current: Request | undefined;
  let stopping = false;
  let finished: (code: ExitCode) => void = () => {};
  const ended = new Promise<ExitCode>((resolve) => {
    finished = resolve;
  });
  let socketIno: number | bigint | undefined;
  const removeSocket = () => {
    try {
      // Only our own socket: a server started after this one stopped listening has another.
      if (socketIno !== undefined && lstatSync(path).ino === socketIno) unlinkSync(path);
    } catch {
      // Gone already.
    }
    socketIno = undefined;
  };

  // The process ends while a command runs only when that command ends it (an interrupt): its
  // client still gets the exit code.
  const onExit = (code: number) => {
    if (current) send(current, { t: 'exit', code });
    removeSocket();
  };
  process.on('exit', onExit);

  let idle: NodeJS.Timeout | undefined;
  const rearm = () => {
    if (idle) clearTimeout(idle);
    idle = undefined;
    if (idleMs > 0 && !stopping) {
      idle = setTimeout(() => {
        if (!current && queue.length === 0) void stop(`idle for ${Math.round(idleMs / 1000)} s`);
      }, idleMs);
    }
  };

  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    const req: Request = { socket, closed: false };
    rearm();
    socket.on(
      'data',
      frameReader((frame) => {
        if (frame.t === 'run' && req.run === undefined) {
          req.run = frame;
          if (stopping) {
            send(req, { t: 'local', why: 'the server is stopping' });
            socket.end();
            return;
          }
          send(req, { t: 'queued' });
        } else if (frame.t === 'go' && req.run !== undefined && !req.going) {
          // The client waits for it (it did not give up and run it itself).
          req.going = true;
          queue.push(req);
          void pump();
        } else if (frame.t === 'signal') interrupt(req, frame.signal);
      }),
    );
    socket.on('error', () => {
      req.closed = true;
    });
    socket.on('close', () => {
      req.closed = true;
    });
  });

  /** A client's Ctrl-C: the command stops as it would locally. */
  const interrupt = (req: Request, signal: Interrupt) => {
    if (!INTERRUPTS.includes(signal)) return;
    if (req !== current) {
      // Not started: it never will.
      const i = queue.indexOf(req);
      if (i >= 0) queue.splice(i, 1);
      req.socket.end();
      return;
    }
    const handlers = process.listeners(signal).filter((l) => !ownHandlers.has(l as never));
    if (handlers.length > 0) {
      // The command's own (src/cli/interrupt.ts): it removes its temporary files and exits.
      for (const h of handlers) (h as (s: NodeJS.Signals) => void)(signal);
      return;
    }
    // A command that does not handle interrupts dies of them; so does its server.
    process.exit(INTERRUPT_EXIT[signal]);
  };

  const pump = async () => {
    if (current || stopping) return;
    const req = queue.shift();
    if (!req) return;
    current = req;
    try {
      await runRequest(req);
    } finally {
      current = undefined;
      req.socket.end();
      rearm();
    }
    if (!stopping) void pump();
  };

  const runRequest = async (req: Request) => {
    const run = req.run;
    if (!run || req.closed) return;
    let now: string;
    try {
      now = snapshotStamp(dist);
    } catch (e) {
      now = e instanceof Error ? e.message : String(e);
    }
    if (run.id !== identity) {
      send(req, { t: 'local', why: 'the server is for another undoc' });
      return;
    }
    if (now !== stamp) {
      send(req, {
        t: 'local',
        why: 'the server is stale (its bundle, templates or fonts changed)',
      });
      for (const q of queue.splice(0)) {
        send(q, { t: 'local', why: 'the server is stale' });
        q.socket.end();
      }
      void stop('its bundle, templates or fonts changed since it started');
      return;
    }
    try {
      process.chdir(run.cwd);
    } catch (e) {
      send(req, { t: 'local', why: `cannot enter ${run.cwd}: ${(e as Error).message}` });
      return;
    }
    // The server's own UNDOC_DEBUG (its environment is the client's only during the command).
    if (process.env.UNDOC_DEBUG) output.err(`undoc serve: ${run.argv.join(' ')} in ${run.cwd}\n`);
    const saved: Record<string, string | undefined> = {};
    for (const k of Object.keys(process.env)) {
      if (FORWARDED_ENV.test(k)) {
        saved[k] = process.env[k];
        delete process.env[k];
      }
    }
    for (const [k, v] of Object.entries(run.env)) {
      if (FORWARDED_ENV.test(k)) process.env[k] = v;
    }
    const out: CliOutput = {
      out: (text) => send(req, { t: 'out', text }),
      err: (text) => send(req, { t: 'err', text }),
      isTTY: run.isTTY,
      ...(run.columns !== undefined ? { columns: run.columns } : {}),
    };
    let code: ExitCode;
    try {
      code = await main(run.argv, out);
    } finally {
      for (const k of Object.keys(process.env)) {
        if (FORWARDED_ENV.test(k)) delete process.env[k];
      }
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
      process.chdir(home);
    }
    send(req, { t: 'exit', code });
  };

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    if (idle) clearTimeout(idle);
    server.close();
    removeSocket();
    for (const q of queue.splice(0)) {
      send(q, { t: 'local', why: 'the server stopped' });
      q.socket.end();
    }
    // A command under way finishes first.
    while (current) await new Promise((r) => setTimeout(r, 20));
    for (const s of INTERRUPTS) for (const h of ownHandlers) process.off(s, h);
    process.off('exit', onExit);
    await stopBackends();
    output.out(`undoc serve: stopped (${why})\n`);
    finished(EXIT.ok);
  };

  // Ctrl-C (or SIGTERM, SIGHUP) in the server's own terminal stops it; a second one at once.
  for (const signal of INTERRUPTS) {
    const handler = () => {
      if (stopping) process.exit(INTERRUPT_EXIT[signal]);
      void stop(signal);
    };
    ownHandlers.add(handler);
    process.on(signal, handler);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The folder already keeps others out; the socket does too.
    chmodSync(path, 0o600);
    socketIno = lstatSync(path).ino;
  } catch (e) {
    for (const s of INTERRUPTS) for (const h of ownHandlers) process.off(s, h);
    process.off('exit', onExit);
    await stopBackends();
    output.err(`undoc serve: cannot listen at ${path}: ${e instanceof Error ? e.message : e}\n`);
    return EXIT.io;
  }
  const every = idleMs > 0 ? `after ${Math.round(idleMs / 60_000)} min idle` : 'never when idle';
  output.out(
    `undoc serve: listening at ${path} for the undoc in ${dirname(dist)}\n` +
      `undoc serve: stops on Ctrl-C, or ${every}\n`,
  );
  rearm();
  return ended;
}
