// The firewall's default verdicts as the host enforces them now (what a packet no rule matches meets), for
// inbound, forwarded and outbound traffic.
import { isFamilyError } from '../../facts/model.js';
import { effectivePolicy } from '../../facts/readings/firewall.js';
import { ipv6Off } from '../../facts/readings/ipv6.js';
import type { CapturedCheck, Capturer, CaptureContext } from '../model.js';

function capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] } {
  const fw = ctx.facts.firewall;
  if (!fw || isFamilyError(fw)) return { checks: [], leftOut: [`firewall: ${fw ? fw.error : 'not collected'}`] };
  // As the evaluator judges inet: on IPv4 alone when the host has no IPv6.
  const family = ipv6Off(ctx.facts) ? 'ip' : 'inet';
  const checks = (['input', 'forward', 'output'] as const).map((chain): CapturedCheck => {
    const eff = effectivePolicy(fw, chain, family);
    const base = ctx.baseline.checks.find((c) => c.selector.kind === 'firewall' && c.selector.spec.chain === chain);
    // The baseline's title only where this host does what it says.
    const meets = base !== undefined && ctx.results.get(base.id)?.status === 'pass';
    return {
      id: base?.id ?? `firewall.${chain}`,
      title: meets ? base.title : `${chain[0]!.toUpperCase()}${chain.slice(1)} traffic no rule matches is met with ${eff.verdict}, as today`,
      severity: base?.severity ?? 'medium',
      selector: ['firewall', { chain, family: 'inet' }],
      expect: { policy: eff.verdict },
      comment: `today: ${eff.verdict} (${eff.reason})${fw.managers.length ? `, managed by ${fw.managers.join(', ')}` : ''}`,
      tags: ['firewall'],
    };
  });
  return { checks, leftOut: [] };
}

export const firewallCapturer: Capturer = { section: 'firewall default verdicts', capture };
