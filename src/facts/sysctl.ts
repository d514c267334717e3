// Sysctl facts: one read of /proc/sys per key, all keys at once. net.* keys belong to the network namespace the
// reader runs in.
import type { Transport } from '../transport/types.js';
import { errCode as code } from '../lib/errno.js';
import type { SysctlFact } from './model.js';

const PROC_SYS = '/proc/sys';

// Keys whose fourth component is an interface name, which may itself contain dots (VLAN eth0.100).
const PER_INTERFACE = /^(net\.(?:ipv4|ipv6|mpls)\.(?:conf|neigh))\.(.+)\.([^.]+)$/;

/**
 * The /proc/sys path of a key, in the forms sysctl(8) accepts: dotted (net.ipv4.ip_forward), slashed
 * (net/ipv4/conf/eth0.100/rp_filter), or dotted with the dots of a component written as slashes
 * (net.ipv4.conf.eth0/100.rp_filter). A plain dotted per-interface key is split around the interface name, so
 * net.ipv4.conf.eth0.100.rp_filter reads net/ipv4/conf/eth0.100/rp_filter.
 * Returns undefined for text that could escape /proc/sys.
 */
export function sysctlPath(key: string): string | undefined {
  const first = key.search(/[./]/);
  let rel: string;
  if (first >= 0 && key[first] === '/') {
    rel = key;
  } else if (key.includes('/')) {
    rel = key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
  } else {
    const m = PER_INTERFACE.exec(key);
    rel = m ? `${m[1]!.replace(/\./g, '/')}/${m[2]}/${m[3]}` : key.replace(/\./g, '/');
  }
  rel = rel.replace(/^\/+/, '');
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  return `${PROC_SYS}/${rel}`;
}


/** Split a multi-value key ("32768\t60999", "4096 131072 6291456") into numbers where they are numbers. */
export function sysctlValues(v: string): (number | string)[] {
  const parts = v.trim().split(/\s+/).filter((p) => p !== '');
  return parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : p));
}

async function exists(t: Transport, path: string): Promise<boolean> {
  try {
    await t.readDir(path);
    return true;
  } catch (err) {
    return code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR';
  }
}

export async function collectSysctl(t: Transport, keys: string[]): Promise<Record<string, SysctlFact>> {
  // Why a key is missing is the same answer for every net.ipv6 key: ask once, and only if one is missing.
  let ipv6Present: Promise<boolean> | undefined;
  const interfacePresent = new Map<string, Promise<boolean>>();

  const whyMissing = async (path: string): Promise<string> => {
    const rel = path.slice(PROC_SYS.length + 1);
    if (rel.startsWith('net/ipv6/')) {
      ipv6Present ??= exists(t, `${PROC_SYS}/net/ipv6`);
      if (!(await ipv6Present)) return 'net.ipv6.* keys are absent: IPv6 is disabled on this host';
    }
    const m = /^net\/(ipv4|ipv6|mpls)\/(conf|neigh)\/([^/]+)\//.exec(rel);
    if (m && m[3] !== 'all' && m[3] !== 'default') {
      const dir = `${PROC_SYS}/net/${m[1]}/${m[2]}/${m[3]}`;
      if (!interfacePresent.has(dir)) interfacePresent.set(dir, exists(t, dir));
      if (!(await interfacePresent.get(dir))) return `no interface ${m[3]} on this host (in this network namespace)`;
    }
    return 'no such key in /proc/sys';
  };

  const readOne = async (key: string): Promise<SysctlFact> => {
    const path = sysctlPath(key);
    if (!path) return { error: `${key}: not a valid sysctl key` };
    try {
      const raw = await t.readFile(path);
      return { value: raw.replace(/\s+/g, ' ').trim() };
    } catch (err) {
      switch (code(err)) {
        case 'ENOENT':
        case 'ENOTDIR':
          return { missing: await whyMissing(path) };
        case 'EACCES':
        case 'EPERM':
          return { error: `permission denied reading ${path} (a write-only key, or one that needs root)` };
        case 'EISDIR':
          return { error: `${key} is a directory of keys, not a key` };
        default:
          return { error: `${path}: ${(err as Error).message ?? String(err)}` };
      }
    }
  };

  const unique = [...new Set(keys)];
  const values = await Promise.all(unique.map(readOne));
  return Object.fromEntries(unique.map((k, i) => [k, values[i]!]));
}
