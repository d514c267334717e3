// Whether this host (network namespace) has IPv6: a kernel booted with ipv6.disable=1 has no net.ipv6 at all, and
// an interface with `disable_ipv6 = 1` has no IPv6 address. Writing 1 to `all` sets every interface there is, but
// an interface set back to 0 afterwards (or created later, from `default`) has IPv6 again: IPv6 is off only when
// every interface says so.
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { Ipv6Fact } from '../model.js';

const CONF = '/proc/sys/net/ipv6/conf';
const ALL = `${CONF}/all/disable_ipv6`;
const EACH = `${CONF}/*/disable_ipv6`;

export const ipv6Family: FamilyModule<true, Ipv6Fact> = {
  name: 'ipv6',
  needs: () => [
    { op: 'read', path: ALL },
    { op: 'glob', pattern: EACH, take: 'read' },
  ],
  parse: (_, raw) => {
    const all = raw.read(ALL);
    if (typeof all !== 'string') {
      if (all.error === 'ENOENT' || all.error === 'ENOTDIR') {
        return { enabled: false, reason: 'this host has no IPv6 stack (no /proc/sys/net/ipv6: booted with ipv6.disable=1 or built without IPv6)' };
      }
      throw new Error(readFailure(ALL, all));
    }
    const each = raw.glob(EACH, 'read');
    const interfaces = isFailure(each)
      ? []
      : Object.entries(each.found)
          .filter(([path]) => !/\/conf\/(all|default)\//.test(path))
          .map(([path, v]) => ({ name: path.split('/')[6] ?? path, on: typeof v === 'string' ? v.trim() !== '1' : undefined }));
    // An interface we could not read counts as on: IPv6 judged present is the stricter answer.
    if (interfaces.some((i) => i.on !== false)) return { enabled: true };
    if (all.trim() === '1') return { enabled: false, reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)' };
    if (interfaces.length > 0)
      return {
        enabled: false,
        reason: `IPv6 is disabled on every interface (disable_ipv6 = 1 on ${interfaces
          .map((i) => i.name)
          .sort()
          .join(', ')})`,
      };
    return { enabled: true };
  },
};
