// buildFleetReport over the fixture fleets (host reports built by the pipeline from captured snapshots) and over
// outcomes changed one thing at a time: the order, the verdict, the summary and the grouping of failures, each
// checked against the host reports they come from.
import { describe, expect, it } from 'vitest';
import { buildFleetReport, byHostName } from '../../../../src/report/fleet/build.js';
import type { HostOutcome } from '../../../../src/report/fleet/model.js';
import { FAULT_CLASSES } from '../../../../src/lib/host-fault.js';
import { fleetExitCode } from '../../../../src/cli/audit-run.js';
import { fixtureFleet, fixtureOutcomes, SPECIAL_NAME } from '../../../helpers/fleets.js';
import { fixtureReport } from '../../../helpers/reports.js';

const META = { policy: { name: 'p', sources: ['builtin:baseline'] }, threshold: 80, now: new Date('2026-11-25T00:00:00Z'), version: 't' };

describe('buildFleetReport', () => {
  it('orders hosts by name, digits as numbers, whatever order they finished in', async () => {
    const f = await fixtureFleet('mixed');
    expect(f.hosts.map((h) => h.name)).toEqual(['db-01', 'db-02', SPECIAL_NAME, 'web-01', 'web-02', 'web-10']);
    const meta = { ...META, policy: f.policy };
    const outcomes = await fixtureOutcomes('mixed');
    expect(buildFleetReport([...outcomes].reverse(), meta)).toEqual(buildFleetReport(outcomes, meta));
    expect(['web10', 'web9', 'web09', 'web1', 'a', 'web'].sort(byHostName)).toEqual(['a', 'web', 'web1', 'web09', 'web9', 'web10']);
  });

  it('each host: its report verdict, or unaudited (never ready) with its fault; a partial host judged on its report', async () => {
    const outcomes = await fixtureOutcomes('mixed');
    const f = await fixtureFleet('mixed');
    for (const o of outcomes) {
      const h = f.hosts.find((x) => x.name === o.name)!;
      if (o.report) {
        expect(h).toMatchObject({
          audited: true,
          ready: o.report.ready,
          score: o.report.score,
          counts: o.report.counts,
          verdictReason: o.report.verdictReason,
        });
        expect(h.state).toBe(o.report.ready ? 'ready' : 'not-ready');
        expect(h.report).toEqual(o.report);
        const critical = o.report.results.filter((r) => r.severity === 'critical' && !r.impliedBy && (r.status === 'fail' || r.status === 'error'));
        expect(h.criticalFailing).toEqual([...new Set(critical.map((r) => r.id))]);
      } else {
        expect(h).toMatchObject({ audited: false, ready: false, state: 'unaudited', criticalFailing: [], fault: o.fault });
        expect(h.report).toBeUndefined();
        expect(h.score).toBeUndefined();
      }
      expect(h.fault).toEqual(o.fault);
    }
    expect(f.hosts.find((h) => h.name === 'db-01')).toMatchObject({ state: 'not-ready', fault: { class: 'partial' } });
  });

  it('the fleet is ready only when every host is; the summary counts hosts by state and by fault class', async () => {
    const f = await fixtureFleet('mixed');
    expect(f.ready).toBe(false);
    expect(f.summary).toEqual({
      hosts: 6,
      ready: 2,
      notReady: 2,
      unaudited: 2,
      byFault: { policy: 0, unreachable: 1, hostkey: 1, auth: 0, sudo: 0, timeout: 0, dropped: 0, partial: 1 },
    });
    expect(Object.keys(f.summary.byFault)).toEqual([...FAULT_CLASSES]);
    expect(f.verdictReason).toBe('2 of 6 hosts ready; not ready: db-01, web-02; not audited: db-02 (unreachable), web-10 (host key not the known one)');
    const ready = await fixtureFleet('ready');
    expect(ready).toMatchObject({ ready: true, verdictReason: 'all 2 hosts are ready' });
    // One unaudited host among ready ones makes the fleet not ready.
    const r = await fixtureReport('ready');
    const one = buildFleetReport(
      [
        { name: 'a', groups: [], report: r },
        { name: 'b', groups: [], fault: { class: 'timeout', detail: 'no answer in 30 s' } },
      ],
      META,
    );
    expect(one).toMatchObject({ ready: false, verdictReason: '1 of 2 hosts ready; not audited: b (no answer in time)' });
  });

  it('an empty fleet is no evidence of readiness', () => {
    const f = buildFleetReport([], META);
    expect(f).toMatchObject({ ready: false, hosts: [], failing: [], verdictReason: 'no host was audited: an empty fleet is no evidence of readiness' });
    expect(fleetExitCode(f)).toEqual({ code: 3, message: expect.stringContaining('no host to audit') });
  });

  it('failing: one entry per check, status and reason code, with its hosts; most hosts first, then severity', async () => {
    const f = await fixtureFleet('mixed');
    // Recount from the host reports: every failing or unverified scored result is in exactly one group of its host.
    const expected = new Map<string, Set<string>>();
    for (const h of f.hosts)
      for (const r of h.report?.results ?? [])
        if (!r.impliedBy && (r.status === 'fail' || r.status === 'error')) {
          const k = `${r.id} ${r.status} ${r.reason?.code}`;
          expected.set(k, new Set([...(expected.get(k) ?? []), h.name]));
        }
    const got = new Map(f.failing.map((g) => [`${g.checkId} ${g.status} ${g.reasonCode}`, new Set(g.hosts)]));
    expect(got).toEqual(expected);
    const rank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
    for (let i = 1; i < f.failing.length; i++) {
      const a = f.failing[i - 1]!;
      const b = f.failing[i]!;
      expect(a.hosts.length > b.hosts.length || (a.hosts.length === b.hosts.length && rank[a.severity] <= rank[b.severity])).toBe(true);
    }
    expect(f.failing[0]).toMatchObject({ checkId: 'listen.elasticsearch', severity: 'critical', reasonCode: 'bind-breach', hosts: ['db-01', 'web-02'] });
    // Waived results are no failures.
    const waived = f.hosts.flatMap((h) => h.report?.results ?? []).filter((r) => r.status === 'waived');
    expect(waived.length).toBeGreaterThan(0);
  });

  it('refuses two outcomes for one host, and leaves its inputs as they were', async () => {
    const outcomes: HostOutcome[] = await fixtureOutcomes('mixed');
    const before = structuredClone(outcomes);
    buildFleetReport(outcomes, META);
    expect(outcomes).toEqual(before);
    expect(() => buildFleetReport([...outcomes, { name: 'web-01', groups: [], fault: { class: 'auth', detail: '' } }], META)).toThrow(
      'two outcomes for host "web-01": a fleet report holds each host once',
    );
  });
});

describe('fleetExitCode', () => {
  it('0 when every host is ready, 1 when some host is not ready or not audited, 3 when nothing was judged anywhere', async () => {
    expect(fleetExitCode(await fixtureFleet('ready'))).toEqual({ code: 0 });
    expect(fleetExitCode(await fixtureFleet('mixed'))).toEqual({ code: 1 });
    const none = buildFleetReport(
      [
        { name: 'a', groups: [], fault: { class: 'unreachable', detail: 'refused' } },
        { name: 'b', groups: [], fault: { class: 'sudo', detail: 'a password is required' } },
      ],
      META,
    );
    expect(fleetExitCode(none)).toEqual({
      code: 3,
      message: 'the fleet audit could not run: no host could be audited (0 of 2 hosts ready; not audited: a (unreachable), b (sudo refused))',
    });
    // A host whose every check is an error judged nothing either.
    const r = await fixtureReport('ready');
    const allErrors = { ...r, ready: false, results: r.results.map((x) => ({ ...x, status: 'error' as const })) };
    expect(fleetExitCode(buildFleetReport([{ name: 'a', groups: [], report: allErrors }], META)).code).toBe(3);
  });
});
