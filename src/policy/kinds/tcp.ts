// The `tcp` check kind, policy side: a TCP connect from the auditing machine. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const tcpSelector = def(
    'tcpSelector',
    T.Object(
      {
        host: T.String({ minLength: 1, description: 'Host name or IP address; every address it resolves to is probed on its own.' }),
        port: ref<number>('port', { description: 'TCP port.' }),
        samples: T.Optional(
          T.Union([T.Integer({ minimum: 1, maximum: 100 }), ref<never>('varRef')], {
            description: 'Connects per address, for latency percentiles (default 1, at most 100).',
          }),
        ),
      },
      { description: 'A TCP connect from the auditing machine to every address of a host.', additionalProperties: false },
    ),
  );
  const tcpExpect = def(
    'tcpExpect',
    T.Object(
      {
        connect: T.Optional(
          T.Union([T.Enum(['open', 'refused', 'filtered']), T.Array(T.Enum(['open', 'refused', 'filtered']), { minItems: 1 })], {
            description:
              'open (the handshake completes), refused (RST or ICMP port unreachable) or filtered (no usable answer: dropped, unreachable, prohibited), or a list of acceptable ones.',
          }),
        ),
        latencyMs: T.Optional(
          T.Object(
            {
              p50: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the median connect time.' })),
              p95: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the 95th percentile connect time.' })),
              max: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the slowest connect.' })),
            },
            {
              description: 'Matchers for the connect time in milliseconds over the samples (nearest-rank percentiles).',
              minProperties: 1,
              additionalProperties: false,
            },
          ),
        ),
      },
      { description: 'What every address of the host must do.', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: tcpSelector.ref(),
    expect: tcpExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  // Probes judge what a client meets on the wire, from the auditing machine, not the host's own settings:
  // their own area, so an endpoint elsewhere that fails does not read as this host's network configuration.
  area: 'probes',
  schema,
  selector: (v: Written['selector']) => {
    const spec: { host: string; port: number; samples?: number } = { host: v.host, port: v.port };
    if (v.samples !== undefined) spec.samples = v.samples;
    return { kind: 'tcp' as const, spec };
  },
};
