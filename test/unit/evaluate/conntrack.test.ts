// The conntrack family read from answers captured on real hosts, and the conntrack kind judged on its facts.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/evaluate/kinds/conntrack.js';
import { wordedOutcome } from '../../helpers/worded.js';
import { conntrackFamily } from '../../../src/facts/families/conntrack.js';
import type { ConntrackFact, FactsSnapshot } from '../../../src/facts/model.js';
import type { CheckOf, Matcher } from '../../../src/policy/model.js';
import { readFamily } from '../../helpers/family.js';
import { replayTransport } from '../../helpers/replay.js';

const COUNT = '/proc/sys/net/netfilter/nf_conntrack_count';
const MAX = '/proc/sys/net/netfilter/nf_conntrack_max';

function check(measure: 'usage' | 'count' | 'max', expect: Matcher): CheckOf<'conntrack'> {
  return {
    id: `ct.${measure}`,
    title: measure,
    severity: 'high',
    area: 'firewall',
    selector: { kind: 'conntrack', measure },
    expect,
    tags: [],
    refs: [],
    source: { file: 't.yaml', line: 1, column: 1 },
  };
}

const facts = (conntrack: ConntrackFact | { error: string }): FactsSnapshot => ({
  schema: 'plumbline/facts/v1',
  host: { hostname: 'h', kernel: 'k', collectedAt: '2026-01-01T00:00:00.000Z', transport: 'replay' },
  conntrack,
});

describe('the conntrack family', () => {
  it('reads the entries and the limit (nf_conntrack loaded)', async () => {
    const t = replayTransport({ files: { [COUNT]: '220000\n', [MAX]: '262144\n' } });
    expect(await readFamily(conntrackFamily, true, t)).toEqual({ loaded: true, count: 220000, max: 262144 });
    expect(t.batches).toHaveLength(1);
  });

  it('says the table cannot fill when nf_conntrack is not loaded (no netfilter directory)', async () => {
    const f = await readFamily(conntrackFamily, true, replayTransport({}));
    expect(f).toMatchObject({ loaded: false });
  });

  it('fails the family when a file exists but cannot be read, or is no count', async () => {
    await expect(readFamily(conntrackFamily, true, replayTransport({ files: { [COUNT]: { error: 'EACCES' }, [MAX]: '1\n' } }))).rejects.toThrow(
      /permission denied \(\/proc\/sys\/net\/netfilter\/nf_conntrack_count\)/,
    );
    await expect(readFamily(conntrackFamily, true, replayTransport({ files: { [COUNT]: 'many\n', [MAX]: '1\n' } }))).rejects.toThrow(/not a count/);
  });
});

describe('the conntrack kind', () => {
  const nearlyFull = facts({ loaded: true, count: 220000, max: 262144 });

  it('judges usage as entries over the limit, and shows both', () => {
    expect(evaluate(check('usage', { lte: 0.8 }), nearlyFull)).toMatchObject({ status: 'fail', actual: '0.8392 (220000 of 262144 entries)' });
    expect(evaluate(check('usage', { lte: 0.9 }), nearlyFull)).toMatchObject({ status: 'pass' });
    // Why, as data, and in the report's words.
    expect(wordedOutcome(evaluate(check('usage', { lte: 0.8 }), nearlyFull))).toMatchObject({
      reason: { code: 'above', subject: 'conntrack usage', op: 'lte', bound: '0.8' },
      message: 'conntrack usage is 0.8392, not <= 0.8',
    });
  });

  it('judges the entries and the limit as numbers', () => {
    expect(evaluate(check('count', { lt: 100_000 }), nearlyFull)).toMatchObject({ status: 'fail', actual: '220000' });
    expect(evaluate(check('max', { gte: 262144 }), nearlyFull)).toMatchObject({ status: 'pass', actual: '262144' });
  });

  it('does not apply where nothing is tracked, and is an error where the table could not be read', () => {
    expect(wordedOutcome(evaluate(check('usage', { lte: 0.8 }), facts({ loaded: false, reason: 'nf_conntrack is not loaded' })))).toMatchObject({
      status: 'skip',
      reason: { code: 'not-loaded' },
      message: 'not applicable: nf_conntrack is not loaded',
    });
    expect(evaluate(check('usage', { lte: 0.8 }), facts({ error: 'permission denied' }))).toMatchObject({ status: 'error' });
  });
});
