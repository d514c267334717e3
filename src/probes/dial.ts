// How a probe reaches an endpoint: the addresses it may connect to, then a TCP socket from this machine, or a
// stream a transport opens for it (the host's own listeners are met from the host, over a tunnel when the host is
// another machine). Every probe resolves what it connects to here, so the refusal of link-local and metadata
// addresses holds for an address written in a policy, a name that resolves there and a redirect that points there.
import { lookup } from 'node:dns/promises';
import { connect as netConnect } from 'node:net';
import { Duplex } from 'node:stream';
import { parseAddress } from '../lib/address.js';
import { errCode } from '../lib/errno.js';
import { refusedNetwork } from '../lib/targets.js';
import type { ProbeError } from './net-model.js';

/** Rejects with a TIMEOUT-coded error when the promise is not settled in time; the timer never outlives it. */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' }));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export interface Resolved {
  address: string;
  family: 4 | 6;
}

/** An IP literal is itself; a name goes through getaddrinfo (/etc/hosts first, as every client on the host). */
async function resolveHost(host: string, timeoutMs: number): Promise<Resolved[] | ProbeError> {
  const literal = parseAddress(host);
  if (literal) return [{ address: literal.text, family: literal.family }];
  try {
    const all = await withTimeout(lookup(host, { all: true, verbatim: true }), timeoutMs);
    const seen = new Set<string>();
    const out: Resolved[] = [];
    for (const a of all) {
      const p = parseAddress(a.address);
      if (!p || seen.has(p.text)) continue;
      seen.add(p.text);
      out.push({ address: p.text, family: p.family });
    }
    return out.length > 0 ? out : { code: 'NODATA', reason: `${host} has no addresses` };
  } catch (e) {
    return resolveFailure(host, errCode(e));
  }
}

function resolveFailure(host: string, code: string | undefined): ProbeError {
  switch (code) {
    case 'ENOTFOUND':
      return { code: 'NXDOMAIN', reason: `${host} does not resolve` };
    case 'EAI_AGAIN':
      return { code: 'SERVFAIL', reason: `${host}: the resolver failed or timed out (try again)` };
    case 'TIMEOUT':
      return { code: 'TIMEOUT', reason: `resolving ${host} took longer than the timeout` };
    default:
      return { code: code ?? 'UNKNOWN', reason: `${host} could not be resolved (${code ?? 'unknown error'})` };
  }
}

/** Networks `--allow-target` admits; none by default. */
export type Admitted = readonly string[];

/** Every address: for the host's own listeners, met where the host itself listens and named by no policy. */
export const ANY_TARGET: Admitted = ['0.0.0.0/0', '::/0'];

/**
 * Why a probe must not connect to any of `addresses` (the first one in a refused network that `admitted` does
 * not hold), as the probe's error; undefined when it may connect to them all. Checked before any socket is made.
 */
export function refusal(addresses: readonly string[], admitted: Admitted, host?: string): ProbeError | undefined {
  for (const address of addresses) {
    const network = refusedNetwork(address, admitted);
    if (network === undefined) continue;
    const name = host !== undefined && parseAddress(host) === undefined ? host : undefined;
    return {
      code: 'TARGET_REFUSED',
      reason: `${name !== undefined ? `${name} resolves to ${address}, which` : address} is in ${network} (link-local, where cloud metadata services answer): not connected to; --allow-target admits it`,
      refused: { address, network, ...(name !== undefined ? { host: name } : {}) },
    };
  }
  return undefined;
}

/**
 * The addresses a probe connects to for `host` (resolveHost), or why not: a name that does not resolve, or an
 * address it must not connect to. A name with one refused address among others is refused whole: which one a
 * client would pick is the resolver's choice.
 */
export async function resolveToDial(host: string, timeoutMs: number, admitted: Admitted): Promise<Resolved[] | ProbeError> {
  const resolved = await resolveHost(host, timeoutMs);
  if (!Array.isArray(resolved)) return resolved;
  return (
    refusal(
      resolved.map((r) => r.address),
      admitted,
      host,
    ) ?? resolved
  );
}

/** Opens a stream to host:port; rejects with an Error whose `code` says why (ECONNREFUSED, ETIMEDOUT ...). */
export type Dialer = (host: string, port: number, timeoutMs: number) => Promise<Duplex>;

/** A stream that is being connected: 'connect' once it is made, 'error' when it is not. */
export type Connecting = Duplex & { readonly connecting: boolean };

/**
 * A stream usable at once, as a net.Socket is: writes wait for the connection, and it emits 'connect'. Without a
 * dialer it is a plain socket from this machine.
 */
export function open(dial: Dialer | undefined, host: string, port: number, timeoutMs: number): Connecting {
  if (!dial) return netConnect({ host, port, autoSelectFamily: false });
  const stream = new DialedStream();
  dial(host, port, Math.max(1, timeoutMs)).then(
    (inner) => stream.attach(inner),
    (err: Error) => stream.destroy(err),
  );
  return stream;
}

class DialedStream extends Duplex {
  connecting = true;
  private inner: Duplex | undefined;
  private pending: Array<[Buffer, BufferEncoding, (e?: Error | null) => void]> = [];

  attach(inner: Duplex): void {
    if (this.destroyed) {
      inner.destroy();
      return;
    }
    this.inner = inner;
    this.connecting = false;
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.once('end', () => this.push(null));
    inner.once('error', (e: Error) => this.destroy(e));
    inner.once('close', () => this.destroy());
    for (const [chunk, enc, done] of this.pending.splice(0)) inner.write(chunk, enc, done);
    this.emit('connect');
  }

  override _read(): void {
    this.inner?.resume();
  }

  override _write(chunk: Buffer, enc: BufferEncoding, done: (e?: Error | null) => void): void {
    if (this.inner) this.inner.write(chunk, enc, done);
    else this.pending.push([chunk, enc, done]);
  }

  override _final(done: () => void): void {
    if (this.inner) this.inner.end(done);
    else done();
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }
}
