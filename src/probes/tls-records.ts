// The server's first flight, read from the bytes it really sent: its version and suite, and the certificates of
// its Certificate message in the order sent (RFC 5246 section 7.4.2, RFC 8446 section 4.4.2), which is what a
// chain "as sent" means. Node's getPeerCertificate rebuilds a chain by issuer and drops what it cannot place, so
// it cannot say what the server sent.
//
// Before TLS 1.3 the Certificate message is plaintext. In TLS 1.3 it is encrypted under the server handshake
// traffic secret, which Node's `keylog` event hands to the client (NSS key log format): the records are opened
// here with that secret (RFC 8446 sections 5.2, 5.3 and 7.3). Pure: bytes and secrets in, facts out.
import { createDecipheriv, createHmac } from 'node:crypto';
import type { CipherGCMTypes, CipherCCMTypes, CipherChaCha20Poly1305Types } from 'node:crypto';

const CONTENT_CHANGE_CIPHER_SPEC = 20;
const CONTENT_ALERT = 21;
const CONTENT_HANDSHAKE = 22;
const CONTENT_APPLICATION_DATA = 23;

const HS_SERVER_HELLO = 2;
const HS_CERTIFICATE = 11;
const HS_CERTIFICATE_REQUEST = 13;
const HS_SERVER_HELLO_DONE = 14;
const HS_FINISHED = 20;
const HS_CERTIFICATE_STATUS = 22;

const EXT_STATUS_REQUEST = 5;
const EXT_SUPPORTED_VERSIONS = 0x002b;

const TLS13 = 0x0304;
/** SHA-256 of "HelloRetryRequest": the random of a ServerHello that is really a HelloRetryRequest. */
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** The AEAD and hash of each TLS 1.3 suite (RFC 8446 appendix B.4). */
const TLS13_SUITES: Readonly<
  Record<number, { cipher: CipherGCMTypes | CipherCCMTypes | CipherChaCha20Poly1305Types; keyLength: number; tagLength: number; hash: 'sha256' | 'sha384' }>
> = {
  4865: { cipher: 'aes-128-gcm', keyLength: 16, tagLength: 16, hash: 'sha256' },
  4866: { cipher: 'aes-256-gcm', keyLength: 32, tagLength: 16, hash: 'sha384' },
  4867: { cipher: 'chacha20-poly1305', keyLength: 32, tagLength: 16, hash: 'sha256' },
  4868: { cipher: 'aes-128-ccm', keyLength: 16, tagLength: 16, hash: 'sha256' },
  4869: { cipher: 'aes-128-ccm', keyLength: 16, tagLength: 8, hash: 'sha256' },
};

/** What the server's flight showed, as far as it went. */
export interface ServerFlight {
  /** The version the ServerHello chose (supported_versions when present); null before a ServerHello. */
  version: number | null;
  cipherSuite: number | null;
  /** The Certificate message's certificates, DER, in the order sent; null when none was read. */
  certificates: Buffer[] | null;
  /** The server asked for a client certificate (CertificateRequest). */
  certificateRequested: boolean;
  /** An OCSP response came with the leaf (CertificateStatus, or status_request on the TLS 1.3 leaf entry). */
  ocspStapled: boolean;
  /** Why the certificates could not be read, when the flight carried them out of reach. */
  problem?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Key log

/** The secret of one NSS key log label (`SERVER_HANDSHAKE_TRAFFIC_SECRET`) from the lines Node gave. */
export function keylogSecret(lines: readonly Buffer[], label: string): Buffer | undefined {
  for (const line of lines) {
    const [name, , secret] = line.toString('latin1').trim().split(' ');
    if (name === label && secret && /^[0-9a-f]+$/i.test(secret)) return Buffer.from(secret, 'hex');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// TLS 1.3 record protection

function hkdfExpandLabel(hash: 'sha256' | 'sha384', secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0])]);
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac(hash, secret)
      .update(previous)
      .update(info)
      .update(Buffer.from([i]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

interface RecordKey {
  open(header: Buffer, body: Buffer): Buffer | null;
}

function recordKey(suite: number, secret: Buffer): RecordKey | string {
  const s = TLS13_SUITES[suite];
  if (!s) return `suite 0x${suite.toString(16).padStart(4, '0')} is not one this reader can open`;
  const key = hkdfExpandLabel(s.hash, secret, 'key', s.keyLength);
  const iv = hkdfExpandLabel(s.hash, secret, 'iv', 12);
  let seq = 0n;
  return {
    open(header, body) {
      if (body.length < s.tagLength) return null;
      const nonce = Buffer.from(iv);
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(seq);
      for (let i = 0; i < 8; i++) nonce[4 + i]! ^= counter[i]!;
      seq++;
      const ciphertext = body.subarray(0, body.length - s.tagLength);
      const tag = body.subarray(body.length - s.tagLength);
      try {
        // The three AEAD families take the same calls; CCM wants the plaintext length with its AAD.
        const d = createDecipheriv(s.cipher as CipherCCMTypes, key, nonce, { authTagLength: s.tagLength });
        d.setAuthTag(tag);
        d.setAAD(header, { plaintextLength: ciphertext.length });
        return Buffer.concat([d.update(ciphertext), d.final()]);
      } catch {
        return null;
      }
    },
  };
}

/** TLSInnerPlaintext: the content, its real type, then zero padding (RFC 8446 section 5.2). */
function innerContent(plain: Buffer): { type: number; content: Buffer } | null {
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  if (end === 0) return null;
  return { type: plain[end - 1]!, content: plain.subarray(0, end - 1) };
}

// ---------------------------------------------------------------------------------------------------------
// Messages

interface Message {
  type: number;
  body: Buffer;
}

/** Whole handshake messages from a byte stream; the rest (a message still arriving) is left in `rest`. */
function messages(stream: Buffer): { list: Message[]; rest: Buffer } {
  const list: Message[] = [];
  let p = 0;
  while (p + 4 <= stream.length) {
    const length = stream.readUIntBE(p + 1, 3);
    if (p + 4 + length > stream.length) break;
    list.push({ type: stream[p]!, body: stream.subarray(p + 4, p + 4 + length) });
    p += 4 + length;
  }
  return { list, rest: stream.subarray(p) };
}

function serverHello(body: Buffer): { version: number; suite: number; retry: boolean } | null {
  if (body.length < 38) return null;
  const sidLen = body[34]!;
  let p = 35 + sidLen;
  if (body.length < p + 3) return null;
  const suite = body.readUInt16BE(p);
  p += 3;
  let version = body.readUInt16BE(0);
  if (body.length >= p + 2) {
    const end = Math.min(body.length, p + 2 + body.readUInt16BE(p));
    for (let q = p + 2; q + 4 <= end; ) {
      const type = body.readUInt16BE(q);
      const len = body.readUInt16BE(q + 2);
      if (type === EXT_SUPPORTED_VERSIONS && len === 2) version = body.readUInt16BE(q + 4);
      q += 4 + len;
    }
  }
  return { version, suite, retry: body.subarray(2, 34).equals(HRR_RANDOM) };
}

/** A Certificate message's list, each entry DER, with TLS 1.3's per-entry extensions read for stapling. */
function certificateList(body: Buffer, tls13: boolean): { certificates: Buffer[]; stapled: boolean } | null {
  let p = 0;
  if (tls13) {
    if (body.length < 1) return null;
    p = 1 + body[0]!; // certificate_request_context
  }
  if (body.length < p + 3) return null;
  const end = p + 3 + body.readUIntBE(p, 3);
  if (end > body.length) return null;
  p += 3;
  const certificates: Buffer[] = [];
  let stapled = false;
  while (p < end) {
    if (p + 3 > end) return null;
    const len = body.readUIntBE(p, 3);
    if (len === 0 || p + 3 + len > end) return null;
    certificates.push(Buffer.from(body.subarray(p + 3, p + 3 + len)));
    p += 3 + len;
    if (tls13) {
      if (p + 2 > end) return null;
      const extLen = body.readUInt16BE(p);
      const extEnd = p + 2 + extLen;
      if (extEnd > end) return null;
      // status_request on the leaf's entry carries its OCSP response.
      for (let q = p + 2; q + 4 <= extEnd; q += 4 + body.readUInt16BE(q + 2)) {
        if (certificates.length === 1 && body.readUInt16BE(q) === EXT_STATUS_REQUEST && body.readUInt16BE(q + 2) > 0) stapled = true;
      }
      p = extEnd;
    }
  }
  return { certificates, stapled };
}

// ---------------------------------------------------------------------------------------------------------
// The flight

/**
 * Reads what the server sent, record by record: the plaintext handshake up to the first ChangeCipherSpec
 * before TLS 1.3, and from TLS 1.3's ServerHello on the records under the server handshake traffic secret,
 * until the server's Finished. A HelloRetryRequest starts the reading over at the next ServerHello.
 */
export function readServerFlight(bytes: Buffer, serverHandshakeSecret?: Buffer): ServerFlight {
  const flight: ServerFlight = { version: null, cipherSuite: null, certificates: null, certificateRequested: false, ocspStapled: false };
  let plain: Buffer = Buffer.alloc(0);
  let inner: Buffer = Buffer.alloc(0);
  let key: RecordKey | undefined;
  let p = 0;
  const handle = (m: Message, encrypted: boolean): 'go' | 'done' => {
    switch (m.type) {
      case HS_SERVER_HELLO: {
        const h = serverHello(m.body);
        if (!h) {
          flight.problem = 'the ServerHello does not parse';
          return 'done';
        }
        flight.version = h.version;
        flight.cipherSuite = h.suite;
        if (h.version === TLS13 && !h.retry) {
          if (!serverHandshakeSecret) {
            flight.problem = 'TLS 1.3 without the handshake secret: the certificates are encrypted';
            return 'done';
          }
          const k = recordKey(h.suite, serverHandshakeSecret);
          if (typeof k === 'string') {
            flight.problem = k;
            return 'done';
          }
          key = k;
        }
        return 'go';
      }
      case HS_CERTIFICATE: {
        const list = certificateList(m.body, encrypted);
        if (!list) {
          flight.problem = 'the Certificate message does not parse';
          return 'done';
        }
        flight.certificates = list.certificates;
        if (list.stapled) flight.ocspStapled = true;
        return 'go';
      }
      case HS_CERTIFICATE_REQUEST:
        flight.certificateRequested = true;
        return 'go';
      case HS_CERTIFICATE_STATUS:
        flight.ocspStapled = true;
        return 'go';
      case HS_SERVER_HELLO_DONE:
      case HS_FINISHED:
        return 'done';
      default:
        return 'go';
    }
  };
  while (p + 5 <= bytes.length) {
    const type = bytes[p]!;
    const length = bytes.readUInt16BE(p + 3);
    if (p + 5 + length > bytes.length) break;
    const header = bytes.subarray(p, p + 5);
    const body = bytes.subarray(p + 5, p + 5 + length);
    p += 5 + length;
    if (type === CONTENT_HANDSHAKE && !key) {
      const m = messages(Buffer.concat([plain, body]));
      plain = m.rest;
      for (const msg of m.list) if (handle(msg, false) === 'done') return flight;
    } else if (type === CONTENT_APPLICATION_DATA && key) {
      const opened = key.open(header, body);
      const content = opened && innerContent(opened);
      if (!content) {
        if (flight.certificates === null) flight.problem = 'a TLS 1.3 handshake record did not open with the server handshake secret';
        return flight;
      }
      if (content.type === CONTENT_ALERT) return flight;
      if (content.type !== CONTENT_HANDSHAKE) continue;
      const m = messages(Buffer.concat([inner, content.content]));
      inner = m.rest;
      for (const msg of m.list) if (handle(msg, true) === 'done') return flight;
    } else if (type === CONTENT_CHANGE_CIPHER_SPEC) {
      // TLS 1.3 sends one for middleboxes and goes on; before it, what follows is encrypted.
      if (!key && flight.version !== null && flight.version !== TLS13) return flight;
    } else if (type === CONTENT_ALERT || type < 20 || type > 24) {
      return flight;
    }
  }
  return flight;
}
