// Sysctl facts: one read of /proc/sys per key, all keys at once. net.* keys belong to the network namespace the
// reader runs in.
import type { RawView } from '../../transport/raw.js';
import { isFailure } from '../../transport/types.js';
import { editDistance } from '../../lib/did-you-mean.js';
import type { FamilyModule } from '../family.js';
import type { SysctlFact } from '../model.js';

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
  const parts = v
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  return parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : p));
}

/** The directories whose absence explains a missing key: IPv6 as a whole, and the interface it names. */
function explainingDirs(path: string): string[] {
  const rel = path.slice(PROC_SYS.length + 1);
  const dirs: string[] = [];
  if (rel.startsWith('net/ipv6/')) dirs.push(`${PROC_SYS}/net/ipv6`);
  const m = /^net\/(ipv4|ipv6|mpls)\/(conf|neigh)\/([^/]+)\//.exec(rel);
  if (m && m[3] !== 'all' && m[3] !== 'default') dirs.push(`${PROC_SYS}/net/${m[1]}/${m[2]}/${m[3]}`);
  return dirs;
}

function present(raw: RawView, dir: string): boolean {
  const v = raw.list(dir);
  return !isFailure(v) || (v.error !== 'ENOENT' && v.error !== 'ENOTDIR');
}

function whyMissing(raw: RawView, path: string): string {
  for (const dir of explainingDirs(path)) {
    if (present(raw, dir)) continue;
    return dir.endsWith('/net/ipv6')
      ? 'net.ipv6.* keys are absent: IPv6 is disabled on this host'
      : `no interface ${dir.split('/').pop()} on this host (in this network namespace)`;
  }
  return 'no such key in /proc/sys';
}

/**
 * The key the host has that is one edit (a letter added, dropped, changed or two swapped) from a missing one,
 * in the form the policy wrote it: a typo (somaxconnn) is said as one, not judged as a key the kernel lacks.
 */
function nearestKey(raw: RawView, key: string, path: string): string | undefined {
  const cut = path.lastIndexOf('/');
  const names = raw.list(path.slice(0, cut));
  if (isFailure(names)) return undefined;
  const name = path.slice(cut + 1);
  const near = names.filter((n) => n !== name && editDistance(n, name) === 1);
  if (near.length !== 1) return undefined;
  // The key's last name follows its last dot or slash, in every form sysctl(8) takes (see sysctlPath).
  const sep = Math.max(key.lastIndexOf('.'), key.lastIndexOf('/'));
  return `${key.slice(0, sep + 1)}${near[0]}`;
}

function readOne(raw: RawView, key: string): SysctlFact {
  const path = sysctlPath(key);
  if (!path) return { error: `${key}: not a valid sysctl key` };
  const v = raw.read(path);
  if (typeof v === 'string') return { value: v.replace(/\s+/g, ' ').trim() };
  switch (v.error) {
    case 'ENOENT':
    case 'ENOTDIR': {
      const why = whyMissing(raw, path);
      const nearest = nearestKey(raw, key, path);
      return nearest === undefined ? { missing: why } : { missing: why, nearest };
    }
    case 'EACCES':
    case 'EPERM':
      return { error: `permission denied reading ${path} (a write-only key, or one that needs root)` };
    case 'EISDIR':
      return { error: `${key} is a directory of keys, not a key` };
    default:
      return { error: v.message.includes(path) ? v.message : `${path}: ${v.message}` };
  }
}

/** One read per key, and listings of the directories that say why a key is missing, or which key was meant. */
export const sysctlFamily: FamilyModule<string[], Record<string, SysctlFact>> = {
  name: 'sysctl',
  needs: (keys) => {
    const paths = [...new Set(keys)].flatMap((k) => sysctlPath(k) ?? []);
    const dirs = [...new Set([...paths.flatMap(explainingDirs), ...paths.map((p) => p.slice(0, p.lastIndexOf('/')))])];
    return [...paths.map((path) => ({ op: 'read' as const, path })), ...dirs.map((path) => ({ op: 'list' as const, path }))];
  },
  parse: (keys, raw) => Object.fromEntries([...new Set(keys)].map((k) => [k, readOne(raw, k)])),
  // sysctl facts are per key, so a family that could not be read marks every key it was asked for.
  failed: (keys, error) => Object.fromEntries(keys.map((k) => [k, { error }])),
};
