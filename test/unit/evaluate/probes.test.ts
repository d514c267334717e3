// TCP, DNS and HTTP checks: the plan runs one probe per endpoint, evaluation judges hand-built probe facts
// (pure, no network), a failing lower probe is the cause of the failing probes above it, and what the probes keep
// and refuse is judged as such.
import { describe, expect, it } from 'vitest';
import { evaluateWorded as evaluate } from '../../helpers/worded.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { WordedResult as Result } from '../../helpers/worded.js';
import { plan } from '../../../src/plan/plan.js';
import { pingKey } from '../../../src/plan/pings.js';
import { checksPolicyFn } from '../policy/helpers.js';

const NOW = new Date('2026-11-25T00:00:00Z');
const policy = await checksPolicyFn();

function facts(probes: FactsSnapshot['probes']): FactsSnapshot {
  return { schema: 'plumbline/facts/v1', host: { hostname: 'h', kernel: 'k', collectedAt: NOW.toISOString(), transport: 'local' }, probes };
}

function byId(rs: Result[]): Record<string, Result> {
  return Object.fromEntries(rs.map((r) => [r.id, r]));
}

const open = (address: string, ms: number[] = [1.5]) => ({
  address,
  family: (address.includes(':') ? 6 : 4) as 4 | 6,
  connect: 'open' as const,
  attempts: ms.length,
  succeeded: ms.length,
  latency: { count: ms.length, p50Ms: ms[Math.ceil(ms.length / 2) - 1]!, p95Ms: Math.max(...ms), maxMs: Math.max(...ms) },
});

describe('plan: one probe per endpoint', () => {
  it('deduplicates checks of the same endpoint, with the longest timeout and the most samples', () => {
    const p = policy(
      'id: a, tcp: { host: DB.example, port: 5432 }, expect: { connect: open }',
      'id: b, tcp: { host: "db.example.", port: 5432, samples: 5 }, timeout: 5s, expect: { latencyMs: { p95: { lte: 50 } } }',
      'id: c, tcp: { host: db.example, port: 5433 }, expect: { connect: refused }',
      'id: d, dns: { name: db.example }, expect: { resolves: true }',
      'id: e, dns: { name: db.example, type: A }, timeout: 3s, expect: { latencyMs: { lt: 100 } }',
      'id: f, http: { url: "http://db.example/" }, expect: { status: 200, body: { match: "ok", contains: up }, headers: { X-Api: { exists: true } } }',
      'id: g, http: { url: "http://db.example/", method: get }, expect: { status: { lt: 400 }, body: { contains: up, match: "ok" }, headers: { Server: { exists: false } } }',
      'id: g2, http: { url: "http://db.example/" }, expect: { body: { match: "^<!doctype" } }',
      'id: h, http: { url: "http://db.example/", method: HEAD }, expect: { status: 200, timings: { connectMs: { lt: 50 } } }',
      'id: i, tcp: { host: "::1", port: 22 }, expect: { connect: open }',
    );
    expect(plan(p.checks, p.defaults.timeout).probes).toEqual([
      { kind: 'dns', key: 'dns db.example A', name: 'db.example', type: 'A', timeoutMs: 3000 },
      // The body expectations, each once whatever the order of its operators, and the headers the checks name.
      {
        kind: 'http',
        key: 'http GET http://db.example/',
        url: 'http://db.example/',
        method: 'GET',
        followForHsts: false,
        timed: false,
        body: [{ match: 'ok', contains: 'up' }, { match: '^<!doctype' }],
        keepHeaders: ['server', 'x-api'],
        timeoutMs: 2000,
      },
      // A check judges its timings: the probe gets its endpoint to itself.
      {
        kind: 'http',
        key: 'http HEAD http://db.example/',
        url: 'http://db.example/',
        method: 'HEAD',
        followForHsts: false,
        timed: true,
        body: [],
        keepHeaders: [],
        timeoutMs: 2000,
      },
      { kind: 'tcp', key: 'tcp [::1]:22', host: '::1', port: 22, samples: 1, timed: false, timeoutMs: 2000 },
      { kind: 'tcp', key: 'tcp db.example:5432', host: 'DB.example', port: 5432, samples: 5, timed: true, timeoutMs: 5000 },
      { kind: 'tcp', key: 'tcp db.example:5433', host: 'db.example', port: 5433, samples: 1, timed: false, timeoutMs: 2000 },
      // Implied by the http checks: the policy has no tcp check of port 80 (its dns check of the name stands).
      { kind: 'tcp', key: 'tcp db.example:80', host: 'db.example', port: 80, samples: 1, timed: false, timeoutMs: 2000 },
    ]);
  });

  it('plans no probes for a host-only policy', () => {
    const p = policy('id: a, sysctl: net.core.somaxconn, expect: { gte: 4096 }');
    expect(plan(p.checks, p.defaults.timeout).probes).toEqual([]);
  });
});

describe('tcp checks', () => {
  const p = policy(
    'id: open, tcp: { host: db.example, port: 5432, samples: 3 }, expect: { connect: open, latencyMs: { p95: { lte: 50 } } }',
    'id: slow, tcp: { host: db.example, port: 5432 }, expect: { latencyMs: { max: { lt: 10 } } }',
    'id: closed, tcp: { host: 192.0.2.1, port: 23 }, expect: { connect: [refused, filtered] }',
    'id: refused, tcp: { host: 192.0.2.1, port: 80 }, expect: { connect: open }',
    'id: nxdomain, tcp: { host: gone.example, port: 80 }, expect: { connect: open }',
    'id: overrun, tcp: { host: 192.0.2.9, port: 80 }, expect: { connect: open }',
    'id: absent, tcp: { host: 192.0.2.10, port: 80 }, expect: { connect: open }',
  );
  const f = facts({
    'tcp db.example:5432': { host: 'db.example', port: 5432, addresses: [open('192.0.2.5', [1, 2, 30]), open('2001:db8::5', [3, 4, 12])] },
    'tcp 192.0.2.1:23': {
      host: '192.0.2.1',
      port: 23,
      addresses: [
        {
          address: '192.0.2.1',
          family: 4,
          connect: 'filtered',
          attempts: 1,
          succeeded: 0,
          error: { code: 'TIMEOUT', reason: 'no answer within the timeout (dropped)' },
        },
      ],
    },
    'tcp 192.0.2.1:80': {
      host: '192.0.2.1',
      port: 80,
      addresses: [
        { address: '192.0.2.1', family: 4, connect: 'refused', attempts: 1, succeeded: 0, error: { code: 'ECONNREFUSED', reason: 'connection refused' } },
      ],
    },
    'tcp gone.example:80': { host: 'gone.example', port: 80, addresses: [], error: { code: 'NXDOMAIN', reason: 'gone.example does not resolve' } },
    'tcp 192.0.2.9:80': { error: "tcp 192.0.2.9:80: no answer within the run's deadline" },
  });
  const r = byId(evaluate(p, f, NOW));

  it('judges every address on its own, with details per address', () => {
    expect(r.open).toMatchObject({ status: 'pass', area: 'probes', expected: 'connect open, latency p95 <= 50 ms' });
    expect(r.open!.details).toEqual([
      { subject: '192.0.2.5:5432', status: 'pass', actual: 'open, p50 2 ms, p95 30 ms, max 30 ms over 3 connects' },
      { subject: '[2001:db8::5]:5432', status: 'pass', actual: 'open, p50 4 ms, p95 12 ms, max 12 ms over 3 connects' },
    ]);
    expect(r.slow).toMatchObject({
      status: 'fail',
      message: '192.0.2.5:5432 latency max is 30, not < 10 ms; [2001:db8::5]:5432 latency max is 12, not < 10 ms',
    });
  });

  it('a refused or filtered port is a verdict, with the reason', () => {
    expect(r.closed).toMatchObject({ status: 'pass', actual: 'filtered (no answer within the timeout (dropped))' });
    expect(r.refused).toMatchObject({ status: 'fail', message: '192.0.2.1:80 is refused, not open (connection refused)' });
  });

  it('a name that does not resolve, a probe past the deadline and a missing probe are errors with the reason', () => {
    expect(r.nxdomain).toMatchObject({ status: 'error', message: 'gone.example:80: gone.example does not resolve (NXDOMAIN)' });
    expect(r.overrun).toMatchObject({ status: 'error', message: "tcp 192.0.2.9:80: no answer within the run's deadline" });
    expect(r.absent).toMatchObject({ status: 'error', message: 'the facts snapshot has no probe "tcp 192.0.2.10:80" (collected for another policy?)' });
  });
});

describe('dns checks', () => {
  const p = policy(
    'id: a, dns: { name: www.example }, expect: { resolves: true, answers: ["192.0.2.7", "2001:DB8::7"], latencyMs: { lt: 100 } }',
    'id: b, dns: { name: www.example }, expect: { answers: { contains: "192.0.2.8" } }',
    'id: c, dns: { name: gone.example }, expect: { resolves: false }',
    'id: d, dns: { name: gone.example }, expect: { resolves: true }',
    'id: e, dns: { name: www.example, server: "198.18.160.2" }, expect: { resolves: true }',
    'id: f, dns: { name: www.example, type: MX }, expect: { answers: ["10 mail.example."] }',
  );
  const f = facts({
    'dns www.example A': {
      name: 'www.example',
      type: 'A',
      resolves: true,
      answers: [
        { type: 'A', value: '192.0.2.7' },
        { type: 'AAAA', value: '2001:db8::7' },
      ],
      latencyMs: 3.2,
    },
    'dns gone.example A': {
      name: 'gone.example',
      type: 'A',
      resolves: false,
      answers: [],
      latencyMs: 1,
      error: { code: 'NXDOMAIN', reason: 'the name does not exist' },
    },
    'dns www.example A @198.18.160.2': {
      name: 'www.example',
      type: 'A',
      server: '198.18.160.2',
      resolves: false,
      answers: [],
      latencyMs: 2000,
      error: { code: 'TIMEOUT', reason: 'no answer within the timeout' },
    },
    'dns www.example MX': {
      name: 'www.example',
      type: 'MX',
      resolves: true,
      answers: [{ type: 'MX', value: '10 mail.example', priority: 10, target: 'mail.example' }],
      latencyMs: 1,
    },
  });
  const r = byId(evaluate(p, f, NOW));

  it('compares answers as a set, in the canonical forms, or by a matcher', () => {
    expect(r.a).toMatchObject({ status: 'pass', actual: '192.0.2.7, 2001:db8::7 in 3.2 ms' });
    expect(r.b).toMatchObject({ status: 'fail', message: 'www.example A answers 192.0.2.7 2001:db8::7 does not contain 192.0.2.8' });
    expect(r.f).toMatchObject({ status: 'pass' });
  });

  it('NXDOMAIN is an answer; a server that never answers is an error with its reason', () => {
    expect(r.c).toMatchObject({ status: 'pass' });
    expect(r.d).toMatchObject({ status: 'fail', message: 'gone.example A does not resolve: the name does not exist (NXDOMAIN)' });
    expect(r.e).toMatchObject({ status: 'error', message: 'www.example A @198.18.160.2: no answer within the timeout (TIMEOUT)' });
  });
});

describe('http checks', () => {
  const p = policy(
    'id: redirect, http: { url: "http://www.example/" }, expect: { status: 301, redirectsTo: "https://www.example/" }',
    'id: hsts, http: { url: "https://www.example/" }, expect: { status: 200, hsts: { maxAge: { gte: 15552000 } }, headers: { Server: { exists: false } }, body: { match: "ok" }, timings: { ttfbMs: { lt: 200 }, totalMs: { lt: 500 } } }',
    'id: weak, http: { url: "https://www.example/" }, expect: { hsts: { maxAge: { gte: 31536000 } }, body: { contains: "welcome" } }',
    'id: reset, http: { url: "http://www.example:8080/" }, expect: { status: 200 }',
  );
  const f = facts({
    'http GET http://www.example/': {
      url: 'http://www.example/',
      method: 'GET',
      status: 301,
      headers: { location: '/' },
      redirectsTo: 'https://www.example/',
      timings: { dnsMs: 1, connectMs: 1, ttfbMs: 2, totalMs: 4 },
    },
    'http GET https://www.example/': {
      url: 'https://www.example/',
      method: 'GET',
      status: 200,
      headers: { 'strict-transport-security': 'max-age=15552000' },
      hsts: { maxAge: 15552000, includeSubDomains: false, preload: false },
      body: 'ok\n'.repeat(100),
      timings: { dnsMs: 1, connectMs: 1, tlsMs: 5, ttfbMs: 3, totalMs: 10 },
    },
    'http GET http://www.example:8080/': {
      url: 'http://www.example:8080/',
      method: 'GET',
      headers: {},
      timings: { dnsMs: 1, totalMs: 3 },
      error: { code: 'ECONNRESET', reason: 'the connection was reset' },
    },
  });
  const r = byId(evaluate(p, f, NOW));

  it('judges status, redirect target, headers, HSTS, body and timings', () => {
    expect(r.redirect).toMatchObject({ status: 'pass', actual: 'status 301, redirectsTo https://www.example/' });
    expect(r.hsts).toMatchObject({
      status: 'pass',
      expected: 'status 200, server absent, hsts maxAge >= 15552000, body matches /ok/, ttfbMs < 200, totalMs < 500',
    });
    expect(r.weak).toMatchObject({
      status: 'fail',
      message: 'GET https://www.example/: hsts maxAge is 15552000, not >= 31536000; body does not contain welcome',
    });
  });

  it('a request the server answered with a reset fails with the probe reason; one that got no answer is an error', () => {
    expect(r.reset).toMatchObject({ status: 'fail', message: 'GET http://www.example:8080/: the connection was reset (ECONNRESET)' });
    const silent = byId(
      evaluate(
        policy('id: t, http: { url: "http://www.example:8080/" }, expect: { status: 200 }'),
        facts({
          'http GET http://www.example:8080/': {
            url: 'http://www.example:8080/',
            method: 'GET',
            headers: {},
            timings: { totalMs: 2000 },
            error: { code: 'TIMEOUT', reason: 'no answer within 2 s (waiting for the first byte of the response)' },
          },
        }),
        NOW,
      ),
    );
    expect(silent.t).toMatchObject({
      status: 'error',
      message: 'GET http://www.example:8080/: no answer within 2 s (waiting for the first byte of the response) (TIMEOUT)',
    });
  });
});

describe('root causes across the probes', () => {
  it('an http check stands on the dns check of its host, then on the tcp check of its host and port', () => {
    const p = policy(
      'id: dns, dns: { name: www.example }, expect: { resolves: true }',
      'id: tcp, tcp: { host: www.example, port: 443 }, expect: { connect: open }',
      'id: web, http: { url: "https://www.example/" }, expect: { status: 200 }',
      'id: tcp2, tcp: { host: api.example, port: 8443 }, expect: { connect: open }',
      'id: api, http: { url: "https://API.example:8443/v1" }, expect: { status: 200 }',
      'id: other, http: { url: "https://api.example/" }, expect: { status: 200 }',
    );
    const nx = { code: 'NXDOMAIN', reason: 'does not resolve' };
    const r = byId(
      evaluate(
        p,
        facts({
          'dns www.example A': {
            name: 'www.example',
            type: 'A',
            resolves: false,
            answers: [],
            latencyMs: 1,
            error: { code: 'NXDOMAIN', reason: 'the name does not exist' },
          },
          'tcp www.example:443': { host: 'www.example', port: 443, addresses: [], error: nx },
          'http GET https://www.example/': { url: 'https://www.example/', method: 'GET', headers: {}, timings: { totalMs: 1 }, error: nx },
          'tcp api.example:8443': {
            host: 'api.example',
            port: 8443,
            addresses: [
              { address: '192.0.2.3', family: 4, connect: 'refused', attempts: 1, succeeded: 0, error: { code: 'ECONNREFUSED', reason: 'connection refused' } },
            ],
          },
          'http GET https://API.example:8443/v1': {
            url: 'https://API.example:8443/v1',
            method: 'GET',
            headers: {},
            timings: { totalMs: 1 },
            error: { code: 'ECONNREFUSED', reason: 'connection refused' },
          },
          'http GET https://api.example/': {
            url: 'https://api.example/',
            method: 'GET',
            headers: {},
            timings: { totalMs: 1 },
            error: { code: 'TIMEOUT', reason: 'timed out' },
          },
        }),
        NOW,
      ),
    );
    expect([r.dns!.status, r.dns!.cause]).toEqual(['fail', undefined]);
    // What a client meets behind a failed lower layer is a failure, and the cause says which layer.
    expect([r.tcp!.status, r.tcp!.cause, r.tcp!.actual]).toEqual(['fail', 'dns', 'no answer: a lower layer failed']);
    expect([r.web!.status, r.web!.cause]).toEqual(['fail', 'dns']);
    expect([r.tcp2!.status, r.tcp2!.cause]).toEqual(['fail', undefined]);
    expect([r.api!.status, r.api!.cause]).toEqual(['fail', 'tcp2']);
    // Another port of the same host: the refused 8443 explains nothing about 443; the implied check of
    // api.example:443 is not in these facts, and a probe missing from the snapshot is no cause.
    expect([r.other!.status, r.other!.cause]).toEqual(['error', undefined]);
    expect(r['implied.tcp.api.example:443']).toMatchObject({ status: 'error', actual: '(not in the snapshot)', impliedBy: ['other'] });
  });
});

describe("root causes under TCP: the host's own path", () => {
  // The host reaches 198.18.5.0/24 on eth0 and everything else through 198.18.5.1, whose ARP entry FAILED;
  // 198.18.6.0/24 is nowhere in its tables.
  const pathFacts = (probes: FactsSnapshot['probes']): FactsSnapshot => ({
    ...facts(probes),
    routes: {
      source: 'ip',
      routes: [
        { family: 4, dest: 'default', metric: 0, table: 'main', dev: 'eth0', via: '198.18.5.1' },
        { family: 4, dest: '198.18.5.0/24', metric: 0, table: 'main', dev: 'eth0' },
      ],
    },
    neighbours: {
      entries: [
        { family: 4, address: '198.18.5.1', dev: 'eth0', state: ['FAILED'] },
        { family: 4, address: '198.18.5.7', dev: 'eth0', lladdr: '02:00:00:00:00:07', state: ['REACHABLE'] },
      ],
      noNeighbours: {},
    },
  });
  const silent = (address: string) => ({
    address,
    family: 4 as const,
    connect: 'filtered' as const,
    attempts: 1,
    succeeded: 0,
    error: { code: 'TIMEOUT', reason: 'no answer' },
  });
  const refused = (address: string) => ({
    address,
    family: 4 as const,
    connect: 'refused' as const,
    attempts: 1,
    succeeded: 0,
    error: { code: 'ECONNREFUSED', reason: 'connection refused' },
  });

  it('a TCP connect that meets silence, and the TLS above it, are explained by the lowest broken layer', () => {
    const p = policy(
      'id: far, tcp: { host: 198.51.100.7, port: 443 }, expect: { connect: open }',
      'id: farweb, http: { url: "http://198.51.100.7:443/" }, expect: { status: 200 }',
      'id: lost, tcp: { host: 198.18.6.9, port: 22 }, expect: { connect: open }',
      'id: near, tcp: { host: 198.18.5.7, port: 22 }, expect: { connect: open }',
    );
    const r = byId(
      evaluate(
        p,
        pathFacts({
          'tcp 198.51.100.7:443': { host: '198.51.100.7', port: 443, addresses: [silent('198.51.100.7')] },
          'http GET http://198.51.100.7:443/': {
            url: 'http://198.51.100.7:443/',
            method: 'GET',
            headers: {},
            timings: { totalMs: 1 },
            error: { code: 'TIMEOUT', reason: 'timed out' },
          },
          'tcp 198.18.6.9:22': { host: '198.18.6.9', port: 22, addresses: [silent('198.18.6.9')] },
          'tcp 198.18.5.7:22': { host: '198.18.5.7', port: 22, addresses: [silent('198.18.5.7')] },
        }),
        NOW,
      ),
    );
    // Toward 198.51.100.7 the kernel takes the default route, whose gateway did not answer ARP.
    expect(r['implied.neighbour.198.51.100.7']).toMatchObject({ status: 'fail', reason: { code: 'neighbour-state', address: '198.18.5.1', holds: false } });
    expect(r['implied.route.198.51.100.7']!.status).toBe('pass');
    expect([r.far!.status, r.far!.cause]).toEqual(['fail', 'implied.neighbour.198.51.100.7']);
    expect([r.farweb!.status, r.farweb!.cause]).toEqual(['fail', 'implied.neighbour.198.51.100.7']);
    // 198.18.6.9 is on-link nowhere but the default covers it too: the same broken gateway.
    expect(r.lost!.cause).toBe('implied.neighbour.198.18.6.9');
    // On-link, the next hop is the address itself, resolved: the silence is above the path.
    expect(r['implied.neighbour.198.18.5.7']).toMatchObject({ status: 'pass' });
    expect([r.near!.status, r.near!.cause]).toEqual(['fail', undefined]);
  });

  it('no route: the route is the cause, and the neighbour has no next hop to judge', () => {
    const p = policy('id: lost, tcp: { host: 198.18.6.9, port: 22 }, expect: { connect: open }');
    const f = pathFacts({ 'tcp 198.18.6.9:22': { host: '198.18.6.9', port: 22, addresses: [silent('198.18.6.9')] } });
    f.routes = { source: 'ip', routes: [{ family: 4, dest: '198.18.5.0/24', metric: 0, table: 'main', dev: 'eth0' }] };
    const r = byId(evaluate(p, f, NOW));
    expect(r['implied.route.198.18.6.9']).toMatchObject({ status: 'fail', reason: { code: 'no-route' } });
    expect(r['implied.neighbour.198.18.6.9']).toMatchObject({ status: 'skip', reason: { code: 'no-gateway' } });
    expect(r.lost!.cause).toBe('implied.route.198.18.6.9');
  });

  it('a refusal came back over the path: nothing under it explains it', () => {
    const p = policy('id: far, tcp: { host: 198.51.100.7, port: 443 }, expect: { connect: open }');
    const r = byId(evaluate(p, pathFacts({ 'tcp 198.51.100.7:443': { host: '198.51.100.7', port: 443, addresses: [refused('198.51.100.7')] } }), NOW));
    expect(r['implied.neighbour.198.51.100.7']!.status).toBe('fail');
    expect([r.far!.status, r.far!.cause]).toEqual(['fail', undefined]);
  });

  const IMPLIED_PING = (host: string) => pingKey({ host, count: 3, size: 56, intervalMs: 200, dontFragment: false });
  const noReply = { outcome: 'sent' as const, address: '198.18.5.7', transmitted: 3, received: 0, errors: 0, lossPercent: 100, rttMs: [] };

  it('silence to ICMP under a TCP connect that met silence too: the ping is the lowest failing layer', () => {
    const p = policy('id: near, tcp: { host: 198.18.5.7, port: 22 }, expect: { connect: open }');
    const f = pathFacts({ 'tcp 198.18.5.7:22': { host: '198.18.5.7', port: 22, addresses: [silent('198.18.5.7')] } });
    f.icmp = { pings: { [IMPLIED_PING('198.18.5.7')]: noReply }, tracepaths: {} };
    const r = byId(evaluate(p, f, NOW));
    expect(r['implied.icmp.198.18.5.7']).toMatchObject({ status: 'fail', reason: { code: 'icmp-no-reply' } });
    expect(r['implied.neighbour.198.18.5.7']!.status).toBe('pass');
    expect([r.near!.status, r.near!.cause]).toEqual(['fail', 'implied.icmp.198.18.5.7']);
  });

  it('ICMP filtered while a TCP connect to the same host gets through explains nothing', () => {
    const p = policy(
      'id: near, tcp: { host: 198.18.5.7, port: 22 }, expect: { connect: open }',
      'id: web, tcp: { host: 198.18.5.7, port: 80 }, expect: { connect: open }',
    );
    const f = pathFacts({
      'tcp 198.18.5.7:22': { host: '198.18.5.7', port: 22, addresses: [silent('198.18.5.7')] },
      'tcp 198.18.5.7:80': { host: '198.18.5.7', port: 80, addresses: [open('198.18.5.7')] },
    });
    f.icmp = { pings: { [IMPLIED_PING('198.18.5.7')]: noReply }, tracepaths: {} };
    const r = byId(evaluate(p, f, NOW));
    // Filtered, not failing: the implied ping says so and fails nothing.
    expect(r['implied.icmp.198.18.5.7']).toMatchObject({
      status: 'skip',
      reason: { code: 'icmp-filtered', host: '198.18.5.7', was: { code: 'icmp-no-reply' } },
      message:
        'no reply from 198.18.5.7: 3 sent, none answered; no ICMP error came back (dropped or filtered on the way, or the host is down); TCP connects to 198.18.5.7 get through, so ICMP is filtered on the way: that explains nothing',
    });
    expect([r.near!.status, r.near!.cause]).toEqual(['fail', undefined]);
    // An ICMP error that came back instead (a router saying the host is unreachable) is a real failure.
    f.icmp.pings[IMPLIED_PING('198.18.5.7')] = {
      ...noReply,
      errors: 3,
      unreachable: [{ kind: 'host', from: '198.18.5.1', count: 3, text: 'Destination Host Unreachable' }],
    };
    expect(byId(evaluate(p, f, NOW)).near!.cause).toBe('implied.icmp.198.18.5.7');
  });

  it("a name that does not resolve is DNS's failure, not the ping's", () => {
    // A name gets no implied ping (ping would resolve it itself, to an address nothing has judged): the policy's own.
    const p = policy(
      'id: ping, icmp: { host: www.example, count: 3, interval: 200ms }, expect: { reachable: true }',
      'id: www, tcp: { host: www.example, port: 443 }, expect: { connect: open }',
    );
    const nx = { code: 'NXDOMAIN', reason: 'does not resolve' };
    const f = pathFacts({
      'dns www.example ADDRESS': { name: 'www.example', type: 'ADDRESS', resolves: false, answers: [], latencyMs: 1, error: nx },
      'tcp www.example:443': { host: 'www.example', port: 443, addresses: [], error: nx },
    });
    f.icmp = {
      pings: { [IMPLIED_PING('www.example')]: { outcome: 'not-sent', why: 'name-unknown', message: 'ping: www.example: Name or service not known' } },
      tracepaths: {},
    };
    const r = byId(evaluate(p, f, NOW));
    expect(r['implied.icmp.www.example']).toBeUndefined();
    expect(r.ping!.status).toBe('fail');
    expect(r.www!.cause).toBe('implied.dns.www.example');
  });

  it('an implied ping on a host that cannot send ICMP is skipped, saying why', () => {
    const p = policy('id: near, tcp: { host: 198.18.5.7, port: 22 }, expect: { connect: open }');
    const f = pathFacts({ 'tcp 198.18.5.7:22': { host: '198.18.5.7', port: 22, addresses: [silent('198.18.5.7')] } });
    f.icmp = { pings: { [IMPLIED_PING('198.18.5.7')]: { outcome: 'cannot-send', why: 'not-installed', message: 'ping: not found' } }, tracepaths: {} };
    const r = byId(evaluate(p, f, NOW));
    expect(r['implied.icmp.198.18.5.7']).toMatchObject({ status: 'skip', reason: { code: 'icmp-cannot-send', why: 'not-installed' } });
    expect(r.near!.cause).toBeUndefined();
  });

  it('a lower check that differs from what its policy asked, but whose layer works, is no cause', () => {
    const p = policy(
      'id: gw, neighbour: { to: 198.18.5.7 }, expect: { resolved: false }',
      'id: near, tcp: { host: 198.18.5.7, port: 22 }, expect: { connect: open }',
    );
    const r = byId(evaluate(p, pathFacts({ 'tcp 198.18.5.7:22': { host: '198.18.5.7', port: 22, addresses: [silent('198.18.5.7')] } }), NOW));
    expect(r.gw!.status).toBe('fail');
    // The policy's own check stands in for the implied one.
    expect(r['implied.neighbour.198.18.5.7']).toBeUndefined();
    expect(r.near!.cause).toBeUndefined();
  });
});

// What the probes keep and refuse, judged: an HTTP body from the probe's outcomes (never its text), a header the
// snapshot did not keep or a body expectation it did not judge is no verdict, and a refused target is an error
// with its reason as data in every probe kind.
const SHA = 'a'.repeat(64);

describe('http bodies and headers as the probe keeps them', () => {
  const p = policy(
    'id: ok, http: { url: "https://api.example/" }, expect: { status: 200, body: { match: "^ok", contains: up } }',
    'id: same-written-otherwise, http: { url: "https://api.example/" }, expect: { body: { contains: up, match: "^ok" } }',
    'id: eq, http: { url: "https://api.example/" }, expect: { body: "ready" }',
    'id: unjudged, http: { url: "https://api.example/" }, expect: { body: { match: "never asked" } }',
    'id: csp, http: { url: "https://api.example/" }, expect: { headers: { Content-Security-Policy: { contains: "default-src" } } }',
    'id: server, http: { url: "https://api.example/" }, expect: { headers: { Server: { exists: false } } }',
    'id: unkept, http: { url: "https://api.example/" }, expect: { headers: { X-Powered-By: { exists: false } } }',
  );
  const f = facts({
    'http GET https://api.example/': {
      url: 'https://api.example/',
      method: 'GET',
      status: 200,
      headers: { 'content-security-policy': "default-src 'self'" },
      headersKept: ['content-security-policy', 'server', 'strict-transport-security', 'x-frame-options'],
      body: {
        size: 14,
        sha256: SHA,
        judged: [
          { matcher: { match: '^ok', contains: 'up' }, failures: [] },
          { matcher: 'ready', failures: [{ code: 'not-equal', expected: 'ready' }] },
        ],
      },
      timings: { totalMs: 3 },
    },
  });
  const r = byId(evaluate(p, f, NOW));

  it("judges a body expectation from the probe's outcome, found whatever the order of its operators", () => {
    expect(r.ok).toMatchObject({ status: 'pass', actual: 'status 200' });
    expect(r['same-written-otherwise']).toMatchObject({ status: 'pass' });
    expect(r.eq).toMatchObject({ status: 'fail', message: 'GET https://api.example/: body is not ready' });
  });

  it('a body expectation the probe did not judge is an error, not a guess (the snapshot was taken for another policy)', () => {
    expect(r.unjudged).toMatchObject({
      status: 'error',
      reason: { code: 'fact-missing', bodyExpectation: 'matches /never asked/' },
      message: 'GET https://api.example/: the facts snapshot did not judge the body against matches /never asked/ (collected for another policy?)',
    });
  });

  it('a kept header is judged, absent when the response had none; one the probe did not keep is an error', () => {
    expect(r.csp).toMatchObject({ status: 'pass' });
    expect(r.server).toMatchObject({ status: 'pass', actual: 'header server (absent)' });
    expect(r.unkept).toMatchObject({
      status: 'error',
      reason: { code: 'fact-missing', header: 'x-powered-by' },
      message: 'GET https://api.example/: the facts snapshot did not keep response header x-powered-by (collected for another policy?)',
    });
  });

  it('a snapshot written before keeps its text body and every header: judged as it was, and the body still not repeated', () => {
    const old = byId(
      evaluate(
        policy(
          'id: eq, http: { url: "https://api.example/" }, expect: { body: "ready", headers: { X-Powered-By: { exists: false } } }',
          'id: m, http: { url: "https://api.example/" }, expect: { body: { match: "^token=" } }',
        ),
        facts({
          'http GET https://api.example/': {
            url: 'https://api.example/',
            method: 'GET',
            status: 200,
            headers: { 'x-powered-by': 'PHP' },
            body: 'token=s3cr3t',
            timings: { totalMs: 3 },
          },
        }),
        NOW,
      ),
    );
    expect(old.eq).toMatchObject({ status: 'fail', message: 'GET https://api.example/: header x-powered-by exists (PHP); body is not ready' });
    expect(JSON.stringify(old.eq)).not.toContain('s3cr3t');
    expect(old.m).toMatchObject({ status: 'pass' });
  });
});

describe('a refused target is an error with its reason as data, in every probe kind', () => {
  const refused = (address: string, network: string, host?: string) => ({
    code: 'TARGET_REFUSED',
    reason: 'refused',
    refused: { address, network, ...(host !== undefined ? { host } : {}) },
  });
  const p = policy(
    'id: tcp, tcp: { host: 169.254.169.254, port: 80 }, expect: { connect: open }',
    'id: dns, dns: { name: www.example, server: "169.254.169.253" }, expect: { resolves: true }',
    'id: http, http: { url: "http://metadata.test/computeMetadata/v1/", headers: { Metadata-Flavor: Google } }, expect: { status: 200 }',
    'id: tls, tls: { host: "fd00:ec2::254", port: 443 }, expect: { versions: { refuse: [TLSv1] } }',
    'id: hsts, http: { url: "http://www.example/" }, expect: { hsts: { maxAge: { gte: 1 } } }',
  );
  const r = byId(
    evaluate(
      p,
      facts({
        'tcp 169.254.169.254:80': { host: '169.254.169.254', port: 80, samples: 1, addresses: [], error: refused('169.254.169.254', '169.254.0.0/16') },
        'dns www.example A @169.254.169.253': {
          name: 'www.example',
          type: 'A',
          server: '169.254.169.253',
          resolves: false,
          answers: [],
          latencyMs: 0,
          error: refused('169.254.169.253', '169.254.0.0/16'),
        },
        'http GET http://metadata.test/computeMetadata/v1/ {"metadata-flavor":"Google"}': {
          url: 'http://metadata.test/computeMetadata/v1/',
          method: 'GET',
          headers: {},
          timings: { totalMs: 1 },
          error: refused('169.254.169.254', '169.254.0.0/16', 'metadata.test'),
        },
        'tls [fd00:ec2::254]:443': {
          host: 'fd00:ec2::254',
          port: 443,
          servername: null,
          hostname: 'fd00:ec2::254',
          addresses: [],
          error: refused('fd00:ec2::254', 'fd00:ec2::254/128'),
        },
        'http GET http://www.example/': {
          url: 'http://www.example/',
          method: 'GET',
          status: 301,
          headers: {},
          redirectsTo: 'http://169.254.169.254/',
          hstsLookup: { hops: [{ url: 'http://169.254.169.254/' }], error: refused('169.254.169.254', '169.254.0.0/16') },
          timings: { totalMs: 1 },
        },
      }),
      NOW,
    ),
  );

  it('tcp, dns (its server), http and tls', () => {
    expect(r.tcp).toMatchObject({
      status: 'error',
      reason: { code: 'target-refused', address: '169.254.169.254', network: '169.254.0.0/16' },
      message:
        "169.254.169.254:80: 169.254.169.254 is in 169.254.0.0/16 (link-local, where cloud metadata services answer): not connected to, nothing sent; --allow-target 169.254.0.0/16 (the Action's allow-targets) admits it",
    });
    expect(r.dns).toMatchObject({ status: 'error', reason: { code: 'target-refused', address: '169.254.169.253' } });
    expect(r.http).toMatchObject({
      status: 'error',
      reason: { code: 'target-refused', host: 'metadata.test', address: '169.254.169.254' },
      message: expect.stringMatching(
        /^GET http:\/\/metadata\.test\/computeMetadata\/v1\/: metadata\.test resolves to 169\.254\.169\.254, which is in 169\.254\.0\.0\/16 /,
      ),
    });
    expect(r.tls).toMatchObject({ status: 'error', reason: { code: 'target-refused', network: 'fd00:ec2::254/128' } });
  });

  it('a redirect to a refused address, followed for HSTS, is no verdict either', () => {
    expect(r.hsts).toMatchObject({ status: 'error', reason: { code: 'target-refused', address: '169.254.169.254' } });
  });
});
