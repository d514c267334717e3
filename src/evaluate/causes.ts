// Root causes, bottom-up: when a lower-layer check fails, the failing checks standing on it name it as
// their cause, so a report leads with one root cause instead of a list of symptoms.
import type { Check } from '../policy/model.js';
import type { Result } from '../report/model.js';

/** What a check stands on, as predicates over lower checks. Grows with the probes (dns, tcp under tls/http). */
function standsOn(upper: Check, lower: Check): boolean {
  const u = upper.selector;
  const l = lower.selector;
  // A route through an interface stands on that interface; a check of every interface covers it too.
  if (u.kind === 'route' && l.kind === 'interface') {
    const dev = (upper.expect as { dev?: unknown } | undefined)?.dev;
    return l.name === '*' || (typeof dev === 'string' && dev === l.name);
  }
  // Limits of the process on a port stand on something listening on that port.
  if (u.kind === 'limits' && l.kind === 'listener') {
    return u.spec.port !== undefined && u.spec.port === l.spec.port && (l.spec.protocol ?? 'tcp') === 'tcp';
  }
  return false;
}

export function attributeCauses(checks: Check[], results: Result[]): Result[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const upper of checks) {
    const r = byId.get(upper.id);
    if (!r || (r.status !== 'fail' && r.status !== 'error')) continue;
    for (const lower of checks) {
      if (lower === upper || !standsOn(upper, lower)) continue;
      const lr = byId.get(lower.id);
      if (lr && lr.status === 'fail') {
        r.cause = lower.id;
        break;
      }
    }
  }
  return results;
}
