// A certificate chain judged against what a check expects of it, wherever the chain came from (a file on the
// host, a TLS handshake): the certificate and tls kinds share it.
import type { Matcher } from '../../../policy/model.js';
import type { CertificateFact } from '../../../facts/model.js';
import type { ChainFact } from '../../../probes/cert-model.js';
import { about, asPercent, describe, match } from '../../matchers.js';
import type { Reason } from '../../reasons.js';

/** What a chain is judged on, wherever it came from (a file on the host, a handshake). */
export interface ChainExpect {
  daysLeft?: Matcher;
  fractionLeft?: Matcher;
  leaf?: { daysLeft?: Matcher };
  notYetValid?: boolean;
  selfSigned?: boolean;
  sha1?: boolean;
  keyBits?: Matcher;
}

/** How a certificate is named in results: its place in the bundle, role and subject. */
export function nameOf(c: CertificateFact): string {
  const role = c.position === 0 ? 'leaf' : c.selfSigned && c.ca ? 'root' : 'intermediate';
  return `${role} ${c.commonName ?? c.subject} (certificate ${c.position})`;
}

const days = (n: number): string => (n < 0 ? `expired ${-n} day${n === -1 ? '' : 's'} ago` : `${n} day${n === 1 ? '' : 's'} left`);

/** The expectations of ChainExpect in words, in the order they are judged. */
export function chainExpected(e: ChainExpect, extra: (parts: string[]) => void = () => undefined): string {
  const parts: string[] = [];
  if (e.daysLeft !== undefined) parts.push(`days left ${describe(e.daysLeft)}`);
  if (e.fractionLeft !== undefined) parts.push(`lifetime left ${describe(e.fractionLeft, asPercent)}`);
  if (e.leaf?.daysLeft !== undefined) parts.push(`leaf days left ${describe(e.leaf.daysLeft)}`);
  if (e.notYetValid !== undefined) parts.push(e.notYetValid ? 'not yet valid' : 'already valid');
  extra(parts);
  if (e.selfSigned !== undefined) parts.push(e.selfSigned ? 'self-signed' : 'not self-signed');
  if (e.sha1 !== undefined) parts.push(e.sha1 ? 'SHA-1 signature' : 'no SHA-1 signature');
  if (e.keyBits !== undefined) parts.push(`leaf key bits ${describe(e.keyBits)}`);
  return parts.join(', ');
}

/**
 * A boolean expectation: what the facts say, in words for `actual` (yes or no); a mismatch is a finding, `why`
 * with `holds` set to what the facts say.
 */
export function flag(want: boolean | undefined, got: boolean, yes: string, no: string, why: (holds: boolean) => Reason, whys: Reason[], seen: string[]): void {
  if (want === undefined) return;
  seen.push(got ? yes : no);
  if (want !== got) whys.push(why(got));
}

/** Judges a chain on the expectations of ChainExpect, adding what it saw and why it fails. */
export function judgeChain(chain: ChainFact, e: ChainExpect, whys: Reason[], seen: string[]): void {
  const certs = chain.certificates;
  const leaf = certs[0]!;
  if (e.daysLeft !== undefined || e.fractionLeft !== undefined) {
    const ee = chain.earliestExpiry;
    const first = certs[ee.position] ?? leaf;
    const name = nameOf(first);
    seen.push(`earliest expiry: ${name}, notAfter ${ee.notAfter}, ${days(ee.daysLeft)}, ${Math.round(ee.fractionLeft * 1000) / 10}% of its lifetime left`);
    if (e.daysLeft !== undefined) {
      const r = match(ee.daysLeft, e.daysLeft);
      if (!r.ok) whys.push({ code: 'expires-soon', certificate: name, notAfter: ee.notAfter, daysLeft: ee.daysLeft, failures: r.failures });
    }
    if (e.fractionLeft !== undefined) {
      const r = match(ee.fractionLeft, e.fractionLeft, asPercent);
      if (!r.ok) whys.push({ code: 'expires-soon', certificate: name, notAfter: ee.notAfter, share: true, failures: r.failures });
    }
  }
  if (e.leaf?.daysLeft !== undefined) {
    seen.push(`leaf ${days(leaf.daysLeft)} (notAfter ${leaf.notAfter})`);
    const r = match(leaf.daysLeft, e.leaf.daysLeft);
    if (!r.ok) whys.push({ code: 'leaf-expires-soon', certificate: nameOf(leaf), notAfter: leaf.notAfter, daysLeft: leaf.daysLeft, failures: r.failures });
  }
  if (e.notYetValid !== undefined) {
    const early = certs.filter((c) => c.notYetValid).map((c) => `${nameOf(c)} from ${c.notBefore}`);
    flag(
      e.notYetValid,
      early.length > 0,
      `not yet valid: ${early.join(', ')}`,
      'every certificate already valid',
      (holds) => ({ code: 'not-yet-valid', holds, certificates: early }),
      whys,
      seen,
    );
  }
}

/** The leaf-and-signature expectations, judged after the caller's own (so messages keep the expected order). */
export function judgeChainTail(chain: ChainFact, e: ChainExpect, whys: Reason[], seen: string[]): void {
  const certs = chain.certificates;
  const leaf = certs[0]!;
  if (e.selfSigned !== undefined) {
    const certificate = nameOf(leaf);
    flag(
      e.selfSigned,
      leaf.selfSigned,
      `${certificate} is self-signed`,
      `${certificate} is not self-signed`,
      (holds) => ({ code: 'self-signed', certificate, holds }),
      whys,
      seen,
    );
  }
  if (e.sha1 !== undefined) {
    // A root's signature on itself is never checked by a client: only the signatures someone verifies count.
    const weak = certs.filter((c) => c.signature.sha1 && !(c.selfSigned && c.ca)).map((c) => `${nameOf(c)} (${c.signature.algorithm})`);
    flag(
      e.sha1,
      weak.length > 0,
      `SHA-1 signature on ${weak.join(', ')}`,
      'no SHA-1 signature',
      (holds) => ({ code: 'sha1-signature', holds, certificates: weak }),
      whys,
      seen,
    );
  }
  if (e.keyBits !== undefined) {
    const bits = leaf.key.bits ?? undefined;
    seen.push(`leaf key ${leaf.key.type}${bits !== undefined ? ` ${bits} bits` : ''}`);
    const r = match(bits, e.keyBits);
    whys.push(...about(`${nameOf(leaf)} key (${leaf.key.type}) bits`, r.failures));
  }
}
