// What a TLS version probe found, as plain serialisable data: it goes into the facts snapshot unchanged, so
// `audit --facts` judges it offline.
import type { ChainFact, HandshakeFact } from './cert-model.js';
import type { ProbeError } from './net-model.js';
import type { TlsWants } from '../plan/plan.js';

export type { TlsWants };

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
  /**
   * What ended the exchange, so no verdict reads the words back: with `error` the probe error code (TIMEOUT,
   * TLS_TIMEOUT, ECONNREFUSED ...); after an alert, its name (`protocol_version`, `handshake_failure` ...).
   */
  code?: string;
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
  /** Suites without server authentication (DH_anon, ECDH_anon). */
  anonymous: LegacyFinding;
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

/**
 * The full handshake's facts: `chain` is what the server sent, read from its Certificate message, present
 * whenever the handshake got that far, even when it then failed (`error` says how).
 */
export interface FullHandshakeFact {
  handshake?: HandshakeFact;
  chain?: ChainFact;
  /** The client settings the handshake took: `default` (Node's), or `legacy` (TLS 1.0+, every suite and group, @SECLEVEL=0) after the default failed. */
  client?: 'default' | 'legacy';
  /**
   * What the ServerHello chose, when the handshake stopped after the server's certificates (a server that wants a
   * client certificate): the chain is judged all the same.
   */
  serverHello?: { protocol: string; cipher: string | null };
  /** The server asked for a client certificate (CertificateRequest). */
  clientCertificateRequested?: true;
  error?: ProbeError;
}

export interface TlsAddressFact {
  address: string;
  family: 4 | 6;
  /** A full handshake with Node's TLS client; absent when not asked. */
  full?: FullHandshakeFact;
  versions?: VersionResult[];
  legacy?: LegacyCiphers;
  /** Accepted suites, IANA names, in the server's order of preference. */
  suites?: Partial<Record<'TLSv1.2' | 'TLSv1.3', { suites: string[]; complete: boolean; reason?: string }>>;
}

export interface TlsFact {
  host: string;
  port: number;
  /** SNI sent (null for an IP address host without servername). */
  servername: string | null;
  /** The name the leaf is checked against: servername, else host. */
  hostname: string;
  addresses: TlsAddressFact[];
  /** The name did not resolve, or the ca file could not be read. */
  error?: ProbeError;
}

/** One of the host's own TCP listeners on a TLS port, as a client on the host meets it. */
export interface TlsListenerFact {
  /** The address the socket is bound to, and its port. */
  address: string;
  port: number;
  /** The address the probe connected to: loopback for a wildcard listener. */
  connectTo: string;
  /** Names of the processes holding the socket. */
  owners: string[];
  tls: TlsFact;
  /** The port answered, but not in TLS: no TLS check judges it. */
  notTls?: true;
}
