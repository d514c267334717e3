// The conntrack family: how full the connection tracking table is. Two numbers from /proc/sys/net/netfilter,
// both of this network namespace; without nf_conntrack loaded neither exists, and there is no table to fill.
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { ConntrackFact } from '../model.js';

const COUNT = '/proc/sys/net/netfilter/nf_conntrack_count';
const MAX = '/proc/sys/net/netfilter/nf_conntrack_max';

export const conntrackFamily: FamilyModule<true, ConntrackFact> = {
  name: 'conntrack',
  needs: () => [
    { op: 'read', path: COUNT },
    { op: 'read', path: MAX },
  ],
  parse: (_, raw) => {
    /** The number in the file, or undefined when the file does not exist (nf_conntrack not loaded). */
    const number = (path: string): number | undefined => {
      const v = raw.read(path);
      if (typeof v !== 'string') {
        if (v.error === 'ENOENT' || v.error === 'ENOTDIR') return undefined;
        throw new Error(readFailure(path, v));
      }
      const n = Number(v.trim());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${path}: not a count (${JSON.stringify(v.trim().slice(0, 20))})`);
      return n;
    };
    const count = number(COUNT);
    const max = number(MAX);
    if (count === undefined || max === undefined) {
      return { loaded: false, reason: 'nf_conntrack is not loaded (no /proc/sys/net/netfilter/nf_conntrack_count): nothing is tracked, so no table can fill' };
    }
    return { loaded: true, count, max };
  },
};
