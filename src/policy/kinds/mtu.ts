// The `mtu` check kind, policy side: whether a full-size packet reaches a host from the audited host without
// fragmentation, and the path MTU on the way (a don't-fragment ping, a small one beside it, and tracepath).
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

/** The ICMP payload of a full 1500-byte IPv4 packet (1500 - 20 - 8). */
const MTU_DEFAULT_SIZE = 1472;

function schema({ T, ref, def }: Kit) {
  const mtuSelector = def(
    'mtuSelector',
    T.Object(
      {
        host: T.String({ minLength: 1, description: 'Host name or IP address to probe from the audited host (it resolves the name).' }),
        size: T.Optional(
          T.Union([T.Integer({ minimum: 0, maximum: 65507 }), ref<never>('varRef')], {
            description: 'ICMP payload of the full-size probe in bytes, as `ping -s` takes it (default 1472: a 1500-byte IPv4 packet).',
          }),
        ),
      },
      {
        description: "A path MTU probe from the audited host: a don't-fragment ping of the given size, a small one, and tracepath.",
        additionalProperties: false,
      },
    ),
  );
  const mtuExpect = def(
    'mtuExpect',
    T.Object(
      {
        pathMtu: T.Optional(
          ref<Matcher>('matcher', {
            description:
              'Matcher for the path MTU in bytes, e.g. { gte: 1500 }: the MTU a router reported (fragmentation needed), else what tracepath measured or the full-size probe carried. A blackhole (the full-size probe vanishes while a small one passes) has no figure and fails.',
          }),
        ),
        passes: T.Optional(T.Boolean({ description: 'The full-size probe reaches the host unfragmented (true), or does not (false).' })),
      },
      { description: 'What the path must carry.', minProperties: 1, additionalProperties: false },
    ),
  );
  return { selector: mtuSelector.ref(), expect: mtuExpect.ref() };
}

type Written = Static<ReturnType<typeof schema>['selector']>;

export const kind = {
  area: 'network',
  schema,
  // `tracepath: false` is for plumbline's own checks (diagnose): the two don't-fragment pings alone judge whether the
  // full-size packet passes, is reported smaller or vanishes; tracepath only adds a figure, at seconds per silent hop.
  selector: (v: Written): { kind: 'mtu'; spec: { host: string; size: number; tracepath?: boolean } } => ({
    kind: 'mtu',
    spec: { host: v.host, size: v.size ?? MTU_DEFAULT_SIZE },
  }),
};
