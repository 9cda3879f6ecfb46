/**
 * `undoc serve` (src/cli/serve.ts) and its client in bin/undoc.js (src/serve-client.ts), end to
 * end: a real server in a child process of the suite's built CLI, a private folder as
 * XDG_RUNTIME_DIR. A command through the server prints, exits and writes exactly as the same
 * command run locally (UNDOC_NO_SERVER=1): every output file, the manifest and the index compared
 * byte for byte, stderr equal, stdout equal but for its timings. A client that finds no usable
 * server — a folder open to others, a stale server, a killed one — runs the command itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERERS } from '../src/render/index.js';
import { FORMATS } from '../src/render/types.js';
import { type PrivateCli, privateCli, ROOT, type Run, stackLines } from './private-cli.js';

const AVAILABLE = FORMATS.filter((f) => RENDERERS[f] !== undefined);
const TMP = mkdtempSync(join(tmpdir(), 'undoc-serve-'));
/** The runtime folder the server and its clients share (as a session's XDG_RUNTIME_DIR). */
const XDG = join(TMP, 'run');
const SEED = readFileSync(join(ROOT, 'source/A-61-seed.yaml'), 'utf8');
const BAD = SEED.replace(/^docTitle:/m, 'docTitel:');

let cli: PrivateCli;
const servers: ChildProcess[] = [];

/** A running server, what it printed so far, and its end. */
interface Server {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly ended: Promise<number | null>;
}

/** Starts `undoc serve` (with UNDOC_DEBUG: it logs each command it runs) and waits for it. */
async function startServer(
  args: readonly string[] = [],
  place: Record<string, string> = { XDG_RUNTIME_DIR: XDG },
): Promise<Server> {
  const child = spawn(process.execPath, [cli.bin, 'serve', ...args], {
    cwd: TMP,
    env: { ...process.env, NODE_OPTIONS: '', ...place, UNDOC_DEBUG: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const ended = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const started = performance.now();
  let over = false;
  void ended.then(() => {
    over = true;
  });
  while (!out.includes('listening at') && !over && performance.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, stdout: () => out, stderr: () => err, ended };
}

/** The commands the server ran so far (its UNDOC_DEBUG log). */
const served = (server: Server) =>
  server
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('undoc serve: ')).length;

/** Runs the command in `cwd`, through the server unless `local`. */
function undoc(
  args: readonly string[],
  cwd: string,
  local = false,
  place: Record<string, string> = { XDG_RUNTIME_DIR: XDG },
): Promise<Run> {
  return cli.run(args, {
    cwd,
    timeout: 120_000,
    env: { ...place, ...(local ? { UNDOC_NO_SERVER: '1' } : {}) },
  });
}

/** A work folder with the seed, an invalid copy, and a plain file where a folder is expected. */
function workFolder(name: string): string {
  const dir = join(TMP, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src/A-61-seed.yaml'), SEED);
  writeFileSync(join(dir, 'src/bad.yaml'), BAD);
  copyFileSync(join(ROOT, 'test/fixtures/valid/features.yaml'), join(dir, 'features.yaml'));
  writeFileSync(join(dir, 'a-file'), 'not a folder\n');
  return dir;
}

/** Every file under `dir` (hidden ones too), by relative path. */
function files(dir: string): Map<string, Buffer> {
  const all = new Map<string, Buffer>();
  if (!existsSync(dir)) return all;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(dir, f);
    try {
      all.set(f, readFileSync(path));
    } catch {
      // A folder.
    }
  }
  return all;
}

/** Durations differ from run to run: "(924 ms)", "in 1.04 s". */
const untimed = (text: string) => text.replace(/\d+(?:\.\d+)? m?s\b/g, '#');

beforeAll(() => {
  // Templates copied: the staleness test changes one.
  cli = privateCli({ copyTemplates: true });
  mkdirSync(XDG, { mode: 0o700 });
  chmodSync(XDG, 0o700);
});

afterAll(() => {
  for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
  cli?.dispose();
  rmSync(TMP, { recursive: true, force: true });
});

describe.skipIf(AVAILABLE.length === 0 || process.platform === 'win32')('undoc serve', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(['--idle-timeout', '10m']);
  }, 90_000);
  afterAll(async () => {
    // Ended by the staleness test, unless it failed.
    server.child.kill('SIGKILL');
    await server.ended;
  });

  it('listens in a private folder: 0700, this user’s, the socket 0600', () => {
    expect(server.stdout()).toContain('listening at');
    const folder = join(XDG, 'undoc');
    expect(readdirSync(folder).filter((f) => f.endsWith('.sock'))).toHaveLength(1);
  });

  it('runs build, check and validate as a local run does: same exit code, stderr, stdout, files', async () => {
    const viaServer = workFolder('through-server');
    const here = workFolder('here');
    const cases: { args: string[]; code: number }[] = [
      // A good build, all formats.
      { args: ['build', 'src/A-61-seed.yaml', '--out', 'out'], code: 0 },
      // Up to date: nothing rendered.
      { args: ['build', 'src/A-61-seed.yaml', '--out', 'out'], code: 0 },
      // A bad source: exit 1, file:line:col and the offending line.
      { args: ['build', 'src/bad.yaml', '--out', 'bad-out'], code: 1 },
      // An I/O error: the output "folder" is a file.
      { args: ['build', 'src/A-61-seed.yaml', '--out', 'a-file'], code: 3 },
      // One format; a second document.
      { args: ['build', 'features.yaml', '--out', 'html', '--format', 'html'], code: 0 },
      { args: ['check', 'src/A-61-seed.yaml', '--out', 'out'], code: 0 },
      { args: ['check', 'features.yaml', '--out', 'out'], code: 5 },
      { args: ['validate', 'src'], code: 1 },
      // A usage error.
      { args: ['build', '--jobs', 'many'], code: 2 },
    ];
    for (const { args, code } of cases) {
      const before = served(server);
      const remote = await undoc(args, viaServer);
      expect(served(server), args.join(' ')).toBe(before + 1);
      const local = await undoc(args, here, true);
      expect(served(server), 'UNDOC_NO_SERVER=1 runs here').toBe(before + 1);
      expect([remote.code, local.code], args.join(' ')).toEqual([code, code]);
      expect(remote.stderr, args.join(' ')).toBe(local.stderr);
      expect(untimed(remote.stdout), args.join(' ')).toBe(untimed(local.stdout));
      expect(stackLines(remote.stderr)).toEqual([]);
    }
    expect((await undoc(['build', 'src/bad.yaml', '--out', 'bad-out'], viaServer)).stderr).toMatch(
      /^src\/bad\.yaml:\d+:\d+: /m,
    );
    for (const out of ['out', 'bad-out', 'html']) {
      const a = files(join(viaServer, out));
      const b = files(join(here, out));
      expect([...a.keys()], out).toEqual([...b.keys()]);
      for (const [name, bytes] of a)
        expect(bytes.equals(b.get(name) ?? Buffer.alloc(0)), name).toBe(true);
    }
    expect(files(join(viaServer, 'out')).has('.undoc-manifest.json')).toBe(true);
    expect(files(join(viaServer, 'out')).has('A-61-seed.pdf')).toBe(true);
  }, 600_000);

  it('a folder open to other users: the client runs the command itself', async () => {
    const dir = workFolder('open-folder');
    const folder = join(XDG, 'undoc');
    chmodSync(folder, 0o755);
    try {
      const before = served(server);
      const run = await undoc(['validate', 'src/A-61-seed.yaml'], dir);
      expect(run.code).toBe(0);
      expect(served(server)).toBe(before);
    } finally {
      chmodSync(folder, 0o700);
    }
    const before = served(server);
    expect((await undoc(['validate', 'src/A-61-seed.yaml'], dir)).code).toBe(0);
    expect(served(server)).toBe(before + 1);
  }, 120_000);

  it('refuses a second server for the same undoc, and a folder open to others', async () => {
    const second = await cli.run(['serve'], { cwd: TMP, env: { XDG_RUNTIME_DIR: XDG } });
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('already running');
    const help = await cli.run(['serve', '--help'], { cwd: TMP, env: { XDG_RUNTIME_DIR: XDG } });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('undoc serve [--idle-timeout 30m]');
    const bad = await cli.run(['serve', '--idle-timeout', 'soon'], { cwd: TMP });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--idle-timeout takes a time such as 90s, 30m or 2h');
    const open = join(TMP, 'open-run');
    mkdirSync(join(open, 'undoc'), { recursive: true });
    chmodSync(join(open, 'undoc'), 0o755);
    const refused = await cli.run(['serve'], { cwd: TMP, env: { XDG_RUNTIME_DIR: open } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/refusing to listen: .* is open to other users/);
    expect(readdirSync(join(open, 'undoc'))).toEqual([]);
  }, 120_000);

  it('stale: a template changed since it started, the command runs here and the server exits', async () => {
    const dir = workFolder('stale');
    const template = join(cli.pkg, 'templates/ny.yaml');
    const original = readFileSync(template);
    appendFileSync(template, '\n# changed\n');
    try {
      const before = served(server);
      const run = await undoc(['build', 'src/A-61-seed.yaml', '--out', 'out'], dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(existsSync(join(dir, 'out/A-61-seed.pdf'))).toBe(true);
      expect(await server.ended).toBe(0);
      // It did not run it.
      expect(served(server)).toBe(before);
      expect(server.stdout()).toMatch(/stopped \(its bundle, templates or fonts changed/);
      expect(readdirSync(join(XDG, 'undoc'))).toEqual([]);
    } finally {
      writeFileSync(template, original);
    }
  }, 300_000);
});

describe.skipIf(AVAILABLE.length === 0 || process.platform === 'win32')('undoc serve: ends', () => {
  it('stops after its idle timeout and removes its socket', async () => {
    const server = await startServer(['--idle-timeout', '2s']);
    expect(server.stdout()).toContain('listening at');
    expect(await server.ended).toBe(0);
    expect(server.stdout()).toContain('stopped (idle');
    expect(readdirSync(join(XDG, 'undoc'))).toEqual([]);
  }, 120_000);

  it('without XDG_RUNTIME_DIR: in <tmpdir>/undoc-<uid>, made mode 0700', async () => {
    const dir = workFolder('tmpdir-work');
    const tmp = join(TMP, 'tmpdir');
    mkdirSync(tmp);
    const place = { XDG_RUNTIME_DIR: '', TMPDIR: tmp };
    const server = await startServer([], place);
    expect(server.stdout()).toContain('listening at');
    const folder = join(tmp, `undoc-${process.getuid?.()}`);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readdirSync(folder).filter((f) => f.endsWith('.sock'))).toHaveLength(1);
    expect((await undoc(['validate', 'src/A-61-seed.yaml'], dir, false, place)).code).toBe(0);
    expect(served(server)).toBe(1);
    server.child.kill('SIGTERM');
    expect(await server.ended).toBe(0);
    expect(readdirSync(folder)).toEqual([]);
  }, 120_000);

  it('a killed server’s socket: the command runs here; a new server takes its place', async () => {
    const dir = workFolder('killed');
    const killed = await startServer();
    killed.child.kill('SIGKILL');
    await killed.ended;
    expect(readdirSync(join(XDG, 'undoc'))).toHaveLength(1);
    const run = await undoc(['validate', 'src/A-61-seed.yaml'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const next = await startServer();
    expect(next.stdout()).toContain('listening at');
    const before = served(next);
    expect((await undoc(['validate', 'src/A-61-seed.yaml'], dir)).code).toBe(0);
    expect(served(next)).toBe(before + 1);
    next.child.kill('SIGTERM');
    expect(await next.ended).toBe(0);
    expect(readdirSync(join(XDG, 'undoc'))).toEqual([]);
  }, 180_000);

  it('Ctrl-C in the client stops the build as locally: temporary files removed, exit 130', async () => {
    const dir = join(TMP, 'interrupt');
    mkdirSync(join(dir, 'many'), { recursive: true });
    for (let i = 1; i <= 120; i++) {
      writeFileSync(
        join(dir, `many/d${i}.yaml`),
        SEED.replace(/^docTitle:.*$/m, `docTitle: D${i}`),
      );
    }
    const server = await startServer();
    const child = spawn(
      process.execPath,
      [cli.bin, 'build', 'many', '--out', 'out', '--format', 'html', '--jobs', '1'],
      { cwd: dir, env: { ...process.env, NODE_OPTIONS: '', XDG_RUNTIME_DIR: XDG } },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    const ended = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const out = join(dir, 'out');
    const temps = () => (existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.tmp')) : []);
    const started = performance.now();
    while (temps().length === 0 && performance.now() - started < 100_000) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(temps().length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await ended).toBe(130);
    expect(stderr.endsWith('undoc: interrupted\n')).toBe(true);
    expect(served(server)).toBe(1);
    expect(temps()).toEqual([]);
    expect(readdirSync(out)).not.toContain('.undoc-lock');
    // The command's interrupt ends its process: the server, which removes its socket.
    await server.ended;
    expect(readdirSync(join(XDG, 'undoc'))).toEqual([]);
  }, 300_000);
});
