// ICMP from the audited host: the pings and tracepaths the icmp and mtu checks need, each run once through the
// transport as an argument array (so over SSH they leave that host), each answered under its own key; a
// tracepath only in the second batch, where a full-size probe passed. Where
// ICMP cannot be sent the fact says why, with what the kernel allows the auditing user read in the same batch:
// net.ipv4.ping_group_range and the user's groups and bounding set (/proc/self/status is the reader's, the
// same user that runs ping).
import type { IcmpPlan, PingTarget } from '../../../plan/model.js';
import { PING_WAIT_S, TRACEPATH_HOPS, pingBoundMs, tracepathBoundMs } from '../../../plan/pings.js';
import type { RawView } from '../../../transport/raw.js';
import type { RawRequest } from '../../../transport/types.js';
import { isFailure } from '../../../transport/types.js';
import type { FamilyModule } from '../../family.js';
import type { IcmpFact, PingCannotSend, PingFact, TracepathFact } from '../../model.js';
import { readGroupRange, readPing, readStatus, readTracepath } from './output.js';
import { parseAddress } from '../../../lib/address.js';
import { refusedNetwork } from '../../../lib/targets.js';

const GROUP_RANGE = '/proc/sys/net/ipv4/ping_group_range';
const STATUS = '/proc/self/status';

/** The ping, as an argument array: numeric output, the check's count, spacing and payload, a bounded wait. */
export function pingArgv(p: PingTarget): string[] {
  return [
    'ping',
    '-n',
    '-c',
    String(p.count),
    '-i',
    String(p.intervalMs / 1000),
    '-s',
    String(p.size),
    '-W',
    String(PING_WAIT_S),
    ...(p.dontFragment ? ['-M', 'do'] : []),
    '--',
    p.host,
  ];
}

export function tracepathArgv(host: string): string[] {
  return ['tracepath', '-n', '-m', String(TRACEPATH_HOPS), '--', host];
}

/** Why ping could not be run at all, from the transport's failure. */
function unstarted(error: string, message: string): PingCannotSend {
  if (error === 'ENOENT') return { outcome: 'cannot-send', why: 'not-installed', message: '`ping` (iputils) was not found' };
  if (error === 'EPERM' || error === 'EACCES') return { outcome: 'cannot-send', why: 'exec-refused', message };
  if (error === 'ETIMEDOUT') return { outcome: 'cannot-send', why: 'timed-out', message };
  return { outcome: 'cannot-send', why: 'failed', message };
}

/** What the kernel allows the auditing user, said beside a ping that could not send. */
function withAllowance(f: PingCannotSend, raw: RawView): PingCannotSend {
  if (f.why !== 'no-socket' && f.why !== 'exec-refused') return f;
  const range = raw.read(GROUP_RANGE);
  const status = raw.read(STATUS);
  const r = isFailure(range) ? undefined : readGroupRange(range);
  const s = isFailure(status) ? {} : readStatus(status);
  return { ...f, ...(r ? { pingGroupRange: r } : {}), ...s };
}

/** The network the probes refuse that an address to ping is in, unless `--allow-target` admitted it. */
function refusal(p: PingTarget, admitted: readonly string[] = []): { outcome: 'refused'; address: string; network: string } | undefined {
  const a = parseAddress(p.host);
  const network = a ? refusedNetwork(a.text, admitted) : undefined;
  return a && network !== undefined ? { outcome: 'refused', address: a.text, network } : undefined;
}

function ping(p: PingTarget, raw: RawView, admitted?: readonly string[]): PingFact {
  const refused = refusal(p, admitted);
  if (refused) return refused;
  const r = raw.run(pingArgv(p));
  const fact = isFailure(r) ? unstarted(r.error, r.message) : readPing(r);
  return fact.outcome === 'cannot-send' ? withAllowance(fact, raw) : fact;
}

function tracepath(host: string, raw: RawView): TracepathFact | { error: string } {
  const r = raw.run(tracepathArgv(host));
  if (isFailure(r)) return { error: r.error === 'ENOENT' ? '`tracepath` (iputils) was not found' : r.message };
  const fact = readTracepath(r.stdout);
  if (r.exitCode !== 0 && fact.pmtu === undefined) return { error: `tracepath exited ${r.exitCode}: ${(r.stderr || r.stdout).trim()}` };
  return fact;
}

/**
 * The hosts worth a tracepath: those whose largest don't-fragment probe came back, so that the path MTU may be
 * more than that packet. Where it did not, the pings have said all there is (a reported MTU, or a blackhole), and
 * tracepath would only spend seconds on every silent hop to say it again.
 */
function toTrace(p: IcmpParams, raw: RawView): string[] {
  return p.tracepaths.filter((h) => {
    const largest = p.pings.filter((x) => x.dontFragment && x.host.toLowerCase() === h).sort((a, b) => b.size - a.size)[0];
    if (!largest) return false;
    const f = ping(largest, raw, p.admitted);
    return f.outcome === 'sent' && f.received > 0;
  });
}

/** The plan's pings and tracepaths, and the networks `--allow-target` admits beyond the default. */
export type IcmpParams = IcmpPlan & { admitted?: readonly string[] };

export const icmpFamily: FamilyModule<IcmpParams, IcmpFact> = {
  name: 'icmp',
  needs: (p) => [
    // A ping to an address the probes refuse is never run: nothing goes there, whatever a policy names.
    ...p.pings.filter((x) => !refusal(x, p.admitted)).map((x): RawRequest => ({ op: 'run', argv: pingArgv(x), timeoutMs: pingBoundMs(x) })),
    { op: 'read', path: GROUP_RANGE },
    { op: 'read', path: STATUS },
  ],
  next: (p, raw) => toTrace(p, raw).map((h): RawRequest => ({ op: 'run', argv: tracepathArgv(h), timeoutMs: tracepathBoundMs() })),
  parse: (p, raw) => ({
    pings: Object.fromEntries(p.pings.map((x) => [x.key, ping(x, raw, p.admitted)])),
    tracepaths: Object.fromEntries(toTrace(p, raw).map((h) => [h, tracepath(h, raw)])),
  }),
};
