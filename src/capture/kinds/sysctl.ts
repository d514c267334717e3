// The baseline's sysctls as this host has them: the baseline's threshold where the host meets it (so the policy
// keeps the bar), the host's value where it does not (so the policy holds this host as it is, and says so).
import type { Check, Matcher } from '../../policy/model.js';
import type { CapturedCheck, Capturer, CaptureContext } from '../model.js';

const NUMBER = /^-?\d+$/;

/** The host's value as the expectation that holds it, in the direction the baseline asked. */
function asFound(value: string, asked: Matcher): unknown {
  const parts = value.split(' ');
  const numbers = parts.every((p) => NUMBER.test(p)) ? parts.map(Number) : undefined;
  const one = numbers?.length === 1 ? numbers[0]! : undefined;
  const ops = asked !== null && typeof asked === 'object' && !Array.isArray(asked) ? asked : {};
  if (one !== undefined && ('gte' in ops || 'gt' in ops) && !('lte' in ops || 'lt' in ops)) return { gte: one };
  if (one !== undefined && ('lte' in ops || 'lt' in ops) && !('gte' in ops || 'gt' in ops)) return { lte: one };
  // Several values compare element-wise with a list.
  if (numbers && numbers.length > 1) return { eq: numbers };
  // The host's value, or any the baseline accepts: a host set better than this one must not fail.
  const good = 'in' in ops && Array.isArray(ops.in) ? ops.in : 'eq' in ops ? [ops.eq] : typeof asked !== 'object' || asked === null ? [asked] : [];
  const host = one ?? value;
  return { in: [host, ...good.filter((g) => String(g) !== String(host))] };
}

/** A title that says what the captured expectation holds. */
function titleOf(key: string, expect: unknown): string {
  const e = expect as Record<string, unknown>;
  if ('gte' in e) return `${key} is at least ${e.gte}, as on the captured host`;
  if ('lte' in e) return `${key} is at most ${e.lte}, as on the captured host`;
  if ('in' in e && Array.isArray(e.in)) return `${key} is ${e.in.join(' or ')}, as on the captured host or better`;
  return `${key} is ${JSON.stringify(e.eq ?? e)}, as on the captured host`;
}

function capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] } {
  const checks: CapturedCheck[] = [];
  const leftOut: string[] = [];
  for (const c of ctx.baseline.checks) {
    if (c.selector.kind !== 'sysctl') continue;
    const key = c.selector.key;
    const r = ctx.results.get(c.id);
    const fact = ctx.facts.sysctl?.[key];
    if (!r || !fact || !('value' in fact) || (r.status !== 'pass' && r.status !== 'fail')) {
      leftOut.push(
        `${c.id} (${key}): ${fact && 'missing' in fact ? 'the host has no such key' : r?.status === 'skip' ? 'does not apply here' : 'could not be read'}`,
      );
      continue;
    }
    const kept = r.status === 'pass';
    const expect = kept ? (c as Check & { expect: Matcher }).expect : asFound(fact.value, (c as Check & { expect: Matcher }).expect);
    checks.push({
      id: c.id,
      // The baseline's title says what its bar means; a value short of it means something else.
      title: kept ? c.title : titleOf(key, expect),
      severity: c.severity,
      selector: ['sysctl', key],
      expect,
      ...(c.remediation !== undefined ? { remediation: c.remediation } : {}),
      comment: kept ? `the baseline's bar, which this host meets (${fact.value})` : `this host's value: short of the baseline's bar for "${c.title}"`,
      tags: c.tags,
    });
  }
  return { checks, leftOut };
}

export const sysctlCapturer: Capturer = { section: 'kernel settings (sysctl)', capture };
