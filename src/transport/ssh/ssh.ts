// The SSH transport, on the system OpenSSH client so that the user's ~/.ssh/config, agent, ProxyJump and
// known_hosts apply as they do for every other ssh of theirs. One master connection per host (ControlMaster, in
// a private directory): the first batch opens it and every later batch and tunnel rides on it, so a host costs
// one TCP connection and one authentication. Each batch is one run of a fixed remote program (remote.sh) with
// the batch as hex arguments; listeners of the host are reached through the master (`ssh -W`).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ResultPromise } from 'execa';
import { Duplex } from 'node:stream';
import type { HostFault } from '../../lib/host-fault.js';
import type { RawAnswer, RawFailure, RawMaterial, RawRequest, Transport } from '../types.js';
import { requestKey } from '../types.js';
import { classify, lastWords } from './faults.js';
import { FrameReader } from './frames.js';
import { answerFiles, encodeBatch, Fetched, program } from './program.js';

export interface SshTarget {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** Extra ssh options as arguments (an inventory's ansible_ssh_common_args, already split). */
  commonArgs?: readonly string[];
  /** Run the remote program through `sudo -n` (as `becomeUser`, root by default). */
  become?: boolean;
  becomeUser?: string;
}

export interface SshOptions {
  /** A private directory (mode 0700) for the control sockets. */
  controlDir: string;
  /** `ssh -F FILE`: a configuration file instead of ~/.ssh/config. */
  configFile?: string;
  /** StrictHostKeyChecking=accept-new instead of yes. */
  acceptNewHostKeys?: boolean;
  connectTimeoutMs: number;
  /** How long the master lingers without clients if plumbline dies without closing it. */
  persistSeconds: number;
  /** The ssh client to run (default `ssh` from PATH). */
  program?: string;
}

// Host names and users are passed as arguments, never through a shell; but ssh itself expands %h and %r into
// ProxyCommand, LocalCommand and Match exec, which a shell runs. Names outside these letters are refused.
const SAFE_HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?|\[?[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?\]?)$/;
const SAFE_USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * A tunnel's two pipes as one stream that behaves as a socket does: the far end closing is the end of the data,
 * not an error, and writes after the process ended are dropped as a closed socket's would fail quietly.
 */
class ProcessStream extends Duplex {
  constructor(private readonly child: Child) {
    super();
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout!.pause();
    });
    child.stdout!.once('end', () => this.push(null));
    child.stdin!.on('error', () => {});
  }

  override _read(): void {
    this.child.stdout!.resume();
  }

  override _write(chunk: Buffer, enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.child.stdin!.writable) this.child.stdin!.write(chunk, enc, () => done());
    else done();
  }

  override _final(done: () => void): void {
    this.child.stdin!.end();
    done();
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.child.kill();
    done(err);
  }
}

/** Why this target cannot be handed to ssh, if it cannot. */
function unsafeTarget(t: SshTarget): string | undefined {
  if (!SAFE_HOST.test(t.host)) return `the host name ${JSON.stringify(t.host)} has characters ssh could hand to a shell`;
  if (t.user !== undefined && !SAFE_USER.test(t.user)) return `the user name ${JSON.stringify(t.user)} has characters ssh could hand to a shell`;
  if (t.becomeUser !== undefined && !SAFE_USER.test(t.becomeUser)) return `the become user ${JSON.stringify(t.becomeUser)} is not a plain user name`;
  if (t.port !== undefined && !(Number.isInteger(t.port) && t.port > 0 && t.port < 65536)) return `the port ${t.port} is not a TCP port`;
  return undefined;
}

type Child = ResultPromise;

const textOf = (v: unknown): string =>
  v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : typeof v === 'string' ? v : '';

export class SshTransport implements Transport {
  readonly name: string;
  /** Set when reaching the host failed; the batch's unanswered requests carry it too. */
  fault: HostFault | undefined;
  /** The first batch began: a master connection may exist (ControlPersist keeps it whatever the command did). */
  private attempted = false;
  /** The remote program ran once: later batches ride on the master. */
  private opened = false;
  private readonly children = new Set<Child>();

  constructor(
    private readonly target: SshTarget,
    private readonly options: SshOptions,
  ) {
    this.name = `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
  }

  /** ssh's options common to every call: the master's socket, strict keys, no prompts. */
  private baseArgs(): string[] {
    const o = this.options;
    const t = this.target;
    return [
      ...(o.configFile ? ['-F', o.configFile] : []),
      '-o',
      'BatchMode=yes',
      '-o',
      `StrictHostKeyChecking=${o.acceptNewHostKeys ? 'accept-new' : 'yes'}`,
      '-o',
      `ConnectTimeout=${Math.max(1, Math.ceil(o.connectTimeoutMs / 1000))}`,
      '-o',
      'ServerAliveInterval=5',
      '-o',
      'ServerAliveCountMax=3',
      '-o',
      `ControlPath=${o.controlDir}/%C`,
      ...(t.port ? ['-p', String(t.port)] : []),
      ...(t.user ? ['-l', t.user] : []),
      ...(t.identityFile ? ['-i', t.identityFile] : []),
      ...(t.commonArgs ?? []),
    ];
  }

  // Wrapped: a subprocess is itself a promise of its result, which an async function would wait for.
  private async spawn(args: string[], input?: string | 'pipe', timeoutMs?: number): Promise<{ child: Child }> {
    const { execa } = await import('execa');
    const child = execa(this.options.program ?? 'ssh', args, {
      reject: false,
      stripFinalNewline: false,
      ...(input === undefined ? { stdin: 'ignore' as const } : input === 'pipe' ? { stdin: 'pipe' as const } : { input }),
      buffer: { stdout: false, stderr: true },
      encoding: 'buffer',
      forceKillAfterDelay: 1000,
      ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
      env: { LC_ALL: 'C' },
    });
    this.children.add(child);
    void child.finally(() => this.children.delete(child)).catch(() => {});
    return { child };
  }

  async gather(batch: readonly RawRequest[], onAnswer?: (key: string, answer: RawAnswer) => void): Promise<RawMaterial> {
    const material: RawMaterial = {};
    const settle = (key: string, a: RawAnswer): void => {
      material[key] = a;
      onAnswer?.(key, a);
    };
    const unsafe = unsafeTarget(this.target);
    if (unsafe) this.fault ??= { class: 'unreachable', detail: unsafe };
    if (this.fault && this.fault.class !== 'partial') {
      const f: RawFailure = { error: 'EHOSTUNREACH', message: `${this.name}: ${this.fault.class}: ${this.fault.detail}` };
      for (const r of batch) settle(requestKey(r), f);
      return material;
    }
    const nonce = `plumbline-${randomBytes(12).toString('hex')}`;
    const encoded = encodeBatch(batch, nonce);
    for (const [key, f] of encoded.refused) settle(key, f);
    const fetched = new Fetched(encoded);
    const files = batch.filter((r) => r.op !== 'run');
    let filesDone = false;
    const answerFilesOnce = async (missing: RawFailure | undefined): Promise<void> => {
      if (filesDone) return;
      filesDone = true;
      await answerFiles(files, fetched, missing, settle);
    };
    const pending: Promise<void>[] = [];
    const reader = new FrameReader(nonce, (f) => {
      // The program writes every file, listing and link before any program's output.
      if (!filesDone && (f.tag === 'O' || f.tag === 'E' || (f.tag === 'H' && encoded.runs.has(f.path)))) pending.push(answerFilesOnce(undefined));
      const ran = fetched.take(f);
      if (ran !== undefined) {
        const run = encoded.runs.get(ran)!;
        settle(requestKey(run), fetched.runAnswer(ran)!);
      }
    });
    const become = this.target.become ? ['sudo', '-n', ...(this.target.becomeUser ? ['-u', this.target.becomeUser] : []), '--'] : [];
    const master = this.opened ? ['-o', 'ControlMaster=no'] : ['-o', 'ControlMaster=auto', '-o', `ControlPersist=${this.options.persistSeconds}`];
    this.attempted = true;
    const { child } = await this.spawn([...this.baseArgs(), ...master, '-T', '--', this.target.host, ...become, 'sh', '-s', '--', ...encoded.args], program);
    child.stdout?.on('data', (chunk: Buffer) => reader.push(chunk));
    const result = await child;
    await Promise.all(pending);
    const stderr = textOf(result.stderr);
    if (reader.began) this.opened = true;
    let missing: RawFailure | undefined;
    if (!reader.complete) {
      if (!reader.began)
        this.fault =
          result.isCanceled || result.isTerminated ? { class: 'timeout', detail: "no answer before the host's deadline" } : classify(stderr, result.exitCode);
      else
        this.fault = {
          class: 'partial',
          detail:
            reader.broken ??
            (result.isTerminated
              ? "the host's deadline came in the middle of its answer"
              : lastWords(stderr) || 'the connection ended in the middle of the answer'),
        };
      missing = { error: 'EPIPE', message: `${this.name}: ${this.fault.class}: ${this.fault.detail}` };
    }
    await answerFilesOnce(missing);
    for (const run of encoded.runs.values()) {
      const key = requestKey(run);
      if (material[key] === undefined) settle(key, missing ?? { error: 'EIO', message: `${run.argv[0]}: the remote program gave no answer` });
    }
    return material;
  }

  async connect(host: string, port: number, timeoutMs: number): Promise<Duplex> {
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const { child } = await this.spawn([...this.baseArgs(), '-o', 'ControlMaster=no', '-W', target, '--', this.target.host], 'pipe');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(Object.assign(new Error(`connect ${target} through ${this.name}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      child.once('spawn', () => {
        clearTimeout(timer);
        const stream = new ProcessStream(child);
        void child.then((r) => {
          if (r.exitCode !== 0 && r.exitCode !== undefined) {
            const words = textOf(r.stderr);
            const code = /refused/i.test(words) ? 'ECONNREFUSED' : 'ECONNRESET';
            stream.destroy(Object.assign(new Error(`${target} through ${this.name}: ${lastWords(words)}`), { code }));
          }
        });
        resolve(stream);
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Stop everything running for this host (its deadline came). */
  abort(): void {
    for (const c of this.children) c.kill('SIGTERM');
  }

  /** Close the master connection (and with it every tunnel). */
  async close(): Promise<void> {
    this.abort();
    if (!this.attempted) return;
    const { child } = await this.spawn([...this.baseArgs(), '-O', 'exit', '--', this.target.host], undefined, 5000);
    await child;
  }

  /** The same, synchronously, for a process about to exit on a signal. */
  closeNow(): void {
    if (!this.attempted) return;
    // Synchronous: the process is exiting, and nothing asynchronous would run.
    spawnSync(this.options.program ?? 'ssh', [...this.baseArgs(), '-O', 'exit', '--', this.target.host], { stdio: 'ignore', timeout: 2000 });
  }
}
