// The `certificate` kind: a certificate file (and key) read on the host, each (path, key) once.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';

export function plan(c: CheckOf<'certificate'>, p: PlanBuilder): void {
  const s = c.selector.spec;
  p.certificate({ path: s.path, ...(s.key !== undefined ? { key: s.key } : {}) });
}
