// Mozilla's server-side TLS recommendations (guidelines 6.0) as data, and the pure reading that names every way
// an endpoint deviates from one of them. "Old" was removed in 6.0; curves and OCSP stapling are reported by name
// but, as in sslyze, do not make an endpoint deviate by themselves.

type TlsVersionName = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

const TLS_VERSIONS: readonly TlsVersionName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface TlsProfile {
  name: 'mozilla-intermediate' | 'mozilla-modern';
  versions: readonly TlsVersionName[];
  /** TLS 1.3 suites, IANA names. */
  tls13Suites: readonly string[];
  /** TLS 1.2 ciphers, IANA names; empty when the profile has no TLS 1.2. */
  tls12Ciphers: readonly string[];
  curves: readonly string[];
  /** Certificate key types the profile accepts, with the smallest RSA key. */
  keyTypes: readonly ('rsa' | 'ec')[];
  minRsaBits: number;
  ecCurves: readonly string[];
  maxLifetimeDays: number;
  hstsMinSeconds: number;
}

const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as const;

export const PROFILES: Readonly<Record<TlsProfile['name'], TlsProfile>> = {
  'mozilla-intermediate': {
    name: 'mozilla-intermediate',
    versions: ['TLSv1.2', 'TLSv1.3'],
    tls13Suites: TLS13_SUITES,
    tls12Ciphers: [
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    ],
    curves: ['X25519MLKEM768', 'X25519', 'prime256v1', 'secp384r1'],
    keyTypes: ['rsa', 'ec'],
    minRsaBits: 2048,
    ecCurves: ['prime256v1', 'secp384r1'],
    maxLifetimeDays: 366,
    hstsMinSeconds: 63072000,
  },
  'mozilla-modern': {
    name: 'mozilla-modern',
    versions: ['TLSv1.3'],
    tls13Suites: TLS13_SUITES,
    tls12Ciphers: [],
    curves: ['X25519MLKEM768', 'X25519', 'prime256v1', 'secp384r1'],
    keyTypes: ['ec'],
    minRsaBits: 2048,
    ecCurves: ['prime256v1', 'secp384r1'],
    maxLifetimeDays: 90,
    hstsMinSeconds: 63072000,
  },
};

/** What was observed of an endpoint, as far as the profile cares; absent parts are not judged. */
export interface TlsObservation {
  /** Per version: whether the endpoint accepted a handshake at it (inconclusive versions are left out). */
  accepted?: Partial<Record<TlsVersionName, boolean>>;
  /** Cipher suites (IANA names) the endpoint accepted, per version. */
  suites?: Partial<Record<'TLSv1.2' | 'TLSv1.3', readonly string[]>>;
  certificate?: { keyType: string; rsaBits?: number; curve?: string; lifetimeDays?: number };
  /** HSTS max-age in seconds from an HTTPS response, when one was read. */
  hstsMaxAge?: number;
}

export interface Deviation {
  /** A stable name, e.g. `version.TLSv1`, `cipher.TLS_RSA_WITH_AES_128_CBC_SHA`, `certificate.lifetime`. */
  id: string;
  /** What the profile wants and what was seen, in words. */
  message: string;
}

/** Every way the observation deviates from the profile, in a stable order. Empty: it conforms. */
export function profileDeviations(profile: TlsProfile, seen: TlsObservation): Deviation[] {
  const out: Deviation[] = [];
  for (const v of TLS_VERSIONS) {
    const accepted = seen.accepted?.[v];
    if (accepted === undefined) continue;
    const wanted = profile.versions.includes(v);
    if (accepted && !wanted) out.push({ id: `version.${v}`, message: `${v} is accepted; ${profile.name} allows only ${profile.versions.join(' and ')}` });
    if (!accepted && wanted) out.push({ id: `version.${v}`, message: `${v} is refused; ${profile.name} expects it` });
  }
  const allowed: Record<'TLSv1.2' | 'TLSv1.3', readonly string[]> = { 'TLSv1.2': profile.tls12Ciphers, 'TLSv1.3': profile.tls13Suites };
  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
    for (const suite of seen.suites?.[v] ?? []) {
      if (!allowed[v].includes(suite)) out.push({ id: `cipher.${suite}`, message: `${suite} is accepted at ${v}; it is not in ${profile.name}` });
    }
  }
  const cert = seen.certificate;
  if (cert) {
    const type = cert.keyType === 'rsa' || cert.keyType === 'ec' ? cert.keyType : undefined;
    if (!type || !profile.keyTypes.includes(type)) {
      out.push({
        id: 'certificate.key-type',
        message: `the certificate has a ${cert.keyType} key; ${profile.name} wants ${profile.keyTypes.map((k) => k.toUpperCase()).join(' or ')}`,
      });
    } else if (type === 'rsa' && (cert.rsaBits ?? 0) < profile.minRsaBits) {
      out.push({
        id: 'certificate.key-size',
        message: `the certificate's RSA key has ${cert.rsaBits ?? 'an unknown number of'} bits; ${profile.name} wants at least ${profile.minRsaBits}`,
      });
    } else if (type === 'ec' && cert.curve !== undefined && !profile.ecCurves.includes(cert.curve)) {
      out.push({ id: 'certificate.curve', message: `the certificate's key is on ${cert.curve}; ${profile.name} wants ${profile.ecCurves.join(' or ')}` });
    }
    if (cert.lifetimeDays !== undefined && cert.lifetimeDays > profile.maxLifetimeDays) {
      out.push({
        id: 'certificate.lifetime',
        message: `the certificate is valid for ${cert.lifetimeDays} days; ${profile.name} allows at most ${profile.maxLifetimeDays}`,
      });
    }
  }
  if (seen.hstsMaxAge !== undefined && seen.hstsMaxAge < profile.hstsMinSeconds) {
    out.push({ id: 'hsts.max-age', message: `HSTS max-age is ${seen.hstsMaxAge} s; ${profile.name} wants at least ${profile.hstsMinSeconds} s (two years)` });
  }
  return out;
}
