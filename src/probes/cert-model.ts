// Certificate facts: plain, serialisable data read from a chain of DER certificates, whether a TLS handshake
// delivered them or a PEM file on the host holds them. Dates are ISO strings; day counts are judged at the
// clock the reader was given, so a snapshot says when it was taken.

export type KeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'dh' | 'unknown';

export interface CertificateFact {
  /** 0 is the leaf; then each certificate in the order it was sent or stored. */
  position: number;
  /** One line, in the certificate's own order as OpenSSL prints it: `CN=chain.test, O=plumbline tests`. */
  subject: string;
  commonName: string | null;
  dnsNames: string[];
  ipAddresses: string[];
  issuer: string;
  issuerCommonName: string | null;
  /** Upper-case hex, as OpenSSL prints it. */
  serialNumber: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  lifetimeDays: number;
  /** Whole days until notAfter, rounded down: negative once expired. */
  daysLeft: number;
  /** Share of the lifetime still ahead, 0 to 1. */
  fractionLeft: number;
  expired: boolean;
  notYetValid: boolean;
  key: { type: KeyType; bits: number | null; curve: string | null };
  signature: { algorithm: string; oid: string; hash: string | null; sha1: boolean };
  selfSigned: boolean;
  ca: boolean;
  ocspUris: string[];
  caIssuerUris: string[];
}

export interface ExpiryFact {
  position: number;
  role: 'leaf' | 'intermediate' | 'root';
  subject: string;
  notAfter: string;
  daysLeft: number;
  fractionLeft: number;
}

export interface ChainOrderFact {
  /** Each certificate is issued (names and signature) by the one after it. */
  correct: boolean;
  problems: string[];
}

/** Why a path that reaches a trust anchor still does not verify, as a client's verification says. */
export interface TrustProblem {
  code:
    | 'expired'
    | 'not-yet-valid'
    | 'critical-extension'
    | 'not-ca'
    | 'no-cert-sign'
    | 'path-length'
    | 'name-constraints'
    | 'purpose'
    | 'weak-key'
    | 'weak-signature';
  /** Position in what was sent; null for a certificate of the trust store. */
  position: number | null;
  subject: string;
  /** The notAfter or notBefore that was crossed. */
  date?: string;
  /** The weak key or signature algorithm, the unhandled extensions, or the CA whose name constraints are broken. */
  detail?: string;
}

type TrustCode = TrustProblem['code'] | 'self-signed' | 'self-signed-in-chain' | 'issuer-unknown' | 'incomplete';

export interface ChainTrustFact {
  /** 'system' is Node's bundled store (tls.rootCertificates); 'ca' a PEM file that replaced it. */
  store: 'system' | 'ca';
  /**
   * A path runs from the leaf to a self-signed certificate of the store, built as OpenSSL and browsers build it
   * (the sent certificates a pool, in any order), on which every certificate is valid now, every issuer is a CA
   * allowed to sign, the leaf is for TLS servers and no key or signature is too weak for clients.
   */
  trusted: boolean;
  /**
   * Every certificate a client needs was sent: the path reaches the store, a self-signed certificate, or a CA
   * whose issuer is the one certificate servers are expected to leave out (a root the store lacks).
   */
  complete: boolean;
  /** Subject of the trust anchor the path reached. */
  anchor: string | null;
  /** Why the chain is not trusted, in words. */
  reason: string | null;
  /** Why the chain is not trusted, as a code. */
  code?: TrustCode;
  /** Positions (in what was sent) of the sent certificates on the path, leaf first; the store's are not listed. */
  path: number[];
}

export interface HostnameFact {
  name: string;
  matches: boolean;
  /** The subjectAltName entry that matched. */
  matched: string | null;
  /** The leaf has no dNSName or iPAddress subjectAltName: its subject CN is not a name clients consider. */
  noSubjectAltName?: true;
}

export interface ChainFact {
  certificates: CertificateFact[];
  /** The certificate that expires first, leaf or intermediate: the one an expiry check must judge. */
  earliestExpiry: ExpiryFact;
  order: ChainOrderFact;
  trust: ChainTrustFact;
  hostname?: HostnameFact;
}

/** What a finished TLS handshake shows besides the chain. */
export interface HandshakeFact {
  protocol: string | null;
  /** IANA name (`TLS_AES_128_GCM_SHA256`). */
  cipher: string | null;
  alpn: string | null;
  ocspStapled: boolean;
  /** A resumed session carries no peer certificate, so its chain must not be judged. */
  sessionReused: boolean;
}

export interface CertificateKeyFact {
  path: string;
  /** null when the key could not be read; `reason` says why. */
  matchesLeaf: boolean | null;
  reason?: string;
}

export interface CertificateFileFact {
  path: string;
  /** Absent when the file could not be read or held no certificate; `reason` says why. */
  chain?: ChainFact;
  reason?: string;
  key?: CertificateKeyFact;
}
