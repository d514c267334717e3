// The `netstat` check kind, policy side: a kernel network counter. Its selector and expectation as written (the
// schema editors and the validator read, from `schema`), its area, and its selector as plan and evaluate read
// it.
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, def }: Kit) {
  const netstatCounter = def(
    'netstatCounter',
    T.String({
      pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)?$',
      patternErrorMessage: 'Expected a counter name like ListenOverflows, RetransRatio or Section.Counter (e.g. TcpExt.ListenDrops)',
      description:
        'A kernel network counter from /proc/net/netstat or /proc/net/snmp: a name (ListenOverflows, ListenDrops; TcpExt is preferred when several sections have it), Section.Counter (TcpExt.TCPTimeouts), or a derived ratio: RetransRatio (retransmitted / sent segments), ListenOverflowRatio (overflows / passive opens).',
    }),
  );
  return {
    selector: netstatCounter.ref({
      description: 'Fact selector: a kernel network counter (ListenOverflows, ListenDrops, RetransRatio, ListenOverflowRatio or Section.Counter).',
    }),
    expect: ref<Matcher>('matcher', { description: 'Matcher for the counter value.' }),
  };
}

export const kind = {
  area: 'tcp',
  schema,
  selector: (v: string) => ({ kind: 'netstat' as const, counter: v }),
};
