// The HSTS in effect for an http:// URL, read where a browser reads it. RFC 6797 §8.1: a Strict-Transport-Security
// header received over plain HTTP is ignored, so only the HTTPS response that redirects lead to can set one. The
// walk is pure over a `hop` function (one request, no redirects followed), so it is tested without a network.
import { performance } from 'node:perf_hooks';
import type { Hsts, HstsLookup, HttpHop, ProbeError } from './net-model.js';

/** Redirects followed at most: enough for http → https → canonical host → path, short of a loop's cost. */
export const MAX_HSTS_REDIRECTS = 5;

/** What one request met: its status and, for a 3xx, where it points (absolute); HSTS only over HTTPS. */
export interface HopAnswer {
  status?: number;
  redirectsTo?: string;
  hsts?: Hsts;
  error?: ProbeError;
}

/** One request to `url`, bounded by the lookup's deadline (the caller's). */
export type Hop = (url: URL, method: string) => Promise<HopAnswer>;

/** Where the lookup starts: the probe's own request and what answered it. */
export interface HstsStart {
  url: string;
  method: string;
  status: number;
  redirectsTo?: string;
}

/** The method a client sends after a redirect: 303 makes it GET (HEAD stays HEAD), and 301/302 turn POST into GET. */
export function methodAfter(status: number, method: string): string {
  if (status === 303) return method === 'HEAD' ? 'HEAD' : 'GET';
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  return method;
}

const isHttps = (url: string): boolean => /^https:/i.test(url);

/**
 * Follows the redirects from an http:// response to their end (at most MAX_HSTS_REDIRECTS, all before
 * `deadline` on performance.now()'s clock) and reads HSTS there when that end is an HTTPS response.
 */
export async function lookupHsts(start: HstsStart, hop: Hop, deadline: number): Promise<HstsLookup> {
  const hops: HttpHop[] = [];
  let url = start.url;
  let method = start.method;
  let status = start.status;
  let next = start.redirectsTo;
  let hsts: Hsts | undefined;
  for (;;) {
    if (next === undefined) {
      if (isHttps(url)) return { hops, readFrom: url, ...(hsts !== undefined ? { hsts } : {}) };
      const reason = hops.length === 0 ? `${start.url} does not redirect to HTTPS` : `the redirects from ${start.url} end at ${url}, over plain HTTP`;
      return { hops, error: { code: 'NO_HTTPS', reason } };
    }
    if (!/^https?:/i.test(next)) return { hops, error: { code: 'NO_HTTPS', reason: `${url} redirects to ${next}, which is not HTTP(S)` } };
    if (hops.length >= MAX_HSTS_REDIRECTS) {
      return { hops, error: { code: 'TOO_MANY_REDIRECTS', reason: `${start.url} does not reach an HTTPS response within ${MAX_HSTS_REDIRECTS} redirects` } };
    }
    method = methodAfter(status, method);
    if (deadline - performance.now() <= 0) return { hops, error: { code: 'TIMEOUT', reason: `the timeout ran out before ${next} was asked` } };
    const a = await hop(new URL(next), method);
    hops.push({ url: next, ...(a.status !== undefined ? { status: a.status } : {}) });
    if (a.status === undefined) return { hops, error: a.error ?? { code: 'UNKNOWN', reason: `${next} gave no response` } };
    url = next;
    status = a.status;
    next = a.redirectsTo;
    hsts = a.hsts;
  }
}
