// What a kind's planner (kinds/) adds to the plan for one check: the families it needs, under the check's
// timeout, and their parameters. plan.ts makes one builder per plan and hands it each check in turn.
import { TLS_PORTS } from '../lib/targets.js';
import type { CertificateFileTarget, FactFamily, PingTarget, Plan, ProbeTarget, TlsWants } from './model.js';
import { addWants } from './tls-wants.js';
import { pingBoundMs, tracepathBoundMs } from './pings.js';

// Families whose plan entry is their parameters, set at the end, rather than a flag.
type WithParameters = 'sysctl' | 'processes' | 'certificates' | 'tlsListeners' | 'icmp';
const WITH_PARAMETERS = new Set<FactFamily>(['sysctl', 'processes', 'certificates', 'tlsListeners', 'icmp'] satisfies WithParameters[]);
const isFlag = (f: FactFamily): f is Exclude<FactFamily, WithParameters> => !WITH_PARAMETERS.has(f);

export class PlanBuilder {
  private readonly sysctls = new Set<string>();
  private readonly certificates = new Map<string, CertificateFileTarget>();
  private readonly probes = new Map<string, ProbeTarget>();
  private readonly pings = new Map<string, PingTarget>();
  private readonly tracepaths = new Set<string>();
  private readonly procs = { names: new Set<string>(), pids: new Set<number>(), units: new Set<string>(), pidfiles: new Set<string>(), listeners: false };
  private wantProcs = false;
  /** The timeout of the check being planned: its own, else the policy's default. */
  timeoutMs = 0;

  constructor(private readonly p: Plan) {}

  /** The check needs this family, collected within its timeout. */
  need(...families: FactFamily[]): void {
    for (const f of families) {
      if (isFlag(f)) this.p[f] = true;
      this.p.timeouts[f] = Math.max(this.p.timeouts[f] ?? 0, this.timeoutMs);
    }
  }

  sysctl(key: string): void {
    this.sysctls.add(key);
    this.need('sysctl');
  }

  /** Processes by name, pid, unit or pidfile, or (listeners) those that own a listening socket. */
  processes(sel: { process?: string; pid?: number; unit?: string; pidfile?: string; listeners?: boolean }): void {
    this.wantProcs = true;
    this.need('processes');
    if (sel.process) this.procs.names.add(sel.process);
    if (sel.pid !== undefined) this.procs.pids.add(sel.pid);
    if (sel.unit) this.procs.units.add(sel.unit);
    if (sel.pidfile) this.procs.pidfiles.add(sel.pidfile);
    if (sel.listeners) {
      this.procs.listeners = true;
      this.need('sockets');
    }
  }

  certificate(want: CertificateFileTarget): void {
    this.certificates.set(`${want.path}\0${want.key ?? ''}`, want);
    this.need('certificates');
  }

  /**
   * A ping from the audited host (each key once) and, for a path MTU, a tracepath to its host. The family's
   * timeout is at least the longest program's own bound, so a policy's short timeout never cuts a ping short.
   */
  icmp(ping: PingTarget, tracepath?: boolean): void {
    this.pings.set(ping.key, ping);
    if (tracepath) this.tracepaths.add(ping.host.toLowerCase());
    this.need('icmp');
    this.p.timeouts.icmp = Math.max(this.p.timeouts.icmp ?? 0, pingBoundMs(ping), tracepath ? tracepathBoundMs() : 0);
  }

  /**
   * One probe per endpoint (its key): the first check's target, under the longest timeout of the checks that
   * share it; `merge` adds what this check asks beyond the first (more samples, timing, HSTS, TLS wants).
   */
  probe<T extends ProbeTarget>(t: T, merge: (seen: T) => void): void {
    // A key starts with its probe kind, so the target already under it is of the same kind as t.
    const seen = (this.probes.get(t.key) ?? t) as T;
    this.probes.set(t.key, seen);
    seen.timeoutMs = Math.max(seen.timeoutMs, t.timeoutMs);
    merge(seen);
  }

  /** The host's own TCP listeners on these ports, probed as TLS for what the check judges. */
  tlsListeners(ports: readonly number[] | undefined, wants: TlsWants): void {
    this.need('sockets', 'tlsListeners');
    const t = (this.p.tlsListeners ??= { ports: [], wants: { versions: false, legacy: false, suites: false, handshake: true }, timeoutMs: 0 });
    t.ports = [...new Set([...t.ports, ...(ports ?? TLS_PORTS)])].sort((a, b) => a - b);
    addWants(t.wants, wants);
    t.timeoutMs = Math.max(t.timeoutMs, this.timeoutMs);
  }

  /** The plan, once every check is planned: parameters sorted, so equal policies make equal plans. */
  finish(): Plan {
    const p = this.p;
    // A listener's probe runs rounds of connections (a handshake, then the version hellos), a few at a time.
    if (p.tlsListeners) p.timeouts.tlsListeners = p.tlsListeners.timeoutMs * 8;
    p.sysctl = [...this.sysctls].sort();
    p.certificates = [...this.certificates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w);
    p.probes = [...this.probes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (this.pings.size > 0) {
      p.icmp = {
        pings: [...this.pings.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
        tracepaths: [...this.tracepaths].sort(),
      };
    }
    if (this.wantProcs) {
      p.processes = {
        names: [...this.procs.names].sort(),
        pids: [...this.procs.pids].sort((a, b) => a - b),
        units: [...this.procs.units].sort(),
        pidfiles: [...this.procs.pidfiles].sort(),
        listeners: this.procs.listeners,
      };
    }
    return p;
  }
}
