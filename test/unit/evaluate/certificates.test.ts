// Certificate files: the plan reads each (path, key) once, and evaluation judges hand-built facts (pure, no
// files): the earliest-expiring certificate of a bundle is named, day counts are the snapshot's own.
import { describe, expect, it } from 'vitest';
import { evaluateWorded as evaluate } from '../../helpers/worded.js';
import type { CertificateFact, CertificateFileFact, FactsSnapshot } from '../../../src/facts/model.js';
import type { WordedResult as Result } from '../../helpers/worded.js';
import { plan } from '../../../src/plan/plan.js';
import { checksPolicyFn } from '../policy/helpers.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const policy = await checksPolicyFn();

function facts(certificates: FactsSnapshot['certificates']): FactsSnapshot {
  return { schema: 'plumbline/facts/v1', host: { hostname: 'h', kernel: 'k', collectedAt: NOW.toISOString(), transport: 'local' }, certificates };
}

function run(certificates: FactsSnapshot['certificates'], ...lines: string[]): Record<string, Result> {
  const rs = evaluate(policy(...lines), facts(certificates), NOW);
  return Object.fromEntries(rs.map((r) => [r.id, r]));
}

const DAY = 86_400_000;

/** A certificate valid from `from` days before NOW to `to` days after it. */
function cert(position: number, cn: string, from: number, to: number, extra: Partial<CertificateFact> = {}): CertificateFact {
  const left = to * DAY;
  const lifetime = (from + to) * DAY;
  return {
    position,
    subject: `CN=${cn}, O=plumbline tests`,
    commonName: cn,
    dnsNames: [],
    ipAddresses: [],
    issuer: 'CN=issuer',
    issuerCommonName: 'issuer',
    serialNumber: '01',
    fingerprint256: 'AA',
    notBefore: new Date(NOW.getTime() - from * DAY).toISOString(),
    notAfter: new Date(NOW.getTime() + left).toISOString(),
    lifetimeDays: from + to,
    daysLeft: Math.floor(left / DAY),
    fractionLeft: Math.round(Math.min(1, Math.max(0, left / lifetime)) * 10_000) / 10_000,
    expired: left < 0,
    notYetValid: from < 0,
    key: { type: 'ec', bits: 256, curve: 'prime256v1' },
    signature: { algorithm: 'ecdsa-with-SHA256', oid: '1.2.840.10045.4.3.2', hash: 'sha256', sha1: false },
    selfSigned: false,
    ca: position > 0,
    ocspUris: [],
    caIssuerUris: [],
    ...extra,
  };
}

function file(path: string, certs: CertificateFact[], more: Partial<CertificateFileFact> = {}): CertificateFileFact {
  const first = certs.reduce((a, b) => (Date.parse(b.notAfter) < Date.parse(a.notAfter) ? b : a));
  const role = first.position === 0 ? 'leaf' : 'intermediate';
  return {
    path,
    chain: {
      certificates: certs,
      earliestExpiry: {
        position: first.position,
        role,
        subject: first.subject,
        notAfter: first.notAfter,
        daysLeft: first.daysLeft,
        fractionLeft: first.fractionLeft,
      },
      order: { correct: true, problems: [] },
      trust: { store: 'system', trusted: false, complete: true, anchor: null, reason: 'not in the store', path: [0, 1] },
    },
    ...more,
  };
}

describe('plan: certificate files', () => {
  it('reads each (path, key) once, sorted, under the longest timeout, and no other family', () => {
    const p = plan(
      policy(
        'id: a, certificate: { path: /etc/ssl/b.pem }, expect: { daysLeft: { gte: 30 } }',
        'id: b, certificate: { path: /etc/ssl/b.pem }, timeout: 9s, expect: { chainOrder: true }',
        'id: c, certificate: { path: /etc/ssl/b.pem, key: /etc/ssl/b.key }, expect: { keyMatches: true }',
        'id: d, certificate: { path: /etc/ssl/a.pem }, expect: { sha1: false }',
      ).checks,
      5000,
    );
    expect(p.certificates).toEqual([{ path: '/etc/ssl/a.pem' }, { path: '/etc/ssl/b.pem' }, { path: '/etc/ssl/b.pem', key: '/etc/ssl/b.key' }]);
    expect(p.timeouts).toEqual({ certificates: 9000 });
    expect(p.sockets || p.probes.length > 0 || p.sysctl.length > 0).toBe(false);
  });

  it('checks certificates in their own area', () => {
    expect(policy('id: a, certificate: { path: /x.pem }, expect: { daysLeft: { gte: 1 } }').checks[0]!.area).toBe('certificates');
  });
});

describe('certificate checks over hand-built facts', () => {
  const leaf = cert(0, 'chain.test', 91, 274);
  const inter = cert(1, 'plumbline test intermediate', 548, 89);

  it('judges days left by the earliest-expiring certificate and names it; leaf.daysLeft narrows to the leaf', () => {
    const r = run(
      [file('/b.pem', [leaf, inter])],
      'id: a, certificate: { path: /b.pem }, expect: { daysLeft: { gte: 90 } }',
      'id: b, certificate: { path: /b.pem }, expect: { leaf: { daysLeft: { gte: 90 } } }',
      'id: c, certificate: { path: /b.pem }, expect: { fractionLeft: { gte: 0.2 } }',
    );
    expect(r.a!.status).toBe('fail');
    expect(r.a!.expected).toBe('days left >= 90');
    expect(r.a!.message).toContain('intermediate plumbline test intermediate (certificate 1) expires first');
    expect(r.a!.message).toContain('expires first (2027-02-28T00:00:00.000Z): days left is 89, not >= 90');
    expect(r.a!.actual).toContain('earliest expiry: intermediate plumbline test intermediate (certificate 1)');
    expect(r.b!.status).toBe('pass');
    expect(r.b!.actual).toContain('leaf 274 days left');
    expect(r.c!.status).toBe('fail');
    // A share of the lifetime reads as a percentage, in the message and in what is expected.
    expect(r.c!.message).toMatch(/lifetime left is 1\d(\.\d)?%, not >= 20%/);
    expect(r.c!.expected).toContain('lifetime left >= 20%');
  });

  it('says an expired certificate is expired, by how long', () => {
    const r = run([file('/e.pem', [cert(0, 'expired.chain.test', 90, -244)])], 'id: a, certificate: { path: /e.pem }, expect: { daysLeft: { gte: 0 } }');
    expect(r.a!.status).toBe('fail');
    expect(r.a!.message).toContain('leaf expired.chain.test (certificate 0) expires first');
    expect(r.a!.message).toContain('expired 244 days ago, days left is -244, not >= 0');
  });

  it('judges validity start, order, self-signing, SHA-1 and key size', () => {
    const early = cert(0, 'later.test', -31, 396);
    const sha1 = cert(0, 'old.test', 91, 274, {
      signature: { algorithm: 'sha1WithRSAEncryption', oid: '1.2.840.113549.1.1.5', hash: 'sha1', sha1: true },
      key: { type: 'rsa', bits: 1024, curve: null },
    });
    const selfRoot = cert(1, 'root', 700, 6600, {
      selfSigned: true,
      signature: { algorithm: 'sha1WithRSAEncryption', oid: '1.2.840.113549.1.1.5', hash: 'sha1', sha1: true },
    });
    const reversed = file('/r.pem', [inter, leaf]);
    reversed.chain!.order = { correct: false, problems: ['certificate 0 (plumbline test intermediate) is not issued by certificate 1 (chain.test)'] };
    const r = run(
      [
        file('/n.pem', [early]),
        file('/s.pem', [sha1]),
        file('/root.pem', [leaf, selfRoot]),
        reversed,
        file('/self.pem', [cert(0, 'self.test', 91, 274, { selfSigned: true })]),
      ],
      'id: a, certificate: { path: /n.pem }, expect: { notYetValid: false }',
      'id: b, certificate: { path: /s.pem }, expect: { sha1: false, keyBits: { gte: 2048 } }',
      'id: c, certificate: { path: /root.pem }, expect: { sha1: false }',
      'id: d, certificate: { path: /r.pem }, expect: { chainOrder: true }',
      'id: e, certificate: { path: /self.pem }, expect: { selfSigned: false }',
      'id: f, certificate: { path: /b.pem }, expect: { daysLeft: { gte: 1 } }',
    );
    expect(r.a!.status).toBe('fail');
    expect(r.a!.message).toContain('not yet valid: leaf later.test (certificate 0) from 2027-01-01');
    expect(r.b!.status).toBe('fail');
    expect(r.b!.message).toContain('SHA-1 signature on leaf old.test (certificate 0) (sha1WithRSAEncryption)');
    expect(r.b!.message).toContain('key (rsa) bits is 1024, not >= 2048');
    expect(r.c!.status).toBe('pass'); // a root's signature on itself is not verified by anyone
    expect(r.d!.status).toBe('fail');
    expect(r.d!.message).toContain('chain out of order: certificate 0 (plumbline test intermediate) is not issued by certificate 1');
    expect(r.e!.status).toBe('fail');
    expect(r.e!.message).toContain('leaf self.test (certificate 0) is self-signed');
    expect(r.f!.status).toBe('error');
    expect(r.f!.message).toContain('no certificate file /b.pem');
  });

  it('judges the key against the leaf, and an unreadable key or file is an error with its reason', () => {
    const r = run(
      [
        file('/b.pem', [leaf, inter], { key: { path: '/b.key', matchesLeaf: true } }),
        file('/b.pem', [leaf, inter], {
          key: { path: '/other.key', matchesLeaf: false, reason: '/other.key does not belong to the first certificate of the bundle' },
        }),
        file('/b.pem', [leaf, inter], {
          key: { path: '/enc.key', matchesLeaf: null, reason: '/enc.key: the private key is encrypted (passphrase-protected); it cannot be compared' },
        }),
        { path: '/missing.pem', reason: '/missing.pem: no such file' },
      ],
      'id: a, certificate: { path: /b.pem, key: /b.key }, expect: { keyMatches: true }',
      'id: b, certificate: { path: /b.pem, key: /other.key }, expect: { keyMatches: true }',
      'id: c, certificate: { path: /b.pem, key: /enc.key }, expect: { keyMatches: true }',
      'id: d, certificate: { path: /missing.pem }, expect: { daysLeft: { gte: 30 } }',
      'id: e, certificate: { path: /b.pem }, expect: { keyMatches: true }',
    );
    expect(r.a!.status).toBe('pass');
    expect(r.a!.actual).toBe('/b.key belongs to the leaf chain.test (certificate 0)');
    expect(r.b!.status).toBe('fail');
    expect(r.b!.message).toBe('/b.pem: /other.key does not belong to the leaf chain.test (certificate 0)');
    expect(r.c!.status).toBe('error');
    expect(r.c!.message).toContain('encrypted');
    expect(r.d!.status).toBe('error');
    expect(r.d!.message).toBe('/missing.pem: no such file');
    expect(r.e!.status).toBe('error');
  });

  it('a snapshot without the family, or whose family failed, is an error', () => {
    const line = 'id: a, certificate: { path: /b.pem }, expect: { daysLeft: { gte: 30 } }';
    expect(run(undefined, line).a!.message).toContain('no "certificates" family');
    expect(run({ error: 'certificates: not collected within its 2000 ms timeout' }, line).a!.message).toContain('not collected within');
  });
});
