// The `sysctl` check kind, policy side: a kernel parameter (sysctl). Its selector and expectation as written
// (the schema editors and the validator read, from `schema`), its area, and its selector as plan and evaluate
// read it.
import type { Kit } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref }: Kit) {
  return {
    selector: T.String({
      pattern: '^\\S+$',
      patternErrorMessage: 'Expected a sysctl key without spaces, like net.core.somaxconn',
      description: 'Fact selector: a kernel parameter, e.g. net.core.somaxconn (read from /proc/sys).',
    }),
    expect: ref<Matcher>('matcher', {
      description:
        'Matcher for the sysctl value. Numeric operators compare numerically; multi-value sysctls compare element-wise (gte: [1024, 60000]) or by index.',
    }),
  };
}

export const kind = {
  area: 'kernel',
  schema,
  selector: (v: string) => ({ kind: 'sysctl' as const, key: v }),
};
