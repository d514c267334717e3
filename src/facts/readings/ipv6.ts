// Whether the facts say the host has no IPv6: IPv6 keys, routes and the IPv6 half of firewall checks then do not
// apply. A snapshot without the fact (collected before it existed) or one that could not read it says nothing.
import type { FactsSnapshot } from '../model.js';
import { isFamilyError } from '../model.js';

/** Why IPv6 is off on this host, or undefined when it is on or unknown. */
export function ipv6Off(facts: FactsSnapshot): string | undefined {
  const f = facts.ipv6;
  if (f === undefined || isFamilyError(f) || f.enabled) return undefined;
  return f.reason ?? 'IPv6 is disabled on this host';
}
