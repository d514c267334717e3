// Routed test networks for the ICMP, path-MTU and diagnose tests: veth pairs made inside two namespaces (nothing
// of them in the root namespace, so the same addresses serve every run), a router R forwarding between a host and
// a target T with the far link's MTU as the case needs, and what those tests hold plumbline to: ping's own
// statistics, and the nft table that turns R's fragmentation-needed messages into a blackhole.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestHost, run } from './netns.js';
import { startInNs } from './probe-servers.js';

const RELAY = join(import.meta.dirname, 'tun-delay.py');

/** Runs a command in a namespace host; its standard output, or an error naming what failed. */
export async function ok(host: TestHost, cmd: string, args: string[]): Promise<string> {
  const r = await host.exec(cmd, args);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${host.ns}: exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
}

/** A veth pair made inside two namespaces, each end addressed (/24) and up (optionally with an MTU); the two names. */
export async function link(a: TestHost, aAddr: string, b: TestHost, bAddr: string, mtu?: number): Promise<[string, string]> {
  const tag = randomBytes(3).toString('hex');
  const [an, bn] = [`pia${tag}`, `pib${tag}`];
  const r = await run('ip', ['link', 'add', an, 'netns', a.ns, 'type', 'veth', 'peer', 'name', bn, 'netns', b.ns]);
  if (r.exitCode !== 0) throw new Error(`veth ${an}/${bn}: ${r.stderr}`);
  for (const [h, dev, addr] of [
    [a, an, aAddr],
    [b, bn, bAddr],
  ] as const) {
    await ok(h, 'ip', ['addr', 'add', `${addr}/24`, 'dev', dev]);
    if (mtu !== undefined) await ok(h, 'ip', ['link', 'set', dev, 'mtu', String(mtu)]);
    await ok(h, 'ip', ['link', 'set', dev, 'up']);
  }
  return [an, bn];
}

/**
 * A point-to-point link between two namespaces that holds every packet `delayMs` each way (this kernel has no
 * netem): tun devices `tdh` in a and `tdt` in b, addressed as peers, and the relay copying between them, which
 * ends with the caller's children (it exits when its standard input closes).
 */
export async function delayedLink(a: TestHost, aAddr: string, b: TestHost, bAddr: string, delayMs: number, children: ChildProcess[]): Promise<void> {
  await startInNs(a.ns, ['python3', RELAY, `/run/netns/${b.ns}`, 'tdh', 'tdt', String(delayMs)], /READY/, children);
  for (const [h, dev, here, there] of [
    [a, 'tdh', aAddr, bAddr],
    [b, 'tdt', bAddr, aAddr],
  ] as const) {
    await ok(h, 'ip', ['addr', 'add', here, 'peer', there, 'dev', dev]);
    await ok(h, 'ip', ['link', 'set', dev, 'up']);
  }
}

/**
 * A copy of the system ping in `dir`/bin (made world-readable), without the file capability the package gives it:
 * ping as a package whose setcap step failed installs it. Its path.
 */
export function pingWithoutCapability(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync('/usr/bin/ping', join(bin, 'ping'));
  chmodSync(bin, 0o755);
  chmodSync(join(bin, 'ping'), 0o755);
  return join(bin, 'ping');
}

/** Parses "N packets transmitted, M received, ... X% packet loss" and each reply's time from a ping run here. */
export function pingSays(stdout: string): { loss: number; received: number; times: number[] } {
  const m = /(\d+) packets transmitted, (\d+) received.*?([\d.]+)% packet loss/.exec(stdout);
  if (!m) throw new Error(`no ping statistics in: ${stdout}`);
  const times = [...stdout.matchAll(/time=([\d.]+) ms/g)].map((x) => Number(x[1]));
  return { loss: Number(m[3]), received: Number(m[2]), times };
}

/** The router's output hook drops the fragmentation-needed messages it makes: a path MTU blackhole. */
export const BLACKHOLE_NFT =
  'table inet bh {\n chain out {\n  type filter hook output priority 0;\n  icmp type destination-unreachable icmp code frag-needed drop\n }\n}\n';

/** The addresses of a routed path: the host, the router's near and far ends, and the target (each link a /24). */
export interface RoutedAddresses {
  h: string;
  rNear: string;
  rFar: string;
  t: string;
}

/**
 * A router R and a target T behind host h (h's route to `dest` through R), the far link's MTU as given; R forwards
 * and answers with ICMP errors unthrottled. Both are removed with the caller's clean-ups.
 */
export async function behind(
  h: TestHost,
  name: string,
  at: RoutedAddresses,
  farMtu: number,
  dest: string,
  cleanup: Array<() => Promise<void> | void>,
): Promise<{ r: TestHost; t: TestHost; devices: { h: string; rFar: string } }> {
  const [r, t] = await Promise.all([TestHost.create({ name: `${name}-r` }), TestHost.create({ name: `${name}-t` })]);
  cleanup.push(
    () => r.destroy(),
    () => t.destroy(),
  );
  const [hDev] = await link(h, at.h, r, at.rNear);
  const [rFar] = await link(r, at.rFar, t, at.t, farMtu);
  await ok(h, 'ip', ['route', 'add', dest, 'via', at.rNear]);
  await ok(t, 'ip', ['route', 'add', 'default', 'via', at.rFar]);
  await ok(r, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0']);
  return { r, t, devices: { h: hDev, rFar } };
}
