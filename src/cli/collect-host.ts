// Collecting a host's facts for a command: the plan of the policy's checks, the transport (this machine unless told), and the
// progress line when the command's output is meant for a person.
import { plan } from '../plan/plan.js';
import { collect } from '../facts/collect.js';
import type { CollectOptions } from '../facts/collect.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { ResolvedPolicy } from '../policy/model.js';
import { LocalTransport } from '../transport/local.js';
import type { Transport } from '../transport/types.js';
import { startProgress } from './progress.js';

export async function collectHost(
  policy: ResolvedPolicy,
  opts: CollectOptions,
  withProgress: boolean,
  transport: Transport = new LocalTransport(),
): Promise<FactsSnapshot> {
  const progress = withProgress ? startProgress() : undefined;
  try {
    return await collect(plan(policy.checks, policy.defaults.timeout), transport, {
      ...opts,
      ...(progress ? { onProbeProgress: progress.update } : {}),
    });
  } finally {
    // Erased also when collecting throws: the error message must start on a clean line.
    progress?.stop();
  }
}
