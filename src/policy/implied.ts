// Lower checks the wire implies: a TLS or HTTP check stands on TCP to its port and on DNS for its host, a TCP
// check on DNS. Where the policy declares no such lower check, one is made here, so that a failure low down is
// found and named once (as the cause of the checks above it) instead of reappearing as each upper symptom.
// Implied checks are reported, but not scored: the upper checks already carry the weight.
import type { Check, Severity } from './model.js';
import { SEVERITIES } from './model.js';
import { parseAddress } from '../lib/address.js';
import { hostKey, urlHost, urlPort } from '../lib/targets.js';

interface Need {
  kind: 'tcp' | 'dns';
  host: string;
  port?: number;
}

/** What each probe check stands on, lowest first. */
function needsOf(c: Check): Need[] {
  const s = c.selector;
  const named = (host: string): Need[] => (parseAddress(host) ? [] : [{ kind: 'dns', host }]);
  switch (s.kind) {
    case 'tcp':
      return named(s.spec.host);
    case 'tls': {
      const connectTo = s.spec.ip ?? s.spec.host;
      return [...(s.spec.ip !== undefined ? [] : named(s.spec.host)), { kind: 'tcp', host: connectTo, port: s.spec.port }];
    }
    case 'http': {
      if (!URL.canParse(s.spec.url)) return [];
      const url = new URL(s.spec.url);
      const host = urlHost(url);
      return [...named(host), { kind: 'tcp', host, port: urlPort(url) }];
    }
    default:
      return [];
  }
}

const keyOf = (n: Need): string => (n.kind === 'tcp' ? `tcp ${hostKey(n.host)}:${n.port}` : `dns ${hostKey(n.host)}`);

/** The lower checks the policy declares itself: any DNS check of a name's addresses, any TCP check of host:port. */
function declared(checks: readonly Check[]): Set<string> {
  const out = new Set<string>();
  for (const c of checks) {
    const s = c.selector;
    if (s.kind === 'tcp') out.add(keyOf({ kind: 'tcp', host: s.spec.host, port: s.spec.port }));
    if (s.kind === 'dns' && s.spec.server === undefined && ['A', 'AAAA', 'ADDRESS'].includes(s.spec.type ?? 'A'))
      out.add(keyOf({ kind: 'dns', host: s.spec.name }));
  }
  return out;
}

const higher = (a: Severity, b: Severity): Severity => (SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b);

/** The checks with every implied lower check appended (after the policy's own, in the order first needed). */
export function withImpliedChecks(checks: Check[]): Check[] {
  const have = declared(checks);
  const made = new Map<string, Check>();
  const queue = [...checks];
  while (queue.length > 0) {
    const upper = queue.shift()!;
    for (const need of needsOf(upper)) {
      const key = keyOf(need);
      if (have.has(key)) continue;
      const seen = made.get(key);
      if (seen) {
        seen.impliedBy!.push(upper.id);
        seen.severity = higher(seen.severity, upper.severity);
        if (upper.timeout !== undefined) seen.timeout = Math.max(seen.timeout ?? 0, upper.timeout);
        continue;
      }
      const host = hostKey(need.host);
      const check: Check = {
        ...(need.kind === 'tcp'
          ? {
              id: `implied.tcp.${host}:${need.port}`,
              title: `TCP connect to ${host}:${need.port}`,
              selector: { kind: 'tcp', spec: { host: need.host, port: need.port! } },
              expect: { connect: 'open' },
            }
          : {
              id: `implied.dns.${host}`,
              title: `${host} resolves`,
              selector: { kind: 'dns', spec: { name: need.host, type: 'ADDRESS' } },
              expect: { resolves: true },
            }),
        severity: upper.severity,
        area: 'probes',
        tags: ['implied'],
        refs: [],
        source: upper.source,
        ...(upper.anchor !== undefined ? { anchor: upper.anchor } : {}),
        impliedBy: [upper.id],
        ...(upper.timeout !== undefined ? { timeout: upper.timeout } : {}),
      };
      made.set(key, check);
      // An implied TCP check of a name stands on DNS in turn.
      queue.push(check);
    }
  }
  return made.size === 0 ? checks : [...checks, ...made.values()];
}
