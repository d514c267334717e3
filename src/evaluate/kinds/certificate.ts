// The `certificate` kind, judged: a certificate file (and key) on the host, at the snapshot's clock.
import type { CertificateSelector } from '../../policy/model.js';
import type { CertificateFileFact, FactsSnapshot } from '../../facts/model.js';
import { isCertificateFile } from '../../plan/plan.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { nameOf, chainExpected, flag, judgeChain, judgeChainTail } from './shared/chain.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';

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

export function evaluate(c: CheckOf<'certificate'>, facts: FactsSnapshot): Outcome {
  return evaluateCertificate(c.selector.spec, c.expect, facts);
}
