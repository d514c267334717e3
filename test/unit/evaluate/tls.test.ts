// TLS checks: the plan asks the probe only for what the checks judge, and evaluation judges probe facts built
// here (pure, no network) around chains read from the fixture certificates at a fixed clock.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateWorded as evaluate } from '../../helpers/worded.js';
import type { FactsSnapshot, TlsAddressFact, TlsFact } from '../../../src/facts/model.js';
import type { WordedResult as Result } from '../../helpers/worded.js';
import { plan } from '../../../src/plan/plan.js';
import { certificatesFromPem, readChain } from '../../../src/probes/certificates.js';
import type { VersionResult } from '../../../src/probes/tls-model.js';
import { checksPolicyFn } from '../policy/helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const CERTS = resolve(import.meta.dirname, '../../../fixtures/certs');
const policy = await checksPolicyFn();

const pem = (...files: string[]): Buffer[] => files.flatMap((f) => certificatesFromPem(readFileSync(join(CERTS, f), 'utf8')));
const rootPem = readFileSync(join(CERTS, 'root-ca.crt'), 'utf8');
const chainOf = (hostname: string, ...files: string[]) => readChain(pem(...files), { now: NOW, hostname, caPem: rootPem });

function versions(accepted: string[], overrides: Partial<Record<string, Partial<VersionResult>>> = {}): VersionResult[] {
  return (['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({
    version,
    verdict: accepted.includes(version) ? 'accepted' : 'refused',
    reason: accepted.includes(version) ? `ServerHello at ${version}` : 'protocol_version alert',
    attempts: 1,
    ...(accepted.includes(version) ? { cipher: version === 'TLSv1.3' ? 'TLS_AES_128_GCM_SHA256' : 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' } : {}),
    ...overrides[version],
  }));
}

const none = { accepted: false, versions: [], suites: [], reason: 'declined at TLSv1.2' };

function address(address: string, over: Partial<TlsAddressFact> = {}): TlsAddressFact {
  return {
    address,
    family: 4,
    full: {
      handshake: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', alpn: 'h2', ocspStapled: false, sessionReused: false },
      chain: chainOf('chain.test', 'leaf.crt', 'intermediate-ca.crt'),
      client: 'default',
    },
    versions: versions(['TLSv1.2', 'TLSv1.3']),
    legacy: { rc4: none, tripleDes: none, null: none, export: none, anonymous: none, cbcOnlyTls12: { ...none, reason: 'AEAD suite chosen' } },
    ...over,
  };
}

function endpoint(key: string, addresses: TlsAddressFact[], over: Partial<TlsFact> = {}): [string, TlsFact] {
  return [key, { host: 'chain.test', port: 443, servername: 'chain.test', hostname: 'chain.test', addresses, ...over }];
}

function run(probes: Array<[string, NonNullable<FactsSnapshot['probes']>[string]]>, ...lines: string[]): Record<string, Result> {
  const facts: FactsSnapshot = {
    schema: 'plumbline/facts/v1',
    host: { hostname: 'h', kernel: 'k', collectedAt: NOW.toISOString(), transport: 'local' },
    probes: Object.fromEntries(probes),
  };
  return Object.fromEntries(evaluate(policy(...lines), facts, NOW).map((r) => [r.id, r]));
}

describe('plan: what a tls probe is asked for', () => {
  it('asks for the union of what the checks of one endpoint judge, under the longest timeout', () => {
    const p = policy(
      'id: a, tls: { host: chain.test }, expect: { versions: { refuse: [TLSv1] } }',
      'id: b, tls: { host: CHAIN.test., port: 443 }, timeout: 5s, expect: { certificate: { daysLeft: { gte: 30 } } }',
      'id: c, tls: { host: chain.test, port: 8443 }, expect: { cipher: { refuse: [RC4] } }',
      'id: d, tls: { host: chain.test, port: 9443, servername: www.chain.test }, expect: { cipher: { profile: mozilla-modern } }',
    );
    const tls = plan(p.checks, p.defaults.timeout).probes.filter((t) => t.kind === 'tls');
    expect(tls.map((t) => [t.key, t.kind === 'tls' && t.wants, t.timeoutMs])).toEqual([
      ['tls chain.test:443', { versions: true, legacy: false, suites: false, handshake: true }, 5000],
      ['tls chain.test:8443', { versions: true, legacy: true, suites: false, handshake: false }, 2000],
      ['tls chain.test:9443 sni=www.chain.test', { versions: true, legacy: false, suites: true, handshake: true }, 2000],
    ]);
  });
});

describe('tls checks', () => {
  const KEY = 'tls chain.test:443';

  it('passes a conforming endpoint on every expectation at once', () => {
    const r = run(
      [endpoint(KEY, [address('198.18.0.2')])],
      'id: all, tls: { host: chain.test }, expect: { versions: { accept: [TLSv1.2, TLSv1.3], refuse: [SSLv3, TLSv1, TLSv1.1] }, cipher: { negotiated: { match: "^TLS_AES_" }, forwardSecrecy: true, refuse: [RC4, 3DES, NULL, EXPORT, CBC-only] }, certificate: { hostname: true, chain: trusted, key: { type: ec, bits: { gte: 256 } }, sha1: false, selfSigned: false, ocspStapled: false, lifetimeDays: { lte: 398 } }, alpn: h2 }',
    );
    expect(r.all).toMatchObject({ status: 'pass', area: 'probes' });
    expect(r.all!.actual).toContain('accepts TLSv1.2, TLSv1.3');
    expect(r.all!.actual).toContain('chain trusted by the ca file (CN=plumbline test root, O=plumbline tests)');
  });

  it('names the version accepted that must be refused, and the one refused that must be accepted', () => {
    const r = run(
      [endpoint(KEY, [address('198.18.0.2', { versions: versions(['TLSv1', 'TLSv1.1', 'TLSv1.2']) })])],
      'id: v, tls: { host: chain.test }, expect: { versions: { accept: [TLSv1.3], refuse: [TLSv1, TLSv1.1] } }',
    );
    expect(r.v).toMatchObject({
      status: 'fail',
      message:
        'chain.test:443: TLSv1.3 is refused (protocol_version alert); TLSv1 is accepted (ServerHello at TLSv1, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256); TLSv1.1 is accepted (ServerHello at TLSv1.1, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)',
    });
  });

  it('an inconclusive version is not read as refused: the check cannot decide', () => {
    const r = run(
      [
        endpoint(KEY, [
          address('198.18.0.2', { versions: versions(['TLSv1.2', 'TLSv1.3'], { SSLv3: { verdict: 'inconclusive', reason: 'handshake_failure alert' } }) }),
        ]),
      ],
      'id: v, tls: { host: chain.test }, expect: { versions: { refuse: [SSLv3, TLSv1] } }',
    );
    expect(r.v).toMatchObject({ status: 'error', message: 'chain.test:443: could not decide: SSLv3 is inconclusive: handshake_failure alert' });
  });

  it('a port that does not speak TLS, or does not answer, fails with one reason', () => {
    const notTls = versions([]).map((v) => ({ ...v, verdict: 'not-tls' as const, reason: 'the reply is not a TLS record (HTTP/1.0 400)' }));
    const down = versions([]).map((v) => ({ ...v, verdict: 'error' as const, reason: 'connection refused', attempts: 0 }));
    const r = run(
      [
        endpoint(KEY, [address('198.18.0.2', { versions: notTls, full: { error: { code: 'NOT_TLS', reason: 'the port answered, but not in TLS' } } })]),
        endpoint('tls chain.test:8443', [address('198.18.0.2', { versions: down, full: { error: { code: 'ECONNREFUSED', reason: 'connection refused' } } })], {
          port: 8443,
        }),
      ],
      'id: plain, tls: { host: chain.test }, expect: { versions: { accept: [TLSv1.2] }, certificate: { daysLeft: { gte: 1 } } }',
      'id: closed, tls: { host: chain.test, port: 8443 }, expect: { versions: { accept: [TLSv1.2] } }',
    );
    expect(r.plain).toMatchObject({
      status: 'fail',
      // Said once, by the version probes: the full handshake met the same port.
      message: 'chain.test:443: does not speak TLS: the reply is not a TLS record (HTTP/1.0 400)',
    });
    expect(r.closed).toMatchObject({ status: 'fail', message: 'chain.test:8443: no TLS handshake: connection refused' });
  });

  it('judges legacy classes, the negotiated suite, forward secrecy and ALPN', () => {
    const rc4 = { accepted: true, versions: ['TLSv1' as const], suites: ['TLS_RSA_WITH_RC4_128_SHA'], reason: 'chosen at TLSv1' };
    const undecided = { accepted: null, versions: [], suites: [], reason: 'TLSv1.1: timed out waiting for an answer to the ClientHello' };
    const a = address('198.18.0.2', {
      legacy: { rc4, tripleDes: undecided, null: none, export: none, anonymous: none, cbcOnlyTls12: none },
      full: {
        handshake: { protocol: 'TLSv1.2', cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256', alpn: null, ocspStapled: false, sessionReused: false },
        client: 'default',
      },
    });
    const r = run(
      [endpoint(KEY, [a])],
      'id: legacy, tls: { host: chain.test }, expect: { cipher: { refuse: [RC4, 3DES] } }',
      'id: nulls, tls: { host: chain.test }, expect: { cipher: { refuse: [NULL, EXPORT] } }',
      'id: fs, tls: { host: chain.test }, expect: { cipher: { forwardSecrecy: true, negotiated: { match: "GCM" } } }',
      'id: alpn, tls: { host: chain.test }, expect: { alpn: h2 }',
    );
    expect(r.legacy).toMatchObject({ status: 'fail', message: 'chain.test:443: RC4 suites are accepted: TLS_RSA_WITH_RC4_128_SHA at TLSv1' });
    // A bare NULL in YAML is null: it still means the NULL suites.
    expect(r.nulls).toMatchObject({ status: 'pass', expected: 'refuses NULL, EXPORT suites' });
    expect(r.fs).toMatchObject({ status: 'fail', message: 'chain.test:443: TLS_RSA_WITH_AES_128_GCM_SHA256 has no forward secrecy' });
    expect(r.alpn).toMatchObject({ status: 'fail', message: 'chain.test:443: ALPN (offered h2, http/1.1) is absent' });
  });

  it('reports each deviation from a Mozilla profile by name', () => {
    const a = address('198.18.0.2', {
      versions: versions(['TLSv1.1', 'TLSv1.2', 'TLSv1.3']),
      suites: {
        'TLSv1.2': { suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'], complete: true },
        'TLSv1.3': { suites: ['TLS_AES_128_GCM_SHA256'], complete: true },
      },
    });
    const r = run([endpoint(KEY, [a])], 'id: p, tls: { host: chain.test }, expect: { cipher: { profile: mozilla-intermediate } }');
    expect(r.p).toMatchObject({
      status: 'fail',
      message:
        'chain.test:443: deviates from mozilla-intermediate in 2 ways: TLSv1.1 is accepted; mozilla-intermediate allows only TLSv1.2 and TLSv1.3; TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA is accepted at TLSv1.2; it is not in mozilla-intermediate',
    });
  });

  it('judges the chain the server sent: earliest expiry by name, hostname, trust, completeness, self-signing', () => {
    const at = (file: string[], name = 'chain.test') =>
      address('198.18.0.2', { full: { handshake: address('x').full!.handshake!, chain: chainOf(name, ...file), client: 'default' } });
    const r = run(
      [
        endpoint(KEY, [at(['leaf.crt', 'intermediate-ca.crt'])]),
        endpoint('tls chain.test:1', [at(['leaf.crt'])], { port: 1 }),
        endpoint('tls chain.test:2', [at(['wrong-host-chain.pem'])], { port: 2 }),
        endpoint('tls chain.test:3', [at(['self-signed.crt'])], { port: 3 }),
      ],
      'id: expiry, tls: { host: chain.test }, expect: { certificate: { daysLeft: { gte: 100 }, leaf: { daysLeft: { gte: 100 } } } }',
      'id: missing, tls: { host: chain.test, port: 1 }, expect: { certificate: { chain: complete, hostname: true } }',
      'id: wrong, tls: { host: chain.test, port: 2 }, expect: { certificate: { hostname: true, chain: trusted } }',
      'id: self, tls: { host: chain.test, port: 3 }, expect: { certificate: { selfSigned: false, chain: trusted } }',
    );
    // The intermediate expires 2027-03-01, before the leaf (2027-09-01): it is the one named.
    expect(r.expiry).toMatchObject({
      status: 'fail',
      message: 'chain.test:443: intermediate plumbline test intermediate (certificate 1) expires first (2027-03-01T00:00:00.000Z): days left is 90, not >= 100',
    });
    expect(r.missing!.status).toBe('fail');
    expect(r.missing!.message).toMatch(
      /^chain\.test:1: chain incomplete: the issuer "plumbline test intermediate" of certificate 0 \(chain\.test\) was not sent/,
    );
    expect(r.wrong!.status).toBe('fail');
    expect(r.wrong!.message).toContain('chain.test is not a name of the leaf other.test (certificate 0) (other.test)');
    expect(r.self!.message).toContain('leaf self.test (certificate 0) is self-signed');
    expect(r.self!.message).toContain('is self-signed and not in the ca file');
  });

  it('stapling applies only where the leaf names an OCSP responder', () => {
    const stapled = address('198.18.0.2');
    stapled.full!.handshake!.ocspStapled = true;
    const selfSigned = address('198.18.0.2', {
      full: { handshake: address('x').full!.handshake!, chain: chainOf('self.test', 'self-signed.crt'), client: 'default' },
    });
    const r = run(
      [endpoint(KEY, [address('198.18.0.2')]), endpoint('tls chain.test:1', [stapled], { port: 1 }), endpoint('tls chain.test:2', [selfSigned], { port: 2 })],
      'id: none, tls: { host: chain.test }, expect: { certificate: { ocspStapled: true } }',
      'id: yes, tls: { host: chain.test, port: 1 }, expect: { certificate: { ocspStapled: true } }',
      'id: na, tls: { host: chain.test, port: 2 }, expect: { certificate: { ocspStapled: true } }',
    );
    expect(r.none).toMatchObject({ status: 'fail', message: 'chain.test:443: no OCSP response stapled (the leaf names http://ocsp.chain.test/)' });
    expect(r.yes).toMatchObject({ status: 'pass' });
    expect(r.na).toMatchObject({ status: 'pass', actual: 'leaf names no OCSP responder: stapling does not apply' });
  });

  it('with allAddresses, judges each address and fails when they serve different certificates', () => {
    const other = address('198.18.0.3', {
      full: { handshake: address('x').full!.handshake!, chain: chainOf('chain.test', 'three-day.crt', 'intermediate-ca.crt'), client: 'default' },
    });
    const r = run(
      [endpoint('tls chain.test:443 all', [address('198.18.0.2'), other])],
      'id: all, tls: { host: chain.test, allAddresses: true }, expect: { certificate: { leaf: { daysLeft: { gte: 30 } } } }',
    );
    expect(r.all!.status).toBe('fail');
    expect(r.all!.details!.map((d) => [d.subject, d.status])).toEqual([
      ['198.18.0.2:443', 'pass'],
      ['198.18.0.3:443', 'fail'],
    ]);
    expect(r.all!.message).toContain('198.18.0.3:443 leaf chain.test (certificate 0) (notAfter 2026-12-04T00:00:00.000Z): days left is 3, not >= 30');
    expect(r.all!.message).toContain('the addresses serve different certificates: 198.18.0.2:443 chain.test');
  });

  it('a name that does not resolve fails; an unreadable ca file and a missing probe are errors', () => {
    const r = run(
      [
        endpoint(KEY, [], { error: { code: 'NXDOMAIN', reason: 'chain.test does not resolve' } }),
        [
          'dns chain.test ADDRESS',
          { name: 'chain.test', type: 'ADDRESS', resolves: false, answers: [], latencyMs: 2, error: { code: 'NXDOMAIN', reason: 'the name does not exist' } },
        ],
        endpoint('tls 198.18.0.9:1 ca=/nope.pem', [], {
          host: '198.18.0.9',
          port: 1,
          error: { code: 'CA_FILE', reason: 'CA file /nope.pem could not be read (ENOENT)' },
        }),
      ],
      'id: nx, tls: { host: chain.test }, expect: { versions: { refuse: [TLSv1] } }',
      'id: ca, tls: { host: 198.18.0.9, port: 1, ca: /nope.pem }, expect: { certificate: { chain: trusted } }',
      'id: gone, tls: { host: chain.test, port: 2 }, expect: { certificate: { chain: trusted } }',
    );
    expect(r.nx).toMatchObject({ status: 'fail', message: 'chain.test:443: chain.test does not resolve (NXDOMAIN)', cause: 'implied.dns.chain.test' });
    expect(r.ca).toMatchObject({ status: 'error', message: 'CA file /nope.pem could not be read (ENOENT)' });
    expect(r.gone).toMatchObject({ status: 'error', actual: '(not in the snapshot)' });
  });
});

describe('tls checks: what a client met, and what it could not see', () => {
  const KEY = 'tls chain.test:443';
  const silentVersions = (code: string, reason: string): VersionResult[] =>
    (['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((version) => ({ version, verdict: 'error', code, reason, attempts: 0 }));

  it('silence within the timeout is an error (no answer), a refusal is a failure', () => {
    const silent = 'no answer within 2 s: TCP connected, but the TLS handshake did not finish';
    const tarpit = address('198.18.0.2', { full: { error: { code: 'TLS_TIMEOUT', reason: silent } }, versions: silentVersions('TLS_TIMEOUT', silent) });
    const r = run(
      [endpoint(KEY, [tarpit])],
      'id: days, tls: { host: chain.test }, expect: { certificate: { daysLeft: { gte: 14 } } }',
      'id: v, tls: { host: chain.test }, expect: { versions: { accept: [TLSv1.2] } }',
    );
    expect(r.days).toMatchObject({ status: 'error', message: `chain.test:443: ${silent}` });
    expect(r.v).toMatchObject({ status: 'error', message: `chain.test:443: ${silent}` });
    const refused = address('198.18.0.2', {
      full: { error: { code: 'ECONNREFUSED', reason: 'connection refused' } },
      versions: silentVersions('ECONNREFUSED', 'connection refused'),
    });
    expect(run([endpoint(KEY, [refused])], 'id: days, tls: { host: chain.test }, expect: { certificate: { daysLeft: { gte: 14 } } }').days).toMatchObject({
      status: 'fail',
      message: 'chain.test:443: no TLS handshake: connection refused',
    });
  });

  it('a server that wants a client certificate: its own certificates are judged, the ServerHello says what it chose', () => {
    const mtls = address('198.18.0.2', {
      full: {
        chain: chainOf('chain.test', 'leaf.crt', 'intermediate-ca.crt'),
        client: 'default',
        serverHello: { protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' },
        clientCertificateRequested: true,
        error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', reason: 'TLS handshake failed: sslv3 alert handshake failure' },
      },
    });
    const r = run(
      [endpoint(KEY, [mtls])],
      'id: days, tls: { host: chain.test }, expect: { certificate: { daysLeft: { gte: 14 }, chain: trusted, hostname: true } }',
      'id: fs, tls: { host: chain.test }, expect: { cipher: { forwardSecrecy: true, negotiated: { match: "GCM" } } }',
      'id: alpn, tls: { host: chain.test }, expect: { alpn: h2 }',
    );
    expect(r.days!.status).toBe('pass');
    expect(r.days!.actual).toContain('the server requires a client certificate; its own certificates were read from its handshake');
    expect(r.fs!.status).toBe('pass');
    expect(r.alpn).toMatchObject({
      status: 'fail',
      message:
        'chain.test:443: no TLS handshake: TLS handshake failed: sslv3 alert handshake failure (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE) (the server requires a client certificate)',
    });
  });

  it('no certificate seen at all is no verdict on the certificate', () => {
    const declined = address('198.18.0.2', {
      full: { error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', reason: 'TLS handshake failed: sslv3 alert handshake failure' } },
    });
    expect(run([endpoint(KEY, [declined])], 'id: days, tls: { host: chain.test }, expect: { certificate: { daysLeft: { gte: 14 } } }').days).toMatchObject({
      status: 'error',
      message:
        'chain.test:443: could not decide: no certificate could be seen: TLS handshake failed: sslv3 alert handshake failure (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)',
    });
  });

  it('a leaf without subjectAltName fails hostname, saying its CN was not considered', () => {
    const chain = chainOf('chain.test', 'leaf.crt', 'intermediate-ca.crt');
    chain.hostname = { name: 'chain.test', matches: false, matched: null, noSubjectAltName: true };
    chain.certificates[0] = { ...chain.certificates[0]!, dnsNames: [], ipAddresses: [] };
    const r = run(
      [endpoint(KEY, [address('198.18.0.2', { full: { handshake: address('x').full!.handshake!, chain, client: 'default' } })])],
      'id: h, tls: { host: chain.test }, expect: { certificate: { hostname: true } }',
    );
    expect(r.h).toMatchObject({
      status: 'fail',
      message:
        'chain.test:443: the leaf (certificate 0) names no host: it has no subjectAltName, and its CN chain.test is not a name clients consider (RFC 9525), so chain.test does not match',
    });
  });
});
