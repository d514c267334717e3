// The words of the fleet view: what each fault class and host state is called where a person reads it. The
// model holds classes and states as data; renderers and the fleet's verdict reason take their words from here.
import type { FaultClass, HostFault } from '../../lib/host-fault.js';
import type { HostState } from './model.js';

export const FAULT_WORDS: Record<FaultClass, string> = {
  policy: "policy invalid with this host's vars",
  unreachable: 'unreachable',
  hostkey: 'host key not the known one',
  auth: 'authentication refused',
  sudo: 'sudo refused',
  timeout: 'no answer in time',
  dropped: 'connection dropped',
  partial: 'partly read',
};

export const STATE_WORDS: Record<HostState, string> = { ready: 'READY', 'not-ready': 'NOT READY', unaudited: 'NOT AUDITED' };

/** A fault as one line: its class's words, then what the failing party said. */
export function faultLine(f: HostFault): string {
  return f.detail.trim() ? `${FAULT_WORDS[f.class]}: ${f.detail}` : FAULT_WORDS[f.class];
}
