// The `neighbour` check kind, policy side: the host's ARP/NDP entry for its default gateway (the one the kernel
// would use) or for an address. Its selector and expectation as written, its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';

function schema({ T, def }: Kit) {
  const neighbourSelector = def(
    'neighbourSelector',
    T.Object(
      {
        gateway: T.Optional(
          T.Enum(['default', 'default6'], {
            description: 'The gateway of the default route the kernel would use: "default" (IPv4, or IPv6 when IPv4 has none) or "default6" (IPv6 only).',
          }),
        ),
        address: T.Optional(T.String({ minLength: 1, description: 'An IPv4 or IPv6 address on a link of the host, e.g. 192.0.2.1 or fe80::1.' })),
        to: T.Optional(
          T.String({
            minLength: 1,
            description:
              'An IPv4 or IPv6 address anywhere: the neighbour the kernel resolves to reach it, the gateway of the route it would pick (or the address itself when that route is on-link).',
          }),
        ),
      },
      {
        // One object with one of two keys rather than a union: a typo in one key is then said about that key alone.
        description:
          'Fact selector: the neighbour (ARP/NDP) entry of the default gateway ({ gateway: default }), of an address ({ address }), or of the next hop toward an address ({ to }).',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
      },
    ),
  );
  const neighbourExpect = def(
    'neighbourExpect',
    T.Object(
      {
        resolved: T.Boolean({
          description:
            'The entry is resolved (true: REACHABLE, STALE, DELAY, PROBE or PERMANENT) or not (false: FAILED or INCOMPLETE). A point-to-point or NOARP link (tun, wg) resolves no neighbours and is skipped; no entry at all means the host has not spoken to it lately, and is skipped too.',
        }),
      },
      { description: 'What must hold of the neighbour entry.', additionalProperties: false },
    ),
  );
  return { selector: neighbourSelector.ref(), expect: neighbourExpect.ref() };
}

type Written = Static<ReturnType<typeof schema>['selector']>;

export const kind = {
  area: 'network',
  schema,
  selector: (v: Written): { kind: 'neighbour'; target: { gateway: 'default' | 'default6' } | { address: string } | { to: string } } => ({
    kind: 'neighbour',
    target: v.gateway !== undefined ? { gateway: v.gateway } : v.to !== undefined ? { to: v.to } : { address: v.address ?? '' },
  }),
};
