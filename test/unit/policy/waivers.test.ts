// A waivers file over a resolved policy: which checks each waiver names on which host, which wins when several
// name one check, what `run: false` leaves out of collection (down the lower checks plumbline made), and what
// each waiver did on a host and across a fleet. Real captured snapshots (fixtures/snapshots/) with a fixed clock.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { ResolvedPolicy } from '../../../src/policy/model.js';
import { ensureValidators, root } from './helpers.js';

const NOW = new Date('2026-11-25T12:00:00Z');
let m: typeof import('../../../src/policy/waivers-file.js') &
  typeof import('../../../src/policy/waive.js') &
  typeof import('../../../src/evaluate/waivers.js') &
  typeof import('../../../src/evaluate/evaluate.js') &
  typeof import('../../../src/plan/plan.js');
let resolvePolicy: typeof import('../../../src/policy/resolve.js').resolvePolicy;

beforeAll(async () => {
  ensureValidators();
  m = {
    ...(await import('../../../src/policy/waivers-file.js')),
    ...(await import('../../../src/policy/waive.js')),
    ...(await import('../../../src/evaluate/waivers.js')),
    ...(await import('../../../src/evaluate/evaluate.js')),
    ...(await import('../../../src/plan/plan.js')),
  };
  ({ resolvePolicy } = await import('../../../src/policy/resolve.js'));
});

const snapshot = (host: 'good' | 'bad'): FactsSnapshot => JSON.parse(readFileSync(`${root}fixtures/snapshots/${host}.json`, 'utf8')) as FactsSnapshot;

function policy(checks: string[]): ResolvedPolicy {
  const file = `${root}test/unit/policy/waived.yaml`;
  const text = ['apiVersion: plumbline/v1', 'kind: Policy', 'metadata: { name: w }', 'checks:', ...checks.map((c) => `  - ${c}`), ''].join('\n');
  return resolvePolicy([file], { builtinDir: `${root}policies`, cwd: root, readFile: (p) => (p === file ? text : readFileSync(p, 'utf8')) });
}

const waivers = (entries: string[]) =>
  m.parseWaivers(['apiVersion: plumbline/v1', 'kind: Waivers', 'waivers:', ...entries.map((e) => `  - ${e}`), ''].join('\n'), 'w.yaml');

const SYSCTLS = [
  '{ id: kernel.somaxconn, sysctl: net.core.somaxconn, expect: { gte: 99999999 }, tags: [tuning] }',
  '{ id: kernel.syncookies, sysctl: net.ipv4.tcp_syncookies, expect: { in: [0, 1, 2] } }',
];

describe('a waivers file over a policy', () => {
  it('reads each waiver with its place, run true unless said', () => {
    const rules = waivers([
      '{ check: kernel.*, justification: j, owner: o, expires: 2027-01-01 }',
      '{ check: x, justification: j, owner: o, expires: 2027-01-01, run: false, hosts: [web*] }',
    ]);
    expect(rules.map((r) => [r.check, r.run, r.hosts, r.source.line])).toEqual([
      ['kernel.*', true, undefined, 4],
      ['x', false, ['web*'], 5],
    ]);
  });

  it('names checks by id, tag or glob, on the hosts its patterns admit (name or address)', () => {
    const p = policy(SYSCTLS);
    const rules = waivers(['{ check: tuning, justification: j, owner: o, expires: 2027-01-01, hosts: ["db-?", "198.18.0.*"] }']);
    const waived = (name: string, address?: string) =>
      m
        .withWaivers(p, rules, { name, ...(address ? { addresses: [address] } : {}) }, NOW)
        .checks.filter((c) => c.waiver)
        .map((c) => c.id);
    expect(waived('db-1')).toEqual(['kernel.somaxconn']);
    expect(waived('web-1')).toEqual([]);
    expect(waived('web-1', '198.18.0.7')).toEqual(['kernel.somaxconn']);
    expect(waived('db-12')).toEqual([]);
    // Host names are not case-sensitive.
    expect(waived('DB-1')).toEqual(['kernel.somaxconn']);
  });

  it('of several waivers for one check the first in force wins, and a file waiver stands over the policy own', () => {
    const p = policy(SYSCTLS);
    const rules = waivers([
      '{ check: kernel.somaxconn, justification: old, owner: a, expires: 2026-01-01 }',
      '{ check: kernel.*, justification: current, owner: b, expires: 2027-01-01 }',
      '{ check: tuning, justification: later, owner: c, expires: 2027-06-01 }',
    ]);
    const run = m.withWaivers(p, rules, { name: 'h' }, NOW);
    const c = run.checks.find((x) => x.id === 'kernel.somaxconn')!;
    expect([c.waiver?.reason, c.waiver?.owner]).toEqual(['current', 'b']);
    // The later one waives nothing of its own: stale, and said so.
    const uses = m.waiverUses(rules, p, m.evaluate(run, snapshot('good'), NOW), { name: 'h' }, NOW);
    expect(uses.map((u) => [u.check, u.state, m.needsAttention(u)])).toEqual([
      ['kernel.somaxconn', 'expired', true],
      ['kernel.*', 'applied', false],
      ['tuning', 'shadowed', true],
    ]);
  });

  it('run: false keeps the check (reported waived) but plans nothing for it, nor for the lower checks only it stood on', () => {
    const p = policy([
      ...SYSCTLS,
      '{ id: web.tls, tls: { host: www.example.com, port: 443 }, expect: { versions: { accept: [TLSv1.3] } } }',
      '{ id: web.http, http: { url: "https://api.example.com/" }, expect: { status: 200 } }',
    ]);
    expect(p.checks.filter((c) => c.impliedBy).map((c) => c.id)).toEqual([
      'implied.dns.www.example.com',
      'implied.tcp.www.example.com:443',
      'implied.dns.api.example.com',
      'implied.tcp.api.example.com:443',
    ]);
    const rules = waivers(['{ check: web.tls, justification: j, owner: o, expires: 2027-01-01, run: false }']);
    const run = m.withWaivers(p, rules, { name: 'h' }, NOW);
    expect(run.checks.map((c) => c.id)).toEqual([
      'kernel.somaxconn',
      'kernel.syncookies',
      'web.tls',
      'web.http',
      'implied.dns.api.example.com',
      'implied.tcp.api.example.com:443',
    ]);
    const planned = m.plan(run.checks, 1000).probes.map((t) => `${t.kind}:${'host' in t ? t.host : 'url' in t ? t.url : ''}`);
    expect(planned.some((x) => x.includes('www.example.com'))).toBe(false);
    expect(planned.some((x) => x.includes('api.example.com'))).toBe(true);
    const results = m.evaluate(run, snapshot('good'), NOW);
    const tls = results.find((r) => r.id === 'web.tls')!;
    expect([tls.status, tls.reason.code, tls.waiver?.status]).toEqual(['waived', 'not-run', 'skip']);
    // Expired, it no longer keeps its check from being collected.
    const expired = waivers(['{ check: web.tls, justification: j, owner: o, expires: 2026-11-24, run: false }']);
    expect(m.withWaivers(p, expired, { name: 'h' }, NOW).checks.find((c) => c.id === 'web.tls')?.waiver?.run).toBeUndefined();
  });

  it('says what each waiver did: applied, expired, unmatched, passing, not judged, other hosts; the expiring day counts', () => {
    const p = policy(SYSCTLS);
    const rules = waivers([
      '{ check: kernel.somaxconn, justification: j, owner: o, expires: 2026-11-25 }',
      '{ check: kernel.syncookies, justification: j, owner: o, expires: 2027-01-01 }',
      '{ check: nothing.*, justification: j, owner: o, expires: 2027-01-01 }',
      '{ check: tuning, justification: j, owner: o, expires: 2026-11-24 }',
      '{ check: kernel.*, justification: j, owner: o, expires: 2027-01-01, hosts: [db-*] }',
    ]);
    const host = { name: 'web-1' };
    const run = m.withWaivers(p, rules, host, NOW);
    const results = m.evaluate(run, snapshot('good'), NOW);
    const uses = m.waiverUses(rules, p, results, host, NOW);
    expect(uses.map((u) => [u.check, u.state, u.daysLeft, m.needsAttention(u)])).toEqual([
      ['kernel.somaxconn', 'applied', 0, true],
      ['kernel.syncookies', 'passing', 37, true],
      ['nothing.*', 'unmatched', 37, true],
      ['tuning', 'expired', -1, true],
      ['kernel.*', 'other-hosts', 37, false],
    ]);
    // A check left out of the run (--skip) is not taken for one the waiver does not name.
    const skipped = m.policyForRun(p, { selection: { skip: ['kernel.syncookies'] }, waivers: rules }, host, NOW);
    const second = m.waiverUses(rules, p, m.evaluate(skipped, snapshot('good'), NOW), host, NOW)[1]!;
    expect(second.state).toBe('not-judged');
    // --no-waivers: nothing waived, the policy's own waivers neither.
    const none = m.policyForRun(run, { noWaivers: true }, host, NOW);
    expect(none.checks.some((c) => c.waiver)).toBe(false);
  });

  it('across a fleet: applied on any host is applied; stale only where stale on every host that judged it', () => {
    const p = policy(SYSCTLS);
    const rules = waivers(['{ check: kernel.somaxconn, justification: j, owner: o, expires: 2027-01-01 }']);
    const on = (host: string, facts: FactsSnapshot) => {
      const results = m.evaluate(m.withWaivers(p, rules, { name: host }, NOW), facts, NOW);
      return m.waiverUses(rules, p, results, { name: host }, NOW);
    };
    // Any host's somaxconn is below 99999999: applied there; with a passing bound it would be stale.
    expect(m.fleetWaiverUses([on('a', snapshot('good')), on('b', snapshot('bad'))]).map((u) => u.state)).toEqual(['applied']);
    const passing = { ...m.waiverUses(rules, p, [], { name: 'c' }, NOW)[0]!, state: 'passing' as const };
    expect(m.fleetWaiverUses([[passing], on('a', snapshot('good'))]).map((u) => u.state)).toEqual(['applied']);
    expect(m.fleetWaiverUses([[passing], [passing]]).map((u) => u.state)).toEqual(['passing']);
  });
});
