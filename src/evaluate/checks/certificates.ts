// Certificate files on the host, judged: expiry of the earliest-expiring certificate of the bundle (which it
// names), the leaf's own days, validity start, chain order, the key's match, self-signing, SHA-1 and key size.
// Pure: day counts are the facts' own, taken at the snapshot's collectedAt, so `audit --facts` judges the same days.
import type { CertificateSelector, Matcher } from '../../policy/model.js';
import type { CertificateFact, CertificateFileFact, FactsSnapshot } from '../../facts/model.js';
import type { ChainFact } from '../../probes/cert-model.js';
import { isCertificateFile } from '../../plan/plan.js';
import { describe, match, show } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';

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

interface CertificateExpect extends ChainExpect {
  chainOrder?: boolean;
  keyMatches?: boolean;
}

/** How a certificate is named in results: its place in the bundle, role and subject. */
export function nameOf(c: CertificateFact): string {
  const role = c.position === 0 ? 'leaf' : c.selfSigned && c.ca ? 'root' : 'intermediate';
  return `${role} ${c.commonName ?? c.subject} (certificate ${c.position})`;
}

const days = (n: number): string => (n < 0 ? `expired ${-n} day${n === -1 ? '' : 's'} ago` : `${n} day${n === 1 ? '' : 's'} left`);

/** An expired certificate says so in words before its (negative) day count. */
const expiredNote = (n: number): string => (n < 0 ? `${days(n)}, ` : '');

/** The expectations of ChainExpect in words, in the order they are judged. */
export function chainExpected(e: ChainExpect, extra: (parts: string[]) => void = () => undefined): string {
  const parts: string[] = [];
  if (e.daysLeft !== undefined) parts.push(`days left ${describe(e.daysLeft)}`);
  if (e.fractionLeft !== undefined) parts.push(`fraction left ${describe(e.fractionLeft)}`);
  if (e.leaf?.daysLeft !== undefined) parts.push(`leaf days left ${describe(e.leaf.daysLeft)}`);
  if (e.notYetValid !== undefined) parts.push(e.notYetValid ? 'not yet valid' : 'already valid');
  extra(parts);
  if (e.selfSigned !== undefined) parts.push(e.selfSigned ? 'self-signed' : 'not self-signed');
  if (e.sha1 !== undefined) parts.push(e.sha1 ? 'SHA-1 signature' : 'no SHA-1 signature');
  if (e.keyBits !== undefined) parts.push(`leaf key bits ${describe(e.keyBits)}`);
  return parts.join(', ');
}

function expectedOf(e: CertificateExpect): string {
  return chainExpected(e, (parts) => {
    if (e.chainOrder !== undefined) parts.push(e.chainOrder ? 'chain in order' : 'chain out of order');
    if (e.keyMatches !== undefined) parts.push(e.keyMatches ? 'key matches the leaf' : 'key does not match the leaf');
  });
}

/** A boolean expectation: [what the facts say, in words]; a mismatch is a why. */
export function flag(want: boolean | undefined, got: boolean, yes: string, no: string, whys: string[], seen: string[]): void {
  if (want === undefined) return;
  seen.push(got ? yes : no);
  if (want !== got) whys.push(got ? yes : no);
}

/** Judges a chain on the expectations of ChainExpect, adding what it saw and why it fails. */
export function judgeChain(chain: ChainFact, e: ChainExpect, whys: string[], seen: string[]): void {
  const certs = chain.certificates;
  const leaf = certs[0]!;
  if (e.daysLeft !== undefined || e.fractionLeft !== undefined) {
    const ee = chain.earliestExpiry;
    const first = certs[ee.position] ?? leaf;
    const name = nameOf(first);
    seen.push(`earliest expiry: ${name}, notAfter ${ee.notAfter}, ${days(ee.daysLeft)}, ${Math.round(ee.fractionLeft * 1000) / 10}% of its lifetime left`);
    if (e.daysLeft !== undefined) {
      const r = match(ee.daysLeft, e.daysLeft);
      if (!r.ok) whys.push(`${name} expires first (${ee.notAfter}): ${expiredNote(ee.daysLeft)}days left ${r.why}`);
    }
    if (e.fractionLeft !== undefined) {
      const r = match(ee.fractionLeft, e.fractionLeft);
      if (!r.ok) whys.push(`${name} expires first (${ee.notAfter}): fraction of its lifetime left ${r.why}`);
    }
  }
  if (e.leaf?.daysLeft !== undefined) {
    seen.push(`leaf ${days(leaf.daysLeft)} (notAfter ${leaf.notAfter})`);
    const r = match(leaf.daysLeft, e.leaf.daysLeft);
    if (!r.ok) whys.push(`${nameOf(leaf)} (notAfter ${leaf.notAfter}): ${expiredNote(leaf.daysLeft)}days left ${r.why}`);
  }
  if (e.notYetValid !== undefined) {
    const early = certs.filter((c) => c.notYetValid);
    flag(e.notYetValid, early.length > 0, `not yet valid: ${early.map((c) => `${nameOf(c)} from ${c.notBefore}`).join(', ')}`, 'every certificate already valid', whys, seen);
  }
}

/** The leaf-and-signature expectations, judged after the caller's own (so messages keep the expected order). */
export function judgeChainTail(chain: ChainFact, e: ChainExpect, whys: string[], seen: string[]): void {
  const certs = chain.certificates;
  const leaf = certs[0]!;
  if (e.selfSigned !== undefined) flag(e.selfSigned, leaf.selfSigned, `${nameOf(leaf)} is self-signed`, `${nameOf(leaf)} is not self-signed`, whys, seen);
  if (e.sha1 !== undefined) {
    // A root's signature on itself is never checked by a client: only the signatures someone verifies count.
    const weak = certs.filter((c) => c.signature.sha1 && !(c.selfSigned && c.ca));
    flag(e.sha1, weak.length > 0, `SHA-1 signature on ${weak.map((c) => `${nameOf(c)} (${c.signature.algorithm})`).join(', ')}`, 'no SHA-1 signature', whys, seen);
  }
  if (e.keyBits !== undefined) {
    const bits = leaf.key.bits ?? undefined;
    seen.push(`leaf key ${leaf.key.type}${bits !== undefined ? ` ${bits} bits` : ''}`);
    const r = match(bits, e.keyBits);
    if (!r.ok) whys.push(`${nameOf(leaf)} key (${leaf.key.type}) bits ${r.why}`);
  }
}

export function evaluateCertificate(spec: CertificateSelector, expect: unknown, facts: FactsSnapshot): Outcome {
  const e = (expect ?? {}) as CertificateExpect;
  const expected = expectedOf(e);
  const all = family(facts, 'certificates', expected);
  if (!all.ok) return all.outcome;
  const file: CertificateFileFact | undefined = all.value.find((f) => isCertificateFile(f, spec));
  const what = spec.key !== undefined ? `${spec.path} (key ${spec.key})` : spec.path;
  if (!file) return errorOutcome(expected, `the facts snapshot has no certificate file ${what} (collected for another policy?)`);
  if (!file.chain) return errorOutcome(expected, file.reason ?? `${spec.path}: no certificate`);
  const certs = file.chain.certificates;
  const leaf = certs[0]!;
  const whys: string[] = [];
  const seen: string[] = [];
  judgeChain(file.chain, e, whys, seen);
  if (e.chainOrder !== undefined) {
    const o = file.chain.order;
    flag(e.chainOrder, o.correct, 'chain in order', `chain out of order: ${o.problems.join('; ') || 'not issued in sequence'}`, whys, seen);
  }
  if (e.keyMatches !== undefined) {
    if (spec.key === undefined || !file.key) return errorOutcome(expected, `keyMatches needs certificate.key: name the private key file of ${spec.path}`);
    if (file.key.matchesLeaf === null) return errorOutcome(expected, file.key.reason ?? `${spec.key}: the key could not be read`);
    flag(e.keyMatches, file.key.matchesLeaf, `${spec.key} belongs to the ${nameOf(leaf)}`, `${spec.key} does not belong to the ${nameOf(leaf)}`, whys, seen);
  }
  judgeChainTail(file.chain, e, whys, seen);
  const actual = seen.join('; ') || `${certs.length} certificate${certs.length === 1 ? '' : 's'}`;
  return whys.length
    ? { status: 'fail', expected, actual, message: `${spec.path}: ${whys.join('; ')}` }
    : { status: 'pass', expected, actual, message: `${spec.path}: ${actual}` };
}
