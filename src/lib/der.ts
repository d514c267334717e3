// A minimal DER reader: enough of X.509 to give what Node 20's X509Certificate does not, namely the signature
// algorithm (for SHA-1 detection) and the validity dates as instants rather than display text. It walks
// tag-length-value triples of the outer structure only; anything it does not understand is an error, never a
// guess.

class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

interface Tlv {
  tag: number;
  /** Offset of the first value byte. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

const TAG_INTEGER = 0x02;
const TAG_NULL = 0x05;
const TAG_OID = 0x06;
const TAG_UTC_TIME = 0x17;
const TAG_GENERALIZED_TIME = 0x18;
const TAG_SEQUENCE = 0x30;
const TAG_EXPLICIT_0 = 0xa0;
const TAG_EXPLICIT_3 = 0xa3;
const TAG_BOOLEAN = 0x01;
const TAG_BIT_STRING = 0x03;
const TAG_OCTET_STRING = 0x04;

function readTlv(buf: Uint8Array, offset: number, limit: number): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated at byte ${offset}`);
  const tag = buf[offset]!;
  // High tag numbers (low five bits all set) never occur in the parts of a certificate read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at byte ${offset}`);
  const first = buf[offset + 1]!;
  let pos = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length, which DER forbids; four length bytes already exceed any certificate.
    if (count === 0 || count > 4) throw new DerError(`unsupported length form at byte ${offset}`);
    if (pos + count > limit) throw new DerError(`truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos + i]!;
    pos += count;
  }
  if (pos + length > limit) throw new DerError(`value at byte ${offset} runs past its container`);
  return { tag, start: pos, end: pos + length };
}

function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.start; pos < parent.end; ) {
    const child = readTlv(buf, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv || tlv.tag !== tag) throw new DerError(`expected ${what}`);
  return tlv;
}

function decodeOid(buf: Uint8Array, tlv: Tlv): string {
  if (tlv.end === tlv.start) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.start; i < tlv.end; i++) {
    const byte = buf[i]!;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) throw new DerError('OID arc too large');
    if (byte & 0x80) continue;
    arcs.push(value);
    value = 0;
  }
  if (buf[tlv.end - 1]! & 0x80) throw new DerError('truncated OID');
  // The first byte packs two arcs: 40 * first + second, with the first at most 2.
  const head = arcs.shift()!;
  const firstArc = Math.min(2, Math.floor(head / 40));
  return [firstArc, head - 40 * firstArc, ...arcs].join('.');
}

function decodeTime(buf: Uint8Array, tlv: Tlv): Date {
  const text = Buffer.from(buf.subarray(tlv.start, tlv.end)).toString('latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (tlv.tag === TAG_UTC_TIME && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text))) {
    // RFC 5280: UTCTime years 50-99 are 19xx, 00-49 are 20xx.
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === TAG_GENERALIZED_TIME && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text))) {
    year = Number(m[1]);
  } else {
    throw new DerError(`unsupported time ${JSON.stringify(text)}`);
  }
  const [, , mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(year, mo! - 1, d!, h!, mi!, s!));
}

/** Names of the signature algorithms certificates use, and the hash each one signs with. */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: string | null }> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'rsassaPss', hash: null },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'sha1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-sha256', hash: 'sha256' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.3.101.112': { name: 'ed25519', hash: null },
  '1.3.101.113': { name: 'ed448', hash: null },
};

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** RSASSA-PSS names its hash in its parameters; RFC 4055 makes an absent one SHA-1. */
function pssHash(buf: Uint8Array, params: Tlv | undefined): string {
  if (!params || params.tag === TAG_NULL) return 'sha1';
  const first = children(buf, expect(params, TAG_SEQUENCE, 'RSASSA-PSS parameters'))[0];
  if (!first || first.tag !== TAG_EXPLICIT_0) return 'sha1';
  const algorithm = expect(children(buf, first)[0], TAG_SEQUENCE, 'PSS hash algorithm');
  const oid = decodeOid(buf, expect(children(buf, algorithm)[0], TAG_OID, 'PSS hash OID'));
  return HASHES[oid] ?? oid;
}

export interface CertificateDer {
  signature: { oid: string; name: string; hash: string | null };
  notBefore: Date;
  notAfter: Date;
  /** 1, 2 or 3: version 1 certificates predate extensions, and OpenSSL takes a self-signed one as a CA. */
  version: number;
  /** basicConstraints, when the certificate has the extension: a CA, and how many CAs may follow it. */
  basicConstraints?: { ca: boolean; pathLen: number | null };
  /** keyUsage, when present: the bits by name (RFC 5280 section 4.2.1.3) that path building reads. */
  keyUsage?: { digitalSignature: boolean; keyEncipherment: boolean; keyAgreement: boolean; keyCertSign: boolean };
  /** nameConstraints (RFC 5280 section 4.2.1.10), the DNS and IP subtrees; the other name forms are not read. */
  nameConstraints?: NameConstraints;
  /** Critical extensions OpenSSL does not handle, by OID: a client refuses the certificate. */
  unhandledCritical: string[];
}

interface NameConstraints {
  permitted: NameSubtree[];
  excluded: NameSubtree[];
}

/** A DNS name (`example.com`, `.example.com`) or an IP network (address and mask bytes). */
export type NameSubtree = { dns: string } | { ip: Uint8Array; mask: Uint8Array } | { other: number };

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_NAME_CONSTRAINTS = '2.5.29.30';

/** The extensions OpenSSL's verification handles (X509_supported_extension): a critical one of any other kind fails. */
const HANDLED = new Set([
  '2.16.840.1.113730.1.1', // nsCertType
  OID_KEY_USAGE,
  '2.5.29.17', // subjectAltName
  OID_BASIC_CONSTRAINTS,
  '2.5.29.32', // certificatePolicies
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.37', // extKeyUsage
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum
  '1.3.6.1.5.5.7.48.1.5', // OCSP noCheck
  '2.5.29.36', // policyConstraints
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  OID_NAME_CONSTRAINTS,
  '2.5.29.33', // policyMappings
  '2.5.29.54', // inhibitAnyPolicy
]);

function readInteger(buf: Uint8Array, tlv: Tlv): number {
  if (tlv.end - tlv.start > 4) throw new DerError('integer too large');
  let n = 0;
  for (let i = tlv.start; i < tlv.end; i++) n = n * 256 + buf[i]!;
  return n;
}

/** GeneralSubtrees: each GeneralSubtree's base GeneralName, [2] dNSName or [7] iPAddress (address then mask). */
function subtrees(buf: Uint8Array, list: Tlv): NameSubtree[] {
  return children(buf, list).map((subtree) => {
    const base = children(buf, expect(subtree, TAG_SEQUENCE, 'a GeneralSubtree'))[0];
    if (!base) throw new DerError('a GeneralSubtree without its base');
    const value = buf.subarray(base.start, base.end);
    const kind = base.tag & 0x1f;
    if (kind === 2) return { dns: Buffer.from(value).toString('latin1').toLowerCase() };
    if (kind === 7 && (value.length === 8 || value.length === 32)) return { ip: value.subarray(0, value.length / 2), mask: value.subarray(value.length / 2) };
    return { other: kind };
  });
}

function readExtensions(buf: Uint8Array, fields: Tlv[]): Omit<CertificateDer, 'signature' | 'notBefore' | 'notAfter' | 'version'> {
  const out: Omit<CertificateDer, 'signature' | 'notBefore' | 'notAfter' | 'version'> = { unhandledCritical: [] };
  const wrapper = fields.find((f) => f.tag === TAG_EXPLICIT_3);
  if (!wrapper) return out;
  const list = expect(children(buf, wrapper)[0], TAG_SEQUENCE, 'the extensions');
  for (const ext of children(buf, list)) {
    const parts = children(buf, expect(ext, TAG_SEQUENCE, 'an extension'));
    const oid = decodeOid(buf, expect(parts[0], TAG_OID, 'an extension OID'));
    const critical = parts.length === 3 && parts[1]!.tag === TAG_BOOLEAN && buf[parts[1]!.start] !== 0;
    if (critical && !HANDLED.has(oid)) out.unhandledCritical.push(oid);
    const value = parts[parts.length - 1];
    if (!value || value.tag !== TAG_OCTET_STRING) throw new DerError('an extension without its value');
    const inner = readTlv(buf, value.start, value.end);
    if (oid === OID_BASIC_CONSTRAINTS) {
      const items = children(buf, expect(inner, TAG_SEQUENCE, 'basicConstraints'));
      let ca = false;
      let pathLen: number | null = null;
      for (const item of items) {
        if (item.tag === TAG_BOOLEAN) ca = buf[item.start] !== 0;
        else if (item.tag === TAG_INTEGER) pathLen = readInteger(buf, item);
      }
      out.basicConstraints = { ca, pathLen };
    } else if (oid === OID_KEY_USAGE) {
      expect(inner, TAG_BIT_STRING, 'keyUsage');
      const first = inner.end > inner.start + 1 ? buf[inner.start + 1]! : 0;
      // Bit 0 (digitalSignature) is the high bit of the first byte.
      out.keyUsage = {
        digitalSignature: (first & 0x80) !== 0,
        keyEncipherment: (first & 0x20) !== 0,
        keyAgreement: (first & 0x08) !== 0,
        keyCertSign: (first & 0x04) !== 0,
      };
    } else if (oid === OID_NAME_CONSTRAINTS) {
      const nc: NameConstraints = { permitted: [], excluded: [] };
      for (const part of children(buf, expect(inner, TAG_SEQUENCE, 'nameConstraints'))) {
        if (part.tag === 0xa0) nc.permitted = subtrees(buf, part);
        else if (part.tag === 0xa1) nc.excluded = subtrees(buf, part);
      }
      out.nameConstraints = nc;
    }
  }
  return out;
}

/**
 * Reads a certificate's signature algorithm and validity from its DER encoding:
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }, and inside tbsCertificate
 * [0] version, serialNumber, signature, issuer, validity { notBefore, notAfter }, ...
 */
export function readCertificateDer(der: Uint8Array): CertificateDer {
  const outer = readTlv(der, 0, der.length);
  expect(outer, TAG_SEQUENCE, 'a certificate SEQUENCE');
  const [tbs, sigAlg] = children(der, outer);
  const algParts = children(der, expect(sigAlg, TAG_SEQUENCE, 'the signature AlgorithmIdentifier'));
  const oid = decodeOid(der, expect(algParts[0], TAG_OID, 'the signature algorithm OID'));
  const known = SIGNATURE_ALGORITHMS[oid];
  const hash = known?.name === 'rsassaPss' ? pssHash(der, algParts[1]) : (known?.hash ?? null);

  const fields = children(der, expect(tbs, TAG_SEQUENCE, 'tbsCertificate'));
  // The version is optional (absent means v1); after it come serial, signature and issuer, then validity.
  const versionField = fields[0]?.tag === TAG_EXPLICIT_0 ? children(der, fields[0])[0] : undefined;
  const version = versionField ? readInteger(der, versionField) + 1 : 1;
  const afterVersion = fields[0]?.tag === TAG_EXPLICIT_0 ? fields.slice(1) : fields;
  expect(afterVersion[0], TAG_INTEGER, 'the serial number');
  const validity = children(der, expect(afterVersion[3], TAG_SEQUENCE, 'the validity'));
  if (validity.length !== 2) throw new DerError('validity must hold two times');
  return {
    signature: { oid, name: known?.name ?? oid, hash },
    notBefore: decodeTime(der, validity[0]!),
    notAfter: decodeTime(der, validity[1]!),
    version,
    ...readExtensions(der, afterVersion),
  };
}

/** The subjectPublicKey bits of a SubjectPublicKeyInfo (DER): SEQUENCE { algorithm, BIT STRING }. */
export function spkiKeyBytes(der: Uint8Array): Uint8Array {
  const outer = expect(readTlv(der, 0, der.length), TAG_SEQUENCE, 'a SubjectPublicKeyInfo');
  const key = expect(children(der, outer)[1], TAG_BIT_STRING, 'the subjectPublicKey');
  // The first byte of a BIT STRING counts its unused bits.
  return der.subarray(key.start + 1, key.end);
}
