// The server's flight read from what real `openssl s_server` runs sent to Node's TLS client (fixtures/tls/flights,
// captured by fixtures/tls/capture-flights.ts): the Certificate message in the order sent, in TLS 1.2 as
// plaintext and in TLS 1.3 opened with the server handshake traffic secret of each AEAD suite.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keylogSecret, readServerFlight } from '../../../src/probes/tls-records.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const fingerprint = (file: string): string => new X509Certificate(readFileSync(join(ROOT, 'fixtures/certs', file))).fingerprint256;
const LEAF = fingerprint('leaf.crt');
const INTERMEDIATE = fingerprint('intermediate-ca.crt');
const ROOT_CA = fingerprint('root-ca.crt');

function flight(name: string, opts: { secret?: boolean } = {}) {
  const f = JSON.parse(readFileSync(join(ROOT, 'fixtures/tls/flights', `${name}.json`), 'utf8')) as { keylog: string | null; bytes: string };
  const secret = opts.secret === false || f.keylog === null ? undefined : keylogSecret([Buffer.from(`${f.keylog}\n`)], 'SERVER_HANDSHAKE_TRAFFIC_SECRET');
  return readServerFlight(Buffer.from(f.bytes, 'hex'), secret);
}

const sent = (f: ReturnType<typeof flight>): string[] | undefined => f.certificates?.map((d) => new X509Certificate(d).fingerprint256);

describe('the server flight', () => {
  it.each([
    ['tls13-aes128gcm', 0x1301],
    ['tls13-aes256gcm', 0x1302],
    ['tls13-chacha20', 0x1303],
    ['tls13-ccm', 0x1304],
    ['tls13-ccm8', 0x1305],
  ])('TLS 1.3 %s: the certificates opened with the handshake secret, in the order sent', (name, suite) => {
    const f = flight(name);
    expect(f).toMatchObject({ version: 0x0304, cipherSuite: suite, certificateRequested: false, ocspStapled: false });
    expect(f.problem).toBeUndefined();
    expect(sent(f)).toEqual([LEAF, INTERMEDIATE]);
  });

  it('after a HelloRetryRequest, the second ServerHello starts the encrypted records', () => {
    const f = flight('tls13-hrr-p384');
    expect(f.version).toBe(0x0304);
    expect(sent(f)).toEqual([LEAF, INTERMEDIATE]);
  });

  it('a server that wants a client certificate: the request is seen, and its own certificates still read', () => {
    const v13 = flight('tls13-client-cert');
    expect(v13.certificateRequested).toBe(true);
    expect(sent(v13)).toEqual([LEAF, INTERMEDIATE]);
    const v12 = flight('tls12-client-cert');
    expect(v12).toMatchObject({ version: 0x0303, certificateRequested: true });
    expect(sent(v12)).toEqual([LEAF, INTERMEDIATE]);
  });

  it('TLS 1.2: the plaintext Certificate message, every certificate sent, repeats and extras included', () => {
    expect(sent(flight('tls12-reversed'))).toEqual([LEAF, LEAF, INTERMEDIATE, ROOT_CA]);
  });

  it('TLS 1.3 without the secret, or with a wrong one, says why instead of guessing', () => {
    expect(flight('tls13-aes128gcm', { secret: false })).toMatchObject({
      certificates: null,
      problem: 'TLS 1.3 without the handshake secret: the certificates are encrypted',
    });
    const f = JSON.parse(readFileSync(join(ROOT, 'fixtures/tls/flights/tls13-aes128gcm.json'), 'utf8')) as { bytes: string };
    const wrong = readServerFlight(Buffer.from(f.bytes, 'hex'), Buffer.alloc(32, 7));
    expect(wrong).toMatchObject({ certificates: null, problem: 'a TLS 1.3 handshake record did not open with the server handshake secret' });
  });

  it('a flight cut short reads what arrived and no more', () => {
    const f = JSON.parse(readFileSync(join(ROOT, 'fixtures/tls/flights/tls12-reversed.json'), 'utf8')) as { bytes: string };
    const bytes = Buffer.from(f.bytes, 'hex');
    for (const cut of [0, 3, 5, 60, 200, 1000]) expect(readServerFlight(bytes.subarray(0, cut)).certificates).toBeNull();
  });

  it('reads the key log line of one label', () => {
    const lines = [Buffer.from('CLIENT_RANDOM aa bb\n'), Buffer.from('SERVER_HANDSHAKE_TRAFFIC_SECRET 00ff 0a0b0c\n')];
    expect(keylogSecret(lines, 'SERVER_HANDSHAKE_TRAFFIC_SECRET')).toEqual(Buffer.from([10, 11, 12]));
    expect(keylogSecret(lines, 'EXPORTER_SECRET')).toBeUndefined();
  });
});
