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

/**
 * Whether the link has a carrier. An interface set down has none: nothing runs on it, which is why the kernel
 * refuses to read its carrier. null only when the facts do not say.
 */
export function carrierOf(i: InterfaceFact): boolean | null {
  if (i.adminUp === false) return false;
  return i.carrier;
}
