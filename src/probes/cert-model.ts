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

export interface ChainTrustFact {
  /** 'system' is Node's bundled store (tls.rootCertificates); 'ca' a PEM file that replaced it. */
  store: 'system' | 'ca';
  /** A path of valid signatures runs from the leaf to a certificate of the store. */
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
  /** Positions of the certificates on the path, leaf first. */
  path: number[];
}

export interface HostnameFact {
  name: string;
  matches: boolean;
  /** The SAN or CN that matched. */
  matched: string | null;
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
