// Building and reading TLS handshake bytes, checked against the RFC layouts (RFC 5246 7.4.1.2, RFC 8446 4.1.2,
// RFC 6066 3) and against replies captured from real `openssl s_server` runs (fixtures/tls/README.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildClientHello,
  CIPHER_SUITES,
  cipherName,
  cipherSuite,
  parseServerReply,
  suitesFor,
  VERSION_CODES,
  versionName,
} from '../../../src/probes/tls-hello.js';
import type { ServerReply } from '../../../src/probes/tls-hello.js';

const fixture = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../../../fixtures/tls/${name}.hex`, import.meta.url), 'utf8').replace(/\s+/g, ''), 'hex');

const RANDOM = Buffer.alloc(32, 0xab);
const SHARE = Buffer.alloc(32, 0x42);

/** An independent reading of a ClientHello record, field by field as RFC 5246 7.4.1.2 lays it out. */
function readClientHello(rec: Buffer) {
  let p = 0;
  const take = (n: number): Buffer => {
    const b = rec.subarray(p, p + n);
    if (b.length !== n) throw new Error(`short read at ${p}`);
    p += n;
    return b;
  };
  const num = (n: number): number => take(n).readUIntBE(0, n);
  const contentType = num(1);
  const recordVersion = num(2);
  const recordLength = num(2);
  const handshakeType = num(1);
  const handshakeLength = num(3);
  const legacyVersion = num(2);
  const random = take(32);
  const sessionId = take(num(1));
  const suiteBytes = take(num(2));
  const compression = take(num(1));
  const extensions = new Map<number, Buffer>();
  let extensionsPresent = false;
  if (p < rec.length) {
    extensionsPresent = true;
    const end = p + 2 + num(2);
    while (p < end) {
      const type = num(2);
      extensions.set(type, take(num(2)));
    }
  }
  const suites = Array.from({ length: suiteBytes.length / 2 }, (_, i) => suiteBytes.readUInt16BE(i * 2));
  return {
    contentType,
    recordVersion,
    recordLength,
    handshakeType,
    handshakeLength,
    legacyVersion,
    random,
    sessionId,
    suites,
    compression,
    extensions,
    extensionsPresent,
    end: p,
  };
}

describe('buildClientHello', () => {
  it('lays out a TLS 1.2 hello as RFC 5246 says, lengths consistent at every level', () => {
    const rec = buildClientHello({ version: 'TLSv1.2', suites: [0xc02f, 0x009c], servername: 'test.example', random: RANDOM });
    const h = readClientHello(rec);
    expect(h.end).toBe(rec.length);
    expect(h.contentType).toBe(22);
    expect(h.recordVersion).toBe(0x0301);
    expect(h.recordLength).toBe(rec.length - 5);
    expect(h.handshakeType).toBe(1);
    expect(h.handshakeLength).toBe(rec.length - 9);
    expect(h.legacyVersion).toBe(0x0303);
    expect(h.random).toEqual(RANDOM);
    expect(h.sessionId.length).toBe(0);
    // The suites asked for, then the renegotiation SCSV (RFC 5746).
    expect(h.suites).toEqual([0xc02f, 0x009c, 0x00ff]);
    expect([...h.compression]).toEqual([0]);
    expect([...h.extensions.keys()]).toEqual([0x0000, 0x000a, 0x000b, 0x000d]);
  });

  it('names the host in server_name: list length, host_name(0), name length, name (RFC 6066 3)', () => {
    const rec = buildClientHello({ version: 'TLSv1.2', suites: [0xc02f], servername: 'test.example.', random: RANDOM });
    const sni = readClientHello(rec).extensions.get(0x0000);
    expect(sni?.toString('hex')).toBe(`000f00000c${Buffer.from('test.example').toString('hex')}`);
    // Extension type 0, extension length 17, then the body above, as raw bytes of the record.
    expect(rec.includes(Buffer.from(`0000001100${'0f00000c'}${Buffer.from('test.example').toString('hex')}`, 'hex'))).toBe(true);
  });

  it('sends no server_name for an IP address or without a name', () => {
    for (const servername of ['198.18.96.2', '::1', null, undefined]) {
      const h = readClientHello(buildClientHello({ version: 'TLSv1.2', suites: [0xc02f], servername }));
      expect(h.extensions.has(0x0000)).toBe(false);
    }
  });

  it('offers groups, uncompressed points and signature algorithms', () => {
    const h = readClientHello(buildClientHello({ version: 'TLSv1', suites: [0xc013], servername: 'a.example' }));
    const groups = h.extensions.get(0x000a) as Buffer;
    expect(groups.readUInt16BE(0)).toBe(groups.length - 2);
    expect(groups.readUInt16BE(2)).toBe(0x001d);
    expect(h.extensions.get(0x000b)?.toString('hex')).toBe('0100');
    const sigs = h.extensions.get(0x000d) as Buffer;
    expect(sigs.readUInt16BE(0)).toBe(sigs.length - 2);
    expect(sigs.includes(Buffer.from('0804', 'hex'))).toBe(true);
    expect(h.legacyVersion).toBe(0x0301);
  });

  it('puts TLS 1.3 in supported_versions with an X25519 key share, legacy_version staying 1.2 (RFC 8446 4.1.2)', () => {
    const suites = suitesFor('TLSv1.3', 'standard').map((s) => s.id);
    const rec = buildClientHello({ version: 'TLSv1.3', suites, servername: 'test.example', random: RANDOM, keyShare: SHARE });
    const h = readClientHello(rec);
    expect(h.end).toBe(rec.length);
    expect(h.recordVersion).toBe(0x0301);
    expect(h.legacyVersion).toBe(0x0303);
    expect(h.sessionId.length).toBe(32);
    // The TLS 1.3 suites first, then the 1.2 ones a server without 1.3 can answer with, then the SCSV.
    expect(h.suites.slice(0, 5)).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
    expect(h.suites).toContain(0xc02f);
    expect(h.suites.at(-1)).toBe(0x00ff);
    expect(h.extensions.get(0x002b)?.toString('hex')).toBe('020304');
    // client_shares length 36, then group x25519 (0x001d), key length 32, the key.
    expect(h.extensions.get(0x0033)?.toString('hex')).toBe(`0024001d0020${SHARE.toString('hex')}`);
  });

  it('builds an SSLv3 hello in an SSLv3 record, without extensions', () => {
    const rec = buildClientHello({ version: 'SSLv3', suites: [0x0005, 0x000a], random: RANDOM, servername: 'x.example' });
    const h = readClientHello(rec);
    expect(h.recordVersion).toBe(0x0300);
    expect(h.legacyVersion).toBe(0x0300);
    expect(h.extensionsPresent).toBe(false);
    expect(h.suites).toEqual([0x0005, 0x000a, 0x00ff]);
    expect(rec.length).toBe(5 + 4 + 2 + 32 + 1 + 2 + 6 + 2);
  });
});

describe('cipher suite table', () => {
  it('has unique code points and IANA names', () => {
    expect(new Set(CIPHER_SUITES.map((s) => s.id)).size).toBe(CIPHER_SUITES.length);
    expect(new Set(CIPHER_SUITES.map((s) => s.name)).size).toBe(CIPHER_SUITES.length);
    for (const s of CIPHER_SUITES) expect(s.name).toMatch(/^TLS_((EC)?DH_anon_WITH_)?[A-Z0-9_]+$/);
  });

  it('classes suites by what they are', () => {
    expect(cipherSuite(0x0005)?.classes).toEqual(['RC4']);
    expect(cipherSuite(0x000a)?.classes).toEqual(['3DES', 'CBC']);
    expect(cipherSuite(0x0002)?.classes).toEqual(['NULL']);
    expect(cipherSuite(0x0003)?.classes).toContain('EXPORT');
    expect(cipherSuite(0xc02f)?.classes).toEqual(['AEAD', 'FS']);
    expect(cipherSuite(0xc013)?.classes).toEqual(['CBC', 'FS']);
    expect(cipherSuite(0x1301)?.tls13).toBe(true);
    expect(cipherName(0xc030)).toBe('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(cipherName(0x1337)).toBe('0x1337');
  });

  it('offers at each version only the suites that version can carry', () => {
    expect(suitesFor('TLSv1.3', 'standard').filter((s) => s.tls13).length).toBe(5);
    expect(suitesFor('TLSv1.2', 'broad').some((s) => s.tls13)).toBe(false);
    for (const v of ['SSLv3', 'TLSv1', 'TLSv1.1'] as const) {
      const broad = suitesFor(v, 'broad');
      expect(broad.some((s) => s.tls13 || s.needsTls12)).toBe(false);
      for (const cls of ['RC4', '3DES', 'NULL', 'EXPORT'] as const) expect(suitesFor(v, cls).length).toBeGreaterThan(0);
    }
    expect(suitesFor('TLSv1.2', 'broad').some((s) => s.id === 0xc02f)).toBe(true);
    expect(suitesFor('TLSv1.2', 'standard').some((s) => s.classes.includes('RC4') || s.classes.includes('NULL'))).toBe(false);
    expect(suitesFor('TLSv1.2', 'AEAD').every((s) => s.classes.includes('AEAD'))).toBe(true);
  });

  it('names versions by their code points', () => {
    expect(versionName(0x0304)).toBe('TLSv1.3');
    expect(versionName(VERSION_CODES.SSLv3)).toBe('SSLv3');
    expect(versionName(0x0305)).toBeNull();
  });
});

describe('parseServerReply on replies of real openssl s_server runs', () => {
  const hello = (version: number, cipherSuite: number, helloRetryRequest = false): ServerReply => ({
    kind: 'server-hello',
    version,
    legacyVersion: version === 0x0304 ? 0x0303 : version,
    cipherSuite,
    helloRetryRequest,
  });
  const cases: [string, ServerReply][] = [
    ['tls13-server-hello', hello(0x0304, 0x1301)],
    ['tls13-hello-retry-request', hello(0x0304, 0x1301, true)],
    ['tls12-server-hello', hello(0x0303, 0xc02f)],
    ['tls12-cbc-server-hello', hello(0x0303, 0xc013)],
    ['tls10-server-hello', hello(0x0301, 0xc013)],
    ['alert-protocol-version', { kind: 'alert', level: 2, description: 70, name: 'protocol_version' }],
    ['alert-handshake-failure', { kind: 'alert', level: 2, description: 40, name: 'handshake_failure' }],
    ['alert-internal-error', { kind: 'alert', level: 2, description: 80, name: 'internal_error' }],
    ['alert-sslv3-handshake-failure', { kind: 'alert', level: 2, description: 40, name: 'handshake_failure' }],
  ];

  it.each(cases)('%s', (name, expected) => {
    expect(parseServerReply(fixture(name))).toEqual(expected);
  });

  it('waits for more bytes on every strict prefix of a reply', () => {
    for (const [name] of cases) {
      const bytes = fixture(name);
      for (let n = 0; n < bytes.length; n++) expect(parseServerReply(bytes.subarray(0, n)).kind, `${name} cut at ${n}`).toBe('incomplete');
    }
  });

  it('reads a ServerHello split over two records, and ignores what follows it', () => {
    const rec = fixture('tls12-server-hello');
    const msg = rec.subarray(5);
    const record = (frag: Buffer): Buffer => Buffer.concat([Buffer.from([22, 3, 3, frag.length >> 8, frag.length & 0xff]), frag]);
    const split = Buffer.concat([record(msg.subarray(0, 10)), record(msg.subarray(10)), Buffer.from('1603030002', 'hex')]);
    expect(parseServerReply(split)).toEqual(parseServerReply(rec));
  });

  it('reads the chosen version from supported_versions, not legacy_version', () => {
    const r = parseServerReply(fixture('tls13-server-hello'));
    expect(r.kind === 'server-hello' && r.legacyVersion).toBe(0x0303);
    expect(r.kind === 'server-hello' && r.version).toBe(0x0304);
  });
});

describe('parseServerReply on what is not a ServerHello', () => {
  it('says an HTTP, SSH or plain-text answer is not TLS', () => {
    const http = parseServerReply(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    expect(http).toEqual({ kind: 'not-tls', reason: 'the port answered in HTTP (HTTP/1.1 400 Bad Request)' });
    expect(parseServerReply(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'))).toEqual({ kind: 'not-tls', reason: 'the port answered in SSH' });
    expect(parseServerReply(Buffer.from('220 mail ESMTP\r\n')).kind).toBe('not-tls');
    expect(parseServerReply(Buffer.from([0x00, 0xff, 0x13]))).toEqual({ kind: 'not-tls', reason: 'the first byte 0x00 starts no TLS record' });
    // A record header whose major version is not 3 (an SSLv2-era or random answer).
    expect(parseServerReply(Buffer.from('1602000005', 'hex')).kind).toBe('not-tls');
  });

  it('says a TLS record that does not hold a ServerHello is malformed', () => {
    const malformed = (hex: string): string => {
      const r = parseServerReply(Buffer.from(hex, 'hex'));
      return r.kind === 'malformed' ? r.reason : `not malformed: ${r.kind}`;
    };
    expect(malformed('1603030000')).toMatch(/record length 0/);
    expect(malformed('160303ffff')).toMatch(/record length 65535/);
    expect(malformed('15030300010a')).toMatch(/alert shorter/);
    expect(malformed('17030300020000')).toMatch(/content type 23/);
    expect(malformed('16030300040b000000')).toMatch(/type 11/);
    // A ServerHello body with a 40-byte session id.
    const body = Buffer.concat([Buffer.from('0303', 'hex'), Buffer.alloc(32), Buffer.from([40]), Buffer.alloc(43)]);
    const hs = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
    expect(malformed(Buffer.concat([Buffer.from([22, 3, 3, 0, hs.length]), hs]).toString('hex'))).toMatch(/session id of 40/);
    // Extensions whose length disagrees with the message.
    const body2 = Buffer.concat([
      Buffer.from('0303', 'hex'),
      Buffer.alloc(32),
      Buffer.from([0]),
      Buffer.from('c02f00', 'hex'),
      Buffer.from('0009002b000203', 'hex'),
    ]);
    const hs2 = Buffer.concat([Buffer.from([2, 0, 0, body2.length]), body2]);
    expect(malformed(Buffer.concat([Buffer.from([22, 3, 3, 0, hs2.length]), hs2]).toString('hex'))).toMatch(/extensions/);
  });

  it('names alerts it knows and numbers the rest', () => {
    expect(parseServerReply(Buffer.from('15030100020247', 'hex'))).toEqual({ kind: 'alert', level: 2, description: 71, name: 'insufficient_security' });
    expect(parseServerReply(Buffer.from('15030100020263', 'hex'))).toEqual({ kind: 'alert', level: 2, description: 99, name: 'alert 99' });
  });
});
