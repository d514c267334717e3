// The reference test hosts: a well-configured production host and a badly configured one. One definition
// serves the baseline tests, the failure-mode tests and the snapshot capture script.
import type { HostSpec, ListenerSpec } from './netns.js';

/** Kernel tuning the built-in baseline asks for. */
export const TUNED_SYSCTLS: Record<string, string> = {
  'net.core.somaxconn': '65535',
  'net.ipv4.tcp_max_syn_backlog': '8192',
  'net.ipv4.tcp_syncookies': '1',
  'net.ipv4.ip_local_port_range': '10240 65535',
  'net.ipv4.tcp_fin_timeout': '15',
  'net.ipv4.ip_forward': '0',
  'net.ipv6.conf.all.forwarding': '0',
  'net.ipv4.conf.all.accept_redirects': '0',
  'net.ipv6.conf.all.accept_redirects': '0',
  'net.ipv4.conf.all.send_redirects': '0',
  'net.ipv4.conf.all.rp_filter': '1',
  'net.ipv4.conf.all.accept_source_route': '0',
};

/**
 * What older kernels and untouched images ship, plus the mistakes seen in the field. Every key the baseline
 * reads is set: a new namespace may inherit conf/all values from the machine running the tests.
 */
const UNTUNED_SYSCTLS: Record<string, string> = {
  'net.core.somaxconn': '128',
  'net.ipv4.tcp_max_syn_backlog': '1024',
  'net.ipv4.tcp_syncookies': '0',
  'net.ipv4.ip_local_port_range': '32768 60999',
  'net.ipv4.tcp_fin_timeout': '60',
  'net.ipv4.ip_forward': '1',
  'net.ipv6.conf.all.forwarding': '1',
  // Switching forwarding on resets accept_redirects to 0 (routers ignore redirects): set them after.
  'net.ipv4.conf.all.accept_redirects': '1',
  'net.ipv6.conf.all.accept_redirects': '1',
  'net.ipv4.conf.all.send_redirects': '1',
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.all.accept_source_route': '0',
};

/** Default-deny input and forward, loopback and established traffic allowed. */
export const GOOD_NFT = `
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    tcp dport 22 accept
  }
  chain forward {
    type filter hook forward priority 0; policy drop;
  }
}
`;

/** @public (scripts/capture-snapshots.mjs) Data stores on loopback only, run as nobody, with raised nofile (20000: the hard cap of these machines). */
export const GOOD_LISTENERS: ListenerSpec[] = [
  { address: '127.0.0.1', port: 6379, name: 'pl-redis', user: 'nobody', nofile: { soft: 20000, hard: 20000 } },
  { address: '::1', port: 9200, name: 'pl-elastic', user: 'nobody', nofile: { soft: 20000, hard: 20000 } },
];

/** Data stores on every interface (one dual-stack), as root, with the default nofile; memcached UDP exposed. */
const BAD_LISTENERS: ListenerSpec[] = [
  { address: '0.0.0.0', port: 6379, name: 'pl-redis', nofile: { soft: 1024, hard: 4096 } },
  { address: '::', port: 9200, name: 'pl-elastic', v6only: false, nofile: { soft: 1024, hard: 4096 } },
  { address: '0.0.0.0', port: 11211, protocol: 'udp', name: 'pl-memcached' },
];

export function goodHost(name: string, veth?: HostSpec['veth']): HostSpec {
  return { name, sysctls: TUNED_SYSCTLS, nft: GOOD_NFT, listeners: GOOD_LISTENERS, ...(veth ? { veth } : {}) };
}

export function badHost(name: string): HostSpec {
  return { name, sysctls: UNTUNED_SYSCTLS, listeners: BAD_LISTENERS };
}
