// The `tls` check kind, policy side: a TLS endpoint, met as a client meets it. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import * as path from 'node:path';
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
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
            minLength: 1,
            description:
              "A PEM file of trust anchors, on the auditing machine, that replaces the system store; a relative path is read from the policy file's directory.",
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
  selector: (v: Written['selector'], at: { dir: string }) => {
    const spec: { host: string; port: number; servername?: string; ip?: string; ca?: string; allAddresses?: boolean } = { host: v.host, port: v.port ?? 443 };
    if (v.servername !== undefined) spec.servername = v.servername;
    if (v.ip !== undefined) spec.ip = v.ip;
    // Read on the auditing machine, relative to the policy file (as for http).
    if (v.ca !== undefined) spec.ca = path.resolve(at.dir, v.ca);
    if (v.allAddresses !== undefined) spec.allAddresses = v.allAddresses;
    return { kind: 'tls' as const, spec };
  },
};
