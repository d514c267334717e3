// What a TLS probe is asked for by one check: shared by the kinds that judge TLS (tls, tlsListeners).
import type { ExpectOf } from '../policy/kinds/registry.js';
import type { TlsWants } from './model.js';

/**
 * What a TLS check asks the probe for, from its expectation: versions need the version hellos, refused legacy
 * classes the legacy offers, a profile every accepted suite (and the certificate), everything else the one full
 * handshake. A check that expects nothing still needs the handshake: it asks that TLS works at all.
 */
export function tlsWants(e: ExpectOf<'tls'> | undefined): TlsWants {
  const cipher = e?.cipher ?? {};
  const profile = cipher.profile !== undefined;
  const legacy = cipher.refuse !== undefined;
  const handshake =
    profile ||
    e?.certificate !== undefined ||
    e?.alpn !== undefined ||
    cipher.negotiated !== undefined ||
    cipher.forwardSecrecy !== undefined ||
    (e?.versions === undefined && !legacy);
  return { versions: e?.versions !== undefined || profile || legacy, legacy, suites: profile, handshake };
}

/** The union of what the checks of one endpoint ask. */
export function addWants(into: TlsWants, w: TlsWants): void {
  for (const k of Object.keys(w) as (keyof TlsWants)[]) into[k] ||= w[k];
}
