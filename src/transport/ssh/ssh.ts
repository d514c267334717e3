// The SSH transport, on the system OpenSSH client so that the user's ~/.ssh/config, agent, ProxyJump and
// known_hosts apply as they do for every other ssh of theirs. One master connection per host (ControlMaster, in
// a private directory): the first batch opens it and every later batch and tunnel rides on it, so a host costs
// one TCP connection and one authentication. Each batch is one run of a fixed remote program (remote.sh) with
// the batch as hex arguments; listeners of the host are reached through the master (`ssh -W`).
import { existsSync, watch } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ResultPromise } from 'execa';
import type { Duplex } from 'node:stream';
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
  /** The ssh client to run (default `ssh` from PATH). */
  program?: string;
}

// Host names and users are passed as arguments, never through a shell; but ssh itself expands %h and %r into
// ProxyCommand, LocalCommand and Match exec, which a shell runs. Names outside these letters are refused.
const SAFE_HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?|\[?[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?\]?)$/;
const SAFE_USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Why this target cannot be handed to ssh, if it cannot. */
export function unsafeTarget(t: SshTarget): string | undefined {
  if (!SAFE_HOST.test(t.host)) return `the host name ${JSON.stringify(t.host)} has characters ssh could hand to a shell`;
  if (t.user !== undefined && !SAFE_USER.test(t.user)) return `the user name ${JSON.stringify(t.user)} has characters ssh could hand to a shell`;
  if (t.becomeUser !== undefined && !SAFE_USER.test(t.becomeUser)) return `the become user ${JSON.stringify(t.becomeUser)} is not a plain user name`;
  if (t.port !== undefined && !(Number.isInteger(t.port) && t.port > 0 && t.port < 65536)) return `the port ${t.port} is not a TCP port`;
  return undefined;
}

type Child = ResultPromise;

/** Why a batch after an answered one got nothing: the connection went between the two. */
const LATER_BATCH_LOST = 'the connection ended before a later batch could be asked';

let transports = 0;

const textOf = (v: unknown): string =>
  v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : typeof v === 'string' ? v : '';

export class SshTransport implements Transport {
  readonly name: string;
  /** Set when reaching the host failed; the batch's unanswered requests carry it too. */
  fault: HostFault | undefined;
  private readonly children = new Set<Child>();
  /** The master connection: ssh -M -N, this process's own child, so it ends with it whatever happens. */
  private master: Child | undefined;
  /** The master has ended: the connection is gone, and nothing more is asked of the host. */
  private masterEnded = false;
  /** Some batch's program began to answer: what ends the connection after that leaves the host `partial`. */
  private answeredAny = false;
  /** Resolves once the master is ready (its control socket is there), or with why it is not. */
  private ready: Promise<HostFault | undefined> | undefined;
  private readonly controlPath: string;
  /** Local sockets forwarded through the master to listeners of the host, by host:port. */
  private readonly forwards = new Map<string, Promise<string>>();
  private forwardCount = 0;
  /** Batches still being answered. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly target: SshTarget,
    private readonly options: SshOptions,
  ) {
    this.name = `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
    // One socket name per transport, so a fleet's masters never meet whatever ssh's config makes of the names.
    this.controlPath = join(options.controlDir, `m${++transports}`);
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
      `ControlPath=${this.controlPath}`,
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

  /**
   * The master connection, once: connected and authenticated when its control socket appears (watched, not
   * polled), failed with ssh's own words when it ends first.
   */
  private open(): Promise<HostFault | undefined> {
    if (this.ready === undefined) {
      const unsafe = unsafeTarget(this.target);
      if (unsafe) this.ready = Promise.resolve({ class: 'unreachable' as const, detail: unsafe });
      else void this.startMaster();
    }
    return this.ready!;
  }

  /**
   * Starts the master. With `session` (the first batch's remote command) the master runs that batch as its own
   * session, so a host answered in one batch costs one ssh process; the session's standard input is held open
   * until the transport closes (the remote shell waits on it), so the master outlives the batch for the
   * listeners' forwards and a second batch.
   */
  private startMaster(session?: readonly string[]): Promise<{ child: Child }> {
    const tail = session ? ['-T', '--', this.target.host, ...session] : ['-N', '--', this.target.host];
    const started = this.spawn([...this.baseArgs(), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', ...tail], session ? 'pipe' : undefined).then((s) => {
      this.master = s.child;
      void s.child.finally(() => (this.masterEnded = true)).catch(() => {});
      return s;
    });
    this.ready = started.then(
      ({ child }) =>
        new Promise<HostFault | undefined>((resolve) => {
          let settled = false;
          const done = (f: HostFault | undefined): void => {
            if (settled) return;
            settled = true;
            watcher.close();
            resolve(f);
          };
          const watcher = watch(this.options.controlDir, () => {
            if (existsSync(this.controlPath)) done(undefined);
          });
          if (existsSync(this.controlPath)) done(undefined);
          void child.then((r) =>
            done(
              r.isTerminated && !r.stderr?.length
                ? { class: 'timeout', detail: "no answer before the host's deadline" }
                : classify(textOf(r.stderr), r.exitCode),
            ),
          );
        }),
    );
    return started;
  }

  gather(batch: readonly RawRequest[], onAnswer?: (key: string, answer: RawAnswer) => void): Promise<RawMaterial> {
    const work = this.answer(batch, onAnswer);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /**
   * The host's time is up: a batch still being answered is stopped, and its fault (`timeout` before the program
   * began, `partial` after) set before this resolves.
   */
  async finish(): Promise<void> {
    if (this.inFlight.size === 0) return;
    this.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async answer(batch: readonly RawRequest[], onAnswer?: (key: string, answer: RawAnswer) => void): Promise<RawMaterial> {
    const material: RawMaterial = {};
    const settle = (key: string, a: RawAnswer): void => {
      material[key] = a;
      onAnswer?.(key, a);
    };
    // The first batch rides on the master itself, unless the target is refused before any ssh runs.
    const onMaster = this.ready === undefined && unsafeTarget(this.target) === undefined;
    if (!onMaster) {
      const failed = await this.open();
      if (failed) this.fault ??= failed;
      // Its control socket goes as the master ends, before the process has been waited for.
      else if (!existsSync(this.controlPath)) this.masterEnded = true;
      // A later batch beside a master that has ended would not ride on it: ssh would open a connection of its
      // own, a second login to a host that has just dropped the first. The host is `partial` instead.
      if (this.masterEnded && !this.fault)
        this.fault = this.answeredAny
          ? { class: 'partial', detail: LATER_BATCH_LOST }
          : { class: 'dropped', detail: 'the connection ended before the remote program could be run' };
      if (this.fault && (this.fault.class !== 'partial' || this.masterEnded)) {
        const f: RawFailure = { error: 'EHOSTUNREACH', message: `${this.name}: ${this.fault.class}: ${this.fault.detail}` };
        for (const r of batch) settle(requestKey(r), f);
        return material;
      }
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
    const session = [...become, 'sh', '-s', '--', ...encoded.args];
    const { child } = onMaster
      ? await this.startMaster(session)
      : // A session beside the master goes through it or not at all: were the master to end just now, ssh would
        // otherwise connect on its own, and the proxy command that never connects is its only way there (an
        // option given here wins over the user's ProxyCommand or ProxyJump, which the master itself used).
        await this.spawn([...this.baseArgs(), '-o', 'ControlMaster=no', '-o', 'ProxyCommand=false', '-T', '--', this.target.host, ...session], 'pipe');
    // The master's own session keeps its standard input open (see startMaster); any other ends with its batch.
    const endInput = (): void => {
      if (!onMaster) child.stdin?.end();
    };
    child.stdin?.on('error', () => {});
    child.stdin?.write(program);
    if (encoded.stdin === undefined) endInput();
    let whole: () => void = () => {};
    const answered = new Promise<void>((resolve) => (whole = resolve));
    child.stdout?.on('data', (chunk: Buffer) => {
      const before = reader.began;
      reader.push(chunk);
      // The batch on standard input ends with a line of its own, as the input itself may stay open.
      if (!before && reader.began && encoded.stdin !== undefined) {
        child.stdin?.write(`${encoded.stdin}.\n`);
        endInput();
      }
      // A broken frame ends the reading too: the session itself may go on.
      if (reader.complete || reader.broken) whole();
    });
    // Read once the final frame is in, or the session ended without it.
    const result = await Promise.race([child, answered.then(() => undefined)]);
    // The master's own session ended: so did the master (whichever of the two promises' handlers runs first).
    if (onMaster && result) this.masterEnded = true;
    if (reader.began) this.answeredAny = true;
    await Promise.all(pending);
    let missing: RawFailure | undefined;
    if (!reader.complete) {
      const stderr = textOf(result?.stderr);
      const stopped = result?.isCanceled === true || result?.isTerminated === true;
      // A later batch that could not begin, where an earlier one was answered, leaves the host judged on that.
      if (result && !reader.began && this.answeredAny)
        this.fault = {
          class: 'partial',
          detail: stopped ? "the host's deadline came before a later batch was answered" : lastWords(stderr) || LATER_BATCH_LOST,
        };
      else if (result && !reader.began)
        this.fault = stopped ? { class: 'timeout', detail: "no answer before the host's deadline" } : classify(stderr, result.exitCode);
      else
        this.fault = {
          class: 'partial',
          detail:
            reader.broken ??
            (result?.isTerminated
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

  /**
   * A stream to a listener of the host, as its own clients meet it: a local socket in the private directory,
   * forwarded by the master (`ssh -O forward -L SOCKET:HOST:PORT`, once per listener), so each connection is a
   * channel of the one connection and no process starts per probe.
   */
  async connect(host: string, port: number, timeoutMs: number): Promise<Duplex> {
    const started = Date.now();
    const failed = (await this.open()) ?? (this.masterEnded ? (this.fault ?? { class: 'dropped', detail: 'the connection has ended' }) : undefined);
    if (failed) throw Object.assign(new Error(`${this.name}: ${failed.class}: ${failed.detail}`), { code: 'EHOSTUNREACH' });
    const key = `${host}\0${port}`;
    let forwarded = this.forwards.get(key);
    if (!forwarded) {
      forwarded = (async () => {
        const path = join(this.options.controlDir, `${basename(this.controlPath)}-f${++this.forwardCount}`);
        const to = host.includes(':') ? `[${host}]` : host;
        const { child } = await this.spawn(
          [...this.baseArgs(), '-O', 'forward', '-L', `${path}:${to}:${port}`, '--', this.target.host],
          undefined,
          Math.max(1000, timeoutMs),
        );
        const r = await child;
        if (r.exitCode !== 0)
          throw Object.assign(new Error(`${host}:${port} through ${this.name}: ${lastWords(textOf(r.stderr)) || 'the forward was refused'}`), {
            code: 'ECONNREFUSED',
          });
        return path;
      })();
      this.forwards.set(key, forwarded);
    }
    const path = await forwarded;
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    return new Promise((resolve, reject) => {
      const socket = netConnect({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`connect ${host}:${port} through ${this.name}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, left);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Stop everything running for this host (its deadline came), the master with it. */
  abort(): void {
    for (const c of this.children) c.kill('SIGTERM');
  }

  /** Close the master connection (and with it every forward). */
  async close(): Promise<void> {
    const master = this.master;
    this.abort();
    await master?.catch(() => {});
  }

  /** The same, at once, for a process about to exit on a signal. */
  closeNow(): void {
    this.abort();
  }
}
