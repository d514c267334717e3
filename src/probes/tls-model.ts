// What a TLS version probe found, as plain serialisable data: it goes into the facts snapshot unchanged, so
// `audit --facts` judges it offline.

export type TlsVersionName = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/**
 * accepted: the server answered a ServerHello at that version. refused: it said so (protocol_version alert,
 * or a ServerHello at a lower version). inconclusive: the handshake ended in a way that does not say which
 * (handshake_failure may only mean "no common cipher suite"). not-tls: the port answered, but not in TLS.
 * error: no answer to judge (connection refused, timeout, reset, a malformed reply).
 */
export type VersionVerdict = 'accepted' | 'refused' | 'inconclusive' | 'not-tls' | 'error';

export interface VersionResult {
  version: TlsVersionName;
  verdict: VersionVerdict;
  /** IANA name of the suite the server chose, when accepted. */
  cipher?: string;
  /** Why the verdict is what it is, in words: the alert, the version answered, the socket error. */
  reason: string;
  /** Connections this verdict took (a retry with a broader suite list makes two). */
  attempts: number;
}

/** Whether a class of legacy suites is accepted: null when no probe could say (the reason tells why). */
export interface LegacyFinding {
  accepted: boolean | null;
  /** The versions at which the server chose a suite of the class. */
  versions: TlsVersionName[];
  /** IANA names of the suites it chose. */
  suites: string[];
  reason: string;
}

export interface LegacyCiphers {
  rc4: LegacyFinding;
  tripleDes: LegacyFinding;
  null: LegacyFinding;
  export: LegacyFinding;
  /** TLS 1.2 accepted, but only with CBC suites: no AEAD suite (GCM, ChaCha20-Poly1305, CCM) is chosen. */
  cbcOnlyTls12: LegacyFinding;
}

export interface TlsVersionsResult {
  host: string;
  /** The address probed (the host itself when it is an IP). */
  address: string;
  port: number;
  servername: string | null;
  versions: VersionResult[];
  legacy: LegacyCiphers;
}
