// What the probes keep and refuse, judged: an HTTP body is judged from the probe's outcomes (never its text),
// a header the snapshot did not keep or a body expectation it did not judge is no verdict, and a refused target
// is an error with its reason as data in every probe kind. Pure, on hand-built facts.
import { describe, expect, it } from 'vitest';
import { evaluateWorded as evaluate } from '../../helpers/worded.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { WordedResult as Result } from '../../helpers/worded.js';
import { checksPolicyFn } from '../policy/helpers.js';

const NOW = new Date('2026-11-25T00:00:00Z');
const policy = await checksPolicyFn();

function facts(probes: FactsSnapshot['probes']): FactsSnapshot {
  return { schema: 'plumbline/facts/v1', host: { hostname: 'h', kernel: 'k', collectedAt: NOW.toISOString(), transport: 'local' }, probes };
}

function byId(rs: Result[]): Record<string, Result> {
  return Object.fromEntries(rs.map((r) => [r.id, r]));
}

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
        "169.254.169.254:80: 169.254.169.254 is in 169.254.0.0/16 (link-local, where cloud metadata services answer): not connected to, nothing sent; --allow-target (the Action's allow-targets) admits it",
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
