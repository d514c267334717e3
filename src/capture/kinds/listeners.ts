// The host's listening sockets as an allow-list (every address and port it listens on, nothing else), and each
// port with where it binds and who owns it: a new listener, a database moved to 0.0.0.0 or a service run by
// another user is then a failure.
import type { Listener } from '../../facts/model.js';
import { isFamilyError } from '../../facts/model.js';
import type { CapturedCheck, Capturer, CaptureContext } from '../model.js';

const addrPort = (l: Pick<Listener, 'address' | 'port'>): string => (l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`);

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** The one value every item has, if they agree. */
function agreed(values: ReadonlyArray<string | undefined>): string | undefined {
  const [first, ...rest] = values;
  return first !== undefined && rest.every((v) => v === first) ? first : undefined;
}

function capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] } {
  const sockets = ctx.facts.sockets;
  if (!sockets || isFamilyError(sockets)) return { checks: [], leftOut: [`the listeners could not be read (${sockets ? sockets.error : 'not collected'})`] };
  const checks: CapturedCheck[] = [];
  const leftOut: string[] = [];
  if (!sockets.ownersComplete) leftOut.push('listener owners: the processes holding some sockets could not be seen, so only their binds are held');
  for (const protocol of ['tcp', 'udp'] as const) {
    const ls = sockets.listeners.filter((l) => l.protocol === protocol);
    if (ls.length === 0) continue;
    checks.push({
      id: `listen.${protocol}-allow-list`,
      title: `Only these ${protocol.toUpperCase()} listeners`,
      severity: 'high',
      selector: ['listeners', { protocol }],
      expect: { only: unique(ls.map(addrPort)).sort() },
      comment: `every ${protocol.toUpperCase()} address and port this host listens on`,
      tags: ['security'],
    });
    for (const port of unique(ls.map((l) => l.port)).sort((a, b) => a - b)) {
      const on = ls.filter((l) => l.port === port);
      // Who owns a socket is judged through its process: where that is unknown, only where it binds is held.
      const known = on.every((l) => l.owners.length > 0);
      const comm = known ? agreed(on.flatMap((l) => l.owners.map((o) => o.comm))) : undefined;
      const user = known ? agreed(on.map((l) => l.user)) : undefined;
      const expect: Record<string, unknown> = { bind: unique(on.map((l) => l.address)).sort() };
      if (comm !== undefined) expect.process = comm;
      if (user !== undefined) expect.user = user;
      checks.push({
        id: `listen.${protocol}-${port}`,
        title: `${protocol.toUpperCase()} ${port}${comm ? ` (${comm})` : ''} listens where it does today`,
        severity: 'medium',
        selector: ['listener', { port, protocol }],
        expect,
        comment: `${on.length} listening socket${on.length === 1 ? '' : 's'}${comm ? ` of ${comm}` : ''}${user ? ` as ${user}` : ''}${known ? '' : ' (owner not visible)'}`,
        tags: ['security'],
      });
    }
  }
  return { checks, leftOut };
}

export const listenersCapturer: Capturer = { section: 'listeners: where each service listens, and nothing else', capture };
