// The `tlsListeners` check kind, policy side: the host's own TLS listeners. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit } from './kit.js';
import { tlsExpectSchema } from './shared/tls-expect.js';

function schema(kit: Kit) {
  const { T, ref, def } = kit;
  const tlsListenersSelector = def(
    'tlsListenersSelector',
    T.Object(
      {
        ports: T.Optional(
          T.Array(ref<number>('port'), {
            minItems: 1,
            uniqueItems: true,
            description: 'Ports to probe (default: 443, 465, 636, 853, 993, 995, 2376, 2379, 2380, 4443, 5061, 5671, 5986, 6443, 8443, 8883, 9443, 10250).',
          }),
        ),
      },
      {
        additionalProperties: false,
        description:
          "The host's own TCP listeners on TLS ports, each probed as a client on the host meets it (loopback for a wildcard listener). A port that does not speak TLS (answers in plain text, or stays silent) is left out; with no TLS listener the check is skipped.",
      },
    ),
  );
  const tlsExpect = def('tlsExpect', tlsExpectSchema(kit));
  return {
    selector: tlsListenersSelector.ref(),
    expect: tlsExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  // The host's own TLS listeners, met from the host: its own configuration, judged beside its listeners.
  area: 'listeners',
  schema,
  selector: (v: Written['selector']) => ({ kind: 'tlsListeners' as const, spec: v.ports !== undefined ? { ports: v.ports } : {} }),
};
