import { hostVarsOf, type TargetHost, unreachedText } from '../../fleet/hosts.js';
import { resolvePolicy } from '../../policy/resolve.js';
import { PolicyError, type PolicyIssue, type ResolvedPolicy } from '../../policy/model.js';
import { EXIT, UsageError } from '../errors.js';
import { builtinDir, version } from '../paths.js';
import { sanitize } from '../../report/sanitize.js';
import { parseCommandLine, policyFiles } from '../options.js';
import { writeErr, writeOut } from '../stdio.js';
import type { WaiverRule } from '../../policy/waivers-file.js';
import { daysUntil, needsAttention, waiverOnPolicy } from '../../evaluate/waivers.js';
import { waiverUseMessage } from '../../report/waivers.js';

export const USAGE = `Usage: plumbline validate [--format pretty|json|sarif] [--waivers FILE] [--inventory FILE [--limit PATTERN]] [--target ssh://HOST]... FILE...

Check policy files (and everything they extend) without touching the host.
Prints file:line:col: message for every problem; exit 0 when all are valid, 2 otherwise. Waivers expired or
expiring within 14 days are warnings: said, and the file still valid.

      --format json     { "problems": [{ "file", "line", "column", "message", "level" }] } on standard output
      --format sarif    SARIF 2.1.0, each problem a result at its line (code scanning, editors)
      --waivers FILE    also check a waivers file (kind: Waivers); a waiver that names no check of a policy,
                        or that expired or expires within 14 days, is a warning at its line

A policy that names a fleet host's own vars (\${host.name}, \${host.vars.X}) is checked once per host of
--inventory and --target, with that host's vars, as a fleet audit would resolve it; nothing is connected to.
`;

/**
 * Waivers that no longer hold, or soon will not: the policy is valid, and its audit will judge those checks
 * again, which whoever validates it should hear before the audit fails on them.
 */
function waiverWarnings(policy: ResolvedPolicy, now: Date): Problem[] {
  const out: Problem[] = [];
  for (const c of policy.checks) {
    const w = c.waiver;
    if (!w?.expires) continue;
    const days = daysUntil(w.expires, now);
    const at = { file: w.source.file, line: w.source.line, column: w.source.column, level: 'warning' as const };
    if (days < 0)
      out.push({ ...at, message: `the waiver of ${c.id} expired on ${w.expires} (${-days} day${days === -1 ? '' : 's'} ago); its check is judged again` });
    else if (days <= 14) out.push({ ...at, message: `the waiver of ${c.id} expires on ${w.expires} (in ${days} day${days === 1 ? '' : 's'})` });
  }
  return out;
}

/** The waivers of a --waivers file; its problems are errors, as a policy's are. */
async function waiversOf(file: string, problems: Problem[]): Promise<WaiverRule[]> {
  const { readWaiversFile } = await import('../../policy/waivers-file.js');
  try {
    return readWaiversFile(file);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    problems.push(...err.issues.map((i) => ({ file: i.file, line: i.line, column: i.column, message: i.message, level: 'error' as const })));
    return [];
  }
}

/** A problem of a policy file, at its place: an error makes the file invalid, a warning does not. */
interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  level: 'error' | 'warning';
}

/** The hosts a problem came from, said after it (none: the policy's own, or it names no host var). */
function withHosts(message: string, hosts: string[]): string {
  if (hosts.length === 0) return message;
  const shown = hosts.slice(0, 3).join(', ');
  return `${message} (host${hosts.length === 1 ? '' : 's'} ${shown}${hosts.length > 3 ? ` +${hosts.length - 3}` : ''})`;
}

const line = (p: Problem): string => `${p.file}:${p.line}:${p.column}: ${p.level === 'warning' ? 'warning: ' : ''}${p.message}`;

/** SARIF 2.1.0: each problem a result at its line, for code scanning and editors. */
function sarif(problems: Problem[], version: string): string {
  return `${JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'plumbline',
              version,
              informationUri: 'https://github.com/plumbline/plumbline',
              rules: [{ id: 'policy-problem', shortDescription: { text: 'A problem in a plumbline policy file' } }],
            },
          },
          results: problems.map((p) => ({
            ruleId: 'policy-problem',
            level: p.level,
            // A message may quote what the file holds: no control or reordering characters reach a viewer.
            message: { text: sanitize(p.message) },
            locations: [{ physicalLocation: { artifactLocation: { uri: p.file }, region: { startLine: p.line, startColumn: p.column } } }],
          })),
        },
      ],
    },
    null,
    2,
  )}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        format: { type: 'string' },
        target: { type: 'string', multiple: true },
        inventory: { type: 'string' },
        limit: { type: 'string' },
        waivers: { type: 'string' },
      },
    },
    'validate',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one policy file');
  const format = values.format ?? 'pretty';
  if (!['pretty', 'json', 'sarif'].includes(format)) throw new UsageError(`validate --format takes pretty, json or sarif, got "${format}"`);
  const fleet = values.target !== undefined || values.inventory !== undefined;
  // The hosts an audit would judge: one whose vars give no way there (a winrm host, no address) is not audited,
  // so its vars resolve nothing.
  const selected: TargetHost[] = fleet ? await (await import('../fleet-options.js')).fleetHosts(values) : [];
  const hosts = selected.filter((h) => h.target || h.local);
  if (selected.length > 0 && hosts.length === 0)
    throw new UsageError(`no host of the fleet would be audited, so no host's vars resolve the policy: ${unreachedText(selected)}`);
  if (!fleet && values.limit !== undefined) throw new UsageError('--limit selects hosts of an --inventory; there is none');
  // Each file on its own: one broken file must not hide the problems of the next.
  const problems: Problem[] = [];
  const rules = values.waivers !== undefined ? await waiversOf(values.waivers, problems) : [];
  for (const file of positionals) {
    // Each distinct problem once, with the hosts whose vars gave it.
    const found = new Map<string, { issue: PolicyIssue; hosts: string[] }>();
    let policy: ResolvedPolicy | undefined;
    for (const h of hosts.length ? hosts : [undefined]) {
      try {
        // A fleet host's probes leave from the auditor: no layers of the host itself under them, but on a `local`
        // host, the auditor itself (as the audit has it).
        policy = await resolvePolicy(policyFiles([file]), {
          builtinDir: builtinDir(),
          ...(h ? { hostVars: hostVarsOf(h), lowerLayers: h.local !== undefined } : {}),
        });
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        for (const issue of err.issues) {
          const k = `${issue.file}:${issue.line}:${issue.column}:${issue.message}`;
          const seen = found.get(k) ?? { issue, hosts: [] };
          if (h) seen.hosts.push(h.name);
          found.set(k, seen);
        }
      }
    }
    if (found.size) {
      // A problem every host has is the file's own: said without the list of hosts.
      for (const { issue, hosts: from } of found.values()) {
        const message = withHosts(issue.message, from.length === hosts.length ? [] : from);
        problems.push({ file: issue.file, line: issue.line, column: issue.column, message, level: 'error' });
      }
      continue;
    }
    if (!policy) continue;
    const implied = policy.checks.filter((c) => c.impliedBy !== undefined).length;
    const own = policy.checks.length - implied;
    const sources = `${policy.sources.length} source${policy.sources.length === 1 ? '' : 's'}`;
    const kinds = [...new Set(policy.checks.filter((c) => c.impliedBy !== undefined).map((c) => c.selector.kind.toUpperCase()))].join(', ');
    const impliedText = implied ? `, and ${implied} implied lower check${implied === 1 ? '' : 's'} (${kinds})` : '';
    const perHost = hosts.length ? `, with the vars of each of ${hosts.length} host${hosts.length === 1 ? '' : 's'}` : '';
    if (format === 'pretty') writeOut(`${file}: ok (${own} check${own === 1 ? '' : 's'} from ${sources}${impliedText}${perHost})\n`);
    problems.push(...waiverWarnings(policy, new Date()));
    for (const rule of rules) {
      const use = waiverOnPolicy(rule, policy, new Date());
      if (needsAttention(use))
        problems.push({ ...rule.source, message: `${waiverUseMessage(use)}${positionals.length > 1 ? ` (policy ${file})` : ''}`, level: 'warning' });
    }
  }
  const invalid = problems.some((p) => p.level === 'error');
  if (format === 'json') writeOut(`${JSON.stringify({ problems }, null, 2)}\n`);
  else if (format === 'sarif') writeOut(sarif(problems, version()));
  else if (problems.length) writeErr(`${problems.map(line).join('\n')}\n`);
  return invalid ? EXIT.usage : EXIT.ready;
}
