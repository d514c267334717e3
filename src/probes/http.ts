// The HTTP probe: one request, no redirects followed, every phase timed on its own (name, TCP, TLS, first byte,
// whole exchange) and the whole of it under one timeout that destroys the socket. TLS is verified as a browser
// would, against the system store or a CA file that replaces it. Failures are facts with a reason.
import { readCaFile } from './certificates.js';
import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { errCode } from '../lib/errno.js';
import type { Hsts, HttpFact, HttpTimings, ProbeError } from './net-model.js';
import { connectFailure, resolveHost, roundMs } from './tcp.js';
import { invalidHttpTarget, urlHost } from '../lib/targets.js';

/** Enough of a page for a `match`; more would bloat the snapshot. */
const BODY_LIMIT = 64 * 1024;

export interface HttpOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** A PEM file of trust anchors that replaces the system store. */
  caFile?: string;
  bodyLimit?: number;
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

/** Strict-Transport-Security as RFC 6797 reads it: directives case-insensitive, max-age required. */
export function parseHsts(value: string): Hsts {
  const h: Hsts = { includeSubDomains: false, preload: false };
  let seenMaxAge = false;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    const name = (eq >= 0 ? part.slice(0, eq) : part).trim().toLowerCase();
    const arg = eq >= 0 ? part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1') : undefined;
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
  connected?: number;
  secured?: number;
  firstByte?: number;
}

function timingsOf(c: Clock, end: number): HttpTimings {
  const t: HttpTimings = { totalMs: roundMs(end - c.start) };
  if (c.resolved !== undefined) t.dnsMs = roundMs(c.resolved - c.start);
  if (c.connected !== undefined && c.resolved !== undefined) t.connectMs = roundMs(c.connected - c.resolved);
  if (c.secured !== undefined && c.connected !== undefined) t.tlsMs = roundMs(c.secured - c.connected);
  const ready = c.secured ?? c.connected;
  if (c.firstByte !== undefined && ready !== undefined) t.ttfbMs = roundMs(c.firstByte - ready);
  return t;
}

interface Exchange {
  url: URL;
  address: string;
  family: 4 | 6;
  method: string;
  headers: Record<string, string>;
  ca?: string;
  bodyLimit: number;
  timeoutMs: number;
  clock: Clock;
  fact: HttpFact;
}

function requestOptions(x: Exchange): RequestOptions & { servername?: string; ca?: string } {
  const name = hostOf(x.url);
  const opts: RequestOptions & { servername?: string; ca?: string } = {
    host: x.address,
    family: x.family,
    port: x.url.port === '' ? (x.url.protocol === 'https:' ? 443 : 80) : Number(x.url.port),
    path: `${x.url.pathname}${x.url.search}`,
    method: x.method,
    setHost: false,
    headers: { host: x.url.host, ...x.headers },
    agent: false,
  };
  // SNI carries names only; an IP-literal URL is verified against the certificate's IP entries.
  if (x.url.protocol === 'https:' && isIP(name) === 0) opts.servername = name;
  if (x.ca !== undefined) opts.ca = x.ca;
  return opts;
}

function readResponse(x: Exchange, res: IncomingMessage, done: () => void): void {
  x.clock.firstByte = performance.now();
  x.fact.status = res.statusCode;
  x.fact.headers = headerMap(res.rawHeaders);
  const target = redirectTarget(res.statusCode ?? 0, x.fact.headers['location'], x.url.href);
  if (target) x.fact.redirectsTo = target;
  const hsts = x.fact.headers['strict-transport-security'];
  if (hsts !== undefined) x.fact.hsts = parseHsts(hsts);
  const chunks: Buffer[] = [];
  let size = 0;
  const finishBody = (): void => {
    x.fact.body = Buffer.concat(chunks).toString('utf8');
    done();
  };
  res.on('data', (c: Buffer) => {
    const room = x.bodyLimit - size;
    chunks.push(c.subarray(0, Math.max(0, room)));
    size += c.length;
    if (size > x.bodyLimit) {
      x.fact.bodyTruncated = true;
      finishBody();
    }
  });
  res.once('end', finishBody);
}

/** Runs the request; resolves once, on the first of response end, error or timeout, with everything closed. */
function exchange(x: Exchange): Promise<void> {
  return new Promise((resolve) => {
    let phase: Phase = 'connect';
    let req: ClientRequest | undefined;
    let settled = false;
    const finish = (error?: ProbeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) x.fact.error = error;
      req?.destroy();
      resolve();
    };
    const timer = setTimeout(() => finish({ code: 'TIMEOUT', reason: `no answer within the timeout (waiting for ${phaseWords(phase)})` }), x.timeoutMs);
    const send = x.url.protocol === 'https:' ? httpsRequest : httpRequest;
    req = send(requestOptions(x), (res) => {
      phase = 'body';
      readResponse(x, res, () => finish());
      res.once('error', (e) => finish(httpFailure(errCode(e), wordsOf(e))));
    });
    req.once('socket', (s: Socket) => {
      s.once('connect', () => {
        x.clock.connected = performance.now();
        phase = x.url.protocol === 'https:' ? 'tls' : 'response';
      });
      s.once('secureConnect', () => {
        x.clock.secured = performance.now();
        phase = 'response';
      });
    });
    req.once('error', (e) => finish(httpFailure(errCode(e), wordsOf(e))));
    req.end();
  });
}

function phaseWords(p: Phase): string {
  return { connect: 'the TCP handshake', tls: 'the TLS handshake', response: 'the first byte of the response', body: 'the rest of the body' }[p];
}

export async function probeHttp(opts: HttpOptions): Promise<HttpFact> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const fact: HttpFact = { url: opts.url, method, headers: {}, timings: { totalMs: 0 } };
  const bad = invalidHttpTarget({ url: opts.url, method, headers: opts.headers });
  if (bad) return { ...fact, error: { code: 'INVALID', reason: bad } };
  const ca = opts.caFile === undefined ? undefined : await readCaFile(opts.caFile);
  if (typeof ca === 'object') return { ...fact, error: ca };
  const url = new URL(opts.url);
  const clock: Clock = { start: performance.now() };
  const resolved = await resolveHost(hostOf(url), opts.timeoutMs);
  if (!Array.isArray(resolved)) return { ...fact, error: resolved, timings: timingsOf(clock, performance.now()) };
  clock.resolved = performance.now();
  const first = resolved[0]!;
  fact.address = first.address;
  const x: Exchange = {
    url,
    address: first.address,
    family: first.family,
    method,
    headers: opts.headers ?? {},
    bodyLimit: opts.bodyLimit ?? BODY_LIMIT,
    timeoutMs: Math.max(1, opts.timeoutMs - (clock.resolved - clock.start)),
    clock,
    fact,
  };
  if (ca !== undefined) x.ca = ca;
  await exchange(x);
  fact.timings = timingsOf(clock, performance.now());
  return fact;
}
