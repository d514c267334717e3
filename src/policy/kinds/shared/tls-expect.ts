// What a TLS endpoint must offer: the expectation of both the `tls` and the `tlsListeners` kinds.
import type { Kit } from '../kit.js';
import type { Matcher } from '../../matcher.js';

export function tlsExpectSchema({ T, ref, raw }: Kit) {
  return T.Object(
    {
      versions: T.Optional(
        T.Object(
          {
            accept: T.Optional(
              T.Array(T.Enum(['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']), {
                minItems: 1,
                uniqueItems: true,
                description: 'Versions that must be accepted.',
              }),
            ),
            refuse: T.Optional(
              T.Array(T.Enum(['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']), {
                minItems: 1,
                uniqueItems: true,
                description: 'Versions that must be refused.',
              }),
            ),
          },
          {
            minProperties: 1,
            additionalProperties: false,
            description: 'Per-version verdicts from hand-built ClientHellos: accepted, refused, inconclusive, not-tls, or error.',
          },
        ),
      ),
      cipher: T.Optional(
        T.Object(
          {
            negotiated: T.Optional(
              ref<Matcher>('matcher', {
                description: "Matcher for the IANA name of the suite a current client (Node's defaults) negotiates, e.g. match: ^TLS_AES_.",
              }),
            ),
            forwardSecrecy: T.Optional(
              T.Boolean({ description: 'The negotiated suite has (true) or lacks (false) forward secrecy (every TLS 1.3 suite, ECDHE or DHE before it).' }),
            ),
            refuse: T.Optional(
              T.Array(
                raw<'RC4' | '3DES' | 'NULL' | null | 'EXPORT' | 'ANON' | 'CBC-only'>({ enum: ['RC4', '3DES', 'NULL', null, 'EXPORT', 'ANON', 'CBC-only'] }),
                {
                  minItems: 1,
                  uniqueItems: true,
                  description:
                    'Legacy suite classes that must be refused at every version up to TLS 1.2: RC4, 3DES, NULL (no encryption; a bare NULL in YAML reads as null, which means the same), EXPORT, ANON (no server authentication: DH_anon, ECDH_anon), CBC-only (TLS 1.2 served with no AEAD suite).',
                },
              ),
            ),
            profile: T.Optional(
              T.Enum(['mozilla-intermediate', 'mozilla-modern'], {
                description:
                  "Mozilla's server-side TLS guidelines 6.0: every accepted version and suite (enumerated), the certificate's key and lifetime; each deviation is named.",
              }),
            ),
          },
          { minProperties: 1, additionalProperties: false, description: 'Cipher suites.' },
        ),
      ),
      certificate: T.Optional(
        T.Object(
          {
            daysLeft: T.Optional(
              ref<Matcher>('matcher', {
                description:
                  'Matcher for the whole days left (rounded down, negative once expired) of the earliest-expiring certificate the server sent, leaf or intermediate; the result names it.',
              }),
            ),
            fractionLeft: T.Optional(
              ref<Matcher>('matcher', {
                description: 'Matcher for the share of its lifetime (0 to 1) the earliest-expiring certificate the server sent has left.',
              }),
            ),
            leaf: T.Optional(
              T.Object(
                {
                  daysLeft: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the whole days the leaf has left (negative once expired).' })),
                },
                { description: 'Expectations of the first certificate (the leaf) alone.', minProperties: 1, additionalProperties: false },
              ),
            ),
            notYetValid: T.Optional(T.Boolean({ description: 'Some certificate the server sent is (true) or none is (false) before its notBefore.' })),
            selfSigned: T.Optional(T.Boolean({ description: 'The leaf is (true) or is not (false) self-signed.' })),
            sha1: T.Optional(
              T.Boolean({ description: 'Some certificate the server sent other than a self-signed root is (true) or none is (false) signed with SHA-1.' }),
            ),
            keyBits: T.Optional(ref<Matcher>('matcher', { description: "Matcher for the leaf's key size in bits (RSA modulus, EC curve size)." })),
            hostname: T.Optional(
              T.Boolean({
                description:
                  "The leaf does (true) or does not (false) carry the servername (or host): a SAN, or for an IP an iPAddress SAN. Checked whatever the chain's trust.",
              }),
            ),
            chain: T.Optional(
              T.Enum(['trusted', 'complete', 'any'], {
                description:
                  'trusted: a path of valid signatures from the leaf to the system store (or the ca file); complete: every certificate a client needs was sent (the root may be left out); any: not judged.',
              }),
            ),
            key: T.Optional(
              T.Object(
                {
                  type: T.Optional(
                    T.Union(
                      [
                        T.Enum(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa']),
                        T.Array(T.Enum(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'dsa']), { minItems: 1 }),
                      ],
                      { description: 'rsa, rsa-pss, ec, ed25519, ed448, dsa: one or a list.' },
                    ),
                  ),
                  bits: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the key size in bits (RSA modulus, EC curve size).' })),
                },
                { minProperties: 1, additionalProperties: false, description: "The leaf's public key." },
              ),
            ),
            lifetimeDays: T.Optional(
              ref<Matcher>('matcher', { description: "Matcher for the leaf's lifetime, notBefore to notAfter, in days (e.g. lte: 398)." }),
            ),
            ocspStapled: T.Optional(
              T.Boolean({
                description: 'The server staples (true) or does not staple (false) an OCSP response; passes with a note when the leaf names no OCSP responder.',
              }),
            ),
            consistent: T.Optional(T.Boolean({ description: 'With allAddresses: every address serves the same leaf (default true).' })),
          },
          {
            description: 'What must hold of the certificates the server sent, at the time the facts were collected.',
            minProperties: 1,
            additionalProperties: false,
          },
        ),
      ),
      alpn: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the protocol ALPN chose when h2 and http/1.1 are offered, e.g. h2.' })),
    },
    {
      description: 'What a client must meet at the endpoint. An empty object is not allowed; to ask only that TLS works, expect certificate: { chain: any }.',
      minProperties: 1,
      additionalProperties: false,
    },
  );
}
