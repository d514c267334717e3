// TLS endpoints, judged: the versions accepted and refused, the suites (negotiated, forward secrecy, legacy
// classes, a Mozilla profile's deviations by name), the certificate chain the server sent, and ALPN, per
// address. The tls and tlsListeners kinds share it.
import { isIP } from 'node:net';
import { NO_ANSWER } from '../../../probes/net-model.js';
import type { ExpectOf } from '../../../policy/model.js';
import type { TlsAddressFact, TlsFact } from '../../../facts/model.js';
import type { ChainFact } from '../../../probes/cert-model.js';
import type { LegacyFinding, TlsVersionName, VersionResult } from '../../../probes/tls-model.js';
import { PROFILES, profileDeviations } from '../../../probes/readings/tls-profile.js';
import type { TlsObservation, TlsProfile } from '../../../probes/readings/tls-profile.js';
import { about, describe, match } from '../../matchers.js';
import type { Reason } from '../../reasons.js';
import { chainExpected, flag, judgeChain, judgeChainTail, nameOf } from './chain.js';

const LEGACY_CLASSES = { RC4: 'rc4', '3DES': 'tripleDes', NULL: 'null', EXPORT: 'export', ANON: 'anonymous', 'CBC-only': 'cbcOnlyTls12' } as const;

type LegacyName = keyof typeof LEGACY_CLASSES;

/** What a TLS check expects (the `tls` and `tlsListeners` kinds share it), and of the certificates sent. */
export type TlsExpect = ExpectOf<'tls'>;
type CertificateExpect = NonNullable<TlsExpect['certificate']>;

export function expectedOf(e: TlsExpect): string {
  const parts: string[] = [];
  if (e.versions?.accept?.length) parts.push(`accepts ${e.versions.accept.join(', ')}`);
  if (e.versions?.refuse?.length) parts.push(`refuses ${e.versions.refuse.join(', ')}`);
  const c = e.cipher;
  if (c?.negotiated !== undefined) parts.push(`negotiated suite ${describe(c.negotiated)}`);
  if (c?.forwardSecrecy !== undefined) parts.push(c.forwardSecrecy ? 'forward secrecy' : 'no forward secrecy');
  if (c?.refuse?.length) parts.push(`refuses ${c.refuse.map((n) => n ?? 'NULL').join(', ')} suites`);
  if (c?.profile !== undefined) parts.push(`conforms to ${c.profile}`);
  const cert = e.certificate;
  if (cert) {
    const text = chainExpected(cert, (p) => {
      if (cert.hostname !== undefined) p.push(cert.hostname ? 'hostname matches' : 'hostname does not match');
      if (cert.chain !== undefined && cert.chain !== 'any') p.push(`chain ${cert.chain}`);
      if (cert.key?.type !== undefined) p.push(`key type ${[cert.key.type].flat().join(' or ')}`);
      if (cert.key?.bits !== undefined) p.push(`key bits ${describe(cert.key.bits)}`);
      if (cert.lifetimeDays !== undefined) p.push(`lifetime ${describe(cert.lifetimeDays)} days`);
      if (cert.ocspStapled !== undefined) p.push(cert.ocspStapled ? 'OCSP stapled' : 'no OCSP stapling');
    });
    if (text) parts.push(`certificate ${text}`);
  }
  if (e.alpn !== undefined) parts.push(`ALPN ${describe(e.alpn)}`);
  return parts.join(', ') || 'a TLS handshake';
}

/** TLS 1.3 suites are all ephemeral; before it, only (EC)DHE key exchange is. */
function forwardSecret(suite: string): boolean {
  return !suite.includes('_WITH_') || /^TLS_(ECDHE|DHE)_/.test(suite);
}

// ---------------------------------------------------------------------------------------------------------
// One address

export interface Judged {
  whys: Reason[];
  seen: string[];
  /** What could not be decided; the address is an error when nothing failed. */
  unknown: Reason[];
  /** That no handshake was had is said already: say it once. */
  noHandshakeSaid?: boolean;
  /** Whether some of `unknown` is not silence: what answered but did not settle the question ("could not decide"). */
  undecided: boolean;
}

/** No answer within the timeout: no verdict, and no "could not decide" either. */
function unknownSilence(j: Judged, why: string): void {
  j.unknown.push({ code: 'no-answer', why });
}

function undecided(j: Judged, why: Reason): void {
  j.unknown.push(why);
  j.undecided = true;
}

function judgeVersions(versions: readonly VersionResult[] | undefined, e: TlsExpect['versions'], j: Judged): void {
  if (!e || (!e.accept?.length && !e.refuse?.length)) return;
  if (!versions) {
    undecided(j, { code: 'versions-not-probed' });
    return;
  }
  const at = (v: TlsVersionName): VersionResult | undefined => versions.find((r) => r.version === v);
  const accepted = versions.filter((v) => v.verdict === 'accepted').map((v) => v.version);
  j.seen.push(`accepts ${accepted.join(', ') || 'no version'}`);
  // Nothing at all answered in TLS: one reason, not five.
  const notTls = versions.filter((v) => v.verdict === 'not-tls');
  if (notTls.length && accepted.length === 0) {
    j.whys.push({ code: 'not-tls', why: notTls[0]!.reason });
    return;
  }
  const errors = versions.filter((v) => v.verdict === 'error');
  if (errors.length === versions.length) {
    // Silence is no verdict on the versions; a refusal or a reset is what every client meets.
    if (errors.every((v) => v.code !== undefined && NO_ANSWER.has(v.code))) unknownSilence(j, errors[0]!.reason);
    else j.whys.push({ code: 'handshake-failed', why: errors[0]!.reason });
    j.noHandshakeSaid = true;
    return;
  }
  for (const v of e.accept ?? []) {
    const r = at(v);
    if (!r || r.verdict === 'accepted') continue;
    if (r.verdict === 'refused') j.whys.push({ code: 'version-refused', version: v, why: r.reason });
    else if (r.verdict === 'not-tls') j.whys.push({ code: 'version-not-tls', version: v, why: r.reason });
    else undecided(j, { code: 'version-undecided', version: v, verdict: r.verdict, why: r.reason });
  }
  for (const v of e.refuse ?? []) {
    const r = at(v);
    if (!r || r.verdict === 'refused' || r.verdict === 'not-tls') continue;
    if (r.verdict === 'accepted') j.whys.push({ code: 'version-accepted', version: v, why: r.reason, ...(r.cipher ? { cipher: r.cipher } : {}) });
    else undecided(j, { code: 'version-undecided', version: v, verdict: r.verdict, why: r.reason });
  }
}

function judgeLegacy(a: TlsAddressFact, refuse: readonly LegacyName[] | undefined, j: Judged): void {
  if (!refuse?.length) return;
  if (!a.legacy) {
    undecided(j, { code: 'legacy-not-probed' });
    return;
  }
  for (const name of refuse) {
    const f: LegacyFinding = a.legacy[LEGACY_CLASSES[name]];
    if (f.accepted === true) j.whys.push({ code: 'legacy-accepted', name, suites: f.suites, versions: f.versions });
    else if (f.accepted === null) undecided(j, { code: 'legacy-undecided', name, why: f.reason });
  }
  const taken = refuse.filter((n) => a.legacy![LEGACY_CLASSES[n]].accepted === true);
  j.seen.push(
    taken.length
      ? `accepts ${taken.join(', ')} suites`
      : `refuses ${refuse.filter((n) => a.legacy![LEGACY_CLASSES[n]].accepted === false).join(', ') || 'none decided'}`,
  );
}

function observation(a: TlsAddressFact, chain: ChainFact | undefined): TlsObservation {
  const accepted: Partial<Record<TlsVersionName, boolean>> = {};
  for (const v of a.versions ?? []) {
    if (v.verdict === 'accepted') accepted[v.version] = true;
    else if (v.verdict === 'refused') accepted[v.version] = false;
  }
  const seen: TlsObservation = { accepted };
  if (a.suites) {
    seen.suites = {};
    for (const v of ['TLSv1.2', 'TLSv1.3'] as const) if (a.suites[v]) seen.suites[v] = a.suites[v].suites;
  }
  const leaf = chain?.certificates[0];
  if (leaf) {
    seen.certificate = { keyType: leaf.key.type, lifetimeDays: Math.round(leaf.lifetimeDays) };
    if (leaf.key.bits !== null && leaf.key.type === 'rsa') seen.certificate.rsaBits = leaf.key.bits;
    if (leaf.key.curve !== null) seen.certificate.curve = leaf.key.curve;
  }
  return seen;
}

function judgeProfile(a: TlsAddressFact, name: TlsProfile['name'] | undefined, j: Judged): void {
  if (name === undefined) return;
  // A snapshot taken for other checks has no versions or suites: nothing seen is no conformance.
  if (!a.versions || !a.suites) {
    undecided(j, { code: 'profile-not-probed', profile: name });
    return;
  }
  const deviations = profileDeviations(PROFILES[name], observation(a, a.full?.chain));
  if (deviations.length) j.whys.push({ code: 'profile-deviation', profile: name, deviations: deviations.map((d) => d.message) });
  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
    const s = a.suites?.[v];
    if (s && !s.complete) undecided(j, { code: 'suites-incomplete', version: v, ...(s.reason !== undefined ? { why: s.reason } : {}) });
  }
  if (!a.full?.chain) undecided(j, { code: 'profile-no-certificate', profile: name, ...(a.full?.error ? { why: a.full.error.reason } : {}) });
  j.seen.push(deviations.length === 0 ? `conforms to ${name}` : `deviates from ${name} in ${deviations.map((d) => d.id).join(', ')}`);
}

/** What needs the one full handshake: the chain, the negotiated suite, ALPN. */
function judgeHandshake(a: TlsAddressFact, e: TlsExpect, j: Judged): void {
  const c = e.cipher ?? {};
  const needsHandshake = c.negotiated !== undefined || c.forwardSecrecy !== undefined || e.alpn !== undefined;
  const cert = e.certificate;
  if (!needsHandshake && !cert) return;
  const full = a.full;
  const why = full?.error ? `${full.error.reason} (${full.error.code})` : 'no full handshake was made';
  const silent = full?.error !== undefined && NO_ANSWER.has(full.error.code);
  const noHandshake = (): void => {
    if (j.noHandshakeSaid) return;
    j.noHandshakeSaid = true;
    if (silent) unknownSilence(j, why);
    else j.whys.push({ code: 'handshake-failed', why, ...(full?.clientCertificateRequested ? { clientCertificate: true } : {}) });
  };
  const h = full?.handshake;
  // A handshake that stopped after the server's certificates still says what its ServerHello chose.
  const chosen = h ? { protocol: h.protocol, cipher: h.cipher } : full?.serverHello;
  const legacyClient = full?.client === 'legacy' ? ' (only with a legacy client: TLS 1.0+, every suite and group)' : '';
  if (c.negotiated !== undefined) {
    if (!chosen) noHandshake();
    else {
      j.seen.push(`negotiated ${chosen.protocol ?? '?'} ${chosen.cipher ?? '?'}${legacyClient}`);
      j.whys.push(...about('negotiated suite', match(chosen.cipher ?? undefined, c.negotiated).failures));
    }
  }
  if (c.forwardSecrecy !== undefined) {
    if (!chosen?.cipher) noHandshake();
    else {
      const cipher = chosen.cipher;
      const why = (holds: boolean): Reason => ({ code: 'forward-secrecy', cipher, holds });
      flag(c.forwardSecrecy, forwardSecret(cipher), `${cipher} has forward secrecy`, `${cipher} has no forward secrecy`, why, j.whys, j.seen);
    }
  }
  if (e.alpn !== undefined) {
    if (!h) noHandshake();
    else {
      j.seen.push(`ALPN ${h.alpn ?? '(none)'}`);
      j.whys.push(...about('ALPN (offered h2, http/1.1)', match(h.alpn ?? undefined, e.alpn).failures));
    }
  }
  if (!cert) return;
  const chain = full?.chain;
  if (!chain) {
    // No certificate seen at all is no verdict on the certificate: what stopped the handshake is said, and a
    // failure is left to what a client met (a refusal, a reset, a port that is no TLS).
    if (!j.noHandshakeSaid) undecided(j, { code: 'no-certificate-seen', why });
    j.noHandshakeSaid = true;
    return;
  }
  if (!h && full?.clientCertificateRequested) j.seen.push('the server requires a client certificate; its own certificates were read from its handshake');
  judgeCertificate(chain, h?.ocspStapled ?? false, cert, j);
}

function judgeCertificate(chain: ChainFact, stapled: boolean, cert: CertificateExpect, j: Judged): void {
  const leaf = chain.certificates[0]!;
  judgeChain(chain, cert, j.whys, j.seen);
  if (cert.hostname !== undefined && chain.hostname) {
    const h = chain.hostname;
    const names = [...leaf.dnsNames, ...leaf.ipAddresses];
    const mismatch = h.noSubjectAltName
      ? `the leaf (certificate 0) names no host: it has no subjectAltName, and its CN ${leaf.commonName ?? '(none)'} is not a name clients consider (RFC 9525), so ${h.name} does not match`
      : `${h.name} is not a name of the ${nameOf(leaf)} (${isIP(h.name) ? 'an IP address matches only iPAddress entries: ' : ''}${names.join(', ')})`;
    const why = (holds: boolean): Reason =>
      holds
        ? { code: 'hostname-matches', name: h.name, matched: h.matched ?? '' }
        : {
            code: 'hostname-mismatch',
            name: h.name,
            certificate: nameOf(leaf),
            names,
            ...(isIP(h.name) ? { ip: true } : {}),
            ...(h.noSubjectAltName ? { noSubjectAltName: true, commonName: leaf.commonName ?? '(none)' } : {}),
          };
    flag(cert.hostname, h.matches, `${h.name} matches ${h.matched}`, mismatch, why, j.whys, j.seen);
  }
  if (cert.chain !== undefined && cert.chain !== 'any') {
    const t = chain.trust;
    const store = t.store === 'ca' ? 'the ca file' : 'the system store';
    const ok = cert.chain === 'trusted' ? t.trusted : t.complete;
    j.seen.push(t.trusted ? `chain trusted by ${store} (${t.anchor})` : `chain ${t.complete ? 'complete but ' : ''}not trusted: ${t.reason}`);
    const why = t.reason != null ? { why: t.reason } : {};
    if (!ok)
      j.whys.push(
        cert.chain === 'trusted' ? { code: 'untrusted-chain', store: t.store === 'ca' ? 'ca' : 'system', ...why } : { code: 'incomplete-chain', ...why },
      );
  }
  if (cert.key?.type !== undefined) {
    const types = [cert.key.type].flat();
    j.seen.push(`leaf key ${leaf.key.type}`);
    if (!types.some((t) => t === leaf.key.type)) j.whys.push({ code: 'key-type', certificate: nameOf(leaf), type: leaf.key.type, wanted: types });
  }
  if (cert.key?.bits !== undefined) {
    const bits = leaf.key.bits ?? undefined;
    j.seen.push(`leaf key ${bits ?? '?'} bits`);
    j.whys.push(...about(`${nameOf(leaf)} ${leaf.key.type} key bits`, match(bits, cert.key.bits).failures));
  }
  if (cert.lifetimeDays !== undefined) {
    const days = Math.round(leaf.lifetimeDays);
    j.seen.push(`leaf lifetime ${days} days`);
    j.whys.push(...about(`${nameOf(leaf)} lifetime (days)`, match(days, cert.lifetimeDays).failures));
  }
  if (cert.ocspStapled !== undefined) {
    // Stapling is asked of servers whose leaf names a responder; without one there is nothing to staple.
    if (leaf.ocspUris.length === 0) j.seen.push('leaf names no OCSP responder: stapling does not apply');
    else {
      const why = (holds: boolean): Reason => ({ code: 'ocsp-stapled', holds, uris: leaf.ocspUris });
      flag(cert.ocspStapled, stapled, 'OCSP response stapled', `no OCSP response stapled (the leaf names ${leaf.ocspUris.join(', ')})`, why, j.whys, j.seen);
    }
  }
  judgeChainTail(chain, cert, j.whys, j.seen);
}

/**
 * An endpoint no TLS client gets anything from: one reason for every expectation, so the checks on it agree and
 * none says "could not decide". A refusal, a reset or a port that is no TLS is what every client meets there: a
 * failure. Silence (no answer within the timeout) is no answer at all: an error, as an HTTP check's is.
 */
function deadEnd(a: TlsAddressFact): { status: 'fail' | 'error'; why: Reason; seen: string } | undefined {
  const v = a.versions;
  if (a.full?.handshake || a.full?.chain || v?.some((x) => x.verdict === 'accepted')) return undefined;
  const notTls = v?.find((x) => x.verdict === 'not-tls');
  const err = a.full?.error;
  // `seen` is the same finding as `actual` shows it.
  const speaksNot = (why: string) => ({ status: 'fail' as const, why: { code: 'not-tls' as const, why }, seen: `does not speak TLS: ${why}` });
  if (v?.every((x) => x.verdict === 'not-tls' || x.verdict === 'error') && notTls) return speaksNot(notTls.reason);
  if (err?.code === 'NOT_TLS') return speaksNot(notTls?.reason ?? err.reason);
  const silentVersions = !v || v.every((x) => x.verdict === 'error' && x.code !== undefined && NO_ANSWER.has(x.code));
  if ((!a.full || (err && NO_ANSWER.has(err.code))) && silentVersions && (a.full || v)) {
    const why = err?.reason ?? v![0]!.reason;
    return { status: 'error', why: { code: 'no-answer', why }, seen: why };
  }
  if (err && (!v || v.every((x) => x.verdict === 'error' || x.verdict === 'not-tls'))) {
    const why = v?.[0]?.reason ?? err.reason;
    return { status: 'fail', why: { code: 'handshake-failed', why }, seen: `no TLS handshake: ${why}` };
  }
  return undefined;
}

export function judgeAddress(a: TlsAddressFact, e: TlsExpect): Judged {
  const j: Judged = { whys: [], seen: [], unknown: [], undecided: false };
  const dead = deadEnd(a);
  if (dead) {
    if (dead.status === 'fail') j.whys.push(dead.why);
    else j.unknown.push(dead.why);
    j.seen.push(dead.seen);
    return j;
  }
  judgeVersions(a.versions, e.versions, j);
  // YAML reads a bare NULL as null; the schema lets it stand for the NULL suites.
  judgeLegacy(
    a,
    e.cipher?.refuse?.map((n) => n ?? 'NULL'),
    j,
  );
  judgeProfile(a, e.cipher?.profile, j);
  judgeHandshake(a, e, j);
  if (e.versions === undefined && e.cipher === undefined && e.certificate === undefined && e.alpn === undefined) {
    const h = a.full?.handshake;
    if (h) j.seen.push(`TLS handshake: ${h.protocol} ${h.cipher}`);
    else if (a.full?.error && NO_ANSWER.has(a.full.error.code)) unknownSilence(j, a.full.error.reason);
    else
      j.whys.push({
        code: 'handshake-failed',
        why: a.full?.error?.reason ?? 'no answer',
        ...(a.full?.clientCertificateRequested ? { clientCertificate: true } : {}),
      });
  }
  return j;
}

// ---------------------------------------------------------------------------------------------------------
// The endpoint

export function subjectOf(a: TlsAddressFact, port: number): string {
  return `${a.family === 6 ? `[${a.address}]` : a.address}:${port}`;
}

/** Different leaves behind one name: a client's verdict depends on which address it meets. */
export function consistency(fact: TlsFact): Reason | undefined {
  const leaves = fact.addresses.flatMap((a) => {
    const l = a.full?.chain?.certificates[0];
    return l ? [{ a, l }] : [];
  });
  const distinct = new Set(leaves.map((x) => x.l.fingerprint256));
  if (distinct.size <= 1) return undefined;
  const list = leaves.map(({ a, l }) => `${subjectOf(a, fact.port)} ${l.commonName ?? l.subject} (${l.fingerprint256.slice(0, 11)}, notAfter ${l.notAfter})`);
  return { code: 'different-certificates', certificates: list };
}
