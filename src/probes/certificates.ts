// Certificates as facts: a pure reading of a chain of DER certificates (leaf first, as a handshake or a PEM
// bundle gives them) at a given clock, and the one impure step of taking that chain off a live TLS socket.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { readCertificateDer, spkiKeyBytes } from '../lib/der.js';
import type { CertificateDer, NameSubtree } from '../lib/der.js';
import { errCode } from '../lib/errno.js';
import type { ProbeError } from './net-model.js';
import type {
  CertificateFact,
  ChainFact,
  ChainOrderFact,
  ChainTrustFact,
  ExpiryFact,
  HandshakeFact,
  HostnameFact,
  KeyType,
  TrustProblem,
} from './cert-model.js';

const DAY_MS = 86_400_000;
/** No real path is longer; a bound keeps a hostile or looping one from costing more. */
const MAX_PATH = 16;
/** A misconfigured bundle can send many certificates, and every one is judged; past this it is no chain. */
const MAX_SENT = 128;

// ---------------------------------------------------------------------------------------------------------
// PEM

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text, in order: X509Certificate itself reads only the first. */
export function certificatesFromPem(text: string): Buffer[] {
  return [...text.matchAll(PEM_CERTIFICATE)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

// ---------------------------------------------------------------------------------------------------------
// Trust stores

/** A PEM file of trust anchors on the auditing machine, or the probe error that says why it is unusable. */
export function readCaFile(path: string): Promise<string | ProbeError> {
  // Read once per process (one audit), however many endpoints name it: a thousand reads of one file are a
  // measurable share of a large audit's CPU.
  let read = caFiles.get(path);
  if (!read) {
    read = readFile(path, 'utf8').catch(
      (e: unknown): ProbeError => ({ code: 'CA_FILE', reason: `CA file ${path} could not be read (${errCode(e) ?? String(e)})` }),
    );
    caFiles.set(path, read);
  }
  return read;
}

const caFiles = new Map<string, Promise<string | ProbeError>>();

interface TrustStore {
  kind: 'system' | 'ca';
  bySubject: Map<string, X509Certificate[]>;
  fingerprints: Set<string>;
}

function buildStore(kind: TrustStore['kind'], pems: readonly string[]): TrustStore {
  const store: TrustStore = { kind, bySubject: new Map(), fingerprints: new Set() };
  for (const der of pems.flatMap(certificatesFromPem)) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      continue; // one unreadable anchor must not void the rest of the store
    }
    const list = store.bySubject.get(cert.subject) ?? [];
    list.push(cert);
    store.bySubject.set(cert.subject, list);
    store.fingerprints.add(cert.fingerprint256);
  }
  return store;
}

let systemStore: TrustStore | undefined;

// Parsing the bundled roots costs more than reading a chain: do it once per process, when first needed.
function storeFor(caPem: string | undefined): TrustStore {
  if (caPem !== undefined) return buildStore('ca', [caPem]);
  systemStore ??= buildStore('system', rootCertificates);
  return systemStore;
}

// ---------------------------------------------------------------------------------------------------------
// One certificate

function issues(issuer: X509Certificate, child: X509Certificate): boolean {
  // The names, then the signature, which alone proves it. Not checkIssued: it also refuses an issuer whose
  // keyUsage lacks keyCertSign, which path building must find and name, not read as "issuer not sent".
  if (child.issuer !== issuer.subject) return false;
  try {
    return child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

// Not checkIssued(itself): OpenSSL refuses an issuer without keyCertSign, which a self-signed leaf lacks.
function selfSigned(x509: X509Certificate): boolean {
  if (x509.subject !== x509.issuer) return false;
  try {
    return x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}

function firstAttribute(dn: string, key: string): string | null {
  for (const line of dn.split('\n')) {
    if (line.startsWith(`${key}=`)) return line.slice(key.length + 1);
  }
  return null;
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

// Node writes a name that holds a comma or quote as a JSON string: `DNS:"a,b"`.
const SAN_ENTRY = /(DNS|IP Address|email|URI|DirName|othername):("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/g;

function altNames(san: string | undefined): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const m of (san ?? '').matchAll(SAN_ENTRY)) {
    const value = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    if (m[1] === 'DNS') dnsNames.push(value);
    else if (m[1] === 'IP Address') ipAddresses.push(value);
  }
  return { dnsNames, ipAddresses };
}

function accessUris(infoAccess: string | undefined, method: string): string[] {
  const prefix = `${method} - URI:`;
  return (infoAccess ?? '')
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

/** Field sizes of the named curves, by OpenSSL's short names; a curve not listed is sized from its public point. */
const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp192k1: 192,
  secp224r1: 224,
  secp224k1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp160r1: 160,
  secp160r2: 160,
  secp160k1: 160,
  brainpoolP160r1: 160,
  brainpoolP192r1: 192,
  brainpoolP224r1: 224,
  brainpoolP256r1: 256,
  brainpoolP320r1: 320,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
  sect163k1: 163,
  sect163r2: 163,
  sect233k1: 233,
  sect233r1: 233,
  sect283k1: 283,
  sect283r1: 283,
  sect409k1: 409,
  sect409r1: 409,
  sect571k1: 571,
  sect571r1: 571,
};

/** The bits of an EC key from its public point: 04 || X || Y uncompressed, 02 or 03 || X compressed. */
function pointBits(key: X509Certificate['publicKey']): number | null {
  try {
    const point = spkiKeyBytes(key.export({ type: 'spki', format: 'der' }));
    const coordinate = point[0] === 0x04 ? (point.length - 1) / 2 : point.length - 1;
    return Number.isInteger(coordinate) && coordinate > 0 ? coordinate * 8 : null;
  } catch {
    return null;
  }
}

const KEY_TYPES = new Set<string>(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa', 'dh']);

function keyOf(cert: X509Certificate): CertificateFact['key'] {
  const key = cert.publicKey;
  const raw = key.asymmetricKeyType ?? 'unknown';
  const type = (KEY_TYPES.has(raw) ? raw : 'unknown') as KeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve ?? null;
  let bits = details.modulusLength ?? null;
  if (type === 'ec') bits = (curve ? CURVE_BITS[curve] : undefined) ?? pointBits(key);
  if (type === 'ed25519') bits = 256;
  if (type === 'ed448') bits = 456;
  return { type, bits, curve };
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

function readOne(der: Buffer, position: number, now: Date): { x509: X509Certificate; parsed: CertificateDer; fact: CertificateFact } {
  const x509 = new X509Certificate(der);
  const parsed = readCertificateDer(der);
  const { signature, notBefore, notAfter } = parsed;
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const left = notAfter.getTime() - now.getTime();
  const fact: CertificateFact = {
    position,
    subject: oneLine(x509.subject),
    commonName: firstAttribute(x509.subject, 'CN'),
    ...altNames(x509.subjectAltName),
    issuer: oneLine(x509.issuer),
    issuerCommonName: firstAttribute(x509.issuer, 'CN'),
    serialNumber: x509.serialNumber.toUpperCase(),
    fingerprint256: x509.fingerprint256,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    lifetimeDays: round(lifetime / DAY_MS, 3),
    daysLeft: Math.floor(left / DAY_MS),
    fractionLeft: lifetime > 0 ? round(Math.min(1, Math.max(0, left / lifetime)), 4) : 0,
    expired: left < 0,
    notYetValid: now.getTime() < notBefore.getTime(),
    key: keyOf(x509),
    signature: { algorithm: signature.name, oid: signature.oid, hash: signature.hash, sha1: signature.hash === 'sha1' },
    selfSigned: selfSigned(x509),
    ca: x509.ca,
    ocspUris: accessUris(x509.infoAccess, 'OCSP'),
    caIssuerUris: accessUris(x509.infoAccess, 'CA Issuers'),
  };
  return { x509, parsed, fact };
}

// ---------------------------------------------------------------------------------------------------------
// The chain

function earliestExpiry(facts: CertificateFact[]): ExpiryFact {
  const first = facts.reduce((a, b) => (Date.parse(b.notAfter) < Date.parse(a.notAfter) ? b : a));
  const role = first.position === 0 ? 'leaf' : first.selfSigned ? 'root' : 'intermediate';
  const { position, subject, notAfter, daysLeft, fractionLeft } = first;
  return { position, role, subject, notAfter, daysLeft, fractionLeft };
}

function label(f: CertificateFact): string {
  return `certificate ${f.position} (${f.commonName ?? f.subject})`;
}

function chainOrder(certs: X509Certificate[], facts: CertificateFact[]): ChainOrderFact {
  const problems: string[] = [];
  for (let i = 0; i + 1 < certs.length; i++) {
    if (!issues(certs[i + 1]!, certs[i]!)) problems.push(`${label(facts[i + 1]!)} did not issue ${label(facts[i]!)}`);
  }
  return { correct: problems.length === 0, problems };
}

// ---------------------------------------------------------------------------------------------------------
// Trust: a path as OpenSSL and browsers build one

/** A certificate path building may use: one the server sent (its position), or one of the trust store. */
interface Node {
  x509: X509Certificate;
  der: CertificateDer;
  /** Position in what was sent; null for a certificate only the store holds. */
  position: number | null;
  inStore: boolean;
  selfSigned: boolean;
}

const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const EKU_ANY = '2.5.29.37.0';
/** Bound on the paths tried: cross-signed meshes grow fast, and a hostile chain must not cost more. */
const MAX_PATH_STEPS = 256;

/**
 * What OpenSSL's verification (at the security level Debian builds it with, which browsers' rules match)
 * finds wrong with one path, leaf first and the self-signed anchor last: dates, critical extensions it does not
 * handle, CA constraints (an intermediate must say CA:TRUE; the anchor may be a version 1 root or name its
 * keyCertSign), pathLen (self-issued intermediates not counted), name constraints, purpose, key sizes and
 * signature hashes. Null when the path verifies.
 */
function pathProblem(path: readonly Node[], now: Date): TrustProblem | null {
  const t = now.getTime();
  const top = path.length - 1;
  for (let i = 0; i < path.length; i++) {
    const n = path[i]!;
    const at = n.position;
    const subject = n.x509.subject;
    if (t < n.der.notBefore.getTime()) return { code: 'not-yet-valid', position: at, subject, date: n.der.notBefore.toISOString() };
    if (t > n.der.notAfter.getTime()) return { code: 'expired', position: at, subject, date: n.der.notAfter.toISOString() };
    if (n.der.unhandledCritical.length > 0) return { code: 'critical-extension', position: at, subject, detail: n.der.unhandledCritical.join(', ') };
    const ku = n.der.keyUsage;
    if (i > 0) {
      const bc = n.der.basicConstraints;
      if (ku && !ku.keyCertSign) return { code: 'no-cert-sign', position: at, subject };
      const isCa = bc ? bc.ca : i === top && ((n.der.version === 1 && n.selfSigned) || ku !== undefined);
      if (!isCa) return { code: 'not-ca', position: at, subject };
      const below = path.slice(1, i).filter((c) => !selfIssued(c)).length;
      if (bc?.pathLen != null && below > bc.pathLen) return { code: 'path-length', position: at, subject };
      const nc = n.der.nameConstraints;
      const outside = nc ? path.slice(0, i).find((c, j) => (j === 0 || !selfIssued(c)) && namesOutside(c, nc, j === 0)) : undefined;
      if (outside) return { code: 'name-constraints', position: outside.position, subject: outside.x509.subject, detail: oneLineCn(subject) };
    }
    const eku = n.x509.keyUsage;
    if (eku && !eku.includes(EKU_SERVER_AUTH) && !eku.includes(EKU_ANY))
      return { code: 'purpose', position: at, subject, detail: 'extendedKeyUsage lacks serverAuth' };
    // A TLS server's key signs or agrees on keys; a leaf whose keyUsage allows neither is not for TLS.
    if (i === 0 && top > 0 && ku && !ku.digitalSignature && !ku.keyEncipherment && !ku.keyAgreement) {
      return { code: 'purpose', position: at, subject, detail: 'keyUsage allows none of digitalSignature, keyEncipherment, keyAgreement' };
    }
    const weakKey = keyTooWeak(n.x509);
    if (weakKey) return { code: 'weak-key', position: at, subject, detail: weakKey };
    // A self-signed certificate's own signature is never what a client relies on.
    const hash = n.der.signature.hash;
    if (!n.selfSigned && (hash === 'sha1' || hash === 'md5')) return { code: 'weak-signature', position: at, subject, detail: n.der.signature.name };
  }
  return null;
}

/** Issued by a CA of the same name (a key rollover): RFC 5280 exempts it from pathLen and name constraints. */
function selfIssued(n: Node): boolean {
  return n.x509.subject === n.x509.issuer;
}

function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (base === '') return true;
  if (base.startsWith('.')) return n.endsWith(base);
  return n === base || n.endsWith(`.${base}`);
}

function ipWithin(address: string, base: { ip: Uint8Array; mask: Uint8Array }): boolean {
  const bytes = ipBytes(address);
  if (!bytes || bytes.length !== base.ip.length) return false;
  return bytes.every((b, k) => (b & base.mask[k]!) === (base.ip[k]! & base.mask[k]!));
}

function ipBytes(address: string): Uint8Array | null {
  if (isIP(address) === 4) return Uint8Array.from(address.split('.').map(Number));
  if (isIP(address) !== 6) return null;
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = groups(tail);
  const all = address.includes('::') ? [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/**
 * Whether a certificate's names fall outside a CA's name constraints, for the forms read (DNS and IP): each name
 * must be within a permitted subtree of its form, where the CA lists any, and within no excluded one. A leaf
 * without a DNS subjectAltName has its CN checked as a DNS name, as OpenSSL does.
 */
function namesOutside(c: Node, nc: { permitted: NameSubtree[]; excluded: NameSubtree[] }, leaf: boolean): boolean {
  const san = altNames(c.x509.subjectAltName);
  const cn = firstAttribute(c.x509.subject, 'CN');
  const dns = san.dnsNames.length === 0 && leaf && cn !== null && /^[a-z0-9*][a-z0-9.*-]*$/i.test(cn) && cn.includes('.') ? [cn] : san.dnsNames;
  const permittedDns = nc.permitted.flatMap((p) => ('dns' in p ? [p.dns] : []));
  const permittedIp = nc.permitted.flatMap((p) => ('ip' in p ? [p] : []));
  const excludedDns = nc.excluded.flatMap((p) => ('dns' in p ? [p.dns] : []));
  const excludedIp = nc.excluded.flatMap((p) => ('ip' in p ? [p] : []));
  for (const d of dns) {
    if (permittedDns.length > 0 && !permittedDns.some((b) => dnsWithin(d, b))) return true;
    if (excludedDns.some((b) => dnsWithin(d, b))) return true;
  }
  for (const a of san.ipAddresses) {
    if (permittedIp.length > 0 && !permittedIp.some((b) => ipWithin(a, b))) return true;
    if (excludedIp.some((b) => ipWithin(a, b))) return true;
  }
  return false;
}

/** RSA and DSA keys under 2048 bits and curves under 224: under 112 bits of security, refused by browsers and OpenSSL's level 2. */
function keyTooWeak(x509: X509Certificate): string | null {
  const k = keyOf(x509);
  if ((k.type === 'rsa' || k.type === 'rsa-pss' || k.type === 'dsa') && k.bits !== null && k.bits < 2048) return `${k.type} ${k.bits} bits`;
  if (k.type === 'ec' && k.bits !== null && k.bits < 224) return `ec ${k.bits} bits`;
  return null;
}

interface PathSearch {
  /** The first path that reaches a self-signed certificate of the store and verifies, else the first that reaches one. */
  anchored: { path: Node[]; problem: TrustProblem | null } | null;
  /** The longest path built from what was sent alone, to say where it stops. */
  longest: Node[];
}

/**
 * Depth-first over the pool the server sent and the store, the store's issuers first (OpenSSL's trusted-first),
 * certificates valid now before expired ones, backtracking past dead ends and paths that do not verify, so a
 * cross-signed intermediate or another root is followed whatever the order sent. Order and extra certificates
 * do not matter: the pool is a set.
 */
function searchPaths(leaf: Node, pool: readonly Node[], store: TrustStore, now: Date): PathSearch {
  const result: PathSearch = { anchored: null, longest: [leaf] };
  let steps = 0;
  const fresh = (n: Node): number => (now.getTime() >= n.der.notBefore.getTime() && now.getTime() <= n.der.notAfter.getTime() ? 0 : 1);
  const visit = (path: Node[]): boolean => {
    if (++steps > MAX_PATH_STEPS) return true;
    const current = path[path.length - 1]!;
    if (path.every((n) => n.position !== null) && path.length > result.longest.length) result.longest = [...path];
    if (current.inStore && current.selfSigned) {
      const problem = pathProblem(path, now);
      if (!problem) {
        result.anchored = { path: [...path], problem: null };
        return true;
      }
      result.anchored ??= { path: [...path], problem };
      return false;
    }
    if (current.selfSigned || path.length >= MAX_PATH) return false;
    const onPath = new Set(path.map((n) => n.x509.fingerprint256));
    const fromStore = storeNodes(store, current.x509).filter((n) => !onPath.has(n.x509.fingerprint256));
    const fromPool = pool.filter(
      (n) => !onPath.has(n.x509.fingerprint256) && !fromStore.some((s) => s.x509.fingerprint256 === n.x509.fingerprint256) && issues(n.x509, current.x509),
    );
    const next = [...fromStore.sort((a, b) => fresh(a) - fresh(b)), ...fromPool.sort((a, b) => fresh(a) - fresh(b))];
    for (const n of next) if (visit([...path, n])) return true;
    return false;
  };
  visit([leaf]);
  return result;
}

const storeNodeCache = new WeakMap<X509Certificate, Node>();

function storeNode(cert: X509Certificate): Node {
  let n = storeNodeCache.get(cert);
  if (!n) {
    n = { x509: cert, der: readCertificateDer(new Uint8Array(cert.raw)), position: null, inStore: true, selfSigned: selfSigned(cert) };
    storeNodeCache.set(cert, n);
  }
  return n;
}

function storeNodes(store: TrustStore, child: X509Certificate): Node[] {
  const out: Node[] = [];
  for (const a of store.bySubject.get(child.issuer) ?? []) {
    if (!issues(a, child)) continue;
    try {
      out.push(storeNode(a));
    } catch {
      // An anchor this reader cannot parse is one no path can use.
    }
  }
  return out;
}

function problemWords(p: TrustProblem, where: string): string {
  const who = p.position === null ? `${oneLineCn(p.subject)} (from ${where})` : `certificate ${p.position} (${oneLineCn(p.subject)})`;
  switch (p.code) {
    case 'expired':
      return `${who} expired on ${p.date}`;
    case 'not-yet-valid':
      return `${who} is not valid before ${p.date}`;
    case 'not-ca':
      return `${who} issues a certificate of the path but is not a CA (basicConstraints)`;
    case 'no-cert-sign':
      return `${who} issues a certificate of the path but its keyUsage lacks keyCertSign`;
    case 'path-length':
      return `${who} allows fewer CAs below it than the path has (pathLen)`;
    case 'purpose':
      return `${who} is not for TLS servers (${p.detail})`;
    case 'weak-key':
      return `${who} has a key too weak for clients (${p.detail})`;
    case 'weak-signature':
      return `${who} is signed with ${p.detail}, which clients refuse`;
    case 'critical-extension':
      return `${who} has a critical extension clients do not handle (${p.detail})`;
    case 'name-constraints':
      return `${who} names a host outside the name constraints of ${p.detail}`;
    default:
      return who;
  }
}

function oneLineCn(dn: string): string {
  return firstAttribute(dn, 'CN') ?? oneLine(dn);
}

function chainTrust(nodes: Node[], facts: CertificateFact[], store: TrustStore, now: Date): ChainTrustFact {
  const where = store.kind === 'system' ? 'the system trust store' : 'the ca file';
  const sent = nodes.map((n) => ({ ...n, inStore: store.fingerprints.has(n.x509.fingerprint256) }));
  const search = searchPaths(sent[0]!, sent.slice(1), store, now);
  // A store certificate the server also sent (its root, say) is named by where it was sent.
  const sentAt = new Map(sent.map((n) => [n.x509.fingerprint256, n.position!]));
  const positions = (path: readonly Node[]): number[] =>
    path.flatMap((n) => {
      const at = n.position ?? sentAt.get(n.x509.fingerprint256);
      return at === undefined ? [] : [at];
    });
  const sentPath = search.longest;
  const last = sentPath[sentPath.length - 1]!;
  const lastFact = facts[last.position!]!;
  // Servers leave their root out; a path of what was sent that ends at a CA (whose issuer is that root) or at a
  // self-signed certificate lacks nothing, while one that stops at the leaf or at a certificate that is no CA
  // lacks an intermediate (Node fetches none: there is no AIA chasing).
  const missingIssuer = last.selfSigned ? undefined : storeNodes(store, last.x509)[0];
  const complete = last.selfSigned || (missingIssuer ? missingIssuer.selfSigned : lastFact.ca && last.position !== 0);
  if (search.anchored) {
    const { path, problem } = search.anchored;
    const anchor = path[path.length - 1]!;
    const base = { store: store.kind, complete, anchor: oneLine(anchor.x509.subject), path: positions(path) };
    if (!problem) return { ...base, trusted: true, reason: null };
    return { ...base, trusted: false, code: problem.code, reason: problemWords(problem, where) };
  }
  if (last.selfSigned) {
    const code = last.position === 0 ? 'self-signed' : 'self-signed-in-chain';
    const reason =
      last.position === 0 ? `${label(lastFact)} is self-signed and not in ${where}` : `${label(lastFact)} is a self-signed root that is not in ${where}`;
    return { store: store.kind, trusted: false, complete, anchor: null, code, reason, path: positions(sentPath) };
  }
  const issuer = JSON.stringify(lastFact.issuerCommonName ?? lastFact.issuer);
  const reason = complete
    ? `issuer ${issuer} of ${label(lastFact)} is not in ${where}`
    : `chain incomplete: the issuer ${issuer} of ${label(lastFact)} was not sent and is not in ${where}`;
  return { store: store.kind, trusted: false, complete, anchor: null, code: complete ? 'issuer-unknown' : 'incomplete', reason, path: positions(sentPath) };
}

// ---------------------------------------------------------------------------------------------------------
// Hostnames, as RFC 9525 has clients match them

/**
 * The subjectAltName entry of the leaf that `name` matches, as RFC 9525 has clients match: subjectAltName only
 * (the subject CN is never a name), a wildcard only as a whole left-most label standing for one label, an IP
 * address only against an iPAddress entry.
 */
function matchedName(x509: X509Certificate, name: string): string | undefined {
  if (isIP(name)) return x509.checkIP(name);
  return x509.checkHost(name.replace(/\.$/, ''), {
    subject: 'never',
    wildcards: true,
    partialWildcards: false,
    multiLabelWildcards: false,
    singleLabelSubdomains: false,
  });
}

function hostnameFact(x509: X509Certificate, leaf: CertificateFact, name: string): HostnameFact {
  const matched = matchedName(x509, name);
  const fact: HostnameFact = { name, matches: matched !== undefined, matched: matched ?? null };
  if (leaf.dnsNames.length === 0 && leaf.ipAddresses.length === 0) fact.noSubjectAltName = true;
  return fact;
}

/**
 * A `checkServerIdentity` for Node's TLS client that matches as browsers do (RFC 9525): Node's own falls back to
 * the subject CN when a certificate has no DNS name.
 */
export function checkServerIdentity(host: string, cert: { raw: Buffer }): Error | undefined {
  if (matchedName(new X509Certificate(cert.raw), host) !== undefined) return undefined;
  return Object.assign(new Error(`the certificate does not name ${host} in its subjectAltName (its CN is not considered, RFC 9525)`), {
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
  });
}

export interface ReadChainOptions {
  /** The clock every day count is judged at. */
  now: Date;
  /** Checked against the leaf whatever the chain's trust. */
  hostname?: string;
  /** PEM text of trust anchors that replaces the system store. */
  caPem?: string;
}

/** Reads a chain (DER, leaf first). Throws when a certificate cannot be parsed; an empty chain is an error. */
export function readChain(ders: readonly Buffer[], opts: ReadChainOptions): ChainFact {
  if (ders.length === 0) throw new Error('no certificate');
  if (ders.length > MAX_SENT) throw new Error(`${ders.length} certificates: more than the ${MAX_SENT} this reader judges`);
  const read = ders.map((der, i) => {
    try {
      return readOne(der, i, opts.now);
    } catch (e) {
      throw new Error(`certificate ${i} is not a readable X.509 certificate: ${(e as Error).message}`);
    }
  });
  const certs = read.map((r) => r.x509);
  const facts = read.map((r) => r.fact);
  const chain: ChainFact = {
    certificates: facts,
    earliestExpiry: earliestExpiry(facts),
    order: chainOrder(certs, facts),
    trust: chainTrust(
      read.map((r, i) => ({ x509: r.x509, der: r.parsed, position: i, inStore: false, selfSigned: r.fact.selfSigned })),
      facts,
      storeFor(opts.caPem),
      opts.now,
    ),
  };
  if (opts.hostname !== undefined) chain.hostname = hostnameFact(certs[0]!, facts[0]!, opts.hostname);
  return chain;
}

// ---------------------------------------------------------------------------------------------------------
// A live handshake

/** Protocol, suite, ALPN and stapling of a finished handshake; `ocspResponse` is what the 'OCSPResponse' event gave (undefined when the server stapled nothing). */
export function handshakeFacts(socket: TLSSocket, ocspResponse: Buffer | null | undefined): HandshakeFact {
  const cipher = socket.getCipher() as ReturnType<TLSSocket['getCipher']> | undefined;
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: cipher?.standardName ?? null,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    ocspStapled: ocspResponse != null && ocspResponse.length > 0,
    sessionReused: socket.isSessionReused(),
  };
}
