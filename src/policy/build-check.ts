// A validated, interpolated check as written, turned into the Check model that plan and evaluate read.
import * as path from 'node:path';
import { parseDuration } from './duration.js';
import { AREA_OF, LIMIT_TARGETS, SELECTORS } from './model.js';
import type {
  CertificateSelector,
  Check,
  DnsSelector,
  HttpSelector,
  LimitsSelector,
  Matcher,
  Selector,
  SelectorName,
  Severity,
  SourcePos,
  TcpSelector,
  TlsSelector,
} from './model.js';
import type { Ref } from './merge.js';
import { sourcePos } from './sources.js';
import { isObject } from '../lib/is-object.js';

/** The Check for a validated, interpolated check: shapes are trusted here because the schema passed. */
export function buildCheck(c: Record<string, unknown>, source: SourcePos, ref: Ref): Check {
  const sel = SELECTORS.find((k) => k in c) as SelectorName;
  const check: Check = {
    id: c.id as string,
    title: typeof c.title === 'string' ? c.title : (c.id as string),
    severity: (c.severity as Severity | undefined) ?? 'medium',
    area: AREA_OF[sel],
    selector: selectorOf(sel, c[sel]),
    expect: c.expect,
    tags: (c.tags as string[] | undefined) ?? [],
    refs: (c.refs as string[] | undefined) ?? [],
    source,
  };
  if (ref.source.anchor) check.anchor = ref.source.anchor;
  if (typeof c.rationale === 'string') check.rationale = c.rationale;
  if (typeof c.remediation === 'string') check.remediation = c.remediation;
  if (isObject(c.when)) check.when = { var: c.when.var as string, expect: c.when.expect as Matcher };
  const t = parseDuration(c.timeout);
  if (t !== undefined) check.timeout = t;
  if (c.expect !== undefined) check.expectSource = sourcePos(ref.source, ['checks', ref.index, 'expect']);
  // A trust-anchor file is read on the auditing machine: a relative path means the policy file's directory,
  // as `extends` does, not wherever the audit happens to run.
  const s = check.selector;
  if ((s.kind === 'tls' || s.kind === 'http') && s.spec.ca !== undefined && !path.isAbsolute(s.spec.ca)) {
    s.spec.ca = path.resolve(path.dirname(ref.source.abs), s.spec.ca);
  }
  return check;
}

function selectorOf(sel: SelectorName, v: unknown): Selector {
  const o = isObject(v) ? v : {};
  switch (sel) {
    case 'sysctl':
      return { kind: 'sysctl', key: v as string };
    case 'limits': {
      const spec: LimitsSelector = { item: o.item as string };
      for (const k of LIMIT_TARGETS) if (o[k] !== undefined) (spec as unknown as Record<string, unknown>)[k] = o[k];
      return { kind: 'limits', spec };
    }
    case 'listener':
      return { kind: 'listener', spec: { port: o.port as number, protocol: (o.protocol as 'tcp' | 'udp' | undefined) ?? 'tcp' } };
    case 'listeners': {
      const spec: { protocol?: 'tcp' | 'udp'; unprivileged?: boolean } = {};
      if (o.protocol !== undefined) spec.protocol = o.protocol as 'tcp' | 'udp';
      if (o.unprivileged !== undefined) spec.unprivileged = o.unprivileged as boolean;
      return { kind: 'listeners', spec };
    }
    case 'tcpStates':
      return { kind: 'tcpStates', spec: {} };
    case 'netstat':
      return { kind: 'netstat', counter: v as string };
    case 'interface':
      return { kind: 'interface', name: v as string };
    case 'route':
      return { kind: 'route', dest: v as string };
    case 'firewall':
      return {
        kind: 'firewall',
        spec: { chain: o.chain as 'input' | 'forward' | 'output', family: (o.family as 'ip' | 'ip6' | 'inet' | undefined) ?? 'inet' },
      };
    case 'tcp': {
      const spec: TcpSelector = { host: o.host as string, port: o.port as number };
      if (o.samples !== undefined) spec.samples = o.samples as number;
      return { kind: 'tcp', spec };
    }
    case 'dns': {
      const spec: DnsSelector = { name: o.name as string };
      if (o.type !== undefined) spec.type = o.type as string;
      if (o.server !== undefined) spec.server = o.server as string;
      return { kind: 'dns', spec };
    }
    case 'http': {
      const spec: HttpSelector = { url: o.url as string };
      if (o.method !== undefined) spec.method = o.method as string;
      if (isObject(o.headers)) spec.headers = o.headers as Record<string, string>;
      if (o.ca !== undefined) spec.ca = o.ca as string;
      return { kind: 'http', spec };
    }
    case 'tls': {
      const spec: TlsSelector = { host: o.host as string, port: (o.port as number | undefined) ?? 443 };
      for (const k of ['servername', 'ip', 'ca'] as const) if (o[k] !== undefined) spec[k] = o[k] as string;
      if (o.allAddresses !== undefined) spec.allAddresses = o.allAddresses as boolean;
      return { kind: 'tls', spec };
    }
    case 'tlsListeners':
      return { kind: 'tlsListeners', spec: Array.isArray(o.ports) ? { ports: o.ports as number[] } : {} };
    case 'certificate': {
      const spec: CertificateSelector = { path: o.path as string };
      if (o.key !== undefined) spec.key = o.key as string;
      return { kind: 'certificate', spec };
    }
  }
}
