// Why a host of a fleet could not be audited (in full), as data: the class says what kind of failure it was, so
// reports can group and count them and a person knows where to look; the detail is what the failing party said
// (ssh's own message, the inventory's problem), quoted at the edge, never read back to decide anything.

/** The ways auditing a host can fail, in the order an audit meets them. */
export const FAULT_CLASSES = [
  /** The policy does not resolve with this host's own vars (`${host.vars.X}` it lacks, a value of the wrong type). */
  'policy',
  /** No connection: no address, refused, no route, a filtered port that never answers the handshake. */
  'unreachable',
  /** The host's key is not the one known for it (or none is known and new keys are not accepted). */
  'hostkey',
  /** The host refused every offered credential. */
  'auth',
  /** The login is not root and `sudo -n` was refused (no NOPASSWD rule, no sudo). */
  'sudo',
  /** Connected, then no complete answer within the host's deadline. */
  'timeout',
  /** The connection ended before the first answer came. */
  'dropped',
  /** Some answers came, then the connection ended: what came is judged, the rest is `error`. */
  'partial',
] as const;

export type FaultClass = (typeof FAULT_CLASSES)[number];

export interface HostFault {
  class: FaultClass;
  /** The failing party's own words (ssh's last error line, sudo's refusal), for a person. */
  detail: string;
}
