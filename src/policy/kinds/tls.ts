// The `tls` check kind, policy side: a TLS endpoint, met as a client meets it. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit, SelectorPlace } from './kit.js';
import { tlsExpectSchema } from './shared/tls-expect.js';

function schema(kit: Kit) {
  const { T, ref, def } = kit;
  const tlsSelector = def(
    'tlsSelector',
    T.Object(
      {
        host: T.String({ minLength: 1, description: 'Host name or IP address; the name is sent as SNI and checked against the certificate.' }),
        port: T.Optional(ref<number>('port', { description: 'TCP port (default 443).' })),
        servername: T.Optional(T.String({ minLength: 1, description: 'SNI and the name the certificate must carry, when it differs from host.' })),
        ip: T.Optional(T.String({ minLength: 1, description: 'Connect to this address instead of resolving host (host stays the name sent and checked).' })),
        ca: T.Optional(
          T.String({
            description:
              'A PEM file of trust anchors, on the auditing machine, that replaces the system store; empty: the system store (a var such as tlsCa left unset). A relative path is read from the directory of the policy file that wrote it, or, when a var gave it, from where the var was set (the working directory for --var and --vars).',
          }),
        ),
        allAddresses: T.Optional(
          T.Union([T.Boolean(), ref<never>('varRef')], {
            description: 'Probe every address host resolves to (default: the first); differing certificates across them fail the check.',
          }),
        ),
      },
      {
        description:
          "A TLS endpoint probed from the auditing machine: one full handshake with Node's TLS client (chain, suite, ALPN, OCSP stapling) and hand-built ClientHellos for the versions and legacy suites, as scanners send them.",
        additionalProperties: false,
      },
    ),
  );
  const tlsExpect = def('tlsExpect', tlsExpectSchema(kit));
  return {
    selector: tlsSelector.ref(),
    expect: tlsExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  // Probes count towards their own area (see the tcp kind).
  area: 'probes',
  schema,
  selector: (v: Written['selector'], at: SelectorPlace) => {
    const spec: { host: string; port: number; servername?: string; ip?: string; ca?: string; allAddresses?: boolean } = { host: v.host, port: v.port ?? 443 };
    if (v.servername !== undefined) spec.servername = v.servername;
    if (v.ip !== undefined) spec.ip = v.ip;
    // Read on the auditing machine, relative to where it was written (as for http); empty is the system store,
    // so a policy can pass a var that may be left unset (the built-in TLS policies' tlsCa).
    if (v.ca) spec.ca = at.path('ca', v.ca);
    if (v.allAddresses !== undefined) spec.allAddresses = v.allAddresses;
    return { kind: 'tls' as const, spec };
  },
};
