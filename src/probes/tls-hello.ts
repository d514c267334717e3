// Hand-built ClientHellos and the reading of what a server answers, as scanners (sslscan, testssl.sh) do it:
// the bytes are ours, so the local OpenSSL's policy (no SSLv3, no RC4 ...) cannot hide what a server accepts.
// Layouts: RFC 5246 (TLS 1.2) section 7.4, RFC 8446 (TLS 1.3) section 4.1, RFC 6101 (SSLv3), RFC 6066 (SNI).
// Pure: randomness comes in through the options (with defaults), and no function here touches a socket.

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { TlsVersionName } from './tls-model.js';

export const VERSION_CODES: Readonly<Record<TlsVersionName, number>> = {
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  'TLSv1.1': 0x0302,
  'TLSv1.2': 0x0303,
  'TLSv1.3': 0x0304,
};

export function versionName(code: number): TlsVersionName | null {
  for (const [name, c] of Object.entries(VERSION_CODES)) if (c === code) return name as TlsVersionName;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Cipher suites

/**
 * RC4, 3DES, NULL (no encryption), EXPORT (40/56-bit keys), ANON (no server authentication: DH_anon,
 * ECDH_anon), CBC or AEAD for the bulk cipher, FS when the key exchange is ephemeral and authenticated (ECDHE,
 * DHE, and every TLS 1.3 suite).
 */
export type CipherClass = 'RC4' | '3DES' | 'NULL' | 'EXPORT' | 'ANON' | 'CBC' | 'AEAD' | 'FS';

export interface CipherSuite {
  id: number;
  /** IANA name. */
  name: string;
  classes: readonly CipherClass[];
  /** TLS 1.3 suites work only at 1.3; the SHA-256/384 and AEAD suites of TLS 1.2 need at least 1.2. */
  tls13: boolean;
  needsTls12: boolean;
}

function suite(id: number, name: string, ...classes: CipherClass[]): CipherSuite {
  const tls13 = !name.includes('_WITH_');
  const needsTls12 = !tls13 && (classes.includes('AEAD') || /_SHA(256|384)$/.test(name));
  return { id, name, classes, tls13, needsTls12 };
}

export const CIPHER_SUITES: readonly CipherSuite[] = [
  suite(0x1301, 'TLS_AES_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0x1302, 'TLS_AES_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'AEAD', 'FS'),
  suite(0x1304, 'TLS_AES_128_CCM_SHA256', 'AEAD', 'FS'),
  suite(0x1305, 'TLS_AES_128_CCM_8_SHA256', 'AEAD', 'FS'),
  suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'AEAD', 'FS'),
  suite(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'AEAD', 'FS'),
  suite(0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'AEAD', 'FS'),
  suite(0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'AEAD'),
  suite(0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384', 'AEAD'),
  suite(0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'CBC', 'FS'),
  suite(0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'CBC', 'FS'),
  suite(0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'CBC', 'FS'),
  suite(0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'CBC', 'FS'),
  suite(0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'CBC', 'FS'),
  suite(0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'CBC', 'FS'),
  suite(0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'CBC', 'FS'),
  suite(0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'CBC', 'FS'),
  suite(0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'CBC', 'FS'),
  suite(0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA', 'CBC', 'FS'),
  suite(0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 'CBC', 'FS'),
  suite(0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'CBC', 'FS'),
  suite(0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA', 'CBC'),
  suite(0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA', 'CBC'),
  suite(0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256', 'CBC'),
  suite(0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256', 'CBC'),
  suite(0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA', 'CBC'),
  suite(0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 'CBC'),
  suite(0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA', '3DES', 'CBC', 'FS'),
  suite(0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', '3DES', 'CBC', 'FS'),
  suite(0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', '3DES', 'CBC'),
  suite(0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA', 'RC4', 'FS'),
  suite(0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA', 'RC4', 'FS'),
  suite(0x0005, 'TLS_RSA_WITH_RC4_128_SHA', 'RC4'),
  suite(0x0004, 'TLS_RSA_WITH_RC4_128_MD5', 'RC4'),
  suite(0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA', 'NULL', 'FS'),
  suite(0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA', 'NULL', 'FS'),
  suite(0x003b, 'TLS_RSA_WITH_NULL_SHA256', 'NULL'),
  suite(0x0002, 'TLS_RSA_WITH_NULL_SHA', 'NULL'),
  suite(0x0001, 'TLS_RSA_WITH_NULL_MD5', 'NULL'),
  suite(0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', 'EXPORT', 'RC4'),
  suite(0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5', 'EXPORT', 'CBC'),
  suite(0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA', 'EXPORT', 'CBC'),
  suite(0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA', 'EXPORT', 'CBC', 'FS'),
  suite(0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA', 'EXPORT', 'CBC', 'FS'),
  // CCM, ARIA and Camellia: rare, but a profile must see every suite a server accepts.
  suite(0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 'AEAD', 'FS'),
  suite(0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM', 'AEAD', 'FS'),
  suite(0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'AEAD', 'FS'),
  suite(0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8', 'AEAD', 'FS'),
  suite(0xc09e, 'TLS_DHE_RSA_WITH_AES_128_CCM', 'AEAD', 'FS'),
  suite(0xc09f, 'TLS_DHE_RSA_WITH_AES_256_CCM', 'AEAD', 'FS'),
  suite(0xc0a2, 'TLS_DHE_RSA_WITH_AES_128_CCM_8', 'AEAD', 'FS'),
  suite(0xc0a3, 'TLS_DHE_RSA_WITH_AES_256_CCM_8', 'AEAD', 'FS'),
  suite(0xc09c, 'TLS_RSA_WITH_AES_128_CCM', 'AEAD'),
  suite(0xc09d, 'TLS_RSA_WITH_AES_256_CCM', 'AEAD'),
  suite(0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8', 'AEAD'),
  suite(0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8', 'AEAD'),
  suite(0xc05c, 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0xc05d, 'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0xc060, 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0xc061, 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0xc052, 'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256', 'AEAD', 'FS'),
  suite(0xc053, 'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384', 'AEAD', 'FS'),
  suite(0xc050, 'TLS_RSA_WITH_ARIA_128_GCM_SHA256', 'AEAD'),
  suite(0xc051, 'TLS_RSA_WITH_ARIA_256_GCM_SHA384', 'AEAD'),
  suite(0xc072, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256', 'CBC', 'FS'),
  suite(0xc073, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384', 'CBC', 'FS'),
  suite(0xc076, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256', 'CBC', 'FS'),
  suite(0xc077, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384', 'CBC', 'FS'),
  suite(0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA', 'CBC', 'FS'),
  suite(0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA', 'CBC', 'FS'),
  suite(0x00be, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256', 'CBC', 'FS'),
  suite(0x00c4, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256', 'CBC', 'FS'),
  suite(0x00ba, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256', 'CBC'),
  suite(0x00c0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256', 'CBC'),
  suite(0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA', '3DES', 'CBC', 'FS'),
  // Anonymous key exchange: encrypted, but to whoever answers; an active attacker sits in the middle.
  suite(0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 'ANON', 'CBC'),
  suite(0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA', 'ANON', 'CBC'),
  suite(0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256', 'ANON', 'CBC'),
  suite(0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256', 'ANON', 'CBC'),
  suite(0x00a6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256', 'ANON', 'AEAD'),
  suite(0x00a7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384', 'ANON', 'AEAD'),
  suite(0x0046, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA', 'ANON', 'CBC'),
  suite(0x0089, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA', 'ANON', 'CBC'),
  suite(0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA', 'ANON', '3DES', 'CBC'),
  suite(0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5', 'ANON', 'RC4'),
  suite(0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', 'ANON', 'CBC'),
  suite(0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA', 'ANON', 'CBC'),
  suite(0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA', 'ANON', '3DES', 'CBC'),
  suite(0xc016, 'TLS_ECDH_anon_WITH_RC4_128_SHA', 'ANON', 'RC4'),
  suite(0xc015, 'TLS_ECDH_anon_WITH_NULL_SHA', 'ANON', 'NULL'),
];

/** Tells a server we do secure renegotiation (RFC 5746); without it some servers refuse the hello. */
const RENEGOTIATION_SCSV = 0x00ff;

const BY_ID = new Map(CIPHER_SUITES.map((s) => [s.id, s]));

export function cipherSuite(id: number): CipherSuite | undefined {
  return BY_ID.get(id);
}

/** The IANA name, or the code point in hex for a suite outside the table. */
export function cipherName(id: number): string {
  return BY_ID.get(id)?.name ?? `0x${id.toString(16).padStart(4, '0')}`;
}

const LEGACY: readonly CipherClass[] = ['RC4', '3DES', 'NULL', 'EXPORT', 'ANON'];

/**
 * Suites a client offers at a version. `standard`: what current clients offer; `broad`: every suite of the
 * table the version can use, legacy ones included, for a second try when a server found nothing in common;
 * a class name: only the suites of that class.
 */
export function suitesFor(version: TlsVersionName, offer: 'standard' | 'broad' | CipherClass): CipherSuite[] {
  // A TLS 1.3 hello carries the 1.2 suites too, as real clients' do: a server without 1.3 then answers a
  // ServerHello at 1.2 (a clear refusal of 1.3) instead of a handshake_failure for want of a suite.
  const usable = CIPHER_SUITES.filter((s) => version === 'TLSv1.3' || (!s.tls13 && (version === 'TLSv1.2' || !s.needsTls12)));
  if (offer === 'broad') return usable;
  if (offer === 'standard') return usable.filter((s) => !s.classes.some((c) => LEGACY.includes(c)));
  return usable.filter((s) => s.classes.includes(offer));
}

// ---------------------------------------------------------------------------------------------------------
// Building

const CONTENT_HANDSHAKE = 22;
const CONTENT_ALERT = 21;
const HANDSHAKE_CLIENT_HELLO = 1;
const HANDSHAKE_SERVER_HELLO = 2;

const EXT_SERVER_NAME = 0x0000;
const EXT_SUPPORTED_GROUPS = 0x000a;
const EXT_EC_POINT_FORMATS = 0x000b;
const EXT_SIGNATURE_ALGORITHMS = 0x000d;
const EXT_SUPPORTED_VERSIONS = 0x002b;
const EXT_KEY_SHARE = 0x0033;

const GROUP_X25519 = 0x001d;
// x25519, secp256r1, secp384r1, secp521r1, x448, the five ffdhe groups, then secp224r1, secp192r1 and the
// brainpool curves that old TLS 1.2 servers may be limited to: a server that prefers another group than x25519
// answers a TLS 1.3 hello with a HelloRetryRequest, which still says it speaks 1.3; one limited to a group not
// offered could only decline.
const GROUPS = [GROUP_X25519, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x0015, 0x0013, 0x001a, 0x001b, 0x001c];
// ECDSA, EdDSA, RSA-PSS and PKCS#1 with SHA-2, then the SHA-1 forms that old servers can only sign with.
const SIGNATURE_ALGORITHMS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201];

export interface ClientHelloOptions {
  version: TlsVersionName;
  suites: readonly number[];
  /** A DNS name for SNI; an IP address or null sends none (RFC 6066 allows only host names). */
  servername?: string | null;
  /** The 32-byte client random; random by default. */
  random?: Buffer;
  /** The X25519 public value of the TLS 1.3 key share: any 32 bytes are one; random by default. */
  keyShare?: Buffer;
}

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}

function u16(n: number): Buffer {
  return Buffer.from([(n >> 8) & 0xff, n & 0xff]);
}

function u24(n: number): Buffer {
  return Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

/** A vector with a length prefix of `width` bytes. */
function vec(width: 1 | 2 | 3, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const len = width === 1 ? u8(body.length) : width === 2 ? u16(body.length) : u24(body.length);
  return Buffer.concat([len, body]);
}

function u16list(values: readonly number[]): Buffer {
  return Buffer.concat(values.map(u16));
}

function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vec(2, body)]);
}

function sniName(servername: string | null | undefined): string | null {
  if (!servername || isIP(servername) !== 0) return null;
  return servername.replace(/\.$/, '');
}

function extensions(opts: ClientHelloOptions): Buffer[] {
  const out: Buffer[] = [];
  const name = sniName(opts.servername);
  // host_name(0), then the name: RFC 6066 section 3.
  if (name) out.push(extension(EXT_SERVER_NAME, vec(2, u8(0), vec(2, Buffer.from(name, 'ascii')))));
  out.push(extension(EXT_SUPPORTED_GROUPS, vec(2, u16list(GROUPS))));
  out.push(extension(EXT_EC_POINT_FORMATS, vec(1, u8(0))));
  out.push(extension(EXT_SIGNATURE_ALGORITHMS, vec(2, u16list(SIGNATURE_ALGORITHMS))));
  if (opts.version === 'TLSv1.3') {
    out.push(extension(EXT_SUPPORTED_VERSIONS, vec(1, u16(VERSION_CODES['TLSv1.3']))));
    const share = opts.keyShare ?? randomBytes(32);
    out.push(extension(EXT_KEY_SHARE, vec(2, u16(GROUP_X25519), vec(2, share))));
  }
  return out;
}

/** One TLS record holding one ClientHello that offers exactly `version`. */
export function buildClientHello(opts: ClientHelloOptions): Buffer {
  const tls13 = opts.version === 'TLSv1.3';
  // TLS 1.3 is offered in supported_versions; legacy_version stays at 1.2 (RFC 8446 section 4.1.2).
  const legacyVersion = tls13 ? VERSION_CODES['TLSv1.2'] : VERSION_CODES[opts.version];
  const suites = [...opts.suites, RENEGOTIATION_SCSV];
  // SSLv3 predates extensions; servers of that age may choke on them.
  const exts = opts.version === 'SSLv3' ? [] : extensions(opts);
  const body = Buffer.concat([
    u16(legacyVersion),
    opts.random ?? randomBytes(32),
    // A 32-byte session id is TLS 1.3's middlebox compatibility mode; earlier versions start a fresh session.
    tls13 ? vec(1, randomBytes(32)) : vec(1),
    vec(2, u16list(suites)),
    vec(1, u8(0)),
    ...(exts.length > 0 ? [vec(2, ...exts)] : []),
  ]);
  const handshake = Buffer.concat([u8(HANDSHAKE_CLIENT_HELLO), vec(3, body)]);
  // Record version 1.0 for everything past SSLv3, as browsers do: some servers refuse a higher one here.
  const recordVersion = opts.version === 'SSLv3' ? VERSION_CODES.SSLv3 : VERSION_CODES.TLSv1;
  return Buffer.concat([u8(CONTENT_HANDSHAKE), u16(recordVersion), vec(2, handshake)]);
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

/** The alerts a verdict reads, by name (RFC 8446 section 6). */
export const ALERT = { handshakeFailure: 40, protocolVersion: 70, insufficientSecurity: 71, internalError: 80 } as const;

const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  47: 'illegal_parameter',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  120: 'no_application_protocol',
};

/** SHA-256 of "HelloRetryRequest": the random of a ServerHello that is really a HelloRetryRequest. */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

// 2^14 plus the expansion RFC 5246 allows a protected record; anything longer is not a TLS record.
const MAX_RECORD = 16384 + 2048;

export type ServerReply =
  /** More bytes are needed to decide. */
  | { kind: 'incomplete' }
  | {
      kind: 'server-hello';
      /** The version chosen: supported_versions when present, else legacy_version. */
      version: number;
      legacyVersion: number;
      cipherSuite: number;
      helloRetryRequest: boolean;
    }
  | { kind: 'alert'; level: number; description: number; name: string }
  | { kind: 'not-tls'; reason: string }
  | { kind: 'malformed'; reason: string };

/** Reads the first message a server sends after our ClientHello from the bytes received so far. */
export function parseServerReply(data: Buffer): ServerReply {
  let offset = 0;
  const handshake: Buffer[] = [];
  while (offset < data.length) {
    const header = readRecordHeader(data, offset);
    if (header.kind !== 'record') return header;
    const end = offset + 5 + header.length;
    if (end > data.length) return { kind: 'incomplete' };
    const fragment = data.subarray(offset + 5, end);
    if (header.type === CONTENT_ALERT) return handshake.length > 0 ? { kind: 'malformed', reason: 'alert inside a handshake message' } : parseAlert(fragment);
    if (header.type !== CONTENT_HANDSHAKE) return { kind: 'malformed', reason: `record of content type ${header.type} before the ServerHello` };
    handshake.push(fragment);
    const message = readHandshakeMessage(Buffer.concat(handshake));
    if (message) return message;
    offset = end;
  }
  return { kind: 'incomplete' };
}

type RecordHeader =
  | { kind: 'record'; type: number; length: number }
  | { kind: 'incomplete' }
  | { kind: 'not-tls'; reason: string }
  | { kind: 'malformed'; reason: string };

function readRecordHeader(data: Buffer, offset: number): RecordHeader {
  const first = data[offset] as number;
  if (first < 20 || first > 24) return { kind: 'not-tls', reason: notTlsReason(data.subarray(offset)) };
  if (data.length - offset < 5) return { kind: 'incomplete' };
  const major = data[offset + 1] as number;
  if (major !== 3) return { kind: 'not-tls', reason: notTlsReason(data.subarray(offset)) };
  const length = data.readUInt16BE(offset + 3);
  if (length === 0 || length > MAX_RECORD) return { kind: 'malformed', reason: `record length ${length} is not a TLS record's` };
  return { kind: 'record', type: first, length };
}

/** What a reply that is no TLS record is, in words: HTTP (with its status line), SSH, plain text, or its first byte. */
export function notTlsReason(data: Buffer): string {
  const head = data.subarray(0, 64).toString('latin1');
  if (/^HTTP\/\d/.test(head)) return `the port answered in HTTP (${head.split(/\r?\n/)[0]?.slice(0, 40)})`;
  if (/^SSH-/.test(head)) return 'the port answered in SSH';
  if (/^[\x20-\x7e]{4,}/.test(head)) return `the port answered in plain text (${JSON.stringify(head.slice(0, 24))})`;
  return `the first byte 0x${(data[0] as number).toString(16).padStart(2, '0')} starts no TLS record`;
}

function parseAlert(fragment: Buffer): ServerReply {
  if (fragment.length < 2) return { kind: 'malformed', reason: 'alert shorter than 2 bytes' };
  const level = fragment[0] as number;
  const description = fragment[1] as number;
  return { kind: 'alert', level, description, name: ALERT_NAMES[description] ?? `alert ${description}` };
}

/** The first handshake message once complete: null while it is still arriving. */
function readHandshakeMessage(buf: Buffer): ServerReply | null {
  if (buf.length < 4) return null;
  const type = buf[0] as number;
  const length = buf.readUIntBE(1, 3);
  if (type !== HANDSHAKE_SERVER_HELLO) return { kind: 'malformed', reason: `handshake message of type ${type} where a ServerHello belongs` };
  if (length > MAX_RECORD * 4) return { kind: 'malformed', reason: `ServerHello length ${length}` };
  if (buf.length < 4 + length) return null;
  return parseServerHello(buf.subarray(4, 4 + length));
}

function parseServerHello(body: Buffer): ServerReply {
  const bad = (what: string): ServerReply => ({ kind: 'malformed', reason: `ServerHello ${what}` });
  if (body.length < 38) return bad('too short');
  const legacyVersion = body.readUInt16BE(0);
  const random = body.subarray(2, 34);
  const sidLen = body[34] as number;
  if (sidLen > 32) return bad(`session id of ${sidLen} bytes`);
  let p = 35 + sidLen;
  if (body.length < p + 3) return bad('too short for its cipher suite');
  const cipherSuite = body.readUInt16BE(p);
  p += 3;
  let version = legacyVersion;
  // Extensions are optional before TLS 1.2 and absent from SSLv3.
  if (body.length > p) {
    const selected = supportedVersion(body.subarray(p));
    if (selected === 'bad') return bad('extensions do not parse');
    if (selected !== null) version = selected;
  }
  return { kind: 'server-hello', version, legacyVersion, cipherSuite, helloRetryRequest: random.equals(HRR_RANDOM) };
}

function supportedVersion(exts: Buffer): number | null | 'bad' {
  if (exts.length < 2 || exts.readUInt16BE(0) !== exts.length - 2) return 'bad';
  let p = 2;
  while (p + 4 <= exts.length) {
    const type = exts.readUInt16BE(p);
    const len = exts.readUInt16BE(p + 2);
    if (p + 4 + len > exts.length) return 'bad';
    if (type === EXT_SUPPORTED_VERSIONS) return len === 2 ? exts.readUInt16BE(p + 4) : 'bad';
    p += 4 + len;
  }
  return p === exts.length ? null : 'bad';
}
