// The `listener` check kind, policy side: the sockets listening on one port. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const listenerSelector = def(
    'listenerSelector',
    T.Object(
      {
        port: ref<number>('port', { description: 'Port number.' }),
        protocol: T.Optional(T.Enum(['tcp', 'udp'], { default: 'tcp', description: 'tcp (default) or udp.' })),
      },
      { description: 'The sockets listening on one port.', additionalProperties: false },
    ),
  );
  const listenerExpect = def(
    'listenerExpect',
    T.Object(
      {
        bind: T.Optional(
          T.Union(
            [
              T.Enum(['loopback', 'specific', 'any', 'absent']),
              T.Array(
                T.String({
                  minLength: 1,
                  pattern: '^(\\*|\\[?[0-9A-Fa-f:.]+(/[0-9]{1,3})?\\]?)$',
                  patternErrorMessage: 'Expected an address or network like "127.0.0.1", "::1", "127.0.0.0/8", "fd00::/8", or "*"',
                }),
                { minItems: 1 },
              ),
            ],
            {
              description:
                'Where it may listen: loopback (only 127.0.0.0/8 and ::1), specific (any addresses but not a wildcard), any (listens on a wildcard address, 0.0.0.0, [::] or ::ffff:0.0.0.0, so on all interfaces; nothing listening fails), absent (nothing may listen), or a list of the addresses and networks it may listen on ("127.0.0.0/8", "::1", "fd00::/8", "*" for every address). An IPv4-mapped address (::ffff:127.0.0.1) counts as the IPv4 address it maps; a dual-stack [::] socket counts as [::] and 0.0.0.0. A wildcard is within a list only through its own wildcard, a /0 or "*"; listing a wildcard allows every address of its family.',
            },
          ),
        ),
        present: T.Optional(T.Boolean({ description: 'Something must (true) or must not (false) listen on the port.' })),
        user: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the user owning the socket.' })),
        process: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the command name of the owning process.' })),
      },
      { description: 'What must hold of the listener.', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: listenerSelector.ref(),
    expect: listenerExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  area: 'listeners',
  schema,
  selector: (v: Written['selector']) => ({ kind: 'listener' as const, spec: { port: v.port, protocol: v.protocol ?? 'tcp' } }),
};
