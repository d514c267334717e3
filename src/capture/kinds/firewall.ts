// The firewall's default verdicts as the host enforces them now (what a packet no rule matches meets), for
// inbound, forwarded and outbound traffic.
import { isFamilyError } from '../../facts/model.js';
import { effectivePolicy } from '../../facts/readings/firewall.js';
import { ipv6Off } from '../../facts/readings/ipv6.js';
import type { CapturedCheck, Capturer, CaptureContext } from '../model.js';

function capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] } {
  const fw = ctx.facts.firewall;
  if (!fw || isFamilyError(fw)) return { checks: [], leftOut: [`the firewall could not be read (${fw ? fw.error : 'not collected'})`] };
  // As the evaluator judges inet: on IPv4 alone when the host has no IPv6.
  const family = ipv6Off(ctx.facts) ? 'ip' : 'inet';
  const checks = (['input', 'forward', 'output'] as const).map((chain): CapturedCheck => {
    const eff = effectivePolicy(fw, chain, family);
    const base = ctx.baseline.checks.find((c) => c.selector.kind === 'firewall' && c.selector.spec.chain === chain);
    // The baseline's title only where this host does what it says.
    const meets = base !== undefined && ctx.results.get(base.id)?.status === 'pass';
    // Today's verdict, or a stricter one: a host that denies what this one accepts must not fail.
    const policy = eff.verdict === 'accept' ? ['accept', 'drop', 'reject'] : ['drop', 'reject'];
    return {
      id: base?.id ?? `firewall.${chain}`,
      title: meets ? base.title : `The ${chain} chain's default verdict is ${eff.verdict} or stricter, as on the captured host`,
      severity: base?.severity ?? 'medium',
      selector: ['firewall', { chain, family: 'inet' }],
      expect: { policy },
      ...(base?.remediation !== undefined ? { remediation: base.remediation } : {}),
      comment: `today: ${eff.verdict} (${eff.reason})${fw.managers.length ? `, managed by ${fw.managers.join(', ')}` : ''}`,
      tags: ['firewall'],
    };
  });
  return { checks, leftOut: [] };
}

export const firewallCapturer: Capturer = { section: 'firewall default verdicts', capture };
