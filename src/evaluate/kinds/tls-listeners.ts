// The `tlsListeners` kind, judged: the host's own TLS listeners, each as a `tls` check would judge it.
import type { FactsSnapshot } from '../../facts/model.js';
import type { ResultDetail } from '../model.js';
import type { Outcome } from '../outcome.js';
import { family, fold } from '../outcome.js';
import type { TlsExpect } from './shared/tls-judging.js';
import { expectedOf, judgeAddress } from './shared/tls-judging.js';
import type { CheckOf } from '../../policy/model.js';
import { together } from '../reasons.js';
import { TLS_PORTS } from '../../lib/targets.js';

function evaluateTlsListeners(ports: readonly number[], e: TlsExpect, facts: FactsSnapshot): Outcome {
  const expected = `every TLS listener on ports ${ports.join(', ')}: ${expectedOf(e)}`;
  const all = family(facts, 'tlsListeners', expected);
  if (!all.ok) return all.outcome;
  const onPorts = all.value.filter((l) => ports.includes(l.port));
  const tls = onPorts.filter((l) => !l.notTls);
  const at = (l: { connectTo: string; port: number }): string => `${l.connectTo.includes(':') ? `[${l.connectTo}]` : l.connectTo}:${l.port}`;
  const plain = onPorts.filter((l) => l.notTls).map(at);
  const notes = plain.length ? { notes: [{ code: 'plain-listeners' as const, endpoints: plain }] } : {};
  if (tls.length === 0) {
    return { status: 'skip', expected, actual: 'none', reason: { code: 'no-tls-listener', ports: [...ports], ...notes } };
  }
  const details: ResultDetail[] = tls.map((l) => {
    const subject = `${at(l)}${l.owners.length ? ` (${l.owners.join(', ')})` : ''}`;
    const a = l.tls.addresses[0];
    if (!a) return { subject, status: 'error', actual: l.tls.error?.reason ?? 'not probed' };
    const j = judgeAddress(a, e);
    const why = together([...j.whys, ...j.unknown]);
    return { subject, status: j.whys.length ? 'fail' : j.unknown.length ? 'error' : 'pass', actual: j.seen.join('; '), ...(why ? { reason: why } : {}) };
  });
  const out = fold(expected, details, 'TLS listeners');
  return { ...out, reason: { ...out.reason, ...notes } };
}

export function evaluate(c: CheckOf<'tlsListeners'>, facts: FactsSnapshot): Outcome {
  return evaluateTlsListeners(c.selector.spec.ports ?? TLS_PORTS, c.expect, facts);
}
