// The `conntrack` check kind, policy side: how full the connection tracking table is. A host that tracks
// connections (any stateful firewall rule, NAT, docker) drops new connections once the table is full.
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

const MEASURES = ['usage', 'count', 'max'] as const;

function schema({ T, ref }: Kit) {
  return {
    selector: T.Enum([...MEASURES], {
      description:
        'Fact selector: the connection tracking table of the host (nf_conntrack): usage (entries / limit, 0 to 1), count (entries now) or max (the limit, net.netfilter.nf_conntrack_max).',
    }),
    expect: ref<Matcher>('matcher', { description: 'Matcher for the measure, e.g. { lte: 0.8 } for usage.' }),
  };
}

export const kind = {
  area: 'firewall',
  schema,
  selector: (v: (typeof MEASURES)[number]) => ({ kind: 'conntrack' as const, measure: v }),
};
