// The `tcpStates` kind counts sockets; TIME_WAIT against the ephemeral range needs the range.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { EPHEMERAL_RANGE } from '../model.js';

export function plan(c: CheckOf<'tcpStates'>, p: PlanBuilder): void {
  p.need('sockets');
  if (c.expect.TIME_WAIT_RATIO !== undefined) p.sysctl(EPHEMERAL_RANGE);
}
