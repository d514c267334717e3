// What a failed ssh said, as a fault class. ssh reports every failure with exit status 255 and one line of its
// own words; those words are OpenSSH's stable messages, read here once, and quoted to the user as they came.
import type { FaultClass, HostFault } from '../../lib/host-fault.js';

const CLASSES: Array<[RegExp, FaultClass]> = [
  [/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|host key .*(?:not known|mismatch)|No \S+ host key is known/i, 'hostkey'],
  [/Permission denied \(|Too many authentication failures|no more authentication methods|Authentication failed/i, 'auth'],
  [/Connection timed out during banner exchange|banner exchange|Timeout, server .* not responding/i, 'timeout'],
  [
    /Connection refused|No route to host|Network is unreachable|Could not resolve hostname|Name or service not known|Connection timed out|connect to host/i,
    'unreachable',
  ],
  [/Connection (?:closed|reset) by|Broken pipe|closed by remote host|kex_exchange_identification/i, 'dropped'],
];

const HOSTKEY_WHICH = /Host key for .* has changed|No \S+ host key is known for|host key .*(?:not known|mismatch)/i;

/** The last line of ssh's stderr that is ssh's own (not the remote program's), for the fault's detail. */
export function lastWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Warning: Permanently added/.test(l));
  return lines.at(-1) ?? '';
}

/** The fault of an ssh that ended before the remote program began. */
export function classify(stderr: string, exitCode: number | undefined): HostFault {
  if (exitCode !== 255 && /\bsudo\b/.test(stderr)) return { class: 'sudo', detail: lastWords(stderr) };
  for (const [re, cls] of CLASSES) {
    if (!re.test(stderr)) continue;
    // ssh ends both a changed key and an unknown one with "Host key verification failed."; the line that says
    // which (and so whether --accept-new-host-keys would help) comes before it.
    const which =
      cls === 'hostkey'
        ? stderr
            .split('\n')
            .find((l) => HOSTKEY_WHICH.test(l))
            ?.trim()
        : undefined;
    return { class: cls, detail: which ?? lastWords(stderr) };
  }
  const words = lastWords(stderr);
  return { class: 'dropped', detail: words || `ssh ended (status ${exitCode ?? 'killed'}) before the remote program began` };
}
