// Which facts the checks need: each family once, with the union of parameters, so that a thousand
// sysctl checks still mean one read per key and one pass over /proc/net.
import type { Check } from '../policy/model.js';

/** The fact families a plan can ask for (the keys of the facts snapshot that collect fills). */
export type Family = 'sysctl' | 'sockets' | 'processes' | 'netstat' | 'interfaces' | 'routes' | 'firewall' | 'ipv6';

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
  timeouts: Partial<Record<Family, number>>;
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
  };
  const procs = { names: new Set<string>(), pids: new Set<number>(), units: new Set<string>(), pidfiles: new Set<string>(), listeners: false };
  let wantProcs = false;
  for (const c of checks) {
    const s = c.selector;
    const needs: Family[] = [];
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
    }
    const timeout = c.timeout ?? defaultTimeoutMs;
    for (const f of needs) {
      if (f !== 'sysctl' && f !== 'processes') p[f] = true;
      p.timeouts[f] = Math.max(p.timeouts[f] ?? 0, timeout);
    }
  }
  p.sysctl = [...sysctl].sort();
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
