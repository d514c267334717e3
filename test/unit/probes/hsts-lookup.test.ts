// The walk that finds the HSTS in effect for an http:// URL, over a fake `hop` (no network): where it stops, what
// it reads, how many redirects it follows, which method it sends, and that it stops at its deadline.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { MAX_HSTS_REDIRECTS, lookupHsts, methodAfter } from '../../../src/probes/hsts-lookup.js';
import type { Hop, HopAnswer } from '../../../src/probes/hsts-lookup.js';

const TWO_YEARS = { maxAge: 63072000, includeSubDomains: true, preload: false };
const later = (): number => performance.now() + 60_000;

/** A hop that answers from a table by URL and records what it was asked. */
function site(answers: Record<string, HopAnswer>): Hop & { asked: string[] } {
  const asked: string[] = [];
  const hop = (async (url: URL, method: string) => {
    asked.push(`${method} ${url.href}`);
    return answers[url.href] ?? { error: { code: 'ECONNREFUSED', reason: 'connection refused' } };
  }) as Hop & { asked: string[] };
  hop.asked = asked;
  return hop;
}

describe('lookupHsts', () => {
  it('a URL that does not redirect ends over plain HTTP: NO_HTTPS, nothing asked', async () => {
    const hop = site({});
    const l = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 200 }, hop, later());
    expect(l).toEqual({ hops: [], error: { code: 'NO_HTTPS', reason: 'http://x.test/ does not redirect to HTTPS' } });
    expect(hop.asked).toEqual([]);
  });

  it('reads HSTS where the redirects end over HTTPS, after every hop', async () => {
    const hop = site({
      'http://www.x.test/': { status: 301, redirectsTo: 'https://www.x.test/' },
      'https://www.x.test/': { status: 302, redirectsTo: 'https://www.x.test/home' },
      'https://www.x.test/home': { status: 200, hsts: TWO_YEARS },
    });
    const l = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 301, redirectsTo: 'http://www.x.test/' }, hop, later());
    expect(l).toEqual({
      hops: [
        { url: 'http://www.x.test/', status: 301 },
        { url: 'https://www.x.test/', status: 302 },
        { url: 'https://www.x.test/home', status: 200 },
      ],
      readFrom: 'https://www.x.test/home',
      hsts: TWO_YEARS,
    });
  });

  it('an HTTPS end without the header is read, with no hsts', async () => {
    const l = await lookupHsts(
      { url: 'http://x.test/', method: 'GET', status: 301, redirectsTo: 'https://x.test/' },
      site({ 'https://x.test/': { status: 200 } }),
      later(),
    );
    expect(l).toEqual({ hops: [{ url: 'https://x.test/', status: 200 }], readFrom: 'https://x.test/' });
  });

  it('HTTPS on the way that ends over plain HTTP is no HSTS', async () => {
    const hop = site({ 'https://x.test/': { status: 301, redirectsTo: 'http://y.test/', hsts: TWO_YEARS }, 'http://y.test/': { status: 200 } });
    const l = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 301, redirectsTo: 'https://x.test/' }, hop, later());
    expect(l.readFrom).toBeUndefined();
    expect(l.error).toEqual({ code: 'NO_HTTPS', reason: 'the redirects from http://x.test/ end at http://y.test/, over plain HTTP' });
  });

  it(`follows at most ${MAX_HSTS_REDIRECTS} redirects`, async () => {
    const hop = site({ 'http://x.test/': { status: 302, redirectsTo: 'http://x.test/' } });
    const l = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 302, redirectsTo: 'http://x.test/' }, hop, later());
    expect(hop.asked).toHaveLength(MAX_HSTS_REDIRECTS);
    expect(l.error).toEqual({ code: 'TOO_MANY_REDIRECTS', reason: `http://x.test/ does not reach an HTTPS response within ${MAX_HSTS_REDIRECTS} redirects` });
  });

  it('a hop without a response ends the walk with its error; a redirect elsewhere than HTTP(S) is NO_HTTPS', async () => {
    const refused = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 301, redirectsTo: 'https://x.test/' }, site({}), later());
    expect(refused).toEqual({ hops: [{ url: 'https://x.test/' }], error: { code: 'ECONNREFUSED', reason: 'connection refused' } });
    const ftp = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 301, redirectsTo: 'ftp://x.test/' }, site({}), later());
    expect(ftp.error?.code).toBe('NO_HTTPS');
  });

  it('asks nothing once the deadline has passed', async () => {
    const hop = site({ 'https://x.test/': { status: 200, hsts: TWO_YEARS } });
    const l = await lookupHsts({ url: 'http://x.test/', method: 'GET', status: 301, redirectsTo: 'https://x.test/' }, hop, performance.now() - 1);
    expect(hop.asked).toEqual([]);
    expect(l.error?.code).toBe('TIMEOUT');
  });

  it('sends the method a client sends after each redirect', async () => {
    const hop = site({ 'https://x.test/a': { status: 307, redirectsTo: 'https://x.test/b' }, 'https://x.test/b': { status: 200 } });
    await lookupHsts({ url: 'http://x.test/', method: 'POST', status: 301, redirectsTo: 'https://x.test/a' }, hop, later());
    expect(hop.asked).toEqual(['GET https://x.test/a', 'GET https://x.test/b']);
    expect([methodAfter(303, 'PUT'), methodAfter(303, 'HEAD'), methodAfter(308, 'POST'), methodAfter(302, 'HEAD')]).toEqual(['GET', 'HEAD', 'POST', 'HEAD']);
  });
});
