// The `certificate` kind, judged: a certificate file (and key) on the host, at the snapshot's clock.
import type { CertificateSelector } from '../../policy/model.js';
import type { CertificateFileFact, FactsSnapshot } from '../../facts/model.js';
import { isCertificateFile } from '../../plan/plan.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { nameOf, chainExpected, flag, judgeChain, judgeChainTail } from './shared/chain.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';

type CertificateExpect = ExpectOf<'certificate'>;

function expectedOf(e: CertificateExpect): string {
  return chainExpected(e, (parts) => {
    if (e.chainOrder !== undefined) parts.push(e.chainOrder ? 'chain in order' : 'chain out of order');
    if (e.keyMatches !== undefined) parts.push(e.keyMatches ? 'key matches the leaf' : 'key does not match the leaf');
  });
}

function evaluateCertificate(spec: CertificateSelector, e: CertificateExpect, facts: FactsSnapshot): Outcome {
  const expected = expectedOf(e);
  const all = family(facts, 'certificates', expected);
  if (!all.ok) return all.outcome;
  const file: CertificateFileFact | undefined = all.value.find((f) => isCertificateFile(f, spec));
  const what = spec.key !== undefined ? `${spec.path} (key ${spec.key})` : spec.path;
  if (!file) return errorOutcome(expected, { code: 'fact-missing', certificateFile: what });
  if (!file.chain) return errorOutcome(expected, { code: 'no-certificate', path: spec.path, ...(file.reason !== undefined ? { why: file.reason } : {}) });
  const certs = file.chain.certificates;
  const leaf = certs[0]!;
  const whys: Reason[] = [];
  const seen: string[] = [];
  judgeChain(file.chain, e, whys, seen);
  if (e.chainOrder !== undefined) {
    const o = file.chain.order;
    const why = (holds: boolean): Reason => ({ code: 'chain-order', holds, problems: o.problems });
    flag(e.chainOrder, o.correct, 'chain in order', `chain out of order: ${o.problems.join('; ') || 'not issued in sequence'}`, why, whys, seen);
  }
  if (e.keyMatches !== undefined) {
    if (spec.key === undefined || !file.key) return errorOutcome(expected, { code: 'key-not-named', path: spec.path });
    if (file.key.matchesLeaf === null) {
      return errorOutcome(expected, { code: 'key-unreadable', key: spec.key, ...(file.key.reason !== undefined ? { why: file.key.reason } : {}) });
    }
    const key = spec.key;
    const certificate = nameOf(leaf);
    const why = (holds: boolean): Reason => ({ code: 'key-matches', key, certificate, holds });
    flag(e.keyMatches, file.key.matchesLeaf, `${key} belongs to the ${certificate}`, `${key} does not belong to the ${certificate}`, why, whys, seen);
  }
  judgeChainTail(file.chain, e, whys, seen);
  const actual = seen.join('; ') || `${certs.length} certificate${certs.length === 1 ? '' : 's'}`;
  const failed = together(whys);
  return failed
    ? { status: 'fail', expected, actual, reason: { ...failed, at: spec.path } }
    : { status: 'pass', expected, actual, reason: { code: 'matched', at: spec.path, seen: actual } };
}

export function evaluate(c: CheckOf<'certificate'>, facts: FactsSnapshot): Outcome {
  return evaluateCertificate(c.selector.spec, c.expect, facts);
}
