// Which facts the checks need: each family once, with the union of parameters, so that a thousand
// sysctl checks still mean one read per key and one pass over /proc/net.
import type { Check } from '../policy/model.js';

export interface Plan {
  sysctl: string[];
  sockets: boolean;
  processes: null | { names: string[]; pids: number[]; units: string[]; pidfiles: string[]; listeners: boolean };
  netstat: boolean;
  interfaces: boolean;
  routes: boolean;
  firewall: boolean;
}

export function plan(checks: Check[]): Plan {
  const sysctl = new Set<string>();
  const p: Plan = { sysctl: [], sockets: false, processes: null, netstat: false, interfaces: false, routes: false, firewall: false };
  const procs = { names: new Set<string>(), pids: new Set<number>(), units: new Set<string>(), pidfiles: new Set<string>(), listeners: false };
  let wantProcs = false;
  for (const c of checks) {
    const s = c.selector;
    switch (s.kind) {
      case 'sysctl':
        sysctl.add(s.key);
        break;
      case 'limits':
        wantProcs = true;
        if (s.spec.process) procs.names.add(s.spec.process);
        if (s.spec.pid !== undefined) procs.pids.add(s.spec.pid);
        if (s.spec.unit) procs.units.add(s.spec.unit);
        if (s.spec.pidfile) procs.pidfiles.add(s.spec.pidfile);
        if (s.spec.port !== undefined || s.spec.listening) {
          procs.listeners = true;
          p.sockets = true;
        }
        break;
      case 'listeners':
        if (s.spec.unprivileged) sysctl.add('net.ipv4.ip_unprivileged_port_start');
        p.sockets = true;
        break;
      case 'listener':
      case 'tcpStates':
        p.sockets = true;
        break;
      case 'netstat':
        p.netstat = true;
        break;
      case 'interface':
        p.interfaces = true;
        break;
      case 'route':
        p.routes = true;
        break;
      case 'firewall':
        p.firewall = true;
        break;
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
