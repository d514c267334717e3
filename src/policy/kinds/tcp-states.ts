// The `tcpStates` check kind, policy side: TCP sockets by state. Its selector and expectation as written (the
// schema editors and the validator read, from `schema`), its area, and its selector as plan and evaluate read
// it.
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, raw, def }: Kit) {
  const tcpStatesSelector = def(
    'tcpStatesSelector',
    raw<Record<string, never>>({
      type: 'object',
      description: 'Counts of TCP sockets per state (v4 and v6). Takes no options: {}.',
      additionalProperties: false,
    }),
  );
  const tcpStatesExpect = def(
    'tcpStatesExpect',
    T.Object(
      {
        ESTABLISHED: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state ESTABLISHED.' })),
        SYN_SENT: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state SYN_SENT.' })),
        SYN_RECV: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state SYN_RECV.' })),
        FIN_WAIT1: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state FIN_WAIT1.' })),
        FIN_WAIT2: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state FIN_WAIT2.' })),
        TIME_WAIT: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state TIME_WAIT.' })),
        CLOSE: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state CLOSE.' })),
        CLOSE_WAIT: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state CLOSE_WAIT.' })),
        LAST_ACK: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state LAST_ACK.' })),
        LISTEN: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state LISTEN.' })),
        CLOSING: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the number of TCP sockets in state CLOSING.' })),
        TIME_WAIT_RATIO: T.Optional(
          ref<Matcher>('matcher', {
            description:
              'Matcher for TIME_WAIT sockets as a share of the ephemeral port range (net.ipv4.ip_local_port_range): near 1, outbound connections to one destination run out of ports (connect fails with EADDRNOTAVAIL).',
          }),
        ),
      },
      { description: 'Matchers for the number of sockets in each state.', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: tcpStatesSelector.ref(),
    expect: tcpStatesExpect.ref(),
  };
}

/** A peer whose SYN_SENT and CLOSE_WAIT sockets are counted instead of the host's (the facts' `PilingPeer`). */
interface TcpStatesToward {
  address: string;
  port: number;
  local: boolean;
}

export const kind = {
  area: 'tcp',
  schema,
  // `toward` is for plumbline's own checks (diagnose): SYN_SENT and CLOSE_WAIT counted for one peer, not host-wide.
  selector: (): { kind: 'tcpStates'; spec: { toward?: TcpStatesToward } } => ({ kind: 'tcpStates', spec: {} }),
};
