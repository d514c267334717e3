// The HTTP probe: one request, every phase timed on its own (name, TCP, TLS, first byte, whole exchange) and the
// whole probe under the check's one timeout, which destroys the socket. Redirects are not followed, except to
// learn the HSTS in effect for an http:// URL (hsts-lookup.ts), and only when a check judges it. TLS is verified
// as a browser would, against the system store or a CA file that replaces it. Failures are facts with a reason.
// What a server says is not the auditor's to keep: the body is judged as it is read against the checks' own
// expectations, and the fact holds the outcome, its size and digest; headers only those the checks name.
import { createHash } from 'node:crypto';
import { checkServerIdentity, readCaFile } from './certificates.js';
import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { connect as netConnect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { durationText } from '../lib/duration.js';
import { errCode } from '../lib/errno.js';
import type { Hsts, HttpFact, HttpTimings, ProbeError } from './net-model.js';
import { SECURITY_HEADERS } from './net-model.js';
import { connectFailure, roundMs } from './tcp.js';
import { resolveToDial } from './dial.js';
import type { Admitted } from './dial.js';
import { match, unseen } from '../lib/match.js';
import type { Matcher } from '../lib/match.js';
import { invalidHttpTarget, urlHost, urlPort } from '../lib/targets.js';
import { lookupHsts } from './hsts-lookup.js';
import type { HopAnswer } from './hsts-lookup.js';

/** Enough of a page for a `match`; more is neither read nor judged. */
const BODY_LIMIT = 64 * 1024;

export interface HttpOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Bound of the whole probe: reading the CA file, resolving, the exchange and any redirects followed. */
  timeoutMs: number;
  /** A PEM file of trust anchors that replaces the system store. */
  caFile?: string;
  bodyLimit?: number;
  /** Follow an http:// URL's redirects to HTTPS and read the HSTS in effect there (`hstsLookup`). */
  followForHsts?: boolean;
  /** The checks' body expectations: the body is judged against each as it is read, and never kept. */
  body?: readonly Matcher[];
  /** Response headers the checks name (lower-cased): kept with SECURITY_HEADERS, every other one left out. */
  keepHeaders?: readonly string[];
  /** Networks admitted beyond the default (`--allow-target`): link-local and metadata addresses are refused. */
  allowTargets?: Admitted;
}

// ---------------------------------------------------------------------------------------------------------
// Validation: the pure validators live in src/lib/targets.ts, which the policy may import.
export { invalidHeaders, invalidHttpTarget, invalidMethod, invalidUrl } from '../lib/targets.js';

// ---------------------------------------------------------------------------------------------------------
// Pure readings

const hostOf = urlHost;

/** Header names lower-cased; a repeated header's values joined with ", " (RFC 9110's list form). */
export function headerMap(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    const v = raw[i + 1]!;
    out[k] = k in out ? `${out[k]}, ${v}` : v;
  }
  return out;
}

/** The first value of a header, as sent (headerMap joins repeats). */
function firstHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1];
  return undefined;
}

/** Strict-Transport-Security as RFC 6797 reads it: directives case-insensitive, max-age required. */
export function parseHsts(value: string): Hsts {
  const h: Hsts = { includeSubDomains: false, preload: false };
  let seenMaxAge = false;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq >= 0 ? part.slice(0, eq) : part).trim().toLowerCase();
    const arg =
      eq >= 0
        ? part
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1')
        : undefined;
    if (name === 'max-age') {
      // A second max-age makes the header invalid (the RFC says directives appear at most once).
      if (seenMaxAge) return { includeSubDomains: h.includeSubDomains, preload: h.preload };
      seenMaxAge = true;
      if (arg !== undefined && /^\d+$/.test(arg)) h.maxAge = Number(arg);
    } else if (name === 'includesubdomains') h.includeSubDomains = true;
    else if (name === 'preload') h.preload = true;
  }
  return h;
}

/** Where a 3xx response points, absolute; undefined for other statuses or an unusable Location. */
export function redirectTarget(status: number, location: string | undefined, base: string): string | undefined {
  if (status < 300 || status > 399 || location === undefined) return undefined;
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}

/** OpenSSL's own words (`wrong version number`) rather than a message carrying its source file and line. */
function wordsOf(e: Error): string {
  const r = (e as { reason?: unknown }).reason;
  return typeof r === 'string' && r !== '' ? r : e.message.split('\n')[0]!;
}

const CERT_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME/;

/** The stable code and words for what ended a request. */
export function httpFailure(code: string | undefined, message: string): ProbeError {
  const c = code ?? 'UNKNOWN';
  if (c.startsWith('HPE_')) return { code: 'NOT_HTTP', reason: `the answer is not HTTP (${c})` };
  if (CERT_CODE.test(c)) return { code: c, reason: `certificate not accepted: ${message}` };
  if (c === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message)) return { code: 'NOT_TLS', reason: 'the server did not answer TLS' };
  if (c.startsWith('ERR_SSL_') || c === 'EPROTO') return { code: c === 'EPROTO' ? 'TLS_HANDSHAKE' : c, reason: `the TLS handshake failed: ${message}` };
  if (c === 'ECONNRESET') {
    const hangup = message === 'socket hang up';
    return { code: 'ECONNRESET', reason: hangup ? 'the server closed the connection without a response' : 'connection reset by the server' };
  }
  if (c === 'EPIPE') return { code: 'ECONNRESET', reason: 'the server closed the connection while the request was sent' };
  return connectFailure(c, message).error;
}

// ---------------------------------------------------------------------------------------------------------
// The exchange

type Phase = 'connect' | 'tls' | 'response' | 'body';

interface Clock {
  start: number;
  resolved?: number;
  /** When the connect was made. */
  connecting?: number;
  connected?: number;
  secured?: number;
  /** When the request had been handed to the socket: building it is client work, not the server's. */
  sent?: number;
  firstByte?: number;
}

function timingsOf(c: Clock, end: number): HttpTimings {
  const t: HttpTimings = { totalMs: roundMs(end - c.start) };
  if (c.resolved !== undefined) t.dnsMs = roundMs(c.resolved - c.start);
  const dialled = c.connecting ?? c.resolved;
  if (c.connected !== undefined && dialled !== undefined) t.connectMs = roundMs(c.connected - dialled);
  if (c.secured !== undefined && c.connected !== undefined) t.tlsMs = roundMs(c.secured - c.connected);
  const ready = c.secured ?? c.connected;
  const asked = c.sent !== undefined && c.firstByte !== undefined && c.sent <= c.firstByte ? c.sent : ready;
  if (c.firstByte !== undefined && asked !== undefined) t.ttfbMs = roundMs(c.firstByte - asked);
  return t;
}

interface Exchange {
  url: URL;
  address: string;
  method: string;
  headers: Record<string, string>;
  ca?: string;
  bodyLimit: number;
  body: readonly Matcher[];
  keepHeaders: readonly string[];
  /** What is left of the probe's time for this exchange. */
  timeoutMs: number;
  /** The check's timeout, for the words of a reason. */
  checkTimeoutMs: number;
  clock: Clock;
  fact: HttpFact;
}

/**
 * One context per trust store for the probe's thread: building one loads the system's root certificates, work
 * that belongs to no request's timings and that every request would otherwise repeat.
 */
const contexts = new Map<string, SecureContext>();

function contextFor(ca: string | undefined): SecureContext {
  const key = ca ?? '';
  let c = contexts.get(key);
  if (!c) {
    c = createSecureContext(ca !== undefined ? { ca } : {});
    contexts.set(key, c);
  }
  return c;
}

/** The headers of `all` whose names are in `keep`. */
function kept(all: Record<string, string>, keep: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(all).filter(([k]) => keep.includes(k)));
}

function readResponse(x: Exchange, res: IncomingMessage, done: () => void): void {
  x.clock.firstByte = performance.now();
  x.fact.status = res.statusCode;
  const headers = headerMap(res.rawHeaders);
  x.fact.headers = kept(headers, x.keepHeaders);
  const target = redirectTarget(res.statusCode ?? 0, headers['location'], x.url.href);
  if (target) x.fact.redirectsTo = target;
  // RFC 6797 §8.1: over plain HTTP the header is ignored (it stays in `headers`, never as the HSTS in effect);
  // of several, a browser reads the first; one without a valid max-age it ignores.
  const first = firstHeader(res.rawHeaders, 'strict-transport-security');
  const hsts = first !== undefined && x.url.protocol === 'https:' ? parseHsts(first) : undefined;
  if (hsts?.maxAge !== undefined) x.fact.hsts = hsts;
  // Only what a body expectation needs is held, and only until it is judged.
  const chunks: Buffer[] = [];
  const digest = createHash('sha256');
  let size = 0;
  let truncated = false;
  let finished = false;
  const finishBody = (): void => {
    if (finished) return;
    finished = true;
    const text = x.body.length > 0 ? Buffer.concat(chunks).toString('utf8') : '';
    x.fact.body = {
      size: Math.min(size, x.bodyLimit),
      ...(truncated ? { truncated: true } : {}),
      sha256: digest.digest('hex'),
      judged: x.body.map((matcher) => ({ matcher, failures: match(text, matcher).failures.map(unseen) })),
    };
    done();
  };
  res.on('data', (c: Buffer) => {
    if (finished) return;
    const part = c.subarray(0, Math.max(0, x.bodyLimit - size));
    digest.update(part);
    if (x.body.length > 0) chunks.push(part);
    size += c.length;
    if (size > x.bodyLimit) {
      truncated = true;
      finishBody();
    }
  });
  res.once('end', finishBody);
}

/**
 * Runs the request; resolves once, on the first of response end, error or timeout, with everything closed. The
 * connection is made (and secured) before the request is built, each phase on its own, so the client's work of
 * the next phase never sits between a connect completing and its time being taken.
 */
function exchange(x: Exchange): Promise<void> {
  return new Promise((resolve) => {
    let phase: Phase = 'connect';
    let sock: Socket | undefined;
    let req: ClientRequest | undefined;
    let settled = false;
    const finish = (error?: ProbeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) x.fact.error = error;
      req?.destroy();
      sock?.destroy();
      resolve();
    };
    const fail = (e: Error): void => finish(httpFailure(errCode(e), wordsOf(e)));
    const timer = setTimeout(
      () => finish({ code: 'TIMEOUT', reason: `no answer within ${durationText(x.checkTimeoutMs)} (waiting for ${phaseWords(phase)})` }),
      x.timeoutMs,
    );
    // Built before the clock runs: the first one loads the system's root certificates.
    let secureContext: SecureContext | undefined;
    try {
      if (x.url.protocol === 'https:') secureContext = contextFor(x.ca);
    } catch (e) {
      return finish({ code: 'CA_FILE', reason: `the CA file holds no usable certificate (${e instanceof Error ? e.message : String(e)})` });
    }
    const send = (s: Socket): void => {
      phase = 'response';
      req = httpRequest(
        {
          path: `${x.url.pathname}${x.url.search}`,
          method: x.method,
          setHost: false,
          headers: { host: x.url.host, ...x.headers },
          // No agent: this one connection, already made, carries this one request.
          createConnection: () => s,
        },
        (res) => {
          phase = 'body';
          readResponse(x, res, () => finish());
          res.on('error', fail);
        },
      );
      req.once('finish', () => {
        x.clock.sent = performance.now();
      });
      req.on('error', fail);
      req.end();
    };
    const secure = (tcp: Socket, secureContext: SecureContext): void => {
      phase = 'tls';
      // The certificate is checked against the URL's host; SNI carries names only, so an IP-literal URL is
      // verified against the certificate's IP entries.
      const name = hostOf(x.url);
      const t = tlsConnect({ socket: tcp, host: name, secureContext, checkServerIdentity, ...(isIP(name) === 0 ? { servername: name } : {}) });
      sock = t;
      t.on('error', fail);
      t.once('secureConnect', () => {
        x.clock.secured = performance.now();
        send(t);
      });
    };
    const tcp = netConnect({ host: x.address, port: urlPort(x.url), autoSelectFamily: false });
    sock = tcp;
    x.clock.connecting = performance.now();
    // Node makes the connect on a later tick and says so.
    tcp.once('connectionAttempt', () => {
      x.clock.connecting = performance.now();
    });
    tcp.on('error', fail);
    tcp.once('connect', () => {
      x.clock.connected = performance.now();
      if (secureContext) secure(tcp, secureContext);
      else send(tcp);
    });
  });
}

function phaseWords(p: Phase): string {
  return { connect: 'the TCP handshake', tls: 'the TLS handshake', response: 'the first byte of the response', body: 'the rest of the body' }[p];
}

interface Request {
  url: URL;
  method: string;
  headers: Record<string, string>;
  ca?: string;
  bodyLimit: number;
  body: readonly Matcher[];
  keepHeaders: readonly string[];
  allowTargets: Admitted;
  /** When the whole probe must be over, on performance.now()'s clock. */
  deadline: number;
  /** The check's timeout, for the words of a reason. */
  timeoutMs: number;
}

/**
 * Resolves the URL's host and runs the exchange into `fact`, every step under what is left before the deadline.
 * A redirect followed comes here too, so one to a refused address is refused as the URL itself would be.
 */
async function requestInto(r: Request, fact: HttpFact, clock: Clock): Promise<void> {
  const resolved = await resolveToDial(hostOf(r.url), Math.max(1, r.deadline - performance.now()), r.allowTargets);
  if (!Array.isArray(resolved)) {
    fact.error = resolved;
    return;
  }
  clock.resolved = performance.now();
  const first = resolved[0]!;
  fact.address = first.address;
  const x: Exchange = {
    url: r.url,
    address: first.address,
    method: r.method,
    headers: r.headers,
    bodyLimit: r.bodyLimit,
    body: r.body,
    keepHeaders: r.keepHeaders,
    timeoutMs: Math.max(1, r.deadline - performance.now()),
    checkTimeoutMs: r.timeoutMs,
    clock,
    fact,
  };
  if (r.ca !== undefined) x.ca = r.ca;
  await exchange(x);
}

/**
 * One redirect hop for the HSTS lookup: status, Location and HSTS, no body kept. The check's own headers go
 * only to its own host, as curl keeps credentials from other hosts.
 */
function hopper(origin: URL, base: Omit<Request, 'url' | 'method' | 'bodyLimit' | 'body' | 'keepHeaders'>) {
  return async (url: URL, method: string): Promise<HopAnswer> => {
    const fact: HttpFact = { url: url.href, method, headers: {}, timings: { totalMs: 0 } };
    const headers = url.host === origin.host ? base.headers : {};
    await requestInto({ ...base, url, method, headers, bodyLimit: 0, body: [], keepHeaders: [] }, fact, { start: performance.now() });
    const a: HopAnswer = {};
    if (fact.status !== undefined) a.status = fact.status;
    if (fact.redirectsTo !== undefined) a.redirectsTo = fact.redirectsTo;
    if (fact.hsts !== undefined) a.hsts = fact.hsts;
    if (fact.error !== undefined && fact.status === undefined) a.error = fact.error;
    return a;
  };
}

export async function probeHttp(opts: HttpOptions): Promise<HttpFact> {
  const started = performance.now();
  const deadline = started + opts.timeoutMs;
  const method = (opts.method ?? 'GET').toUpperCase();
  const fact: HttpFact = { url: opts.url, method, headers: {}, timings: { totalMs: 0 } };
  const bad = invalidHttpTarget({ url: opts.url, method, headers: opts.headers });
  if (bad) return { ...fact, error: { code: 'INVALID', reason: bad } };
  const ca = opts.caFile === undefined ? undefined : await readCaFile(opts.caFile);
  if (typeof ca === 'object') return { ...fact, error: ca };
  const url = new URL(opts.url);
  const base = { headers: opts.headers ?? {}, deadline, timeoutMs: opts.timeoutMs, allowTargets: opts.allowTargets ?? [], ...(ca !== undefined ? { ca } : {}) };
  const clock: Clock = { start: performance.now() };
  const keepHeaders = [...new Set([...(opts.keepHeaders ?? []).map((h) => h.toLowerCase()), ...SECURITY_HEADERS])].sort();
  fact.headersKept = keepHeaders;
  await requestInto({ ...base, url, method, bodyLimit: opts.bodyLimit ?? BODY_LIMIT, body: opts.body ?? [], keepHeaders }, fact, clock);
  fact.timings = timingsOf(clock, performance.now());
  if (opts.followForHsts && url.protocol === 'http:' && fact.status !== undefined) {
    const start = { url: fact.url, method, status: fact.status, ...(fact.redirectsTo !== undefined ? { redirectsTo: fact.redirectsTo } : {}) };
    fact.hstsLookup = await lookupHsts(start, hopper(url, base), deadline);
  }
  return fact;
}
