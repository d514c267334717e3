// The stable key of a probe in the facts snapshot's `probes` family, per probe kind. Checks of the same
// endpoint share it (and so one probe); what a probe is asked for beyond the endpoint (more samples) is the
// union of its checks. Evaluation finds a check's probe by the same key.
import type { DnsSelector, HttpSelector, TcpSelector, TlsSelector } from '../policy/model.js';
import { hostKey } from '../lib/targets.js';

export function tcpProbeKey(s: TcpSelector): string {
  return `tcp ${hostKey(s.host)}:${s.port}`;
}

export function dnsProbeKey(s: DnsSelector): string {
  return `dns ${hostKey(s.name)} ${s.type ?? 'A'}${s.server !== undefined ? ` @${s.server}` : ''}`;
}

export function httpProbeKey(s: HttpSelector): string {
  const headers = Object.entries(s.headers ?? {})
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    `http ${(s.method ?? 'GET').toUpperCase()} ${s.url}`,
    ...(headers.length ? [JSON.stringify(Object.fromEntries(headers))] : []),
    ...(s.ca !== undefined ? [`ca=${s.ca}`] : []),
  ].join(' ');
}

export function tlsProbeKey(s: TlsSelector): string {
  return [
    `tls ${hostKey(s.host)}:${s.port}`,
    ...(s.servername !== undefined ? [`sni=${s.servername}`] : []),
    ...(s.ip !== undefined ? [`ip=${hostKey(s.ip)}`] : []),
    ...(s.ca !== undefined ? [`ca=${s.ca}`] : []),
    ...(s.allAddresses ? ['all'] : []),
  ].join(' ');
}
