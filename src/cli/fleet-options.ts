// The options of a fleet audit: which hosts (`--target`, `--inventory`, `--limit`), how to reach them (ssh's
// configuration, host keys, sudo) and how long each may take.
import { existsSync, readFileSync } from 'node:fs';
import type { TargetHost } from '../fleet/hosts.js';
import { hostVarsOf, parseSshUrl } from '../fleet/hosts.js';
import { defaultParallel } from '../fleet/run.js';
import { unsafeTarget } from '../transport/ssh/ssh.js';
import type { ResolvedPolicy, Scalar } from '../policy/model.js';
import { UsageError } from './errors.js';
import { builtinDir } from './paths.js';
import { durationOption, loadPolicies, policyFiles } from './options.js';

export const FLEET_OPTIONS = {
  target: { type: 'string', multiple: true },
  inventory: { type: 'string' },
  limit: { type: 'string' },
  'hosts-parallel': { type: 'string' },
  'host-deadline': { type: 'string' },
  'ssh-config': { type: 'string' },
  'accept-new-host-keys': { type: 'boolean' },
  become: { type: 'boolean' },
  'become-user': { type: 'string' },
} as const;

export const FLEET_USAGE = `Fleet (audit other hosts over SSH, with the system's ssh client and its configuration; an inventory's
ansible_connection=local host is this machine):
      --target ssh://[user@]host[:port]
                           a host to audit (repeatable)
      --inventory FILE     every host of an Ansible inventory (INI or YAML; directories, scripts and
                           plugin configurations through ansible-inventory)
      --limit PATTERN      only these hosts or groups (Ansible's patterns: web*,db:!db3,&prod)
      --hosts-parallel N   hosts audited at once (default ${defaultParallel()}: 16 per core of this machine, at most 64)
      --host-deadline DURATION
                           how long one host may take (default 60s); the run's --deadline bounds them all
      --ssh-config FILE    ssh -F FILE instead of ~/.ssh/config
      --accept-new-host-keys
                           trust the key of a host never seen before (StrictHostKeyChecking=accept-new);
                           a changed key is always refused
      --become             read as root through sudo -n (a missing NOPASSWD rule is that host's error; an
                           ansible_connection=local host, this machine, is read as plumbline's own user,
                           never through sudo, so it is not audited unless that user is root)
      --become-user USER   sudo -n -u USER instead of root
`;

export type FleetValues = {
  [K in keyof typeof FLEET_OPTIONS]?: (typeof FLEET_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof FLEET_OPTIONS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

/** Whether the options name hosts to audit over SSH; fleet options without them are a mistake, said at once. */
export function isFleet(v: FleetValues): boolean {
  const fleet = (v.target?.length ?? 0) > 0 || v.inventory !== undefined;
  if (!fleet) {
    const stray = (Object.keys(FLEET_OPTIONS) as Array<keyof FleetValues>).filter((k) => v[k] !== undefined);
    if (stray.length)
      throw new UsageError(
        `${stray.map((k) => `--${k}`).join(', ')} ${stray.length === 1 ? 'goes' : 'go'} with --target or --inventory (hosts to audit over SSH); without them plumbline audits this machine`,
      );
  }
  if (v['become-user'] !== undefined && !v.become) throw new UsageError('--become-user says whom --become reads as; give --become too');
  if (v['ssh-config'] !== undefined && !existsSync(v['ssh-config'])) throw new UsageError(`--ssh-config ${v['ssh-config']}: no such file`);
  return fleet;
}

export function parseFleetOptions(v: FleetValues): { parallel: number; hostDeadlineMs: number } {
  let parallel = defaultParallel();
  if (v['hosts-parallel'] !== undefined) {
    const n = /^\s*\d+\s*$/.test(v['hosts-parallel']) ? Number(v['hosts-parallel']) : NaN;
    if (!(n >= 1 && n <= 1024)) throw new UsageError(`--hosts-parallel takes a whole number from 1 to 1024, got "${v['hosts-parallel']}"`);
    parallel = n;
  }
  return { parallel, hostDeadlineMs: v['host-deadline'] === undefined ? 60_000 : durationOption('--host-deadline', v['host-deadline']) };
}

/** The hosts named on the command line and by the inventory, `--limit` applied, with --become over each. */
export async function fleetHosts(v: FleetValues): Promise<TargetHost[]> {
  const hosts: TargetHost[] = [];
  for (const t of v.target ?? []) {
    const h = parseSshUrl(t);
    if ('problem' in h) throw new UsageError(h.problem);
    hosts.push(h);
  }
  if (v.inventory !== undefined) {
    const { inventoryHosts } = await import('./inventory-hosts.js');
    hosts.push(...(await inventoryHosts(v.inventory, v.limit)));
  } else if (v.limit !== undefined) throw new UsageError('--limit selects hosts of an --inventory; there is none');
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.name)) throw new UsageError(`the host ${h.name} is named twice (by --target or the inventory); a fleet audits each host once`);
    seen.add(h.name);
  }
  if (hosts.length === 0) throw new UsageError(v.limit !== undefined ? `--limit ${v.limit} matches no host of ${v.inventory}` : 'the inventory has no hosts');
  const becomeUser = v['become-user'];
  if (becomeUser !== undefined) {
    const unsafe = unsafeTarget({ host: 'localhost', becomeUser });
    if (unsafe) throw new UsageError(`--become-user: ${unsafe}`);
  }
  if (v.become || becomeUser !== undefined) {
    const as = v['become-user'] !== undefined ? { becomeUser: v['become-user'] } : {};
    for (const h of hosts) {
      if (h.target) h.target = { ...h.target, become: true, ...as };
      if (h.local) h.local = { ...h.local, become: true, ...as };
    }
  }
  return hosts;
}

/**
 * The policy for each host: resolved once for the fleet, unless a policy file names the host's own vars
 * (`${host.name}`, `${host.vars.X}`); then once per host, with them. A fleet's probes leave from the auditing
 * machine, so the layers under them (route, neighbour, ICMP) are the host's own only on a `local` host, the
 * auditing machine itself: the fleet's policy is resolved once for each of the two.
 */
export function policiesFor(
  given: string[] | undefined,
  vars: Record<string, Scalar> | undefined,
  varOrigin?: Record<string, string>,
): (h: TargetHost) => Promise<ResolvedPolicy> {
  const resolveFor = async (h: TargetHost | { local: boolean }, readFile?: (abs: string) => string): Promise<ResolvedPolicy> => {
    const { resolvePolicy } = await import('../policy/resolve.js');
    return resolvePolicy(policyFiles(given), {
      builtinDir: builtinDir(),
      ...('name' in h ? { hostVars: hostVarsOf(h) } : {}),
      lowerLayers: 'name' in h ? h.local !== undefined : h.local,
      ...(readFile ? { readFile } : {}),
      ...(vars ? { vars } : {}),
      ...(varOrigin ? { varOrigin } : {}),
    });
  };
  const shared = new Map<boolean, Promise<ResolvedPolicy>>();
  const sharedFor = (h: TargetHost): Promise<ResolvedPolicy> => {
    const local = h.local !== undefined;
    let policy = shared.get(local);
    if (!policy) shared.set(local, (policy = resolveFor({ local })));
    return policy;
  };
  // The built-in policies name no host var: they come precompiled, without the YAML reader or the validator, the
  // same for every host, unless their probes (a TLS policy's, toward --var tlsHost) imply the layers under them.
  if (policyFiles(given).every((f) => f.startsWith('builtin:'))) {
    const builtin = loadPolicies(given, vars, varOrigin);
    return async (h) => ((await builtin).checks.some((c) => c.impliedBy !== undefined) ? sharedFor(h) : builtin);
  }
  let namesHost: Promise<boolean> | undefined;
  return async (h) => {
    // The first resolution notes whether any file it reads names a host var.
    namesHost ??= (async () => {
      let names = false;
      try {
        const first = resolveFor(h, (abs) => {
          const text = readFileSync(abs, 'utf8');
          if (text.includes('${host.')) names = true;
          return text;
        });
        await first;
        // Naming no host var, it is the fleet's policy for hosts of this one's kind: not resolved a second time.
        if (!names) shared.set(h.local !== undefined, first);
      } catch (err) {
        // Another host's vars may well resolve it: each host is then resolved (and refused) on its own.
        if (!names) throw err;
      }
      return names;
    })();
    return (await namesHost) ? resolveFor(h) : sharedFor(h);
  };
}
