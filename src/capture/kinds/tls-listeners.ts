// The host's own TLS listeners: the versions each accepts and refuses today, and a certificate window that
// holds today (the baseline's two weeks, or what is left when less is).
import { isFamilyError } from '../../facts/model.js';
import type { CapturedCheck, Capturer, CaptureContext } from '../model.js';

/** The baseline's window: a certificate with less left is captured with what it has. */
const WINDOW_DAYS = 14;

function capture(ctx: CaptureContext): { checks: CapturedCheck[]; leftOut: string[] } {
  const all = ctx.facts.tlsListeners;
  if (!all || isFamilyError(all)) return { checks: [], leftOut: [`the TLS listeners could not be read (${all ? all.error : 'not collected'})`] };
  const checks: CapturedCheck[] = [];
  const leftOut: string[] = [];
  for (const port of [...new Set(all.filter((l) => !l.notTls).map((l) => l.port))].sort((a, b) => a - b)) {
    const on = all.filter((l) => l.port === port && !l.notTls);
    const addrs = on.map((l) => l.tls.addresses[0]);
    if (addrs.some((a) => !a)) {
      leftOut.push(`TLS listener on ${port}: not probed`);
      continue;
    }
    // A version is captured only where every socket on the port said the same.
    const verdictOf = (v: string): string | undefined => {
      const seen = new Set(addrs.map((a) => a!.versions?.find((x) => x.version === v)?.verdict));
      return seen.size === 1 ? [...seen][0] : undefined;
    };
    const names = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
    const accept = names.filter((v) => verdictOf(v) === 'accepted');
    const refuse = names.filter((v) => verdictOf(v) === 'refused');
    const expect: Record<string, unknown> = {};
    if (accept.length || refuse.length) expect.versions = { ...(accept.length ? { accept } : {}), ...(refuse.length ? { refuse } : {}) };
    const days = addrs.map((a) => a!.full?.chain?.earliestExpiry.daysLeft);
    const least = days.every((d) => d !== undefined) ? Math.floor(Math.min(...(days as number[]))) : undefined;
    if (least !== undefined) expect.certificate = { daysLeft: { gte: Math.min(WINDOW_DAYS, least) }, notYetValid: false };
    if (Object.keys(expect).length === 0) {
      leftOut.push(`TLS listener on ${port}: neither its versions nor its certificate could be read`);
      continue;
    }
    const owners = [...new Set(on.flatMap((l) => l.owners))];
    checks.push({
      id: `tls.listener-${port}`,
      title: `The TLS listener on ${port}${owners.length ? ` (${owners.join(', ')})` : ''} keeps its versions and certificate window`,
      severity: 'high',
      selector: ['tlsListeners', { ports: [port] }],
      expect,
      comment: `today: accepts ${accept.join(', ') || 'none'}; refuses ${refuse.join(', ') || 'none'}${least !== undefined ? `; ${least} days left on the certificate that expires first` : ''}`,
      tags: ['tls'],
    });
  }
  return { checks, leftOut };
}

export const tlsListenersCapturer: Capturer = { section: "the host's own TLS listeners", capture };
