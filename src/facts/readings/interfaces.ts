// Pure readings of interface facts.
import type { InterfaceFact } from '../model.js';

/**
 * Whether an interface carries traffic. Loopback, tun and many virtual drivers never set an operational state and
 * report "unknown"; the kernel's operstates documentation says to treat that as usable, and a carrier of 1 is only
 * readable while the interface is administratively up.
 */
export function isInterfaceUp(i: InterfaceFact): boolean {
  return i.operstate === 'up' || (i.operstate === 'unknown' && i.carrier === true);
}
