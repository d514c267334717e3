// An inventory's hosts as fleet hosts: `--limit` applied, each with its SSH target from its vars (or marked as
// this machine, `ansible_connection=local`) or, where the vars give none that ssh could be handed, the reason
// (that host's `unreachable` fault, the rest audited).
import type { TargetHost } from '../fleet/hosts.js';
import type { HostFault } from '../lib/host-fault.js';
import { selectHosts, unmatchedPatterns } from '../inventory/limit.js';
import { InventoryError } from '../inventory/model.js';
import { loadInventory } from '../inventory/load.js';
import { sshTargetOf, type SshTargetProblem } from '../inventory/ssh-target.js';

function refusal(p: SshTargetProblem): HostFault {
  if ('missing' in p) return { class: 'unreachable', detail: 'the inventory gives this host no address' };
  const why = {
    template: 'is a Jinja template, which plumbline does not evaluate',
    'not-a-port': 'is not a TCP port',
    'not-text': 'is not text',
    dash: 'starts with "-", which ssh would read as an option',
    unsplittable: 'cannot be split into words (an unclosed quote)',
    connection: 'is a connection plumbline does not make: it reaches hosts over ssh, and audits this machine for "local"',
    'become-method': 'is not sudo, through which plumbline becomes root (sudo -n)',
  }[p.reason];
  return { class: p.reason === 'become-method' ? 'sudo' : 'unreachable', detail: `${p.invalid} = ${JSON.stringify(p.value)} ${why}` };
}

export async function inventoryHosts(file: string, limit: string | undefined): Promise<TargetHost[]> {
  const inv = await loadInventory(file);
  if (limit !== undefined) {
    const unmatched = unmatchedPatterns(inv, limit);
    if (unmatched.length > 0) {
      const names = unmatched.map((p) => `"${p}"`).join(', ');
      throw new InventoryError(
        { file: '--limit' },
        `${names} ${unmatched.length === 1 ? 'names' : 'name'} no host or group of ${file}: a typo would leave hosts out of the audit unseen`,
      );
    }
  }
  const chosen = limit === undefined ? inv.hosts : selectHosts(inv, limit);
  return chosen.map((h) => {
    const t = sshTargetOf(h);
    const base = { name: h.name, groups: h.groups, vars: h.vars };
    if ('local' in t) {
      const { local: _, ...local } = t;
      return { ...base, local };
    }
    if (!('host' in t)) return { ...base, refused: refusal(t) };
    return {
      ...base,
      target: {
        host: t.host,
        ...(t.port !== undefined ? { port: t.port } : {}),
        ...(t.user !== undefined ? { user: t.user } : {}),
        ...(t.identityFile !== undefined ? { identityFile: t.identityFile } : {}),
        commonArgs: [...t.commonArgs, ...t.extraArgs],
        become: t.become,
        ...(t.becomeUser !== undefined ? { becomeUser: t.becomeUser } : {}),
      },
    };
  });
}
