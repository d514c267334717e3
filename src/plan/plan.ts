// Which facts the checks need: each family once, with the union of parameters, so that a thousand
// sysctl checks still mean one read per key and one pass over /proc/net.
import type { Check, Selector } from '../policy/model.js';

/** One probe to run: the union of what its checks ask, under the longest of their timeouts. */
export type ProbeTarget =
  | {
      kind: 'tcp';
      key: string;
      host: string;
      port: number;
      samples: number;
      /** A check judges its latency: its connects must not share the endpoint with other probes. */
      timed: boolean;
      timeoutMs: number;
    }
  | { kind: 'dns'; key: string; name: string; type: string; server?: string; timeoutMs: number }
  | {
      kind: 'http';
      key: string;
      url: string;
      method: string;
      headers?: Record<string, string>;
      ca?: string;
      /**
       * Follow an http:// URL's redirects to HTTPS and read the HSTS in effect there: a check on the endpoint
       * judges HSTS, which a browser ignores over plain HTTP. The probe records what it followed, so a snapshot
       * is judged offline the same way.
       */
      followForHsts: boolean;
      /** A check judges its timings: its request must not share the endpoint with other probes. */
      timed: boolean;
      timeoutMs: number;
    }
  | {
      kind: 'tls';
      key: string;
      host: string;
      port: number;
      servername?: string;
      ip?: string;
      ca?: string;
      allAddresses: boolean;
      wants: TlsWants;
      timeoutMs: number;
    };

/** What a TLS probe is asked for: the union of what the checks on the endpoint judge. */
export interface TlsWants {
  /** Per-version verdicts from hand-built hellos. */
  versions: boolean;
  /** The legacy classes (RC4, 3DES, NULL, EXPORT, CBC-only TLS 1.2). */
  legacy: boolean;
  /** Every suite accepted at TLS 1.2 and 1.3 (a profile judges them). */
  suites: boolean;
  /** One full handshake: chain, negotiated suite, ALPN, OCSP stapling. */
  handshake: boolean;
}

type ProbeSelector = Extract<Selector, { kind: 'tcp' | 'dns' | 'http' | 'tls' }>;

/**
 * What a TLS check asks the probe for, from its expectation: versions need the version hellos, refused legacy
 * classes the legacy offers, a profile every accepted suite (and the certificate), everything else the one full
 * handshake. A check that expects nothing still needs the handshake: it asks that TLS works at all.
 */
function tlsWants(expect: unknown): TlsWants {
  const e = (typeof expect === 'object' && expect !== null ? expect : {}) as Record<string, unknown>;
  const cipher = (typeof e.cipher === 'object' && e.cipher !== null ? e.cipher : {}) as Record<string, unknown>;
  const profile = cipher.profile !== undefined;
  const legacy = cipher.refuse !== undefined;
  const handshake = profile || e.certificate !== undefined || e.alpn !== undefined || cipher.negotiated !== undefined || cipher.forwardSecrecy !== undefined || e.versions === undefined && !legacy;
  return { versions: e.versions !== undefined || profile || legacy, legacy, suites: profile, handshake };
}

/** Whether an HTTP check needs the HSTS in effect from redirects: it judges HSTS on a plain-HTTP URL. */
/** Whether a check judges how long a probe took (TCP latency, HTTP timings): its probe then has the endpoint to itself. */
function judgesTime(s: ProbeSelector, expect: unknown): boolean {
  const e = (typeof expect === 'object' && expect !== null ? expect : {}) as Record<string, unknown>;
  if (s.kind === 'tcp') return e.latencyMs !== undefined || (s.spec.samples ?? 1) > 1;
  return s.kind === 'http' && e.timings !== undefined;
}

function followsForHsts(url: string, expect: unknown): boolean {
  const e = (typeof expect === 'object' && expect !== null ? expect : {}) as Record<string, unknown>;
  return e.hsts !== undefined && /^http:/i.test(url);
}

export { hostKey } from '../lib/targets.js';
import { hostKey, TLS_PORTS } from '../lib/targets.js';

/**
 * The stable key of a probe in the facts snapshot's `probes` family. Checks of the same endpoint share it (and
 * so one probe); what a probe is asked for beyond the endpoint (more samples) is the union of its checks.
 */
export function probeKey(s: ProbeSelector): string {
  switch (s.kind) {
    case 'tcp':
      return `tcp ${hostKey(s.spec.host)}:${s.spec.port}`;
    case 'dns':
      return `dns ${hostKey(s.spec.name)} ${s.spec.type ?? 'A'}${s.spec.server !== undefined ? ` @${s.spec.server}` : ''}`;
    case 'http': {
      const headers = Object.entries(s.spec.headers ?? {})
        .map(([k, v]) => [k.toLowerCase(), v] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return [
        `http ${(s.spec.method ?? 'GET').toUpperCase()} ${s.spec.url}`,
        ...(headers.length ? [JSON.stringify(Object.fromEntries(headers))] : []),
        ...(s.spec.ca !== undefined ? [`ca=${s.spec.ca}`] : []),
      ].join(' ');
    }
    case 'tls':
      return [
        `tls ${hostKey(s.spec.host)}:${s.spec.port}`,
        ...(s.spec.servername !== undefined ? [`sni=${s.spec.servername}`] : []),
        ...(s.spec.ip !== undefined ? [`ip=${hostKey(s.spec.ip)}`] : []),
        ...(s.spec.ca !== undefined ? [`ca=${s.spec.ca}`] : []),
        ...(s.spec.allAddresses ? ['all'] : []),
      ].join(' ');
  }
}

function probeTarget(s: ProbeSelector, timeoutMs: number): ProbeTarget {
  const key = probeKey(s);
  switch (s.kind) {
    case 'tcp':
      return { kind: 'tcp', key, host: s.spec.host, port: s.spec.port, samples: s.spec.samples ?? 1, timed: false, timeoutMs };
    case 'dns':
      return { kind: 'dns', key, name: s.spec.name, type: s.spec.type ?? 'A', ...(s.spec.server !== undefined ? { server: s.spec.server } : {}), timeoutMs };
    case 'http':
      return {
        kind: 'http',
        key,
        url: s.spec.url,
        method: (s.spec.method ?? 'GET').toUpperCase(),
        ...(s.spec.headers !== undefined ? { headers: s.spec.headers } : {}),
        ...(s.spec.ca !== undefined ? { ca: s.spec.ca } : {}),
        followForHsts: false,
        timed: false,
        timeoutMs,
      };
    case 'tls':
      return {
        kind: 'tls',
        key,
        host: s.spec.host,
        port: s.spec.port,
        ...(s.spec.servername !== undefined ? { servername: s.spec.servername } : {}),
        ...(s.spec.ip !== undefined ? { ip: s.spec.ip } : {}),
        ...(s.spec.ca !== undefined ? { ca: s.spec.ca } : {}),
        allAddresses: s.spec.allAddresses === true,
        wants: { versions: false, legacy: false, suites: false, handshake: false },
        timeoutMs,
      };
  }
}

/** The fact families a plan can ask for (the keys of the facts snapshot that collect fills). */
export type FactFamily = 'sysctl' | 'sockets' | 'processes' | 'netstat' | 'interfaces' | 'routes' | 'firewall' | 'ipv6' | 'certificates' | 'tlsListeners';

/** A certificate file to read on the host, with the private key that must belong to its leaf. */
export interface CertificateFileTarget {
  path: string;
  key?: string;
}

/** Whether a fact of the `certificates` family is the one a certificate check (path, key) asked for. */
export function isCertificateFile(f: { path: string; key?: { path: string } }, want: CertificateFileTarget): boolean {
  return f.path === want.path && f.key?.path === want.key;
}

export interface Plan {
  sysctl: string[];
  sockets: boolean;
  processes: null | { names: string[]; pids: number[]; units: string[]; pidfiles: string[]; listeners: boolean };
  netstat: boolean;
  interfaces: boolean;
  routes: boolean;
  firewall: boolean;
  /** Whether the host has IPv6 at all: IPv6 sysctls, IPv6 routes and the IPv6 half of firewall checks depend on it. */
  ipv6: boolean;
  /**
   * How long each planned family may take to collect: the longest timeout among the checks that need it (a
   * check's own `timeout`, else the policy's `defaults.timeout`). A family that overruns becomes an error.
   */
  timeouts: Partial<Record<FactFamily, number>>;
  /** Live probes from the auditing machine, one per endpoint (deduplicated by key), sorted by key. */
  probes: ProbeTarget[];
  /** Certificate files on the host, each (path, key) once, sorted; their timeout is `timeouts.certificates`. */
  certificates: CertificateFileTarget[];
  /**
   * The host's own TCP listeners on these ports, probed as TLS once the sockets are read, each connection under
   * `timeoutMs` (the family as a whole under `timeouts.tlsListeners`).
   */
  tlsListeners: null | { ports: number[]; wants: TlsWants; timeoutMs: number };
}

/** The sysctl that bounds the ports outbound connections take. */
export const EPHEMERAL_RANGE = 'net.ipv4.ip_local_port_range';

export function plan(checks: Check[], defaultTimeoutMs: number): Plan {
  const sysctl = new Set<string>();
  const p: Plan = {
    sysctl: [],
    sockets: false,
    processes: null,
    netstat: false,
    interfaces: false,
    routes: false,
    firewall: false,
    ipv6: false,
    timeouts: {},
    probes: [],
    certificates: [],
    tlsListeners: null,
  };
  const certificates = new Map<string, CertificateFileTarget>();
  const probes = new Map<string, ProbeTarget>();
  const procs = { names: new Set<string>(), pids: new Set<number>(), units: new Set<string>(), pidfiles: new Set<string>(), listeners: false };
  let wantProcs = false;
  for (const c of checks) {
    const s = c.selector;
    const needs: FactFamily[] = [];
    switch (s.kind) {
      case 'sysctl':
        sysctl.add(s.key);
        needs.push('sysctl');
        if (s.key.startsWith('net.ipv6.') || s.key.startsWith('net/ipv6/')) needs.push('ipv6');
        break;
      case 'limits':
        wantProcs = true;
        needs.push('processes');
        if (s.spec.process) procs.names.add(s.spec.process);
        if (s.spec.pid !== undefined) procs.pids.add(s.spec.pid);
        if (s.spec.unit) procs.units.add(s.spec.unit);
        if (s.spec.pidfile) procs.pidfiles.add(s.spec.pidfile);
        if (s.spec.port !== undefined || s.spec.listening) {
          procs.listeners = true;
          needs.push('sockets');
        }
        break;
      case 'listeners':
        if (s.spec.unprivileged) {
          sysctl.add('net.ipv4.ip_unprivileged_port_start');
          needs.push('sysctl');
        }
        needs.push('sockets');
        break;
      case 'listener':
        needs.push('sockets');
        break;
      case 'tcpStates':
        needs.push('sockets');
        // TIME_WAIT against the ephemeral range needs the range.
        if (typeof c.expect === 'object' && c.expect !== null && 'TIME_WAIT_RATIO' in c.expect) {
          sysctl.add(EPHEMERAL_RANGE);
          needs.push('sysctl');
        }
        break;
      case 'netstat':
        needs.push('netstat');
        break;
      case 'interface':
        needs.push('interfaces');
        break;
      case 'route':
        needs.push('routes');
        // An IPv6 route check does not apply on a host without IPv6.
        if (s.dest === 'default6' || s.dest.includes(':')) needs.push('ipv6');
        break;
      case 'firewall':
        needs.push('firewall');
        if (s.spec.family !== 'ip') needs.push('ipv6');
        break;
      case 'tcp':
      case 'dns':
      case 'http':
      case 'tls': {
        const t = probeTarget(s, c.timeout ?? defaultTimeoutMs);
        const seen = probes.get(t.key) ?? t;
        probes.set(t.key, seen);
        seen.timeoutMs = Math.max(seen.timeoutMs, t.timeoutMs);
        if (seen.kind === 'tcp' && t.kind === 'tcp') seen.samples = Math.max(seen.samples, t.samples);
        if (seen.kind === 'tcp' || seen.kind === 'http') seen.timed ||= judgesTime(s, c.expect);
        // One request chain serves every check of the URL: its first response stays as it was.
        if (seen.kind === 'http' && s.kind === 'http') seen.followForHsts ||= followsForHsts(s.spec.url, c.expect);
        if (seen.kind === 'tls') {
          // Checks of one endpoint share one probe, asked for the union of what they judge.
          const w = tlsWants(c.expect);
          for (const k of Object.keys(w) as (keyof TlsWants)[]) seen.wants[k] ||= w[k];
        }
        break;
      }
      case 'tlsListeners': {
        needs.push('sockets', 'tlsListeners');
        const t = (p.tlsListeners ??= { ports: [], wants: { versions: false, legacy: false, suites: false, handshake: true }, timeoutMs: 0 });
        t.ports = [...new Set([...t.ports, ...(s.spec.ports ?? TLS_PORTS)])].sort((a, b) => a - b);
        const w = tlsWants(c.expect);
        for (const k of Object.keys(w) as (keyof TlsWants)[]) t.wants[k] ||= w[k];
        t.timeoutMs = Math.max(t.timeoutMs, c.timeout ?? defaultTimeoutMs);
        break;
      }
      case 'certificate': {
        const want: CertificateFileTarget = { path: s.spec.path, ...(s.spec.key !== undefined ? { key: s.spec.key } : {}) };
        certificates.set(`${want.path}\0${want.key ?? ''}`, want);
        needs.push('certificates');
        break;
      }
    }
    const timeout = c.timeout ?? defaultTimeoutMs;
    for (const f of needs) {
      if (f !== 'sysctl' && f !== 'processes' && f !== 'certificates' && f !== 'tlsListeners') p[f] = true;
      p.timeouts[f] = Math.max(p.timeouts[f] ?? 0, timeout);
    }
  }
  // A listener's probe runs rounds of connections (a handshake, then the version hellos), a few at a time.
  if (p.tlsListeners) p.timeouts.tlsListeners = p.tlsListeners.timeoutMs * 8;
  p.sysctl = [...sysctl].sort();
  p.certificates = [...certificates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w);
  p.probes = [...probes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (wantProcs) {
    p.processes = {
      names: [...procs.names].sort(),
      pids: [...procs.pids].sort((a, b) => a - b),
      units: [...procs.units].sort(),
      pidfiles: [...procs.pidfiles].sort(),
      listeners: procs.listeners,
    };
  }
  return p;
}
