// Whether this host (network namespace) has IPv6: a kernel booted with ipv6.disable=1 has no net.ipv6 at all,
// and `disable_ipv6 = 1` on `all` takes IPv6 off every interface. Either way there is no IPv6 to misconfigure.
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { Ipv6Fact } from '../model.js';

const DISABLE_IPV6 = '/proc/sys/net/ipv6/conf/all/disable_ipv6';

export const ipv6Family: FamilyModule<true, Ipv6Fact> = {
  name: 'ipv6',
  needs: () => [{ op: 'read', path: DISABLE_IPV6 }],
  parse: (_, raw) => {
    const text = raw.read(DISABLE_IPV6);
    if (typeof text !== 'string') {
      if (text.error === 'ENOENT' || text.error === 'ENOTDIR') {
        return { enabled: false, reason: 'this host has no IPv6 stack (no /proc/sys/net/ipv6: booted with ipv6.disable=1 or built without IPv6)' };
      }
      throw new Error(readFailure(DISABLE_IPV6, text));
    }
    if (text.trim() === '1') return { enabled: false, reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)' };
    return { enabled: true };
  },
};
