// Which TLS versions and legacy suites one endpoint accepts, from hand-built ClientHellos over plain TCP.
// Every verdict comes from what the handshake did (a ServerHello at the version, a protocol_version alert, a
// lower version answered ...); an error or an ambiguous alert is reported as such, never read as "refused".

import { isIP } from 'node:net';
import { open, resolveToDial } from './dial.js';
import type { Admitted, Dialer } from './dial.js';
import { performance } from 'node:perf_hooks';
import { durationText } from '../lib/duration.js';
import { mapBounded } from '../lib/concurrency.js';
import { ALERT, buildClientHello, cipherName, cipherSuite, parseServerReply, suitesFor, VERSION_CODES, versionName } from './tls-hello.js';
import type { CipherClass, ServerReply } from './tls-hello.js';
import type { LegacyCiphers, LegacyFinding, TlsVersionName, TlsVersionsResult, VersionResult } from './tls-model.js';

export interface TlsEndpoint {
  /** An IP address, or a name resolved once here (callers that probe every address pass each IP). */
  host: string;
  port: number;
  /** SNI; defaults to the host when it is a name. */
  servername?: string | null;
  /** The check's timeout, for the words of a reason. */
  timeoutMs: number;
  /** When the whole probe must be over (performance.now()'s clock; default: the timeout from now): each connection gets what is left. */
  deadlineAt?: number;
  /** Connections in flight at once. */
  concurrency?: number;
  /** How to reach the endpoint (default: a socket from this machine). */
  dial?: Dialer | undefined;
  /** Verdicts already known (a full handshake that negotiated a version proves it accepted): not asked again. */
  known?: readonly VersionResult[];
  /** Whether to offer the legacy classes (RC4, 3DES, NULL, EXPORT, CBC-only) too; default true. */
  legacy?: boolean;
  /** Networks admitted beyond the default (`--allow-target`): link-local and metadata addresses are refused. */
  allowTargets?: Admitted;
}

const ALL_VERSIONS: readonly TlsVersionName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const DEFAULT_CONCURRENCY = 4;
// A server's first flight is a few kilobytes; more without a complete ServerHello is not a TLS server.
const MAX_REPLY_BYTES = 64 * 1024;

interface Target {
  address: string;
  port: number;
  servername: string | null;
  timeoutMs: number;
  deadlineAt: number;
  dial?: Dialer | undefined;
}

type Exchange =
  | { kind: 'reply'; reply: Exclude<ServerReply, { kind: 'incomplete' }> }
  /** The server closed the connection (FIN) before a complete message; `received` bytes came first. */
  | { kind: 'closed'; received: number }
  /** `code` is the probe error code: TIMEOUT (no TCP answer), TLS_TIMEOUT (no TLS answer), ECONNREFUSED ... */
  | { kind: 'error'; code: string; reason: string };

export async function probeTlsVersions(endpoint: TlsEndpoint): Promise<TlsVersionsResult> {
  const servername = endpoint.servername !== undefined ? endpoint.servername : isIP(endpoint.host) === 0 ? endpoint.host : null;
  const deadlineAt = endpoint.deadlineAt ?? performance.now() + endpoint.timeoutMs;
  const resolved = await resolveToDial(endpoint.host, Math.max(1, deadlineAt - performance.now()), endpoint.allowTargets ?? []);
  const base = { host: endpoint.host, port: endpoint.port, servername };
  if (!Array.isArray(resolved)) {
    const versions = ALL_VERSIONS.map((version): VersionResult => ({ version, verdict: 'error', code: resolved.code, reason: resolved.reason, attempts: 0 }));
    return { ...base, address: endpoint.host, versions, legacy: legacyUnknown(resolved.reason) };
  }
  const target: Target = { address: resolved[0]!.address, port: endpoint.port, servername, timeoutMs: endpoint.timeoutMs, deadlineAt, dial: endpoint.dial };
  const limit = Math.max(1, endpoint.concurrency ?? DEFAULT_CONCURRENCY);
  const first = await mapBounded(ALL_VERSIONS, limit, async (v): Promise<Probed> => {
    const known = endpoint.known?.find((k) => k.version === v);
    return known ? { ...known, ambiguous: false } : probeVersion(target, v);
  });
  const versions = await settleAmbiguous(target, first, limit);
  const legacy = endpoint.legacy === false ? legacyUnknown('not asked') : await probeLegacy(target, versions, limit);
  return { ...base, address: target.address, versions, legacy };
}

/** Bound on the connections one suite enumeration may make: one per suite of the table, and the last refusal. */
const MAX_ENUMERATION = 64;

/**
 * Every suite the endpoint accepts at `version` (IANA names, in the order the server chose them): offer all
 * the table has, take the one chosen out, offer the rest again, until the server declines. The server's
 * preference order is what the order of the list shows. `complete` is false when a connection ended in
 * anything but a decline (an error, a timeout), so the list may lack suites.
 */
export async function enumerateSuites(
  endpoint: { address: string; port: number; servername: string | null; timeoutMs: number; deadlineAt: number; dial?: Dialer | undefined },
  version: 'TLSv1.2' | 'TLSv1.3',
): Promise<{ suites: string[]; complete: boolean; reason?: string }> {
  const target: Target = { ...endpoint };
  // A TLS 1.3 offer lists only 1.3 suites here: a 1.2 suite chosen would answer at 1.2, which says nothing of 1.3.
  let offer = suitesFor(version, 'broad').filter((s) => (version === 'TLSv1.3' ? s.tls13 : !s.tls13));
  const chosen: string[] = [];
  for (let i = 0; i < MAX_ENUMERATION && offer.length > 0; i++) {
    const ex = await exchange(target, hello(target, version, offer));
    if (ex.kind !== 'reply')
      return { suites: chosen, complete: false, reason: ex.kind === 'error' ? ex.reason : 'the server closed the connection without answering' };
    const reply = ex.reply;
    if (reply.kind === 'alert' && (declines(reply.description) || reply.description === ALERT.protocolVersion)) break;
    if (reply.kind !== 'server-hello') return { suites: chosen, complete: false, reason: reply.kind === 'alert' ? `${reply.name} alert` : reply.reason };
    if (reply.version !== VERSION_CODES[version]) break;
    const suite = offer.find((s) => s.id === reply.cipherSuite);
    if (!suite) return { suites: chosen, complete: false, reason: `the server chose ${cipherName(reply.cipherSuite)}, which was not offered` };
    chosen.push(suite.name);
    offer = offer.filter((s) => s !== suite);
  }
  return { suites: chosen, complete: true };
}

// ---------------------------------------------------------------------------------------------------------
// One connection

/** Sends one ClientHello and waits for the server's first message, the end of the connection, or the timer. */
function exchange(target: Target, hello: Buffer): Promise<Exchange> {
  const left = target.deadlineAt - performance.now();
  const within = `no answer within ${durationText(target.timeoutMs)}`;
  // Less than a millisecond is no time: no timer waits for it, and probes that ran out together end a hair before the deadline.
  if (left < 1) return Promise.resolve({ kind: 'error', code: 'TIMEOUT', reason: `${within}: the check's timeout ran out before this was asked` });
  return new Promise((done) => {
    const socket = open(target.dial, target.address, target.port, left);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (result: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      // A late error from a destroyed socket must not become an unhandled 'error' event.
      socket.on('error', () => undefined);
      socket.destroy();
      done(result);
    };
    const timer = setTimeout(() => {
      if (socket.connecting) finish({ kind: 'error', code: 'TIMEOUT', reason: `${within}: the TCP connection was not made (dropped)` });
      else
        finish({
          kind: 'error',
          code: 'TLS_TIMEOUT',
          reason: `${within}: waiting for ${received.length > 0 ? 'the rest of the reply' : 'an answer to the ClientHello'}`,
        });
    }, left);
    socket.once('connect', () => socket.write(hello));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const reply = parseServerReply(received);
      if (reply.kind !== 'incomplete') finish({ kind: 'reply', reply });
      else if (received.length > MAX_REPLY_BYTES)
        finish({ kind: 'reply', reply: { kind: 'malformed', reason: 'no complete ServerHello in the first 64 KiB' } });
    });
    socket.once('end', () => finish({ kind: 'closed', received: received.length }));
    socket.once('close', () => finish({ kind: 'closed', received: received.length }));
    socket.once('error', (e: NodeJS.ErrnoException) => finish({ kind: 'error', code: e.code ?? 'UNKNOWN', reason: socketErrorReason(e, received.length) }));
  });
}

function socketErrorReason(e: NodeJS.ErrnoException, received: number): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return received > 0 ? 'connection reset in the middle of the reply' : 'connection reset after the ClientHello';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    default:
      return `socket error ${e.code ?? e.message}`;
  }
}

function hello(target: Target, version: TlsVersionName, suites: readonly { id: number }[]): Buffer {
  return buildClientHello({ version, suites: suites.map((s) => s.id), servername: target.servername });
}

// ---------------------------------------------------------------------------------------------------------
// Version verdicts

interface Judgement {
  result: Omit<VersionResult, 'version' | 'attempts' | 'ambiguous'>;
  /** The answer may mean "nothing in common" rather than "not this version": ask again with more suites. */
  retry: boolean;
  /** The ambiguous answer was a hang-up, not an alert. */
  silent?: boolean;
}

/**
 * A version result before the controls. `declinedAll`: the broadest offer still ended in an alert that may mean
 * "no common suite" (handshake_failure, insufficient_security, internal_error); `silent`: the server hung up on
 * the broadest offer without a word.
 */
type Probed = VersionResult & { ambiguous: false | 'declinedAll' | 'silent' };

async function probeVersion(target: Target, version: TlsVersionName): Promise<Probed> {
  // Every SSLv3 suite is one a current client no longer offers: the broad offer is the only one worth making.
  const broadFirst = version === 'SSLv3';
  const first = judge(version, await exchange(target, hello(target, version, suitesFor(version, broadFirst ? 'broad' : 'standard'))));
  if (!first.retry) return { version, ...first.result, attempts: 1, ambiguous: false };
  if (broadFirst) return { version, ...first.result, attempts: 1, ambiguous: first.silent ? 'silent' : 'declinedAll' };
  const second = judge(version, await exchange(target, hello(target, version, suitesFor(version, 'broad'))));
  return { version, ...second.result, attempts: 2, ambiguous: second.retry ? (second.silent ? 'silent' : 'declinedAll') : false };
}

/**
 * A server that declines every suite a version can carry cannot complete a handshake at that version, whatever
 * it thinks of the version itself: that is "not offered", as sslscan and testssl.sh say. A silent hang-up says
 * less: a control tells "no common suite" from "not this version" (the same suites offered at a version the
 * server accepts); without one, a version below versions refused by protocol_version alerts is refused too
 * (servers serve one contiguous range), and anything else stays inconclusive.
 */
async function settleAmbiguous(target: Target, probed: readonly Probed[], limit: number): Promise<VersionResult[]> {
  const control = [...probed].reverse().find((p) => p.verdict === 'accepted' && p.version !== 'TLSv1.3');
  const settled = await mapBounded(probed, limit, async (p): Promise<VersionResult> => {
    const { ambiguous, ...result } = p;
    if (ambiguous === false) return result;
    if (ambiguous === 'declinedAll') {
      const offered = suitesFor(result.version, 'broad').filter((s) => (result.version === 'TLSv1.3') === s.tls13).length;
      return {
        ...result,
        verdict: 'refused',
        reason: `${result.code ?? 'an'} alert to every suite a ${result.version} hello can carry (${offered} offered): no handshake at ${result.version} can complete`,
      };
    }
    if (control) return controlled(target, result, control.version);
    return belowRefusals(result, probed) ?? result;
  });
  return settled;
}

async function controlled(target: Target, result: VersionResult, at: TlsVersionName): Promise<VersionResult> {
  const ex = await exchange(target, hello(target, at, suitesFor(result.version, 'broad')));
  const attempts = result.attempts + 1;
  if (ex.kind === 'reply' && ex.reply.kind === 'server-hello' && ex.reply.version === VERSION_CODES[at]) {
    const suite = cipherName(ex.reply.cipherSuite);
    return { ...result, verdict: 'refused', reason: `${result.reason}, though the same suites are accepted at ${at} (${suite})`, attempts };
  }
  return { ...result, reason: `${result.reason}; the same suites are not accepted at ${at} either`, attempts };
}

function belowRefusals(result: VersionResult, probed: readonly Probed[]): VersionResult | null {
  const above = probed.filter((p) => VERSION_CODES[p.version] > VERSION_CODES[result.version]);
  const firstAccepted = above.findIndex((p) => p.verdict === 'accepted');
  const between = above.slice(0, firstAccepted);
  if (firstAccepted <= 0 || !between.every((p) => p.verdict === 'refused' && p.code === 'protocol_version')) return null;
  const names = between.map((p) => p.version);
  return { ...result, verdict: 'refused', reason: `${result.reason}, below ${names.join(', ')} refused by protocol_version alerts` };
}

function judge(version: TlsVersionName, ex: Exchange): Judgement {
  if (ex.kind === 'error') return { result: { verdict: 'error', code: ex.code, reason: ex.reason }, retry: false };
  if (ex.kind === 'closed') {
    if (ex.received > 0) return { result: { verdict: 'error', reason: `connection closed after ${ex.received} bytes of an incomplete reply` }, retry: false };
    // Some stacks hang up on a hello they will not serve, others on one whose suites they lack: ambiguous.
    return { result: { verdict: 'inconclusive', reason: 'the server closed the connection without answering' }, retry: true, silent: true };
  }
  return judgeReply(version, ex.reply);
}

function judgeReply(version: TlsVersionName, reply: Exclude<ServerReply, { kind: 'incomplete' }>): Judgement {
  switch (reply.kind) {
    case 'server-hello':
      return judgeServerHello(version, reply);
    case 'alert':
      return judgeAlert(reply.description, reply.name);
    case 'not-tls':
      return { result: { verdict: 'not-tls', reason: reply.reason }, retry: false };
    case 'malformed':
      return { result: { verdict: 'error', reason: `malformed reply: ${reply.reason}` }, retry: false };
  }
}

function judgeServerHello(version: TlsVersionName, hello: Extract<ServerReply, { kind: 'server-hello' }>): Judgement {
  const wanted = VERSION_CODES[version];
  const answered = versionName(hello.version) ?? `version 0x${hello.version.toString(16)}`;
  if (hello.version === wanted) {
    const how = hello.helloRetryRequest ? 'HelloRetryRequest' : 'ServerHello';
    return { result: { verdict: 'accepted', cipher: cipherName(hello.cipherSuite), reason: `${how} at ${version}` }, retry: false };
  }
  if (hello.version < wanted) return { result: { verdict: 'refused', reason: `the server answered with ${answered}` }, retry: false };
  return { result: { verdict: 'inconclusive', reason: `the server answered with ${answered}, which was not offered` }, retry: false };
}

/** handshake_failure and insufficient_security: the server found nothing it would accept in what was offered. */
function declines(description: number): boolean {
  return description === ALERT.handshakeFailure || description === ALERT.insufficientSecurity;
}

function judgeAlert(description: number, name: string): Judgement {
  if (description === ALERT.protocolVersion)
    return { result: { verdict: 'refused', code: 'protocol_version', reason: 'protocol_version alert' }, retry: false };
  // handshake_failure and insufficient_security may mean "no suite of yours", internal_error is what some
  // servers send for a version their policy disables: none of them says which, so try a broader offer.
  const ambiguous = declines(description) || description === ALERT.internalError;
  return {
    result: { verdict: 'inconclusive', code: name, reason: `${name} alert (${ambiguous ? 'no common suite, or the version disabled' : 'unexpected here'})` },
    retry: ambiguous,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Legacy suites

const LEGACY_CLASSES = [
  ['rc4', 'RC4'],
  ['tripleDes', '3DES'],
  ['null', 'NULL'],
  ['export', 'EXPORT'],
  ['anonymous', 'ANON'],
] as const;

/** What offering only one class of suites at one version gave: chosen, declined, or unknown (with why). */
type Offer = { chosen: string } | { declined: true } | { unknown: string };

async function probeLegacy(target: Target, versions: readonly VersionResult[], limit: number): Promise<LegacyCiphers> {
  const upTo12 = versions.filter((v) => v.version !== 'TLSv1.3');
  const accepted = upTo12.filter((v) => v.verdict === 'accepted').map((v) => v.version);
  const undecided = upTo12.filter((v) => v.verdict !== 'accepted' && v.verdict !== 'refused').map((v) => v.version);
  const tasks = accepted.flatMap((version) => LEGACY_CLASSES.map(([key, cls]) => ({ key, cls, version })));
  const offers = await mapBounded(tasks, limit, (t) => offerOnly(target, t.version, t.cls));
  const finding = (key: (typeof LEGACY_CLASSES)[number][0]): LegacyFinding =>
    combine(
      tasks.flatMap((t, i) => (t.key === key ? [{ version: t.version, offer: offers[i] as Offer }] : [])),
      undecided,
    );
  return {
    rc4: finding('rc4'),
    tripleDes: finding('tripleDes'),
    null: finding('null'),
    export: finding('export'),
    anonymous: finding('anonymous'),
    cbcOnlyTls12: await cbcOnly(
      target,
      versions.find((v) => v.version === 'TLSv1.2'),
    ),
  };
}

async function offerOnly(target: Target, version: TlsVersionName, cls: CipherClass): Promise<Offer> {
  const suites = suitesFor(version, cls);
  if (suites.length === 0) return { declined: true };
  const ex = await exchange(target, hello(target, version, suites));
  if (ex.kind !== 'reply') return { unknown: ex.kind === 'error' ? ex.reason : 'the server closed the connection without answering' };
  const reply = ex.reply;
  if (reply.kind === 'server-hello') {
    if (reply.version !== VERSION_CODES[version]) return { declined: true };
    const chosen = cipherSuite(reply.cipherSuite);
    // A server that picks a suite we did not offer broke the protocol; it says nothing about this class.
    if (!chosen || !suites.includes(chosen)) return { unknown: `the server chose ${cipherName(reply.cipherSuite)}, which was not offered` };
    return { chosen: chosen.name };
  }
  if (reply.kind === 'alert' && declines(reply.description)) return { declined: true };
  return { unknown: reply.kind === 'alert' ? `${reply.name} alert` : reply.reason };
}

function combine(results: readonly { version: TlsVersionName; offer: Offer }[], undecided: readonly TlsVersionName[]): LegacyFinding {
  const chosen = results.filter((r): r is { version: TlsVersionName; offer: { chosen: string } } => 'chosen' in r.offer);
  if (chosen.length > 0) {
    const suites = [...new Set(chosen.map((r) => r.offer.chosen))];
    return { accepted: true, versions: chosen.map((r) => r.version), suites, reason: `chosen at ${chosen.map((r) => r.version).join(', ')}` };
  }
  const unknown = results.find((r): r is { version: TlsVersionName; offer: { unknown: string } } => 'unknown' in r.offer);
  if (unknown) return { accepted: null, versions: [], suites: [], reason: `${unknown.version}: ${unknown.offer.unknown}` };
  if (undecided.length > 0) return { accepted: null, versions: [], suites: [], reason: `not decided for ${undecided.join(', ')}` };
  if (results.length === 0) return { accepted: false, versions: [], suites: [], reason: 'no version up to TLSv1.2 is accepted' };
  return { accepted: false, versions: [], suites: [], reason: `declined at ${results.map((r) => r.version).join(', ')}` };
}

async function cbcOnly(target: Target, tls12: VersionResult | undefined): Promise<LegacyFinding> {
  const no = (reason: string): LegacyFinding => ({ accepted: false, versions: [], suites: [], reason });
  const unknown = (reason: string): LegacyFinding => ({ accepted: null, versions: [], suites: [], reason });
  if (!tls12 || tls12.verdict === 'refused') return no('TLSv1.2 is not accepted');
  if (tls12.verdict !== 'accepted') return unknown(`TLSv1.2 is ${tls12.verdict}`);
  if (tls12.cipher && cipherByName(tls12.cipher)?.classes.includes('AEAD')) return no(`AEAD suite ${tls12.cipher} chosen`);
  const aead = await offerOnly(target, 'TLSv1.2', 'AEAD');
  if ('chosen' in aead) return no(`AEAD suite ${aead.chosen} chosen`);
  if ('unknown' in aead) return unknown(aead.unknown);
  const cbc = await offerOnly(target, 'TLSv1.2', 'CBC');
  if ('chosen' in cbc) return { accepted: true, versions: ['TLSv1.2'], suites: [cbc.chosen], reason: `no AEAD suite accepted; ${cbc.chosen} chosen` };
  return unknown('neither an AEAD nor a CBC suite was chosen at TLSv1.2');
}

function cipherByName(name: string): ReturnType<typeof cipherSuite> {
  return suitesFor('TLSv1.2', 'broad').find((s) => s.name === name);
}

function legacyUnknown(reason: string): LegacyCiphers {
  const f = (): LegacyFinding => ({ accepted: null, versions: [], suites: [], reason });
  return { rc4: f(), tripleDes: f(), null: f(), export: f(), anonymous: f(), cbcOnlyTls12: f() };
}
