// Certificates as facts: a pure reading of a chain of DER certificates (leaf first, as a handshake or a PEM
// bundle gives them) at a given clock, and the one impure step of taking that chain off a live TLS socket.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { ConnectionOptions, DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { readCertificateDer } from '../lib/der.js';
import { errCode } from '../lib/errno.js';
import type { ProbeError } from './net-model.js';
import type { CertificateFact, ChainFact, ChainOrderFact, ChainTrustFact, ExpiryFact, HandshakeFact, HostnameFact, KeyType } from './cert-model.js';

const DAY_MS = 86_400_000;
/** No real chain is longer; a bound keeps a hostile or looping one from costing more. */
const MAX_CHAIN = 16;

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
export async function readCaFile(path: string): Promise<string | ProbeError> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    return { code: 'CA_FILE', reason: `CA file ${path} could not be read (${errCode(e) ?? String(e)})` };
  }
}

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
  // checkIssued compares names (and key identifiers); only the signature proves it.
  if (!child.checkIssued(issuer)) return false;
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

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 };
const KEY_TYPES = new Set<string>(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa', 'dh']);

function keyOf(cert: X509Certificate): CertificateFact['key'] {
  const key = cert.publicKey;
  const raw = key.asymmetricKeyType ?? 'unknown';
  const type = (KEY_TYPES.has(raw) ? raw : 'unknown') as KeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve ?? null;
  let bits = details.modulusLength ?? null;
  if (curve) bits = CURVE_BITS[curve] ?? null;
  if (type === 'ed25519') bits = 256;
  if (type === 'ed448') bits = 456;
  return { type, bits, curve };
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

function readOne(der: Buffer, position: number, now: Date): { x509: X509Certificate; fact: CertificateFact } {
  const x509 = new X509Certificate(der);
  const { signature, notBefore, notAfter } = readCertificateDer(der);
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
  return { x509, fact };
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

function anchorFor(store: TrustStore, cert: X509Certificate): X509Certificate | undefined {
  if (store.fingerprints.has(cert.fingerprint256)) return cert;
  return store.bySubject.get(cert.issuer)?.find((a) => issues(a, cert));
}

/**
 * Walks from the leaf to an issuer among the certificates sent, in any order, until a certificate is in the
 * store or issued by one of its anchors. A seen-set ends loops (a root that points at itself, a cross-signed
 * pair). Validity dates are not part of trust here: expiry is its own fact, so one problem is not read as two.
 */
function chainTrust(certs: X509Certificate[], facts: CertificateFact[], store: TrustStore): ChainTrustFact {
  const path = [0];
  const seen = new Set([0]);
  let at = 0;
  for (;;) {
    const current = certs[at]!;
    const anchor = anchorFor(store, current);
    if (anchor) {
      return { store: store.kind, trusted: true, complete: true, anchor: oneLine(anchor.subject), reason: null, path };
    }
    const next = certs.findIndex((c, i) => !seen.has(i) && issues(c, current));
    if (next < 0) break;
    seen.add(next);
    path.push(next);
    at = next;
  }
  const last = facts[at]!;
  const where = store.kind === 'system' ? 'the system trust store' : 'the ca file';
  if (last.selfSigned) {
    return { store: store.kind, trusted: false, complete: true, anchor: null, reason: `${label(last)} is self-signed and not in ${where}`, path };
  }
  // Servers leave their root out; a CA whose issuer is missing is that case, while a leaf or a chain that stops
  // at a certificate that is no CA lacks an intermediate (Node fetches none: there is no AIA chasing).
  const complete = last.ca && at !== 0;
  const reason = complete
    ? `issuer ${JSON.stringify(last.issuerCommonName ?? last.issuer)} of ${label(last)} is not in ${where}`
    : `chain incomplete: the issuer ${JSON.stringify(last.issuerCommonName ?? last.issuer)} of ${label(last)} was not sent and is not in ${where}`;
  return { store: store.kind, trusted: false, complete, anchor: null, reason, path };
}

function hostnameFact(x509: X509Certificate, name: string): HostnameFact {
  // An IP address matches only an iPAddress SAN; checkHost would compare it as a DNS name.
  const matched = isIP(name) ? x509.checkIP(name) : x509.checkHost(name);
  return { name, matches: matched !== undefined, matched: matched ?? null };
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
  if (ders.length > MAX_CHAIN) throw new Error(`${ders.length} certificates: more than the ${MAX_CHAIN} any chain needs`);
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
    trust: chainTrust(certs, facts, storeFor(opts.caPem)),
  };
  if (opts.hostname !== undefined) chain.hostname = hostnameFact(certs[0]!, opts.hostname);
  return chain;
}

// ---------------------------------------------------------------------------------------------------------
// A live handshake

/**
 * Options for a connection whose chain is to be read. `ca: []` leaves the client's store empty: Node completes
 * the chain it reports from the client's store (a root the server never sent would appear), and trust is judged
 * by readChain instead. No `session` is passed, so the handshake is full: a resumed one carries no certificate.
 */
export function chainProbeOptions(host: string, port: number, servername: string | undefined): ConnectionOptions {
  // requestOCSP (a TLSSocket option) and autoSelectFamily (a net one) reach the socket; @types/node omits them here.
  const opts: ConnectionOptions & { requestOCSP: boolean; autoSelectFamily: boolean } = { host, port, rejectUnauthorized: false, ca: [], requestOCSP: true, autoSelectFamily: false };
  // Node sends no SNI unless told, and SNI may not be an IP address.
  if (servername !== undefined && isIP(servername) === 0) opts.servername = servername;
  return opts;
}

/**
 * The chain the server sent, DER, leaf first, linked by issuer as Node reports it. Must run before any
 * getPeerX509Certificate() on the socket: after it, Node 20's getPeerCertificate(true) returns an empty object.
 * Empty for a resumed session.
 */
export function peerChainDer(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  // The root of a complete chain names itself as its issuer: the seen-set stops there.
  while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < MAX_CHAIN) {
    seen.add(cert.fingerprint256);
    chain.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return chain;
}

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
