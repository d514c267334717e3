// Interface facts straight from sysfs: one small file per attribute, no process per interface.
import type { Transport } from '../transport/types.js';
import { errCode as code } from '../lib/errno.js';
import type { InterfaceFact } from './model.js';

const SYS_NET = '/sys/class/net';
const ARPHRD_LOOPBACK = 772;
// include/uapi/linux/if.h
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

async function readTrim(t: Transport, path: string): Promise<string> {
  return (await t.readFile(path)).trim();
}

/** Like readTrim, but absent or unreadable attributes (some drivers lack them) read as undefined. */
async function readOptional(t: Transport, path: string): Promise<string | undefined> {
  try {
    return await readTrim(t, path);
  } catch {
    return undefined;
  }
}

async function readCarrier(t: Transport, dir: string): Promise<boolean | null> {
  try {
    const v = await readTrim(t, `${dir}/carrier`);
    return v === '1' ? true : v === '0' ? false : null;
  } catch (err) {
    // The kernel answers EINVAL while the interface is not running (set down): no answer, not an error.
    if (code(err) === 'EINVAL') return null;
    throw err;
  }
}

/** IFF_UP from the flags word, or undefined when sysfs gave none. */
function adminUpOf(flags: string | undefined): boolean | undefined {
  if (flags === undefined || !/^(0x)?[0-9a-f]+$/i.test(flags)) return undefined;
  return (Number.parseInt(flags, 16) & IFF_UP) !== 0;
}

async function readStats(t: Transport, dir: string): Promise<Record<string, number>> {
  let names: string[];
  try {
    names = await t.readDir(`${dir}/statistics`);
  } catch {
    return {};
  }
  const values = await Promise.all(names.map((n) => readOptional(t, `${dir}/statistics/${n}`)));
  const stats: Record<string, number> = {};
  names.forEach((n, i) => {
    const v = values[i];
    if (v !== undefined && /^\d+$/.test(v)) stats[n] = Number(v);
  });
  return stats;
}

async function readInterface(t: Transport, name: string): Promise<InterfaceFact | undefined> {
  // Kernel interface names never contain '/' nor are '.' or '..'; anything else cannot name an interface.
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return undefined;
  const dir = `${SYS_NET}/${name}`;
  let operstate: string;
  try {
    operstate = await readTrim(t, `${dir}/operstate`);
  } catch (err) {
    // The interface vanished or never existed: leave it out and let the evaluator say "absent".
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return undefined;
    throw err;
  }
  const [carrier, mtu, flags, type, stats] = await Promise.all([
    readCarrier(t, dir),
    readOptional(t, `${dir}/mtu`),
    readOptional(t, `${dir}/flags`),
    readOptional(t, `${dir}/type`),
    readStats(t, dir),
  ]);
  const flagBits = flags ? Number.parseInt(flags, 16) : 0;
  const adminUp = adminUpOf(flags);
  const fact: InterfaceFact = {
    name,
    operstate,
    // A link set down carries nothing: the kernel's EINVAL for its carrier means "no carrier" here.
    carrier: adminUp === false ? false : carrier,
    ...(adminUp !== undefined ? { adminUp } : {}),
    mtu: mtu ? Number(mtu) : 0,
    loopback: Number(type) === ARPHRD_LOOPBACK || (flagBits & IFF_LOOPBACK) !== 0,
    stats,
  };
  return fact;
}

/**
 * Interfaces by name. `names` limits the read to those interfaces; a requested interface that does not exist is
 * simply not in the result.
 */
export async function collectInterfaces(t: Transport, names?: string[]): Promise<Record<string, InterfaceFact>> {
  const wanted = names ?? (await t.readDir(SYS_NET));
  const facts = await Promise.all(wanted.map((n) => readInterface(t, n)));
  const out: Record<string, InterfaceFact> = {};
  for (const f of facts) if (f) out[f.name] = f;
  return out;
}
