// The TLS probe of one endpoint: resolve it, then per address one full handshake with Node's TLS client (the
// chain as the server sent it, the suite and ALPN a current client gets, OCSP stapling) and, as far as the checks
// ask, the hand-built hellos of the version and suite probes. The full handshake goes first: a version it
// negotiated is not asked again, and a port that is closed, filtered or silent is not asked five more times.
// The check's timeout bounds the whole probe: every connection gets what is left of it.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { open, resolveToDial } from './dial.js';
import type { Admitted, Dialer, Resolved } from './dial.js';
import { performance } from 'node:perf_hooks';
import { Duplex } from 'node:stream';
import { connect, createSecureContext } from 'node:tls';
import type { ConnectionOptions, SecureContext, TLSSocket } from 'node:tls';
import { durationText } from '../lib/duration.js';
import { errCode } from '../lib/errno.js';
import { handshakeFacts, readCaFile, readChain } from './certificates.js';
import type { ChainFact } from './cert-model.js';
import type { ProbeError } from './net-model.js';
import { connectFailure } from './tcp.js';
import { cipherName, notTlsReason, versionName } from './tls-hello.js';
import { keylogSecret, readServerFlight } from './tls-records.js';
import type { ServerFlight } from './tls-records.js';
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
  /** Bound of the whole probe: resolving, the handshakes and every hello. */
  timeoutMs: number;
  /** The clock certificates are judged at. */
  now: Date;
  /** How to reach the endpoint (default: a socket from this machine). */
  dial?: Dialer | undefined;
  /** Networks admitted beyond the default (`--allow-target`): link-local and metadata addresses are refused. */
  allowTargets?: Admitted;
}

const ALPN_OFFER = ['h2', 'http/1.1'];
const TLS_VERSION_NAMES = new Set<string>(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
/** A server's first flight is a few kilobytes; past this it is no handshake worth reading. */
const MAX_RECORDED = 256 * 1024;

/** Failures after which no hand-built hello can say more: nothing listens, nothing answers, or the name is bad. */
const HOPELESS = new Set(['ECONNREFUSED', 'TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'TLS_TIMEOUT']);

// ---------------------------------------------------------------------------------------------------------
// The full handshake

type Client = NonNullable<FullHandshakeFact['client']>;

/**
 * Every TLS 1.3 suite and group a server may be limited to: Node's defaults leave out CCM, and a server that
 * speaks only those must still show its certificate.
 */
const LEGACY_CIPHERS = [
  'ALL:@SECLEVEL=0',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
].join(':');
const LEGACY_GROUPS =
  'X25519:P-256:P-384:P-521:X448:P-224:P-192:brainpoolP256r1:brainpoolP384r1:brainpoolP512r1:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192';

const contexts = new Map<Client, SecureContext>();

/**
 * Node's client with its defaults, or one that still speaks what old and narrow servers speak, to read their
 * certificate. One context per kind for the run: building one per connection is a fifth of a handshake's cost.
 * Its trust store is empty: trust is judged by readChain, and Node must not complete a chain from its own.
 */
function clientOptions(client: Client): Partial<ConnectionOptions> {
  let context = contexts.get(client);
  if (!context) {
    context = createSecureContext(client === 'default' ? { ca: [] } : { ca: [], minVersion: 'TLSv1', ciphers: LEGACY_CIPHERS, ecdhCurve: LEGACY_GROUPS });
    contexts.set(client, context);
  }
  return { secureContext: context };
}

/**
 * The TCP stream under Node's TLS client, passed through unchanged, keeping a copy of what the server sent: the
 * server's own Certificate message is read from it, not the chain Node rebuilds.
 */
class Recorder extends Duplex {
  readonly received: Buffer[] = [];
  private size = 0;

  constructor(readonly raw: Duplex) {
    super();
    raw.on('data', (chunk: Buffer) => {
      if (this.size < MAX_RECORDED) {
        this.received.push(chunk);
        this.size += chunk.length;
      }
      if (!this.push(chunk)) raw.pause();
    });
    raw.once('end', () => this.push(null));
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.raw.write(chunk, done);
  }

  override _final(done: () => void): void {
    this.raw.end();
    done();
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    this.raw.destroy();
    done(err);
  }

  bytes(): Buffer {
    return Buffer.concat(this.received);
  }
}

interface Handshaken {
  /** The handshake completed. */
  handshake?: NonNullable<FullHandshakeFact['handshake']>;
  /** What the server's flight showed, when it answered in TLS at all. */
  flight?: ServerFlight;
  error?: ProbeError;
  /** TCP connected: the failure, if any, is the TLS server's. */
  connected: boolean;
}

function handshakeOnce(
  address: string,
  port: number,
  servername: string | null,
  deadlineAt: number,
  timeoutMs: number,
  client: Client,
  dial: Dialer | undefined,
): Promise<Handshaken> {
  return new Promise((done) => {
    let ocsp: Buffer | null | undefined;
    let connected = false;
    let settled = false;
    const keylog: Buffer[] = [];
    const raw = open(dial, address, port, deadlineAt - performance.now());
    const recorder = new Recorder(raw);
    const opts: ConnectionOptions & { requestOCSP: boolean } = {
      socket: recorder,
      rejectUnauthorized: false,
      requestOCSP: true,
      ALPNProtocols: ALPN_OFFER,
      ...clientOptions(client),
    };
    // Node sends no SNI unless told, and SNI may not be an IP address.
    if (servername !== null && isIP(servername) === 0) opts.servername = servername;
    const socket: TLSSocket = connect(opts);
    const finish = (r: Omit<Handshaken, 'flight' | 'connected'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.on('error', () => undefined);
      raw.on('error', () => undefined);
      socket.destroy();
      raw.destroy();
      const bytes = recorder.bytes();
      // What the port said instead of TLS (an HTTP status line, an SSH banner), as the hand-built hellos say it.
      if (r.error?.code === 'NOT_TLS' && bytes.length > 0) r.error = { ...r.error, reason: notTlsReason(bytes) };
      const flight = bytes.length > 0 ? readServerFlight(bytes, keylogSecret(keylog, 'SERVER_HANDSHAKE_TRAFFIC_SECRET')) : undefined;
      if (r.handshake && ocsp === undefined && flight?.ocspStapled) r.handshake.ocspStapled = true;
      done({ ...r, connected, ...(flight ? { flight } : {}) });
    };
    const timer = setTimeout(
      () => {
        const within = `no answer within ${durationText(timeoutMs)}`;
        finish(
          connected
            ? { error: { code: 'TLS_TIMEOUT', reason: `${within}: TCP connected, but the TLS handshake did not finish` } }
            : { error: { code: 'TIMEOUT', reason: `${within}: the TCP connection was not made (dropped)` } },
        );
      },
      Math.max(1, deadlineAt - performance.now()),
    );
    raw.once('connect', () => (connected = true));
    raw.once('error', (e: Error) => finish(handshakeFailure(e, connected)));
    socket.on('keylog', (line: Buffer) => keylog.push(line));
    socket.once('OCSPResponse', (r: Buffer) => (ocsp = r));
    socket.once('secureConnect', () => finish({ handshake: handshakeFacts(socket, ocsp) }));
    socket.once('close', () =>
      finish({
        error: {
          code: 'ECONNRESET',
          reason: connected ? 'the server closed the connection during the TLS handshake' : 'the connection closed before it was made',
        },
      }),
    );
    socket.once('error', (e: Error) => finish(handshakeFailure(e, connected)));
  });
}

function handshakeFailure(e: Error, connected: boolean): { error: ProbeError } {
  const code = errCode(e) ?? 'UNKNOWN';
  if (!connected) return { error: connectFailure(code, e.message).error };
  if (code === 'ECONNRESET') return { error: { code, reason: 'the server reset the connection during the TLS handshake' } };
  // OpenSSL reads a reply that is no TLS record (an HTTP or SSH banner) as a record of an unknown version.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') {
    return { error: { code: 'NOT_TLS', reason: 'the port answered, but not in TLS' } };
  }
  const words = e.message.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:/i, '').replace(/:.*$/s, '');
  return { error: { code, reason: `TLS handshake failed: ${words}` } };
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

/** A handshake that went far enough for the server to send its certificates, whether or not it completed. */
const sawCertificates = (h: Handshaken): boolean => (h.flight?.certificates?.length ?? 0) > 0;

async function fullHandshake(
  a: Resolved,
  o: TlsOptions,
  deadlineAt: number,
  servername: string | null,
  hostname: string,
  caPem: string | undefined,
): Promise<FullHandshakeFact> {
  let client: Client = 'default';
  let r = await handshakeOnce(a.address, o.port, servername, deadlineAt, o.timeoutMs, client, o.dial);
  // The local OpenSSL's policy (TLS 1.2 and up, no weak suites, no CCM) refuses what old and narrow servers
  // speak: ask again in their terms, so their certificate can still be judged. The hand-built hellos judge the
  // versions.
  const failedEarly =
    !r.handshake && r.connected && !sawCertificates(r) && r.error && !HOPELESS.has(r.error.code) && r.error.code !== 'NOT_TLS' && r.error.code !== 'ECONNRESET';
  if (failedEarly && performance.now() < deadlineAt) {
    const legacy = await handshakeOnce(a.address, o.port, servername, deadlineAt, o.timeoutMs, 'legacy', o.dial);
    if (legacy.handshake || sawCertificates(legacy)) {
      r = legacy;
      client = 'legacy';
    }
  }
  const fact: FullHandshakeFact = {};
  if (r.handshake) fact.handshake = r.handshake;
  if (r.handshake || r.flight) fact.client = client;
  if (r.flight?.certificateRequested) fact.clientCertificateRequested = true;
  if (r.error) fact.error = r.error;
  const sent = r.flight?.certificates;
  if (sent && sent.length > 0) {
    // The negotiated version and suite of a handshake that stopped after the certificates (a server that wants
    // a client certificate) are still what its ServerHello chose.
    if (!r.handshake && r.flight?.version != null)
      fact.serverHello = {
        protocol: versionName(r.flight.version) ?? `0x${r.flight.version.toString(16)}`,
        cipher: r.flight.cipherSuite === null ? null : cipherName(r.flight.cipherSuite),
      };
    try {
      fact.chain = readChainCached(sent, hostname, caPem, o.now);
    } catch (e) {
      fact.error ??= { code: 'BAD_CERTIFICATE', reason: (e as Error).message };
    }
  } else if (r.handshake) {
    fact.error = r.flight?.problem
      ? { code: 'CERTIFICATE_UNREAD', reason: `the server's certificates could not be read: ${r.flight.problem}` }
      : { code: 'NO_CERTIFICATE', reason: 'the server sent no certificate' };
  }
  return fact;
}

// ---------------------------------------------------------------------------------------------------------
// One address, one endpoint

function provenVersion(full: FullHandshakeFact): VersionResult | undefined {
  const p = full.handshake?.protocol;
  if (!p || !TLS_VERSION_NAMES.has(p)) return undefined;
  return {
    version: p as TlsVersionName,
    verdict: 'accepted',
    ...(full.handshake?.cipher ? { cipher: full.handshake.cipher } : {}),
    reason: `full handshake at ${p}`,
    attempts: 1,
  };
}

function unanswered(error: ProbeError): VersionResult[] {
  return (['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({
    version,
    verdict: 'error',
    code: error.code,
    reason: error.reason,
    attempts: 0,
  }));
}

async function probeAddress(
  a: Resolved,
  o: TlsOptions,
  deadlineAt: number,
  servername: string | null,
  hostname: string,
  caPem: string | undefined,
): Promise<TlsAddressFact> {
  const fact: TlsAddressFact = { address: a.address, family: a.family };
  const w = o.wants;
  let known: VersionResult[] = [];
  if (w.handshake) {
    fact.full = await fullHandshake(a, o, deadlineAt, servername, hostname, caPem);
    const err = fact.full.error;
    if (err && HOPELESS.has(err.code) && !fact.full.handshake) {
      if (w.versions || w.legacy || w.suites) fact.versions = unanswered(err);
      return fact;
    }
    const proven = provenVersion(fact.full);
    if (proven) known = [proven];
  }
  const endpoint = { address: a.address, port: o.port, servername, timeoutMs: o.timeoutMs, deadlineAt, dial: o.dial };
  if (w.versions || w.legacy || w.suites) {
    const v = await probeTlsVersions({
      host: a.address,
      port: o.port,
      servername,
      timeoutMs: o.timeoutMs,
      deadlineAt,
      known,
      legacy: w.legacy,
      dial: o.dial,
      ...(o.allowTargets !== undefined ? { allowTargets: o.allowTargets } : {}),
    });
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
  const deadlineAt = performance.now() + o.timeoutMs;
  const servername = o.servername ?? (isIP(o.host) === 0 ? o.host.replace(/\.$/, '') : null);
  const hostname = servername ?? o.host;
  const fact: TlsFact = { host: o.host, port: o.port, servername, hostname, addresses: [] };
  const ca = o.caFile === undefined ? undefined : await readCaFile(o.caFile);
  if (typeof ca === 'object') return { ...fact, error: ca };
  const resolved = await resolveToDial(o.ip ?? o.host, o.timeoutMs, o.allowTargets ?? []);
  if (!Array.isArray(resolved)) return { ...fact, error: resolved };
  const targets = o.allAddresses ? resolved : resolved.slice(0, 1);
  // Addresses side by side: they share the check's one timeout, and a silent one must not use up the others'.
  fact.addresses = await Promise.all(targets.map((a) => probeAddress(a, o, deadlineAt, servername, hostname, ca)));
  return fact;
}
