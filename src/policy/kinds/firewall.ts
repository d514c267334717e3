// The `firewall` check kind, policy side: a firewall chain's effective policy. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';

function schema({ T, def }: Kit) {
  const firewallSelector = def(
    'firewallSelector',
    T.Object(
      {
        chain: T.Enum(['input', 'forward', 'output'], { description: 'The netfilter hook: input, forward or output.' }),
        family: T.Optional(T.Enum(['ip', 'ip6', 'inet'], { default: 'inet', description: 'Address family: ip (IPv4), ip6 (IPv6) or inet (both; default).' })),
      },
      { description: 'A base chain of the host firewall (nftables or iptables).', additionalProperties: false },
    ),
  );
  const firewallExpect = def(
    'firewallExpect',
    T.Object(
      {
        policy: T.Union([T.Enum(['drop', 'reject', 'accept']), T.Array(T.Enum(['drop', 'reject', 'accept']), { minItems: 1 })], {
          description: 'The effective default verdict: drop, reject or accept, or a list of acceptable ones.',
        }),
      },
      { description: 'What must hold of the chain.', additionalProperties: false },
    ),
  );
  return {
    selector: firewallSelector.ref(),
    expect: firewallExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  area: 'firewall',
  schema,
  selector: (v: Written['selector']): { kind: 'firewall'; spec: Written['selector'] } => ({
    kind: 'firewall',
    spec: { chain: v.chain, family: v.family ?? 'inet' },
  }),
};
