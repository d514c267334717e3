// The `listeners` check kind, policy side: every listening socket. Its selector and expectation as written (the
// schema editors and the validator read, from `schema`), its area, and its selector as plan and evaluate read
// it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const listenersSelector = def(
    'listenersSelector',
    T.Object(
      {
        protocol: T.Optional(T.Enum(['tcp', 'udp'], { description: 'Only tcp or only udp listeners (default both).' })),
        unprivileged: T.Optional(
          T.Boolean({ description: 'Only listeners on unprivileged ports (at or above net.ipv4.ip_unprivileged_port_start), which need no root to bind.' }),
        ),
      },
      { description: 'All listening sockets, for an allow-list.', additionalProperties: false },
    ),
  );
  const listenersExpect = def(
    'listenersExpect',
    T.Object(
      {
        user: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the user owning each listening socket.' })),
        only: T.Optional(
          T.Array(T.Union([ref<number>('port'), ref<string>('addrPort')]), {
            description:
              'The only listeners allowed: port numbers (any address) or "address:port" strings like "127.0.0.1:6379", "[::1]:5432", "127.0.0.0/8:6379", "[fd00::/8]:443", "*:22". Every address a socket accepts on must be allowed: a dual-stack [::]:80 needs "[::]:80" and "0.0.0.0:80" (or "*:80").',
          }),
        ),
      },
      { description: 'What must hold of every listener.', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: listenersSelector.ref(),
    expect: listenersExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  area: 'listeners',
  schema,
  selector: (v: Written['selector']) => {
    const spec: Written['selector'] = {};
    if (v.protocol !== undefined) spec.protocol = v.protocol;
    if (v.unprivileged !== undefined) spec.unprivileged = v.unprivileged;
    return { kind: 'listeners' as const, spec };
  },
};
