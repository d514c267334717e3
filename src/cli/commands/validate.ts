import { hostVarsOf, type TargetHost } from '../../fleet/hosts.js';
import { resolvePolicy } from '../../policy/resolve.js';
import { PolicyError, type ResolvedPolicy } from '../../policy/model.js';
import { EXIT, UsageError } from '../errors.js';
import { builtinDir } from '../paths.js';
import { parseCommandLine, policyFiles } from '../options.js';
import { writeErr, writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline validate [--inventory FILE [--limit PATTERN]] [--target ssh://HOST]... FILE...

Check policy files (and everything they extend) without touching the host.
Prints file:line:col: message for every problem; exit 0 when all are valid, 2 otherwise.

A policy that names a fleet host's own vars (\${host.name}, \${host.vars.X}) is checked once per host of
--inventory and --target, with that host's vars, as a fleet audit would resolve it; nothing is connected to.
`;

const DAY_MS = 86_400_000;

/**
 * Waivers that no longer hold, or soon will not: the policy is valid, and its audit will judge those checks
 * again, which whoever validates it should hear before the audit fails on them.
 */
function waiverWarnings(policy: ResolvedPolicy, now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  const out: string[] = [];
  for (const c of policy.checks) {
    const w = c.waiver;
    if (!w?.expires) continue;
    const days = Math.round((Date.parse(`${w.expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    const at = `${w.source.file}:${w.source.line}:${w.source.column}`;
    if (w.expires < today)
      out.push(`${at}: warning: the waiver of ${c.id} expired on ${w.expires} (${-days} day${days === -1 ? '' : 's'} ago); its check is judged again`);
    else if (days <= 14) out.push(`${at}: warning: the waiver of ${c.id} expires on ${w.expires} (in ${days} day${days === 1 ? '' : 's'})`);
  }
  return out;
}

/** A problem once, with the hosts it came from (none: the policy names no host var). */
function withHosts(problem: string, hosts: string[]): string {
  if (hosts.length === 0) return problem;
  const shown = hosts.slice(0, 3).join(', ');
  const which = ` (host${hosts.length === 1 ? '' : 's'} ${shown}${hosts.length > 3 ? ` +${hosts.length - 3}` : ''})`;
  return problem
    .split('\n')
    .map((line) => line + which)
    .join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, target: { type: 'string', multiple: true }, inventory: { type: 'string' }, limit: { type: 'string' } },
    },
    'validate',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one policy file');
  const fleet = values.target !== undefined || values.inventory !== undefined;
  const hosts: TargetHost[] = fleet ? await (await import('../fleet-options.js')).fleetHosts(values) : [];
  if (!fleet && values.limit !== undefined) throw new UsageError('--limit selects hosts of an --inventory; there is none');
  // Each file on its own: one broken file must not hide the problems of the next.
  const problems: string[] = [];
  for (const file of positionals) {
    // Each distinct problem once, with the hosts whose vars gave it.
    const found = new Map<string, string[]>();
    let policy: ResolvedPolicy | undefined;
    for (const h of hosts.length ? hosts : [undefined]) {
      try {
        policy = await resolvePolicy(policyFiles([file]), { builtinDir: builtinDir(), ...(h ? { hostVars: hostVarsOf(h) } : {}) });
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        const seen = found.get(err.message) ?? [];
        found.set(err.message, h ? [...seen, h.name] : seen);
      }
    }
    if (found.size) {
      // A problem every host has is the file's own: said without the list of hosts.
      for (const [problem, from] of found) problems.push(withHosts(problem, from.length === hosts.length ? [] : from));
      continue;
    }
    if (!policy) continue;
    const implied = policy.checks.filter((c) => c.impliedBy !== undefined).length;
    const own = policy.checks.length - implied;
    const sources = `${policy.sources.length} source${policy.sources.length === 1 ? '' : 's'}`;
    const kinds = [...new Set(policy.checks.filter((c) => c.impliedBy !== undefined).map((c) => c.selector.kind.toUpperCase()))].join(', ');
    const impliedText = implied ? `, and ${implied} implied lower check${implied === 1 ? '' : 's'} (${kinds})` : '';
    const perHost = hosts.length ? `, with the vars of each of ${hosts.length} host${hosts.length === 1 ? '' : 's'}` : '';
    writeOut(`${file}: ok (${own} check${own === 1 ? '' : 's'} from ${sources}${impliedText}${perHost})\n`);
    for (const w of waiverWarnings(policy, new Date())) writeErr(`${w}\n`);
  }
  if (problems.length) {
    writeErr(`${problems.join('\n')}\n`);
    return EXIT.usage;
  }
  return EXIT.ready;
}
