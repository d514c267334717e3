// Root causes, bottom-up: when a lower-layer check fails, the failing checks standing on it name it as
// their cause, so a report leads with one root cause instead of a list of symptoms.
import type { Check } from '../policy/model.js';
import type { Result } from '../report/model.js';

/**
 * Whether `upper`'s bad result can be explained by `lower` failing. Only links that hold whatever the reason
 * for the lower failure: a route through eth0 fails when eth0 fails; "the limits of the process on :443"
 * cannot be read when nothing listens on :443 (but a low nofile has nothing to do with the bind address).
 */
function standsOn(upper: Check, upperStatus: string, lower: Check): boolean {
  const u = upper.selector;
  const l = lower.selector;
  if (u.kind === 'route' && l.kind === 'interface') {
    const dev = (upper.expect as { dev?: unknown } | undefined)?.dev;
    return typeof dev === 'string' && dev === l.name;
  }
  if (u.kind === 'limits' && l.kind === 'listener') {
    return upperStatus === 'error' && u.spec.port !== undefined && u.spec.port === l.spec.port && (l.spec.protocol ?? 'tcp') === 'tcp';
  }
  return false;
}

export function attributeCauses(checks: Check[], results: Result[]): Result[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const upper of checks) {
    const r = byId.get(upper.id);
    if (!r || (r.status !== 'fail' && r.status !== 'error')) continue;
    for (const lower of checks) {
      if (lower === upper || !standsOn(upper, r.status, lower)) continue;
      const lr = byId.get(lower.id);
      if (lr && lr.status === 'fail') {
        r.cause = lower.id;
        break;
      }
    }
  }
  return results;
}
