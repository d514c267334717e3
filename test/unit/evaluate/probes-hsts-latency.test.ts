// HSTS as browsers read it (RFC 6797 §8.1: ignored over plain HTTP, so an http:// URL is judged where its
// redirects end over HTTPS), the plan that asks the probe to follow them, and what a TCP or HTTP result says of
// samples cut short by the timeout and of timings taken on the auditor's main thread. Pure: hand-built facts.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormatsNs from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { evaluateWorded as evaluate } from '../../helpers/worded.js';
import type { FactsSnapshot, HttpFact } from '../../../src/facts/model.js';
import type { WordedResult as Result } from '../../helpers/worded.js';
import { plan } from '../../../src/plan/plan.js';
import { checksPolicyFn } from '../policy/helpers.js';

const NOW = new Date('2026-11-25T00:00:00Z');
const policy = await checksPolicyFn();

// ajv-formats is CommonJS with a default export: Node hands over module.exports, bundlers may unwrap it.
const addFormats: FormatsPlugin =
  (ajvFormatsNs as unknown as { default?: FormatsPlugin & { default?: FormatsPlugin } }).default?.default ??
  (ajvFormatsNs as unknown as { default?: FormatsPlugin }).default ??
  (ajvFormatsNs as unknown as FormatsPlugin);

/** The hand-built facts are what a probe writes: they follow schemas/facts.schema.json. */
function expectSchema(f: FactsSnapshot): void {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../schemas/facts.schema.json', import.meta.url), 'utf8')));
  expect(validate(f), JSON.stringify(validate.errors)).toBe(true);
}

function facts(probes: FactsSnapshot['probes']): FactsSnapshot {
  return { schema: 'plumbline/facts/v1', host: { hostname: 'h', kernel: 'k', collectedAt: NOW.toISOString(), transport: 'local' }, probes };
}

function byId(rs: Result[]): Record<string, Result> {
  return Object.fromEntries(rs.map((r) => [r.id, r]));
}

const HSTS_HEADER = { 'strict-transport-security': 'max-age=63072000; includeSubDomains' };
const TWO_YEARS = { maxAge: 63072000, includeSubDomains: true, preload: false };
const http = (url: string, more: Partial<HttpFact>): HttpFact => ({ url, method: 'GET', headers: {}, timings: { totalMs: 2 }, ...more });

describe('plan: an http:// probe follows redirects only for HSTS', () => {
  it('follows when a check of the URL judges HSTS, whatever else the others judge; never for https://', () => {
    const p = policy(
      'id: a, http: { url: "http://web.example/" }, expect: { status: 301 }',
      'id: b, http: { url: "http://web.example/" }, expect: { hsts: { maxAge: { gte: 1 } } }',
      'id: c, http: { url: "http://other.example/" }, expect: { status: 200 }',
      'id: d, http: { url: "https://web.example/" }, expect: { hsts: { preload: true } }',
    );
    const follows = Object.fromEntries(plan(p.checks, p.defaults.timeout).probes.flatMap((t) => (t.kind === 'http' ? [[t.key, t.followForHsts]] : [])));
    expect(follows).toEqual({ 'http GET http://web.example/': true, 'http GET http://other.example/': false, 'http GET https://web.example/': false });
  });
});

describe('hsts on an http:// URL', () => {
  const p = policy(
    'id: header-only, http: { url: "http://plain.example/" }, expect: { status: 200, hsts: { maxAge: { gte: 31536000 } } }',
    'id: redirected, http: { url: "http://web.example/" }, expect: { status: 301, hsts: { maxAge: { gte: 31536000 }, includeSubDomains: true } }',
    'id: redirected-weak, http: { url: "http://web.example/" }, expect: { hsts: { preload: true } }',
    'id: loop, http: { url: "http://loop.example/" }, expect: { hsts: { maxAge: { gte: 1 } } }',
    'id: to-http, http: { url: "http://hop.example/" }, expect: { hsts: { maxAge: { gte: 1 } } }',
    'id: broken, http: { url: "http://broken.example/" }, expect: { hsts: { maxAge: { gte: 1 } } }',
    'id: old-snapshot, http: { url: "http://old.example/" }, expect: { hsts: { maxAge: { gte: 1 } } }',
    'id: no-header, http: { url: "http://bare.example/" }, expect: { hsts: { maxAge: { exists: true } } }',
    'id: https, http: { url: "https://web.example/" }, expect: { hsts: { maxAge: { gte: 31536000 } } }',
  );
  const f = facts({
    // The header came over plain HTTP: the probe keeps it among the headers and reads no HSTS from it.
    'http GET http://plain.example/': http('http://plain.example/', {
      status: 200,
      headers: HSTS_HEADER,
      hstsLookup: { hops: [], error: { code: 'NO_HTTPS', reason: 'http://plain.example/ does not redirect to HTTPS' } },
    }),
    'http GET http://web.example/': http('http://web.example/', {
      status: 301,
      headers: { location: 'https://web.example/', ...HSTS_HEADER },
      redirectsTo: 'https://web.example/',
      hstsLookup: { hops: [{ url: 'https://web.example/', status: 200 }], readFrom: 'https://web.example/', hsts: TWO_YEARS },
    }),
    'http GET http://loop.example/': http('http://loop.example/', {
      status: 302,
      redirectsTo: 'http://loop.example/',
      hstsLookup: {
        hops: Array.from({ length: 5 }, () => ({ url: 'http://loop.example/', status: 302 })),
        error: { code: 'TOO_MANY_REDIRECTS', reason: 'http://loop.example/ does not reach an HTTPS response within 5 redirects' },
      },
    }),
    'http GET http://hop.example/': http('http://hop.example/', {
      status: 301,
      redirectsTo: 'http://www.hop.example/',
      hstsLookup: {
        hops: [{ url: 'http://www.hop.example/', status: 200 }],
        error: { code: 'NO_HTTPS', reason: 'the redirects from http://hop.example/ end at http://www.hop.example/, over plain HTTP' },
      },
    }),
    'http GET http://broken.example/': http('http://broken.example/', {
      status: 301,
      redirectsTo: 'https://broken.example/',
      hstsLookup: {
        hops: [{ url: 'https://broken.example/' }],
        error: { code: 'CERT_HAS_EXPIRED', reason: 'certificate not accepted: certificate has expired' },
      },
    }),
    // Taken before the probe followed redirects: its hsts, read over plain HTTP, is not the HSTS in effect.
    'http GET http://old.example/': http('http://old.example/', { status: 200, headers: HSTS_HEADER, hsts: TWO_YEARS }),
    'http GET http://bare.example/': http('http://bare.example/', {
      status: 301,
      redirectsTo: 'https://bare.example/',
      hstsLookup: { hops: [{ url: 'https://bare.example/', status: 200 }], readFrom: 'https://bare.example/' },
    }),
    'http GET https://web.example/': http('https://web.example/', { status: 200, headers: HSTS_HEADER, hsts: TWO_YEARS }),
  });
  const r = byId(evaluate(p, f, NOW));

  it('a header over plain HTTP without a redirect to HTTPS fails with the RFC reason, never judged as HSTS', () => {
    expect(r['header-only']).toMatchObject({
      status: 'fail',
      actual: 'status 200, hsts (ignored over plain HTTP)',
      message: 'GET http://plain.example/: HSTS is ignored over plain HTTP (RFC 6797 §8.1) and http://plain.example/ does not redirect to HTTPS',
    });
  });

  it('redirects to HTTPS: HSTS is judged on the final HTTPS response, which the message names', () => {
    expect(r.redirected).toMatchObject({
      status: 'pass',
      message: 'GET http://web.example/: status 301, hsts maxAge 63072000, hsts includeSubDomains true, hsts read from https://web.example/',
    });
    expect(r['redirected-weak']).toMatchObject({ status: 'fail', message: 'GET http://web.example/: hsts preload is false, not true' });
    expect(r['no-header']).toMatchObject({ status: 'fail', actual: 'hsts maxAge (absent), hsts read from https://bare.example/' });
  });

  it('redirects that loop or end over plain HTTP fail with the reason; a hop without a response is an error', () => {
    expect(r.loop).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('RFC 6797 §8.1) and http://loop.example/ does not reach an HTTPS response within 5 redirects'),
    });
    expect(r['to-http']).toMatchObject({ status: 'fail', message: expect.stringContaining('end at http://www.hop.example/, over plain HTTP') });
    expect(r.broken).toMatchObject({
      status: 'error',
      message: 'GET http://broken.example/: the HSTS in effect could not be read: certificate not accepted: certificate has expired (CERT_HAS_EXPIRED)',
    });
  });

  it('a snapshot whose probe did not follow redirects is an error, not its plain-HTTP header', () => {
    expect(r['old-snapshot']).toMatchObject({ status: 'error', message: expect.stringContaining('did not follow its redirects to HTTPS') });
  });

  it('the facts follow the schema', () => expectSchema(f));

  it('an https:// URL is judged on its own response, as before', () => {
    expect(r.https).toMatchObject({ status: 'pass', message: 'GET https://web.example/: hsts maxAge 63072000' });
  });
});

describe('timings: samples cut short and the thread they were taken on', () => {
  const p = policy(
    'id: short, tcp: { host: db.example, port: 5432, samples: 20 }, expect: { connect: open, latencyMs: { p95: { lte: 50 } } }',
    'id: main, tcp: { host: db.example, port: 5433 }, expect: { latencyMs: { max: { lte: 50 } } }',
    'id: main-open, tcp: { host: db.example, port: 5433 }, expect: { connect: open }',
    'id: web, http: { url: "http://web.example/" }, expect: { timings: { connectMs: { lt: 10 } } }',
  );
  const f = facts({
    'tcp db.example:5432': {
      host: 'db.example',
      port: 5432,
      samples: 20,
      clock: { thread: 'worker' },
      addresses: [
        {
          address: '192.0.2.5',
          family: 4,
          connect: 'open',
          attempts: 7,
          succeeded: 6,
          latency: { count: 6, p50Ms: 1, p95Ms: 2, maxMs: 2 },
          error: { code: 'TIMEOUT', reason: 'no answer within the timeout (dropped)' },
          stopped: { code: 'TIMEOUT', reason: 'the 1000 ms timeout ran out after 7 of 20 connects' },
        },
      ],
    },
    'tcp db.example:5433': {
      host: 'db.example',
      port: 5433,
      samples: 1,
      clock: { thread: 'main', reason: 'plumbline runs from its sources, which have no probe worker bundle' },
      addresses: [{ address: '192.0.2.5', family: 4, connect: 'open', attempts: 1, succeeded: 1, latency: { count: 1, p50Ms: 3, p95Ms: 3, maxMs: 3 } }],
    },
    'http GET http://web.example/': http('http://web.example/', {
      status: 200,
      timings: { connectMs: 0.4, totalMs: 2 },
      clock: { thread: 'main', reason: 'the probe worker failed: boom' },
    }),
  });
  const r = byId(evaluate(p, f, NOW));

  it('the facts follow the schema', () => expectSchema(f));

  it('a TCP probe stopped by its timeout is judged on the samples taken, and says how many of how many', () => {
    expect(r.short).toMatchObject({
      status: 'pass',
      actual: 'open, p50 1 ms, p95 2 ms, max 2 ms over 6 connects (the 1000 ms timeout ran out after 7 of 20 connects)',
    });
  });

  it('judged timings taken on the main thread say so and why; verdicts without timings do not', () => {
    expect(r.main!.message).toBe(
      "db.example:5433: open in 3 ms (timed on the auditor's main thread: plumbline runs from its sources, which have no probe worker bundle)",
    );
    expect(r['main-open']!.message).toBe('db.example:5433: open in 3 ms');
    expect(r.web!.message).toBe("GET http://web.example/: connectMs 0.4 ms (timed on the auditor's main thread: the probe worker failed: boom)");
  });
});
