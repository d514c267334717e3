// iputils ping and tracepath, read from their output (LC_ALL=C, which both transports set): the counts of the
// statistics line, each reply's time, the ICMP errors that came back instead, a path MTU met on the way, and the
// words ping ends with when it could send nothing. Pure: the same output always reads the same.
import type { PingFact, PingSent, PingUnreachable, TracepathFact, UnreachableKind } from '../../model.js';

const STATS =
  /^(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ duplicates)?(?:, \+\d+ corrupted)?(?:, \+(\d+) errors)?, ([\d.]+)% packet loss/m;
const REPLY = /^\d+ bytes from .*\btime[=<]([\d.]+) ms/;
const FROM = /^From (\S+?)(?: \([^)]*\))?:? icmp_seq=\d+ (.+?)\s*$/;
// IPv4: `PING host (198.18.0.2) 56(84) bytes`; IPv6: `PING ::1(::1) 56 data bytes`, no space before the address.
const PING_LINE = /^PING [^\s(]+ ?\(([^)]+)\)/m;
const LOCAL_MTU = /local error: message too long, mtu\s*[=:]\s*(\d+)/;
const REPORTED_MTU = /(?:Frag needed and DF set \(mtu = |Packet too big: mtu=)(\d+)/;

/** ping's words for an ICMP error (IPv4 and IPv6 spellings), by kind. */
const KINDS: Array<[RegExp, UnreachableKind]> = [
  [/Destination Host Unreachable|Address unreachable/i, 'host'],
  [/Destination Net Unreachable|unreachable: No route/i, 'net'],
  [/Destination Port Unreachable|Port unreachable/i, 'port'],
  [/Destination Protocol Unreachable/i, 'protocol'],
  [/Packet filtered|Prohibited|Administratively prohibited/i, 'prohibited'],
  [/Time to live exceeded|Time exceeded/i, 'ttl-exceeded'],
];

function kindOf(text: string): UnreachableKind {
  return KINDS.find(([re]) => re.test(text))?.[1] ?? 'other';
}

/** The output of a ping that ran to its statistics line. */
function sent(stdout: string, stderr: string): PingSent | undefined {
  const stats = STATS.exec(stdout);
  if (!stats) return undefined;
  const fact: PingSent = {
    outcome: 'sent',
    transmitted: Number(stats[1]),
    received: Number(stats[2]),
    errors: Number(stats[3] ?? 0),
    lossPercent: Number(stats[4]),
    rttMs: [],
  };
  const address = PING_LINE.exec(stdout)?.[1];
  if (address !== undefined) fact.address = address;
  const unreachable = new Map<string, PingUnreachable>();
  for (const line of stdout.split('\n')) {
    const reply = REPLY.exec(line);
    if (reply && !line.includes('(DUP!)')) fact.rttMs.push(Number(reply[1]));
    const from = FROM.exec(line);
    if (!from) continue;
    const [, sender, text] = from as unknown as [string, string, string];
    const mtu = REPORTED_MTU.exec(text);
    if (mtu) {
      fact.mtu = { mtu: Number(mtu[1]), from: sender };
      continue;
    }
    const kind = kindOf(text);
    const seen = unreachable.get(`${kind} ${sender}`);
    if (seen) seen.count++;
    else unreachable.set(`${kind} ${sender}`, { kind, from: sender, count: 1, text });
  }
  if (unreachable.size > 0) fact.unreachable = [...unreachable.values()];
  // The kernel's cached path MTU refuses the probe before it leaves: ping says so on standard error.
  const local = LOCAL_MTU.exec(stderr) ?? LOCAL_MTU.exec(stdout);
  if (local && !fact.mtu) fact.mtu = { mtu: Number(local[1]) };
  return fact;
}

/** ping's last words (its own name and path left out), for a ping that sent nothing. */
function lastWords(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('PING '));
  return (
    lines.find((l) => /socket:|connect:|sendmsg:|sendto:|Name or service|name resolution|No address|cannot|invalid|usage/i.test(l)) ??
    lines[0] ??
    ''
  ).replace(/^\S*ping:\s*/, '');
}

/** A ping's exit code and output, read. */
export function readPing(run: { stdout: string; stderr: string; exitCode: number }): PingFact {
  const fact = sent(run.stdout, run.stderr);
  if (fact) return fact;
  const message = lastWords(run.stderr, run.stdout);
  const all = `${run.stderr}\n${run.stdout}`;
  if (/\b(?:connect|sendmsg|sendto): Network is unreachable/.test(all)) return { outcome: 'not-sent', why: 'network-unreachable', message };
  if (/Temporary failure in name resolution/.test(all)) return { outcome: 'not-sent', why: 'name-unresolved', message };
  if (/Name or service not known|No address associated with hostname|nodename nor servname/.test(all))
    return { outcome: 'not-sent', why: 'name-unknown', message };
  if (/\bsocket: (?:Operation not permitted|Permission denied)/.test(all)) return { outcome: 'cannot-send', why: 'no-socket', message };
  // A shell over SSH reports a program it could not start as 126; 127 is one it could not find.
  if (run.exitCode === 127) return { outcome: 'cannot-send', why: 'not-installed', message: message || 'ping: command not found' };
  if (run.exitCode === 126) return { outcome: 'cannot-send', why: 'exec-refused', message };
  return { outcome: 'cannot-send', why: run.exitCode === 2 ? 'refused' : 'failed', message: message || `ping exited ${run.exitCode}` };
}

/** tracepath's output: the last path MTU it printed, whether the target answered, and where replies stopped. */
export function readTracepath(stdout: string): TracepathFact {
  let pmtu: number | undefined;
  for (const m of stdout.matchAll(/\bpmtu (\d+)/g)) pmtu = Number(m[1]);
  const silent = /^\s*(\d+):\s+no reply/m.exec(stdout);
  const fact: TracepathFact = { reached: /\breached\b/.test(stdout) };
  if (pmtu !== undefined) fact.pmtu = pmtu;
  if (silent) fact.silentFrom = Number(silent[1]);
  return fact;
}

/** net.ipv4.ping_group_range: "1\t0" is nobody. */
export function readGroupRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** From /proc/self/status: the effective gid and the supplementary groups, and whether cap_net_raw is bounded in. */
export function readStatus(text: string): { gids?: number[]; netRawBounded?: boolean } {
  const out: { gids?: number[]; netRawBounded?: boolean } = {};
  const gid = /^Gid:\s+\d+\s+(\d+)/m.exec(text);
  const groups = /^Groups:[ \t]*([\d \t]*)$/m.exec(text);
  if (gid) {
    const all = [Number(gid[1]), ...(groups?.[1] ?? '').split(/\s+/).filter(Boolean).map(Number)];
    out.gids = [...new Set(all)];
  }
  const bnd = /^CapBnd:\s+([0-9a-f]+)$/m.exec(text);
  // CAP_NET_RAW is capability 13 (include/uapi/linux/capability.h).
  if (bnd) out.netRawBounded = (BigInt(`0x${bnd[1]}`) & (1n << 13n)) !== 0n;
  return out;
}
