// Root causes, bottom-up: when a lower-layer check fails, the failing checks standing on it name it as
// their cause, so a report leads with one root cause instead of a list of symptoms.
import type { Check } from '../policy/model.js';
import type { Result } from './model.js';
import { notCollected } from './reasons.js';
import { hostKey } from '../plan/plan.js';
import { urlHost, urlPort } from '../lib/targets.js';

/**
 * Only links that hold whatever the reason for the lower failure: a route through eth0 fails when eth0 fails;
 * "the limits of the process on :443" cannot be read when nothing listens on :443 (but a low nofile has
 * nothing to do with the bind address). Each failing lower check is indexed once by what can stand on it, so
 * this stays linear in the number of checks. A route stands on the interface it is expected to leave by: that
 * interface failing (set down, no carrier) is why the kernel chose another route or none. The interface the
 * kernel did choose failing some other check (its MTU, say) explains nothing about the route.
 *
 * Probes stand on each other as the wire does: an HTTP or TLS check on the DNS check of its host (an A, AAAA
 * or ADDRESS query of the system resolver) and on the TCP check of its host (or `ip`) and port; a TCP check on
 * the DNS check of its host. The lowest failing layer is named, and a lower probe that could not be read (a
 * DNS server that never answered) counts as failing too, since the upper probe met the same silence. An upper
 * probe that could not be judged for want of the lower layer (no address to connect to) fails with that
 * cause: what a client meets there is a failure, and the cause says which.
 */
export function attributeCauses(checks: Check[], results: Result[]): Result[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  // The first failing check (in policy order) of each interface and of each TCP listener port.
  const failedInterface = new Map<string, string>();
  const failedTcpPort = new Map<number | string, string>();
  for (const c of checks) {
    if (byId.get(c.id)?.status !== 'fail') continue;
    const l = c.selector;
    if (l.kind === 'interface' && !failedInterface.has(l.name)) failedInterface.set(l.name, c.id);
    if (l.kind === 'listener' && (l.spec.protocol ?? 'tcp') === 'tcp' && !failedTcpPort.has(l.spec.port)) failedTcpPort.set(l.spec.port, c.id);
  }
  // The first failing probe of each host name (DNS) and of each host:port (TCP).
  const failedDns = new Map<string, string>();
  const failedTcp = new Map<string, string>();
  for (const c of checks) {
    const lower = byId.get(c.id);
    // A probe missing from the snapshot (taken for another policy) says nothing of the endpoint.
    if (!lower || (lower.status !== 'fail' && lower.status !== 'error') || lower.reason.code === 'not-in-snapshot') continue;
    const l = c.selector;
    if (l.kind === 'dns' && l.spec.server === undefined && /^(A|AAAA|ADDRESS)$/.test(l.spec.type ?? 'A') && !failedDns.has(hostKey(l.spec.name))) {
      failedDns.set(hostKey(l.spec.name), c.id);
    }
    if (l.kind === 'tcp') {
      const k = `${hostKey(l.spec.host)}:${l.spec.port}`;
      if (!failedTcp.has(k)) failedTcp.set(k, c.id);
    }
  }
  if (failedInterface.size === 0 && failedTcpPort.size === 0 && failedDns.size === 0 && failedTcp.size === 0) return results;
  for (const upper of checks) {
    const r = byId.get(upper.id);
    if (!r || (r.status !== 'fail' && r.status !== 'error') || r.reason.code === 'not-in-snapshot') continue;
    const u = upper.selector;
    let cause: string | undefined;
    if (u.kind === 'route') {
      const dev = (upper.expect as { dev?: unknown } | undefined)?.dev;
      if (typeof dev === 'string') cause = failedInterface.get(dev);
    } else if (u.kind === 'limits' && r.status === 'error' && u.spec.port !== undefined) {
      cause = failedTcpPort.get(u.spec.port);
    } else if (u.kind === 'tcp') {
      cause = failedDns.get(hostKey(u.spec.host));
    } else if (u.kind === 'tls') {
      const connectTo = hostKey(u.spec.ip ?? u.spec.host);
      cause = (u.spec.ip === undefined ? failedDns.get(connectTo) : undefined) ?? failedTcp.get(`${connectTo}:${u.spec.port}`);
    } else if (u.kind === 'http') {
      const url = URL.canParse(u.spec.url) ? new URL(u.spec.url) : undefined;
      if (url) {
        const host = hostKey(urlHost(url));
        cause = failedDns.get(host) ?? failedTcp.get(`${host}:${urlPort(url)}`);
      }
    }
    if (cause === undefined || cause === upper.id) continue;
    r.cause = cause;
    // Only a lower layer that failed (a verdict) makes the upper one a failure; one that was not measured (the
    // deadline came first) leaves it an error, with the cause still named.
    if (r.status === 'error' && byId.get(cause)?.status === 'fail' && (u.kind === 'tcp' || u.kind === 'tls' || u.kind === 'http')) {
      r.status = 'fail';
      if (notCollected(r.reason)) r.actual = 'no answer: a lower layer failed';
      r.reason = { code: 'caused-by', was: r.reason };
    }
  }
  return results;
}
