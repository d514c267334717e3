// The probe progress line of the built CLI, under a real pseudo-terminal (python3's pty module): a slow HTTP
// probe against a server on 127.0.0.1 that accepts and never answers keeps the run going for 2 s, so the line
// shows after 1 s and is erased before the report. The same run with --format json, with standard output in a
// file, with -o, with --no-progress, under CI, and with standard error a pipe shows none of it. No root needed.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');

function python3Missing(): string | null {
  try {
    execFileSync('python3', ['-c', 'import pty, fcntl, termios, struct'], { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch {
    return 'python3 with the pty module is not available';
  }
}
const why = python3Missing();
if (why) console.log(`skipping progress line integration tests: ${why}`);

// argv: STDOUT_FILE ("-": the terminal) COMMAND... ; prints everything the terminal received, exits as the
// command did. The child sets the terminal to 120 columns itself, before it runs the command.
const PTY_PY = `
import fcntl, os, pty, struct, sys, termios
out, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 120, 0, 0))
    if out != '-':
        f = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(f, 1)
        os.close(f)
    os.execvp(cmd[0], cmd)
buf = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(buf)
sys.stdout.flush()
sys.exit(os.waitstatus_to_exitcode(status))
`;

interface Run {
  code: number;
  /** Under a terminal: everything the terminal showed (stdout and stderr together). */
  stdout: string;
  stderr: string;
}

// The environment of a person at a terminal: no CI, a TERM that moves the cursor, colour left alone.
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  delete e.CI;
  delete e.NO_COLOR;
  delete e.FORCE_COLOR;
  if (extra.CI !== undefined) e.CI = extra.CI;
  return e;
}

function spawn(file: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: env(extraEnv), timeout: 30_000, killSignal: 'SIGKILL', encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') return fail(err);
        done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

// The same, interrupting the command (SIGINT, as Ctrl-C does) once its progress line is on the terminal.
const PTY_INTERRUPT_PY = PTY_PY.replace(
  '    buf += chunk\n',
  "    buf += chunk\n    if b'probing' in buf and not sent:\n        sent = True\n        os.kill(pid, signal.SIGINT)\n",
)
  .replace('import fcntl,', 'import signal, fcntl,')
  .replace("buf = b''\n", "buf = b''\nsent = False\n");

/** The CLI with a pseudo-terminal as standard input, output and error (standard output to `stdoutFile` if given). */
const underPty = (args: string[], opts: { stdoutFile?: string; env?: Record<string, string> } = {}): Promise<Run> =>
  spawn('python3', ['-c', PTY_PY, opts.stdoutFile ?? '-', process.execPath, CLI, ...args], opts.env);

/** The CLI with pipes for standard output and error. */
const piped = (args: string[]): Promise<Run> => spawn(process.execPath, [CLI, ...args]);

describe.skipIf(why !== null)('the probe progress line on a terminal', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let port: number;
  let dir: string;
  let policyFile: string;
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    // Accepts every connection and never sends a byte: the TCP probe finds it open, the HTTP probe waits.
    server = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'pl-progress-'));
    policyFile = join(dir, 'slow.yaml');
    writeFileSync(
      policyFile,
      `apiVersion: plumbline/v1
kind: Policy
metadata:
  name: slow
checks:
  - { id: tcp.slow, title: t, severity: high, tcp: { host: 127.0.0.1, port: ${port} }, expect: { connect: open }, timeout: 2s }
  - { id: http.slow, title: t, severity: low, http: { url: "http://127.0.0.1:${port}/" }, expect: { status: 200 }, timeout: 2s }
`,
    );
    const p = ['-p', policyFile];
    const [tty, json, stdoutFile, output, noProgress, ci, pipe, factsFile, factsStdout] = await Promise.all([
      underPty(['audit', ...p]),
      underPty(['audit', ...p, '--format', 'json']),
      underPty(['audit', ...p], { stdoutFile: join(dir, 'report.txt') }),
      underPty(['audit', ...p, '--format', 'json', '-o', join(dir, 'report.json')]),
      underPty(['audit', ...p, '--no-progress']),
      underPty(['audit', ...p], { env: { CI: 'true' } }),
      piped(['audit', ...p]),
      underPty(['facts', ...p, '-o', join(dir, 'facts.json')]),
      underPty(['facts', ...p]),
    ]);
    Object.assign(runs, { tty, json, stdoutFile, output, noProgress, ci, pipe, factsFile, factsStdout });
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const line = () => `probing 1/2 · http GET http://127.0.0.1:${port}/`;

  it('audit: the line after a second, then erased before the report', () => {
    const out = runs.tty!.stdout;
    expect(runs.tty!.code, out).toBeLessThan(2);
    expect(out).toContain(`\r${line()}\x1b[K`);
    const erased = out.lastIndexOf('\r\x1b[2K');
    expect(erased).toBeGreaterThan(out.lastIndexOf(line()));
    // The report starts on the clean line: its first words come after the erase.
    expect(out.indexOf('http.slow', erased)).toBeGreaterThan(erased);
    expect(out.slice(0, out.indexOf(line()))).not.toContain('http.slow');
  });

  it('interrupted: the line is erased before the shell has the terminal back, and the exit says SIGINT', async () => {
    const r = await spawn('python3', ['-c', PTY_INTERRUPT_PY, '-', process.execPath, CLI, 'audit', '-p', policyFile]);
    expect(r.code, r.stdout).toBe(130);
    const drawn = r.stdout.lastIndexOf('probing');
    expect(drawn).toBeGreaterThanOrEqual(0);
    expect(r.stdout.indexOf('\r\x1b[2K', drawn)).toBeGreaterThan(drawn);
  });

  it('facts -o: the line on the terminal, none of it in the snapshot', () => {
    expect(runs.factsFile!.code, runs.factsFile!.stdout).toBe(0);
    expect(runs.factsFile!.stdout).toContain(`\r${line()}\x1b[K`);
    expect(runs.factsFile!.stdout).toContain('\r\x1b[2K');
    const facts = readFileSync(join(dir, 'facts.json'), 'utf8');
    expect(facts).not.toContain('probing');
    expect(JSON.parse(facts).probes[`http GET http://127.0.0.1:${port}/`]).toBeDefined();
  });

  it.each([
    ['audit --format json', 'json'],
    ['audit with standard output in a file', 'stdoutFile'],
    ['audit --format json -o FILE', 'output'],
    ['audit --no-progress', 'noProgress'],
    ['audit under CI=true', 'ci'],
    ['facts to standard output', 'factsStdout'],
  ])('%s: no progress at all', (_, name) => {
    const r = runs[name]!;
    expect(r.code, r.stdout).toBeLessThan(2);
    expect(r.stdout).not.toContain('probing');
    expect(r.stdout).not.toContain('\x1b[2K');
    expect(r.stdout).not.toContain('\x1b[K');
  });

  it('files get none of it', () => {
    for (const f of ['report.txt', 'report.json']) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text).toContain('http.slow');
      expect(text).not.toContain('probing');
    }
    expect(JSON.parse(runs.json!.stdout.slice(runs.json!.stdout.indexOf('{'))).results).toHaveLength(2);
  });

  it('standard error not a terminal: none of it', () => {
    expect(runs.pipe!.code, runs.pipe!.stderr).toBeLessThan(2);
    expect(runs.pipe!.stdout).toContain('http.slow');
    expect(runs.pipe!.stderr).not.toContain('probing');
    expect(runs.pipe!.stdout).not.toContain('probing');
  });
});
