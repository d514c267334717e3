// Work that can begin before a command's code has loaded. For the default run (a built-in policy, live
// facts) the plan is known from the precompiled policy, so the one program that collection runs — nft —
// starts now and runs while modules load. Only read-only commands, and only ones the plan will ask for.
import { loadPrecompiled } from '../policy/precompiled.js';
import type { ResolvedPolicy } from '../policy/model.js';
import { plan } from '../plan/plan.js';
import { NFT_LIST } from '../facts/firewall.js';
import { startExecEarly } from '../transport/local.js';
import { builtinDir, precompiledFile } from './paths.js';

let cached: { name: string; policy: ResolvedPolicy | undefined } | undefined;

/** The precompiled built-in NAME, read once per process (the early start and the command share it). */
export function precompiledPolicy(name: string): ResolvedPolicy | undefined {
  if (cached?.name !== name) cached = { name, policy: loadPrecompiled(precompiledFile(), builtinDir(), name) };
  return cached.policy;
}

/** The built-in a command line will use, if it uses exactly one and collects live facts. */
function builtinOf(argv: string[]): string | undefined {
  const policies: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--facts' || a.startsWith('--facts=') || a === '-h' || a === '--help') return undefined;
    if (a === '-p' || a === '--policy') policies.push(argv[++i] ?? '');
    else if (a.startsWith('--policy=')) policies.push(a.slice('--policy='.length));
    else if (a.startsWith('-p') && a.length > 2) policies.push(a.slice(2));
  }
  if (policies.length === 0) return 'baseline';
  return policies.length === 1 && policies[0]!.startsWith('builtin:') ? policies[0]!.slice('builtin:'.length) : undefined;
}

export function startEarly(command: string, argv: string[]): void {
  if (command !== 'audit' && command !== 'facts') return;
  const name = builtinOf(argv);
  const policy = name === undefined ? undefined : precompiledPolicy(name);
  if (policy && plan(policy.checks, policy.defaults.timeout).firewall) startExecEarly(...NFT_LIST);
}
