// Whether this host (network namespace) has IPv6: a kernel booted with ipv6.disable=1 has no net.ipv6 at all,
// and `disable_ipv6 = 1` on `all` takes IPv6 off every interface. Either way there is no IPv6 to misconfigure.
import type { Transport } from '../transport/types.js';
import { errCode } from '../lib/errno.js';
import type { Ipv6Fact } from './model.js';

export async function collectIpv6(t: Transport): Promise<Ipv6Fact> {
  let text: string;
  try {
    text = await t.readFile('/proc/sys/net/ipv6/conf/all/disable_ipv6');
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { enabled: false, reason: 'this host has no IPv6 stack (no /proc/sys/net/ipv6: booted with ipv6.disable=1 or built without IPv6)' };
    }
    throw err;
  }
  if (text.trim() === '1') return { enabled: false, reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)' };
  return { enabled: true };
}
