// The `route` check kind, policy side: the route the kernel picks for a destination. Its selector and
// expectation as written (the schema editors and the validator read, from `schema`), its area, and its selector
// as plan and evaluate read it.
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const routeExpect = def(
    'routeExpect',
    T.Object(
      {
        exists: T.Optional(T.Boolean({ description: 'The route exists (true) or must not exist (false).' })),
        via: T.Optional(
          ref<Matcher>('matcher', {
            description:
              'Matcher for the gateway address of the route the kernel picks (of every one of them, when more specific routes such as 0.0.0.0/1 and 128.0.0.0/1 take all traffic before the default), compared as an address (fe80:0::1 is fe80::1, ::ffff:192.0.2.1 is 192.0.2.1). A plain value, and the values eq, ne, in and notIn compare with, must be IP addresses.',
          }),
        ),
        dev: T.Optional(
          ref<Matcher>('matcher', { description: 'Matcher for the outgoing interface of the route the kernel picks (every path of a multipath route).' }),
        ),
      },
      { description: 'What must hold of the route.', minProperties: 1, additionalProperties: false },
    ),
  );
  const routeDest = def(
    'routeDest',
    T.Union(
      [
        T.String({
          pattern: '^(default|default6|[0-9.]+(/[0-9]{1,2})?|[0-9A-Fa-f:]+(/[0-9]{1,3})?)$',
          patternErrorMessage: 'Expected "default", "default6", a CIDR like 10.0.0.0/8 or an address like 192.0.2.7',
        }),
        ref<never>('varRef'),
      ],
      {
        description:
          'Destination of the route: "default" (the route the kernel takes for traffic leaving the host: IPv4, or IPv6 when IPv4 has none), "default6" (IPv6 only), a network such as 10.0.0.0/8 (its own route; without host bits: 10.0.0.1/8 is refused), or an address alone such as 192.0.2.7 (the route the kernel picks to reach it, the longest prefix that holds it, as `ip route get` says). Policy rules and every routing table are followed as the kernel does; more specific routes that together take all traffic (OpenVPN\'s 0.0.0.0/1 and 128.0.0.0/1) are what "default" judges.',
      },
    ),
  );
  return {
    selector: routeDest.ref({ description: 'Fact selector: a route by destination, "default" for the default route.' }),
    expect: routeExpect.ref(),
  };
}

export const kind = {
  area: 'network',
  schema,
  selector: (v: string) => ({ kind: 'route' as const, dest: v }),
};
