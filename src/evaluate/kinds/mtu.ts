// The `mtu` kind, judged: whether a full-size don't-fragment probe reaches the host, and the path MTU. Three
// verdicts, named in the result: it passes; a router (or this host's kernel) reports a smaller MTU; or a
// blackhole: the full-size probe vanishes without a word while a small one passes, so no MTU figure exists and a
// pathMtu expectation fails with that name. A host that answers no probe at all gives no MTU verdict.
import type { FactsSnapshot, PingSent, TracepathFact } from '../../facts/model.js';
import { mtuPings } from '../../plan/pings.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';
import { about, describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import { pingActual, sentPing, unreachableOf } from './shared/ping.js';

type MtuExpect = ExpectOf<'mtu'>;

/** IP and ICMP headers around the payload: 20 + 8 bytes for IPv4, 40 + 8 for IPv6. */
const overhead = (address: string | undefined): number => (address?.includes(':') ? 48 : 28);

type Verdict = { kind: 'passes'; pathMtu: number } | { kind: 'reported'; pathMtu: number; from?: string } | { kind: 'blackhole' };

function mtuExpected(e: MtuExpect, packet: number): string {
  const parts: string[] = [];
  if (e.passes !== undefined) parts.push(`a ${packet}-byte packet ${e.passes ? 'passes' : 'does not pass'}`);
  if (e.pathMtu !== undefined) parts.push(`path MTU ${describe(e.pathMtu)}`);
  return parts.join(', ');
}

function traceText(t: TracepathFact | { error: string } | undefined): string {
  if (t === undefined) return '';
  if ('error' in t) return `; tracepath: ${t.error}`;
  const parts = [t.pmtu !== undefined ? `pmtu ${t.pmtu}` : 'no pmtu', t.reached ? 'reached' : 'not reached'];
  if (t.silentFrom !== undefined) parts.push(`no reply from hop ${t.silentFrom}`);
  return `; tracepath: ${parts.join(', ')}`;
}

function verdictOf(large: PingSent, packet: number, trace: TracepathFact | undefined): Verdict | undefined {
  if (large.received > 0) return { kind: 'passes', pathMtu: Math.max(packet, trace?.pmtu ?? 0) };
  if (large.mtu) return { kind: 'reported', pathMtu: large.mtu.mtu, ...(large.mtu.from !== undefined ? { from: large.mtu.from } : {}) };
  return undefined;
}

export function evaluate(c: CheckOf<'mtu'>, facts: FactsSnapshot): Outcome {
  const { host, size } = c.selector.spec;
  const pings = mtuPings(host, size);
  const probeLarge = sentPing(pings.large, facts, '');
  const address = probeLarge.ok ? probeLarge.value.address : undefined;
  const packet = size + overhead(address);
  const e = c.expect;
  const expected = mtuExpected(e, packet);
  if (!probeLarge.ok) return { ...probeLarge.outcome, expected };
  const large = probeLarge.value;
  const t = facts.icmp !== undefined && !('error' in facts.icmp) ? facts.icmp.tracepaths[host.toLowerCase()] : undefined;
  const trace = t !== undefined && !('error' in t) ? t : undefined;
  let verdict = verdictOf(large, packet, trace);
  const small = sentPing(pings.small, facts, expected);
  const smallPacket = pings.small.size + overhead(address);
  if (!verdict) {
    if (!small.ok) return small.outcome;
    if (small.value.received === 0 || (large.unreachable?.length ?? 0) > 0) {
      const actual = `${packet} bytes: ${pingActual(large)}; ${smallPacket} bytes: ${pingActual(small.value)}${traceText(t)}`;
      return { ...errorOutcome(expected, { code: 'mtu-unjudged', host, small: smallPacket, unreachable: unreachableOf(large) }), actual };
    }
    verdict = { kind: 'blackhole' };
  }
  const actual = `${verdictText(verdict, packet, smallPacket)}${traceText(t)}`;
  const whys: Reason[] = [];
  if (e.passes === true && verdict.kind === 'reported') {
    whys.push({ code: 'mtu-reported', host, packet, mtu: verdict.pathMtu, ...(verdict.from !== undefined ? { from: verdict.from } : {}) });
  }
  if (e.passes === true && verdict.kind === 'blackhole') whys.push({ code: 'mtu-blackhole', host, packet, small: smallPacket });
  if (e.passes === false && verdict.kind === 'passes') whys.push({ code: 'mtu-passes', host, packet });
  if (e.pathMtu !== undefined) {
    if (verdict.kind === 'blackhole') {
      if (e.passes !== true) whys.push({ code: 'mtu-blackhole', host, packet, small: smallPacket });
    } else whys.push(...about('path MTU', match(verdict.pathMtu, e.pathMtu).failures));
  }
  const failed = together(whys);
  if (failed) return { status: 'fail', expected, actual, reason: failed };
  return { status: 'pass', expected, actual, reason: { code: 'matched', seen: actual } };
}

function verdictText(v: Verdict, packet: number, small: number): string {
  if (v.kind === 'passes') return `passes: a ${packet}-byte packet arrives unfragmented (path MTU at least ${v.pathMtu})`;
  if (v.kind === 'reported')
    return `reported: path MTU ${v.pathMtu}${v.from !== undefined ? ` (fragmentation needed, from ${v.from})` : ' (known to this host)'}`;
  return `blackhole: ${packet}-byte packets vanish while ${small}-byte ones pass`;
}
