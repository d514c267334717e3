// The TLS probe of one endpoint: resolve it, then per address one full handshake with Node's TLS client (the
// chain, the suite and ALPN a current client gets, OCSP stapling) and, as far as the checks ask, the hand-built
// hellos of the version and suite probes. The full handshake goes first: a version it negotiated is not asked
// again, and a port that is closed, filtered or silent is not asked five more times.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, createSecureContext } from 'node:tls';
import type { ConnectionOptions, SecureContext, TLSSocket } from 'node:tls';
import { errCode } from '../lib/errno.js';
import { chainProbeOptions, handshakeFacts, peerChainDer, readCaFile, readChain } from './certificates.js';
import type { ChainFact } from './cert-model.js';
import type { ProbeError } from './net-model.js';
import { connectFailure, resolveHost } from './tcp.js';
import type { Resolved } from './tcp.js';
import { enumerateSuites, probeTlsVersions } from './tls-versions.js';
import type { FullHandshakeFact, TlsAddressFact, TlsFact, TlsVersionName, TlsWants, VersionResult } from './tls-model.js';

export interface TlsOptions {
  host: string;
  port: number;
  /** SNI and the name the leaf must carry; defaults to the host when it is a name. */
  servername?: string;
  /** Connect to this address instead of resolving the host. */
  ip?: string;
  /** A PEM file of trust anchors (on the auditing machine) that replaces the system store. */
  caFile?: string;
  allAddresses?: boolean;
  wants: TlsWants;
  /** Bound of each connection and of resolving the name. */
  timeoutMs: number;
  /** The clock certificates are judged at. */
  now: Date;
}

const ALPN_OFFER = ['h2', 'http/1.1'];
const TLS_VERSION_NAMES = new Set<string>(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);

/** Failures after which no hand-built hello can say more: nothing listens, nothing answers, or the name is bad. */
const HOPELESS = new Set(['ECONNREFUSED', 'TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'TLS_TIMEOUT']);

// ---------------------------------------------------------------------------------------------------------
// The full handshake

type Client = NonNullable<FullHandshakeFact['client']>;

const contexts = new Map<Client, SecureContext>();

/**
 * Node's client with its defaults, or one that still speaks what old servers speak, to read their certificate.
 * One context per kind for the run: building one per connection is a fifth of a handshake's cost. Its trust
 * store is empty, as chainProbeOptions asks: trust is judged by readChain.
 */
function clientOptions(client: Client): Partial<ConnectionOptions> {
  let context = contexts.get(client);
  if (!context) {
    context = createSecureContext(client === 'default' ? { ca: [] } : { ca: [], minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' });
    contexts.set(client, context);
  }
  return { secureContext: context };
}

type Handshaken = { ok: true; ders: Buffer[]; handshake: NonNullable<FullHandshakeFact['handshake']> } | { ok: false; error: ProbeError; tls: boolean };

function handshakeOnce(address: string, port: number, servername: string | null, timeoutMs: number, client: Client): Promise<Handshaken> {
  return new Promise((done) => {
    let ocsp: Buffer | null | undefined;
    let connected = false;
    let settled = false;
    const opts = { ...chainProbeOptions(address, port, servername ?? undefined), ALPNProtocols: ALPN_OFFER, ...clientOptions(client) };
    const socket: TLSSocket = connect(opts);
    const finish = (r: Handshaken): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.on('error', () => undefined);
      socket.destroy();
      done(r);
    };
    const timer = setTimeout(() => {
      finish(
        connected
          ? { ok: false, tls: true, error: { code: 'TLS_TIMEOUT', reason: `TCP connected, but no TLS handshake within ${timeoutMs} ms` } }
          : { ok: false, tls: false, error: connectFailure('TIMEOUT').error },
      );
    }, timeoutMs);
    socket.once('connect', () => (connected = true));
    socket.once('OCSPResponse', (r: Buffer) => (ocsp = r));
    socket.once('secureConnect', () => {
      // The chain first: after any getPeerX509Certificate() Node 20 reports an empty one.
      const ders = peerChainDer(socket);
      finish({ ok: true, ders, handshake: handshakeFacts(socket, ocsp) });
    });
    socket.once('close', () => finish({ ok: false, tls: connected, error: { code: 'ECONNRESET', reason: connected ? 'the server closed the connection during the TLS handshake' : 'the connection closed before it was made' } }));
    socket.once('error', (e: Error) => finish(handshakeFailure(e, connected)));
  });
}

function handshakeFailure(e: Error, connected: boolean): Handshaken {
  const code = errCode(e) ?? 'UNKNOWN';
  if (!connected) return { ok: false, tls: false, error: connectFailure(code, e.message).error };
  if (code === 'ECONNRESET') return { ok: false, tls: true, error: { code, reason: 'the server reset the connection during the TLS handshake' } };
  // OpenSSL reads a reply that is no TLS record (an HTTP or SSH banner) as a record of an unknown version.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') {
    return { ok: false, tls: true, error: { code: 'NOT_TLS', reason: 'the port answered, but not in TLS' } };
  }
  const words = e.message.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:/i, '').replace(/:.*$/s, '');
  return { ok: false, tls: true, error: { code, reason: `TLS handshake failed: ${words}` } };
}

// Many endpoints behind one server send the same chain: read it (parse, verify signatures) once per run.
const chainCache = new Map<string, ChainFact>();
const CHAIN_CACHE_MAX = 512;

function readChainCached(ders: Buffer[], hostname: string, caPem: string | undefined, now: Date): ChainFact {
  const h = createHash('sha256');
  for (const d of ders) h.update(d);
  h.update(`\0${hostname}\0${now.toISOString()}\0${caPem ?? ''}`);
  const key = h.digest('base64');
  let chain = chainCache.get(key);
  if (!chain) {
    chain = readChain(ders, { now, hostname, ...(caPem !== undefined ? { caPem } : {}) });
    if (chainCache.size >= CHAIN_CACHE_MAX) chainCache.clear();
    chainCache.set(key, chain);
  }
  return structuredClone(chain);
}

async function fullHandshake(a: Resolved, o: TlsOptions, servername: string | null, hostname: string, caPem: string | undefined): Promise<FullHandshakeFact> {
  let client: Client = 'default';
  let r = await handshakeOnce(a.address, o.port, servername, o.timeoutMs, client);
  // The local OpenSSL's policy (TLS 1.2 and up, no weak suites) refuses what old servers speak: ask again in
  // their terms, so their certificate can still be judged. The hand-built hellos judge the versions.
  if (!r.ok && r.tls && !HOPELESS.has(r.error.code) && r.error.code !== 'NOT_TLS' && r.error.code !== 'ECONNRESET') {
    const legacy = await handshakeOnce(a.address, o.port, servername, o.timeoutMs, 'legacy');
    if (legacy.ok) {
      r = legacy;
      client = 'legacy';
    }
  }
  if (!r.ok) return { error: r.error };
  const fact: FullHandshakeFact = { handshake: r.handshake, client };
  if (r.ders.length === 0) return { ...fact, error: { code: 'NO_CERTIFICATE', reason: 'the server sent no certificate' } };
  try {
    fact.chain = readChainCached(r.ders, hostname, caPem, o.now);
  } catch (e) {
    fact.error = { code: 'BAD_CERTIFICATE', reason: (e as Error).message };
  }
  return fact;
}

// ---------------------------------------------------------------------------------------------------------
// One address, one endpoint

function provenVersion(full: FullHandshakeFact): VersionResult | undefined {
  const p = full.handshake?.protocol;
  if (!p || !TLS_VERSION_NAMES.has(p)) return undefined;
  return { version: p as TlsVersionName, verdict: 'accepted', ...(full.handshake?.cipher ? { cipher: full.handshake.cipher } : {}), reason: `full handshake at ${p}`, attempts: 1 };
}

function unanswered(reason: string): VersionResult[] {
  return (['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({ version, verdict: 'error', reason, attempts: 0 }));
}

async function probeAddress(a: Resolved, o: TlsOptions, servername: string | null, hostname: string, caPem: string | undefined): Promise<TlsAddressFact> {
  const fact: TlsAddressFact = { address: a.address, family: a.family };
  const w = o.wants;
  let known: VersionResult[] = [];
  if (w.handshake) {
    fact.full = await fullHandshake(a, o, servername, hostname, caPem);
    const err = fact.full.error;
    if (err && HOPELESS.has(err.code) && !fact.full.handshake) {
      if (w.versions || w.legacy || w.suites) fact.versions = unanswered(err.reason);
      return fact;
    }
    const proven = provenVersion(fact.full);
    if (proven) known = [proven];
  }
  const endpoint = { address: a.address, port: o.port, servername, timeoutMs: o.timeoutMs };
  if (w.versions || w.legacy || w.suites) {
    const v = await probeTlsVersions({ host: a.address, port: o.port, servername, timeoutMs: o.timeoutMs, known, legacy: w.legacy });
    fact.versions = v.versions;
    if (w.legacy) fact.legacy = v.legacy;
  }
  if (w.suites) {
    fact.suites = {};
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      if (fact.versions?.find((v) => v.version === version)?.verdict === 'accepted') fact.suites[version] = await enumerateSuites(endpoint, version);
    }
  }
  return fact;
}

export async function probeTls(o: TlsOptions): Promise<TlsFact> {
  const servername = o.servername ?? (isIP(o.host) === 0 ? o.host.replace(/\.$/, '') : null);
  const hostname = servername ?? o.host;
  const fact: TlsFact = { host: o.host, port: o.port, servername, hostname, addresses: [] };
  const ca = o.caFile === undefined ? undefined : await readCaFile(o.caFile);
  if (typeof ca === 'object') return { ...fact, error: ca };
  const resolved = o.ip !== undefined ? await resolveHost(o.ip, o.timeoutMs) : await resolveHost(o.host, o.timeoutMs);
  if (!Array.isArray(resolved)) return { ...fact, error: resolved };
  const targets = o.allAddresses ? resolved : resolved.slice(0, 1);
  // Addresses one after the other: they are usually one server's, and the checks' concurrency bound holds.
  for (const a of targets) fact.addresses.push(await probeAddress(a, o, servername, hostname, ca));
  return fact;
}
