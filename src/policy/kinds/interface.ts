// The `interface` check kind, policy side: a network interface. Its selector and expectation as written (the
// schema editors and the validator read, from `schema`), its area, and its selector as plan and evaluate read
// it.
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, raw, def }: Kit) {
  const interfaceExpect = def(
    'interfaceExpect',
    raw<{
      state?: Matcher;
      up?: Matcher;
      carrier?: Matcher;
      mtu?: Matcher;
      rx_errors?: Matcher;
      tx_errors?: Matcher;
      rx_dropped?: Matcher;
      tx_dropped?: Matcher;
      rx_error_ratio?: Matcher;
      tx_error_ratio?: Matcher;
      rx_drop_ratio?: Matcher;
      tx_drop_ratio?: Matcher;
      collisions?: Matcher;
      multicast?: Matcher;
    }>({
      type: 'object',
      description: 'What must hold of the interface (of each one, for "*").',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        state: { $ref: '#/$defs/matcher', description: 'Matcher for the operational state (up, down, unknown, ...).' },
        up: {
          $ref: '#/$defs/matcher',
          description: 'Matcher for whether the link passes traffic (true/false); unlike state, counts loopback and virtual links reporting "unknown" as up.',
        },
        carrier: {
          $ref: '#/$defs/matcher',
          description: 'Matcher for carrier presence (true/false); an interface set down (administratively down) has no carrier.',
        },
        mtu: { $ref: '#/$defs/matcher', description: 'Matcher for the MTU.' },
        rx_errors: { $ref: '#/$defs/matcher', description: 'Matcher for the receive error counter.' },
        tx_errors: { $ref: '#/$defs/matcher', description: 'Matcher for the transmit error counter.' },
        rx_dropped: { $ref: '#/$defs/matcher', description: 'Matcher for the receive drop counter.' },
        tx_dropped: { $ref: '#/$defs/matcher', description: 'Matcher for the transmit drop counter.' },
        rx_error_ratio: { $ref: '#/$defs/matcher', description: 'Matcher for receive errors per received packet (0-1).' },
        tx_error_ratio: { $ref: '#/$defs/matcher', description: 'Matcher for transmit errors per sent packet (0-1).' },
        rx_drop_ratio: { $ref: '#/$defs/matcher', description: 'Matcher for receive drops per received packet (0-1).' },
        tx_drop_ratio: { $ref: '#/$defs/matcher', description: 'Matcher for transmit drops per sent packet (0-1).' },
        collisions: { $ref: '#/$defs/matcher', description: 'Matcher for the collision counter.' },
        multicast: { $ref: '#/$defs/matcher', description: 'Matcher for the multicast packet counter.' },
      },
      patternProperties: {
        '^(rx|tx)_[a-z0-9_]+$': {
          $ref: '#/$defs/matcher',
          description: 'Matcher for another counter of /sys/class/net/IFACE/statistics (rx_packets, tx_bytes, ...).',
        },
      },
    }),
  );
  return {
    selector: T.String({ minLength: 1, description: 'Fact selector: a network interface by name, e.g. eth0, or "*" for every interface except loopback.' }),
    expect: interfaceExpect.ref(),
  };
}

export const kind = {
  area: 'network',
  schema,
  selector: (v: string) => ({ kind: 'interface' as const, name: v }),
};
