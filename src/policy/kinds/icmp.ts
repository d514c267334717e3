// The `icmp` check kind, policy side: pings sent from the audited host (through the transport, so over SSH it is
// that host's reachability), with their loss and round-trip times. Its selector and expectation as written, its
// area, and its selector as plan and evaluate read it (defaults filled in, the interval in milliseconds).
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';
import { parseDuration } from '../duration.js';

/** Probes, payload and spacing when a check names none: ping's own payload, five probes a fifth of a second apart. */
const ICMP_DEFAULTS = { count: 5, size: 56, intervalMs: 200 } as const;

function schema({ T, ref, def }: Kit) {
  const icmpSelector = def(
    'icmpSelector',
    T.Object(
      {
        host: T.String({ minLength: 1, description: 'Host name or IP address to ping from the audited host (it resolves the name).' }),
        count: T.Optional(
          T.Union([T.Integer({ minimum: 1, maximum: 1000 }), ref<never>('varRef')], { description: 'Echo requests to send (default 5, at most 1000).' }),
        ),
        size: T.Optional(
          T.Union([T.Integer({ minimum: 0, maximum: 65507 }), ref<never>('varRef')], {
            description: 'ICMP payload in bytes, as `ping -s` takes it (default 56: an 84-byte IPv4 packet).',
          }),
        ),
        interval: T.Optional(
          T.Union([ref<string | number>('duration'), ref<never>('varRef')], {
            description: 'Time between echo requests (default "200ms"; ping refuses intervals under 2ms to users other than root).',
          }),
        ),
      },
      { description: 'ICMP echo (the system ping, iputils) from the audited host to a host.', additionalProperties: false },
    ),
  );
  const rtt = (what: string) => T.Optional(ref<Matcher>('matcher', { description: `Matcher for the ${what} round-trip time in milliseconds.` }));
  const icmpExpect = def(
    'icmpExpect',
    T.Object(
      {
        reachable: T.Optional(T.Boolean({ description: 'At least one echo reply came back (true), or none did (false).' })),
        lossPercent: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the share of echo requests unanswered, in percent (0-100).' })),
        rttMs: T.Optional(
          T.Object(
            { p50: rtt('median'), p95: rtt('95th percentile'), max: rtt('slowest') },
            {
              description: 'Matchers for the round-trip times of the replies, in milliseconds (nearest-rank percentiles).',
              minProperties: 1,
              additionalProperties: false,
            },
          ),
        ),
      },
      { description: 'What the pings must show.', minProperties: 1, additionalProperties: false },
    ),
  );
  return { selector: icmpSelector.ref(), expect: icmpExpect.ref() };
}

type Written = Static<ReturnType<typeof schema>['selector']>;

export const kind = {
  // The audited host's own reach into its network, sent from it: its network, not a probe from the auditor.
  area: 'network',
  schema,
  selector: (v: Written): { kind: 'icmp'; spec: { host: string; count: number; size: number; intervalMs: number } } => ({
    kind: 'icmp',
    spec: {
      host: v.host,
      count: v.count ?? ICMP_DEFAULTS.count,
      size: v.size ?? ICMP_DEFAULTS.size,
      intervalMs: (v.interval !== undefined ? parseDuration(v.interval) : undefined) ?? ICMP_DEFAULTS.intervalMs,
    },
  }),
};
