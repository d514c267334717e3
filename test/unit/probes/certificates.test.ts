// Certificate facts from the fixtures of scripts/gen-test-certs.sh, judged at a fixed clock so they never go
// stale: at NOW the chain's intermediate has 90 days left and its leaf 274, the expired leaf ended in April and
// the three-day leaf ends on 4 December 2026.
import { X509Certificate } from 'node:crypto';
import { checkServerIdentity as tlsCheckServerIdentity } from 'node:tls';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificateDer } from '../../../src/lib/der.js';
import { checkServerIdentity, certificatesFromPem, readChain } from '../../../src/probes/certificates.js';

const DIR = resolve(import.meta.dirname, '../../../fixtures/certs');
const NOW = new Date('2026-12-01T00:00:00Z');
const text = (name: string): string => readFileSync(resolve(DIR, name), 'utf8');
const ders = (name: string): Buffer[] => certificatesFromPem(text(name));
const ROOT = text('root-ca.crt');

function chain(name: string, opts: { hostname?: string; caPem?: string } = {}) {
  return readChain(ders(name), { now: NOW, ...opts });
}

describe('PEM bundles', () => {
  it('yields every certificate, in file order', () => {
    expect(ders('chain-with-root.pem')).toHaveLength(3);
    expect(ders('chain.pem').map((d) => readChain([d], { now: NOW }).certificates[0]!.commonName)).toEqual(['chain.test', 'plumbline test intermediate']);
  });

  it('ignores keys and text around certificates', () => {
    expect(certificatesFromPem(`junk\n${text('leaf.key')}${text('leaf.crt')}trailer`)).toHaveLength(1);
    expect(certificatesFromPem(text('leaf.key'))).toEqual([]);
  });
});

describe('the DER reader', () => {
  it.each([
    ['leaf.crt', 'ecdsa-with-SHA256', '1.2.840.10045.4.3.2', 'sha256'],
    ['intermediate-ca.crt', 'sha256WithRSAEncryption', '1.2.840.113549.1.1.11', 'sha256'],
    ['sha1.crt', 'sha1WithRSAEncryption', '1.2.840.113549.1.1.5', 'sha1'],
    ['sha1-ecdsa.crt', 'ecdsa-with-SHA1', '1.2.840.10045.4.1', 'sha1'],
    ['ed25519.crt', 'ed25519', '1.3.101.112', null],
  ])('%s is signed with %s', (file, name, oid, hash) => {
    expect(readCertificateDer(ders(file)[0]!).signature).toEqual({ name, oid, hash });
  });

  it('reads validity as instants, UTCTime and all', () => {
    const { notBefore, notAfter } = readCertificateDer(ders('root-ca.crt')[0]!);
    expect([notBefore.toISOString(), notAfter.toISOString()]).toEqual(['2025-01-01T00:00:00.000Z', '2045-01-01T00:00:00.000Z']);
  });

  it('refuses truncated or foreign input instead of guessing', () => {
    const der = ders('leaf.crt')[0]!;
    expect(() => readCertificateDer(der.subarray(0, 40))).toThrow(/runs past|truncated/);
    expect(() => readCertificateDer(Buffer.from([0x04, 0x00]))).toThrow(/certificate SEQUENCE/);
    expect(() => readCertificateDer(Buffer.from([0x30, 0x80, 0x00, 0x00]))).toThrow(/length form/);
  });
});

describe('one certificate', () => {
  it('names, serial, dates, key, signature and OCSP of the leaf', () => {
    const leaf = chain('leaf.crt').certificates[0]!;
    expect(leaf).toMatchObject({
      position: 0,
      subject: 'CN=chain.test, O=plumbline tests',
      commonName: 'chain.test',
      dnsNames: ['chain.test', 'www.chain.test'],
      ipAddresses: ['198.18.128.2'],
      issuerCommonName: 'plumbline test intermediate',
      serialNumber: '3001',
      notBefore: '2026-09-01T00:00:00.000Z',
      notAfter: '2027-09-01T00:00:00.000Z',
      lifetimeDays: 365,
      daysLeft: 274,
      expired: false,
      notYetValid: false,
      key: { type: 'ec', bits: 256, curve: 'prime256v1' },
      signature: { algorithm: 'ecdsa-with-SHA256', sha1: false },
      selfSigned: false,
      ca: false,
      ocspUris: ['http://ocsp.chain.test/'],
      caIssuerUris: ['http://ca.chain.test/intermediate.crt'],
    });
    expect(leaf.fractionLeft).toBeCloseTo(274 / 365, 3);
  });

  it('an expired leaf has negative days and nothing left of its lifetime', () => {
    expect(chain('expired.crt').certificates[0]).toMatchObject({ expired: true, daysLeft: -244, fractionLeft: 0, lifetimeDays: 90 });
  });

  it('a three-day leaf', () => {
    expect(chain('three-day.crt').certificates[0]).toMatchObject({ daysLeft: 3, fractionLeft: 0.5, lifetimeDays: 6, expired: false });
  });

  it('counts whole days down: half a day before the end is zero days left', () => {
    const late = readChain(ders('three-day.crt'), { now: new Date('2026-12-03T12:00:00Z') });
    expect(late.certificates[0]!.daysLeft).toBe(0);
  });

  it('a certificate from the future is not yet valid and has its whole lifetime ahead', () => {
    expect(chain('not-yet-valid.crt').certificates[0]).toMatchObject({ notYetValid: true, expired: false, fractionLeft: 1 });
  });

  it('key types and sizes', () => {
    expect(chain('rsa1024.crt').certificates[0]!.key).toEqual({ type: 'rsa', bits: 1024, curve: null });
    expect(chain('self-signed.crt').certificates[0]!.key).toEqual({ type: 'rsa', bits: 2048, curve: null });
    expect(chain('ed25519.crt').certificates[0]!.key).toEqual({ type: 'ed25519', bits: 256, curve: null });
  });

  it('SHA-1 signatures are flagged, RSA and ECDSA alike', () => {
    expect(chain('sha1.crt').certificates[0]!.signature).toMatchObject({ algorithm: 'sha1WithRSAEncryption', hash: 'sha1', sha1: true });
    expect(chain('sha1-ecdsa.crt').certificates[0]!.signature).toMatchObject({ algorithm: 'ecdsa-with-SHA1', sha1: true });
  });

  it('self-signed leaves and roots, and CAs', () => {
    expect(chain('self-signed.crt').certificates[0]).toMatchObject({ selfSigned: true, ca: false });
    expect(chain('ed25519.crt').certificates[0]).toMatchObject({ selfSigned: true, ca: false });
    expect(chain('root-ca.crt').certificates[0]).toMatchObject({ selfSigned: true, ca: true });
    expect(chain('intermediate-ca.crt').certificates[0]).toMatchObject({ selfSigned: false, ca: true });
  });
});

describe('the chain', () => {
  it('names the intermediate as the earliest expiry when it ends before the leaf', () => {
    expect(chain('chain.pem').earliestExpiry).toEqual({
      position: 1,
      role: 'intermediate',
      subject: 'CN=plumbline test intermediate, O=plumbline tests',
      notAfter: '2027-03-01T00:00:00.000Z',
      daysLeft: 90,
      fractionLeft: expect.closeTo(90 / 638, 3) as unknown as number,
    });
  });

  it('names the leaf when it is the one that ends first', () => {
    const c = readChain([...ders('three-day.crt'), ...ders('intermediate-ca.crt')], { now: NOW });
    expect(c.earliestExpiry).toMatchObject({ position: 0, role: 'leaf', daysLeft: 3 });
  });

  it('order: each certificate issued by the next', () => {
    expect(chain('chain-with-root.pem').order).toEqual({ correct: true, problems: [] });
    expect(chain('chain-reversed.pem').order).toEqual({
      correct: false,
      problems: ['certificate 1 (chain.test) did not issue certificate 0 (plumbline test intermediate)'],
    });
  });

  it('an unrelated certificate after the leaf is out of order', () => {
    const c = readChain([...ders('leaf.crt'), ...ders('self-signed.crt')], { now: NOW });
    expect(c.order.correct).toBe(false);
  });

  it('trusted against the fixture root as the ca file', () => {
    expect(chain('chain.pem', { caPem: ROOT }).trust).toEqual({
      store: 'ca',
      trusted: true,
      complete: true,
      anchor: 'CN=plumbline test root, O=plumbline tests',
      reason: null,
      path: [0, 1],
    });
  });

  it('trusted whatever the order the certificates came in', () => {
    const shuffled = [...ders('leaf.crt'), ...ders('root-ca.crt'), ...ders('intermediate-ca.crt')];
    expect(readChain(shuffled, { now: NOW, caPem: ROOT }).trust).toMatchObject({ trusted: true, path: [0, 2, 1] });
  });

  it('complete but untrusted against the system store: the root is the one certificate left out', () => {
    const t = chain('chain.pem').trust;
    expect(t).toMatchObject({ store: 'system', trusted: false, complete: true, anchor: null });
    expect(t.reason).toMatch(/issuer "plumbline test root" of certificate 1 \(plumbline test intermediate\) is not in the system trust store/);
  });

  it('a sent root that the store lacks is still untrusted', () => {
    expect(chain('chain-with-root.pem').trust).toMatchObject({ trusted: false, complete: true, path: [0, 1, 2] });
  });

  it('incomplete when the intermediate is missing, against either store', () => {
    for (const caPem of [ROOT, undefined]) {
      const t = chain('leaf.crt', { caPem }).trust;
      expect(t).toMatchObject({ trusted: false, complete: false });
      expect(t.reason).toMatch(/^chain incomplete: the issuer "plumbline test intermediate" of certificate 0 \(chain.test\) was not sent/);
    }
  });

  it('a self-signed leaf is untrusted unless the ca file holds it', () => {
    expect(chain('self-signed.crt').trust).toMatchObject({ trusted: false, complete: true });
    expect(chain('self-signed.crt').trust.reason).toMatch(/self-signed and not in the system trust store/);
    expect(chain('self-signed.crt', { caPem: text('self-signed.crt') }).trust).toMatchObject({ trusted: true, anchor: 'CN=self.test, O=plumbline tests' });
  });

  it('an anchor with the name of the issuer but another key does not count', () => {
    const t = chain('chain.pem', { caPem: text('impostor-root.crt') }).trust;
    expect(t).toMatchObject({ trusted: false, complete: true, anchor: null });
  });

  it('an issuer sent with the right name but another key does not count', () => {
    const t = readChain([...ders('intermediate-ca.crt'), ...ders('impostor-root.crt')], { now: NOW, caPem: ROOT }).trust;
    // The path goes to the real root, past the impostor; a CA certificate as the leaf is then no TLS server's
    // (its keyUsage signs certificates only), as OpenSSL says.
    expect(t).toMatchObject({ trusted: false, code: 'purpose', anchor: 'CN=plumbline test root, O=plumbline tests', path: [0] });
    const order = readChain([...ders('intermediate-ca.crt'), ...ders('impostor-root.crt')], { now: NOW }).order;
    expect(order.correct).toBe(false);
  });

  it("trust is a client's: a path with an expired or not yet valid certificate does not verify", () => {
    const c = readChain([...ders('expired.crt'), ...ders('intermediate-ca.crt')], { now: NOW, caPem: ROOT });
    expect(c.trust).toMatchObject({ trusted: false, complete: true, code: 'expired', anchor: 'CN=plumbline test root, O=plumbline tests', path: [0, 1] });
    expect(c.trust.reason).toBe('certificate 0 (expired.chain.test) expired on 2026-04-01T00:00:00.000Z');
    expect(c.certificates[0]!.expired).toBe(true);
    const early = readChain([...ders('not-yet-valid.crt'), ...ders('intermediate-ca.crt')], { now: NOW, caPem: ROOT });
    expect(early.trust).toMatchObject({ trusted: false, code: 'not-yet-valid' });
    // The intermediate's own end date, at a clock past it, fails every leaf below it.
    const later = readChain(ders('chain.pem'), { now: new Date('2027-03-02T00:00:00Z'), caPem: ROOT });
    expect(later.trust).toMatchObject({ trusted: false, code: 'expired' });
    expect(later.trust.reason).toMatch(/^certificate 1 \(plumbline test intermediate\) expired/);
  });

  it('weak keys and SHA-1 signatures do not verify, as OpenSSL at security level 2 and browsers say', () => {
    expect(readChain([...ders('rsa1024.crt'), ...ders('intermediate-ca.crt')], { now: NOW, caPem: ROOT }).trust).toMatchObject({
      trusted: false,
      code: 'weak-key',
    });
    const sha1 = readChain(ders('sha1.crt'), { now: NOW, caPem: ROOT }).trust;
    expect(sha1).toMatchObject({ trusted: false, code: 'weak-signature' });
    expect(sha1.reason).toBe('certificate 0 (chain.test) is signed with sha1WithRSAEncryption, which clients refuse');
  });

  it('path building takes the certificates sent as a pool: any order, extra certificates ignored', () => {
    const shuffled = readChain([...ders('leaf.crt'), ...ders('root-ca.crt'), ...ders('self-signed.crt'), ...ders('intermediate-ca.crt')], {
      now: NOW,
      caPem: ROOT,
    });
    expect(shuffled.trust).toMatchObject({ trusted: true, complete: true, path: [0, 3, 1] });
    expect(shuffled.order.correct).toBe(false);
    // Every certificate sent is judged for expiry, the unrelated one too.
    expect(shuffled.certificates.map((c) => c.commonName)).toEqual(['chain.test', 'plumbline test root', 'self.test', 'plumbline test intermediate']);
  });

  it('a ca file with no usable certificate trusts nothing', () => {
    expect(chain('chain.pem', { caPem: 'not a certificate' }).trust).toMatchObject({ store: 'ca', trusted: false });
  });
});

describe('hostname', () => {
  it('a leaf with only a CN names nothing (RFC 9525), and the fact says why', () => {
    expect(chain('cn-only.crt', { hostname: 'chain.test' }).hostname).toEqual({ name: 'chain.test', matches: false, matched: null, noSubjectAltName: true });
  });

  it("the HTTPS probe's identity check matches as the hostname fact does, where Node's own falls back to the CN", () => {
    const cert = (file: string) => ({ raw: ders(file)[0]! });
    expect(checkServerIdentity('chain.test', cert('leaf.crt'))).toBeUndefined();
    expect(checkServerIdentity('www.chain.test', cert('leaf.crt'))).toBeUndefined();
    expect(checkServerIdentity('198.18.128.2', cert('leaf.crt'))).toBeUndefined();
    expect(checkServerIdentity('chain.test', cert('cn-only.crt'))).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(checkServerIdentity('other.test', cert('leaf.crt'))).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    const nodeView = new X509Certificate(ders('cn-only.crt')[0]!).toLegacyObject();
    expect(tlsCheckServerIdentity('chain.test', nodeView)).toBeUndefined();
  });

  it('matches a SAN, a wildcard-free name exactly, and an IP SAN as an address', () => {
    expect(chain('chain.pem', { hostname: 'www.chain.test' }).hostname).toEqual({ name: 'www.chain.test', matches: true, matched: 'www.chain.test' });
    expect(chain('chain.pem', { hostname: 'x.chain.test' }).hostname).toMatchObject({ matches: false, matched: null });
    expect(chain('chain.pem', { hostname: '198.18.128.2' }).hostname).toMatchObject({ matches: true, matched: '198.18.128.2' });
  });

  it('is checked even when the chain fails', () => {
    const c = chain('wrong-host-chain.pem', { hostname: 'chain.test' });
    expect(c.trust.trusted).toBe(false);
    expect(c.hostname).toEqual({ name: 'chain.test', matches: false, matched: null });
  });

  it('is absent when no name was given', () => {
    expect(chain('chain.pem').hostname).toBeUndefined();
  });
});

describe('bad input', () => {
  it('an empty chain or an unparsable certificate is an error with the position', () => {
    expect(() => readChain([], { now: NOW })).toThrow(/no certificate/);
    expect(() => readChain([...ders('leaf.crt'), Buffer.from('garbage')], { now: NOW })).toThrow(/^certificate 1 is not a readable X.509 certificate/);
  });

  it('judges a long bundle, and refuses one past any misconfiguration', () => {
    expect(readChain(Array(17).fill(ders('leaf.crt')[0]!), { now: NOW }).certificates).toHaveLength(17);
    expect(() => readChain(Array(129).fill(ders('leaf.crt')[0]!), { now: NOW })).toThrow(/more than the 128/);
  });
});
