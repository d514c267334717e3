// The pure parts of the TCP, DNS and HTTP probes: percentiles, validation the policy will call, header and HSTS
// readings, answer normalisation and the words for failures. No network here.
import { describe, expect, it } from 'vitest';
import { connectFailure, invalidHost, invalidPort, invalidSamples, invalidTcpTarget, latencyStats, percentile, probeTcp } from '../../../src/probes/tcp.js';
import { dnsFailure, invalidDnsQuery, invalidDnsServer, normaliseAnswer, probeDns, sortAnswers } from '../../../src/probes/dns.js';
import {
  headerMap,
  httpFailure,
  invalidHeaders,
  invalidHttpTarget,
  invalidMethod,
  invalidUrl,
  parseHsts,
  probeHttp,
  redirectTarget,
} from '../../../src/probes/http.js';

describe('percentiles', () => {
  it('uses the nearest rank, whatever the order', () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 95)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('summarises samples as count, p50, p95 and max', () => {
    const v = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(latencyStats(v)).toEqual({ count: 20, p50Ms: 10, p95Ms: 19, maxMs: 20 });
    expect(latencyStats([])).toBeUndefined();
  });
});

describe('TCP target validation', () => {
  it('accepts names and addresses', () => {
    expect(invalidHost('example.com')).toBeUndefined();
    expect(invalidHost('example.com.')).toBeUndefined();
    expect(invalidHost('198.18.112.2')).toBeUndefined();
    expect(invalidHost('::1')).toBeUndefined();
    expect(invalidHost('[::1]')).toBeUndefined();
    expect(invalidTcpTarget({ host: 'db.internal', port: 5432, samples: 10 })).toBeUndefined();
  });

  it('says why a host, port or sample count is unusable', () => {
    expect(invalidHost('')).toMatch(/empty/);
    expect(invalidHost('bad_-.host..com')).toMatch(/not a valid host name/);
    // Internationalised names are valid as their punycode form is.
    expect(invalidHost('bücher.example')).toBeUndefined();
    expect(invalidHost('xn--bcher-kva.example')).toBeUndefined();
    expect(invalidHost('bü_cher..example')).toMatch(/not a valid/);
    expect(invalidHost('-lead.example')).toMatch(/not a valid host name/);
    expect(invalidHost('1:2:3')).toMatch(/not an IP address/);
    // inet_aton's shorthands, which a resolver would read as other addresses (1.2.3 is 1.2.0.3, 127.1 is 127.0.0.1).
    for (const h of ['1.2.3', '127.1', '0x7f.1', '3232235777', '10.0.0.1.'])
      expect(invalidHost(h), h).toBe(`"${h}" is not an IP address: write all four parts, like 192.0.2.1`);
    for (const h of ['123.example', '1.2.3.example', 'a1.2']) expect(invalidHost(h), h).toBeUndefined();
    expect(invalidHost('a'.repeat(64) + '.com')).toMatch(/not a valid host name/);
    expect(invalidHost(`${'a.'.repeat(127)}com`)).toMatch(/longer/);
    expect(invalidPort(0)).toBe('port 0 is not 1-65535');
    expect(invalidPort(65536)).toMatch(/not 1-65535/);
    expect(invalidPort(80.5)).toMatch(/not 1-65535/);
    expect(invalidPort('80')).toMatch(/not 1-65535/);
    expect(invalidSamples(0)).toMatch(/not 1-100/);
    expect(invalidSamples(101)).toMatch(/not 1-100/);
    expect(invalidSamples(undefined)).toBeUndefined();
    expect(invalidTcpTarget({ host: 'ok.example', port: 70000 })).toMatch(/port 70000/);
  });

  it('maps connect errors to verdicts, keeping unreachable and prohibited apart from a drop', () => {
    expect(connectFailure('ECONNREFUSED')).toEqual({ connect: 'refused', error: { code: 'ECONNREFUSED', reason: 'connection refused' } });
    expect(connectFailure('TIMEOUT').connect).toBe('filtered');
    expect(connectFailure('TIMEOUT').error.reason).toMatch(/timeout/);
    for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'EACCES']) {
      const f = connectFailure(code);
      expect(f.connect).toBe('filtered');
      expect(f.error.code).toBe(code);
      expect(f.error.reason).not.toMatch(/timeout/);
    }
    expect(connectFailure('EWEIRD', 'something odd')).toEqual({ connect: 'filtered', error: { code: 'EWEIRD', reason: 'something odd' } });
  });

  it('returns an invalid target as a fact, without touching the network', async () => {
    const f = await probeTcp({ host: 'x..y', port: 80, timeoutMs: 100 });
    expect(f.addresses).toEqual([]);
    expect(f.error?.code).toBe('INVALID');
  });
});

describe('DNS query validation', () => {
  it('accepts servers with and without ports', () => {
    for (const s of ['198.18.112.2', '198.18.112.2:5353', '::1', '[::1]', '[fd00::53]:53']) expect(invalidDnsServer(s)).toBeUndefined();
  });

  it('says why a server, type or name is unusable', () => {
    expect(invalidDnsServer('ns1.example.com')).toMatch(/not an IP address/);
    expect(invalidDnsServer('198.18.112.2:0')).toMatch(/port 0/);
    expect(invalidDnsServer('198.18.112.2:99999')).toMatch(/port 99999/);
    expect(invalidDnsServer('[nope]:53')).toMatch(/not an IP address/);
    expect(invalidDnsQuery({ name: 'example.com', type: 'PTR' })).toMatch(/PTR is not one of A, AAAA/);
    expect(invalidDnsQuery({ name: '', type: 'A' })).toMatch(/empty/);
    expect(invalidDnsQuery({ name: 'example.com', server: 53 })).toMatch(/address/);
    expect(invalidDnsQuery({ name: 'example.com', type: 'MX', server: '127.0.0.1' })).toBeUndefined();
  });

  it('returns an invalid query as a fact', async () => {
    const f = await probeDns({ name: 'example.com', server: 'dns.example', timeoutMs: 100 });
    expect(f).toMatchObject({ resolves: false, answers: [], error: { code: 'INVALID' } });
  });
});

describe('DNS answer normalisation', () => {
  it('writes addresses canonically and keeps TTLs', () => {
    expect(normaliseAnswer('AAAA', { address: '2001:DB8:0:0:0:0:0:1', ttl: 300 })).toEqual({ type: 'AAAA', value: '2001:db8::1', ttl: 300 });
    expect(normaliseAnswer('A', '198.18.112.2')).toEqual({ type: 'A', value: '198.18.112.2' });
  });

  it('gives every type one comparable value', () => {
    expect(normaliseAnswer('MX', { priority: 10, exchange: 'Mail.Example.COM.' })).toEqual({
      type: 'MX',
      value: '10 mail.example.com',
      priority: 10,
      target: 'mail.example.com',
    });
    expect(normaliseAnswer('TXT', ['v=spf1 ', '-all'])).toEqual({ type: 'TXT', value: 'v=spf1 -all' });
    expect(normaliseAnswer('CNAME', 'WWW.example.com.')).toEqual({ type: 'CNAME', value: 'www.example.com' });
    expect(normaliseAnswer('NS', 'ns1.example.com')).toEqual({ type: 'NS', value: 'ns1.example.com' });
    expect(normaliseAnswer('SRV', { priority: 0, weight: 5, port: 443, name: 'Web.example.com' })).toEqual({
      type: 'SRV',
      value: '0 5 443 web.example.com',
      priority: 0,
      weight: 5,
      port: 443,
      target: 'web.example.com',
    });
    expect(normaliseAnswer('CAA', { critical: 0, issue: 'letsencrypt.org' })).toEqual({
      type: 'CAA',
      value: '0 issue "letsencrypt.org"',
      tag: 'issue',
      critical: 0,
    });
    expect(normaliseAnswer('CAA', { critical: 128, iodef: 'mailto:sec@example.com' }).value).toBe('128 iodef "mailto:sec@example.com"');
  });

  it('sorts answers by value so rotation does not change a snapshot', () => {
    const a = [normaliseAnswer('A', '10.0.0.2'), normaliseAnswer('A', '10.0.0.1')];
    expect(sortAnswers(a).map((x) => x.value)).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('names resolver failures by their DNS meaning', () => {
    expect(dnsFailure('ENOTFOUND').code).toBe('NXDOMAIN');
    expect(dnsFailure('ESERVFAIL').code).toBe('SERVFAIL');
    expect(dnsFailure('ETIMEOUT').code).toBe('TIMEOUT');
    expect(dnsFailure('EREFUSED').code).toBe('REFUSED');
    expect(dnsFailure('ENODATA').code).toBe('NODATA');
    expect(dnsFailure(undefined).code).toBe('UNKNOWN');
  });
});

describe('HTTP target validation', () => {
  it('accepts http and https URLs', () => {
    expect(invalidUrl('https://example.com/health')).toBeUndefined();
    expect(invalidUrl('http://[::1]:8080/')).toBeUndefined();
    expect(invalidUrl('http://198.18.112.2:8080/x?y=1')).toBeUndefined();
  });

  it('says why a URL, method or header is unusable', () => {
    expect(invalidUrl('example.com/health')).toBe('"example.com/health" has no scheme: write "https://example.com/health" (or http://)');
    expect(invalidUrl('ftp://example.com/')).toMatch(/http or https, not ftp/);
    expect(invalidUrl('http://exa mple.com/')).toMatch(/not a valid URL/);
    expect(invalidUrl('http://example.com:99999/')).toMatch(/not a valid URL/);
    expect(invalidUrl('')).toMatch(/URL is needed/);
    expect(invalidMethod('GE T')).toMatch(/not a method name/);
    expect(invalidMethod('HEAD')).toBeUndefined();
    expect(invalidHeaders({ 'x-ok': 'yes' })).toBeUndefined();
    expect(invalidHeaders({ 'bad name': 'x' })).toMatch(/not a header name/);
    expect(invalidHeaders({ 'x-inject': 'a\r\nb: c' })).toMatch(/one line/);
    expect(invalidHeaders(['x'])).toMatch(/map/);
    expect(invalidHttpTarget({ url: 'https://example.com', method: 'GET', headers: { accept: 'text/html' } })).toBeUndefined();
  });

  it('returns an invalid URL as a fact', async () => {
    const f = await probeHttp({ url: 'example.com', timeoutMs: 100 });
    expect(f.error).toMatchObject({ code: 'INVALID', reason: expect.stringMatching(/no scheme/) });
  });
});

describe('HTTP readings', () => {
  it('lower-cases header names and joins repeats', () => {
    expect(headerMap(['Content-Type', 'text/html', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2'])).toEqual({
      'content-type': 'text/html',
      'set-cookie': 'a=1, b=2',
    });
  });

  it('parses HSTS as RFC 6797 does', () => {
    expect(parseHsts('max-age=63072000; includeSubDomains; preload')).toEqual({ maxAge: 63072000, includeSubDomains: true, preload: true });
    expect(parseHsts('MAX-AGE="300"')).toEqual({ maxAge: 300, includeSubDomains: false, preload: false });
    expect(parseHsts('includeSubDomains')).toEqual({ includeSubDomains: true, preload: false });
    expect(parseHsts('max-age=abc').maxAge).toBeUndefined();
    expect(parseHsts('max-age=1; max-age=2').maxAge).toBeUndefined();
  });

  it('resolves a redirect target against the request URL, only for 3xx', () => {
    expect(redirectTarget(301, '/new', 'http://a.example/old?q')).toBe('http://a.example/new');
    expect(redirectTarget(302, 'https://b.example/x', 'http://a.example/')).toBe('https://b.example/x');
    expect(redirectTarget(308, '../up', 'http://a.example/a/b/c')).toBe('http://a.example/a/up');
    expect(redirectTarget(200, '/new', 'http://a.example/')).toBeUndefined();
    expect(redirectTarget(301, undefined, 'http://a.example/')).toBeUndefined();
  });

  it('names what ended a request', () => {
    expect(httpFailure('HPE_INVALID_CONSTANT', 'Parse Error').code).toBe('NOT_HTTP');
    expect(httpFailure('CERT_HAS_EXPIRED', 'certificate has expired')).toEqual({
      code: 'CERT_HAS_EXPIRED',
      reason: 'certificate not accepted: certificate has expired',
    });
    expect(httpFailure('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate').code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(httpFailure('ERR_TLS_CERT_ALTNAME_INVALID', 'altname').code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(httpFailure('EPROTO', 'wrong version number').code).toBe('NOT_TLS');
    expect(httpFailure('ECONNRESET', 'socket hang up').reason).toMatch(/without a response/);
    expect(httpFailure('ECONNRESET', 'read ECONNRESET').reason).toMatch(/reset/);
    expect(httpFailure('ECONNREFUSED', 'x').code).toBe('ECONNREFUSED');
    expect(httpFailure('EHOSTUNREACH', 'x').code).toBe('EHOSTUNREACH');
  });
});
