// The `dns` check kind, policy side: a DNS lookup from the auditing machine. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const dnsSelector = def(
    'dnsSelector',
    T.Object(
      {
        name: T.String({ minLength: 1, description: 'The name to resolve.' }),
        type: T.Optional(
          T.Enum(['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SRV', 'CAA', 'ADDRESS'], {
            default: 'A',
            description:
              'Record type: A (default), AAAA, MX, TXT, CNAME, NS, SRV or CAA; or ADDRESS: every address the system resolver gives (getaddrinfo: /etc/hosts, then A and AAAA), the way clients connect (takes no server).',
          }),
        ),
        server: T.Optional(
          T.String({
            minLength: 1,
            description:
              'Ask this server ("198.51.100.53", "198.51.100.53:5353", "[2001:db8::53]:53") instead of the system resolver (getaddrinfo for A and AAAA, /etc/hosts included).',
          }),
        ),
      },
      { description: 'A DNS query from the auditing machine.', additionalProperties: false },
    ),
  );
  const dnsExpect = def(
    'dnsExpect',
    T.Object(
      {
        resolves: T.Optional(
          T.Boolean({
            description:
              'The name must (true) or must not (false) have records of this type; NXDOMAIN and NODATA are not resolving, a server that does not answer is an error.',
          }),
        ),
        answers: T.Optional(
          T.Union([T.Array(T.String()), ref<Matcher>('matcher')], {
            description:
              'The answers\' values (addresses in canonical form, names lower-cased without the trailing dot, "10 mail.example.com" for MX): a list is the exact set, in any order; a matcher applies to the list (contains, eq ...).',
          }),
        ),
        latencyMs: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for how long the answer took, in milliseconds.' })),
      },
      { description: 'What the answer must be.', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: dnsSelector.ref(),
    expect: dnsExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  // Probes count towards their own area (see the tcp kind).
  area: 'probes',
  schema,
  selector: (v: Written['selector']) => {
    const spec: { name: string; type?: string; server?: string } = { name: v.name };
    if (v.type !== undefined) spec.type = v.type;
    if (v.server !== undefined) spec.server = v.server;
    return { kind: 'dns' as const, spec };
  },
};
