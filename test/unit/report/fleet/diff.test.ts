// diffFleets over fixture fleets changed one host at a time, so each rule of what counts as a fleet regression is
// seen on its own, and its renderings.
import { describe, expect, it } from 'vitest';
import { diffFleets } from '../../../../src/report/fleet/diff.js';
import { renderFleetDiffMarkdown, renderFleetDiffPretty } from '../../../../src/report/fleet/diff-render.js';
import { buildFleetReport } from '../../../../src/report/fleet/build.js';
import type { FleetReport, HostOutcome } from '../../../../src/report/fleet/model.js';
import { fixtureOutcomes } from '../../../helpers/fleets.js';
import { fixtureReport } from '../../../helpers/reports.js';

const META = { policy: { name: 'baseline', sources: ['policies/baseline.yaml'] }, threshold: 80, now: new Date('2026-11-25T00:00:00Z'), version: 't' };
const fleet = (o: HostOutcome[]): FleetReport => buildFleetReport(o, META);

describe('diffFleets', () => {
  it('a fleet against itself changes nothing and is no regression', async () => {
    const f = fleet(await fixtureOutcomes('mixed'));
    expect(diffFleets(f, f)).toMatchObject({ hosts: [], regression: false, reason: 'no host got worse', warnings: [] });
    expect(renderFleetDiffPretty(diffFleets(f, f), { color: false })).toContain('No host changed.');
  });

  it('ready → not ready, a fault appearing, a host lost to a fault: regressions, with the host checks that newly fail', async () => {
    const ready = await fixtureReport('ready');
    const bad = await fixtureReport('not-ready');
    const before = fleet([
      { name: 'a', groups: [], report: ready },
      { name: 'b', groups: [], report: ready },
      { name: 'c', groups: [], report: ready },
    ]);
    const after = fleet([
      { name: 'a', groups: [], report: ready },
      { name: 'b', groups: [], report: bad },
      { name: 'c', groups: [], fault: { class: 'unreachable', detail: 'refused' } },
    ]);
    const d = diffFleets(before, after);
    expect(d.hosts.map((h) => [h.name, h.events, h.regression])).toEqual([
      ['b', ['became-not-ready'], true],
      ['c', ['became-unaudited', 'fault-appeared'], true],
    ]);
    const b = d.hosts[0]!;
    const newly = bad.results.filter((r) => !r.impliedBy && (r.status === 'fail' || r.status === 'error')).map((r) => r.id);
    expect(b.checks!.newlyFailing.map((e) => e.id).sort()).toEqual(newly.sort());
    expect(b.before).toEqual({ state: 'ready', score: 100 });
    expect(d.hosts[1]!.after).toEqual({ state: 'unaudited', fault: 'unreachable' });
    expect(d).toMatchObject({ regression: true, reason: '2 hosts got worse: b, c; the fleet went from ready to not ready' });
    expect(d.before).toMatchObject({ hosts: 3, ready: 3, fleetReady: true });
    expect(d.after).toMatchObject({ hosts: 3, ready: 1, fleetReady: false });
    const text = renderFleetDiffPretty(d, { color: false });
    expect(text).toContain('b  READY 100% → NOT READY 7.9%  became not ready\n  Newly failing (');
    expect(text).toContain('c  READY 100% → NOT AUDITED (unreachable)  could not be audited, fault appeared\n');
    expect(text).toMatch(/\nREGRESSION — 2 hosts got worse: b, c; the fleet went from ready to not ready\n$/);

    // The other way: fixed, audited again, the fault cleared; no regression.
    const back = diffFleets(after, before);
    expect(back.hosts.map((h) => [h.name, h.events, h.regression])).toEqual([
      ['b', ['became-ready'], false],
      ['c', ['became-ready', 'became-audited', 'fault-cleared'], false],
    ]);
    expect(back.hosts[0]!.checks!.newlyPassing.length).toBeGreaterThan(0);
    expect(back.regression).toBe(false);
  });

  it('hosts added and removed; a new host that is not ready is a regression, a removed one is not', async () => {
    const ready = await fixtureReport('ready');
    const bad = await fixtureReport('not-ready');
    const base = fleet([{ name: 'a', groups: [], report: ready }]);
    expect(
      diffFleets(
        base,
        fleet([
          { name: 'a', groups: [], report: ready },
          { name: 'n', groups: [], report: ready },
        ]),
      ).hosts,
    ).toEqual([{ name: 'n', after: { state: 'ready', score: 100 }, events: ['added'], regression: false }]);
    const added = diffFleets(
      base,
      fleet([
        { name: 'a', groups: [], report: ready },
        { name: 'n', groups: [], report: bad },
      ]),
    );
    expect(added).toMatchObject({ regression: true, hosts: [{ name: 'n', events: ['added'], regression: true }] });
    const removed = diffFleets(
      fleet([
        { name: 'a', groups: [], report: ready },
        { name: 'n', groups: [], report: bad },
      ]),
      base,
    );
    expect(removed).toMatchObject({ regression: false, hosts: [{ name: 'n', events: ['removed'], regression: false }] });
  });

  it('a fault changing class is said; a check newly failing on a host still not ready is a regression', async () => {
    const bad = await fixtureReport('not-ready');
    const worse = structuredClone(bad);
    const passing = worse.results.find((r) => r.status === 'pass' && !r.impliedBy)!;
    passing.status = 'fail';
    const before = fleet([
      { name: 'x', groups: [], fault: { class: 'timeout', detail: '' } },
      { name: 'y', groups: [], report: bad },
    ]);
    const after = fleet([
      { name: 'x', groups: [], fault: { class: 'auth', detail: 'denied' } },
      { name: 'y', groups: [], report: worse },
    ]);
    const d = diffFleets(before, after);
    expect(d.hosts.map((h) => [h.name, h.events, h.regression])).toEqual([
      ['x', ['fault-changed'], false],
      ['y', [], true],
    ]);
    expect(d.hosts[1]!.checks!.newlyFailing.map((e) => e.id)).toEqual([passing.id]);
    const md = renderFleetDiffMarkdown(d);
    expect(md).toMatch(/^### plumbline fleet diff: ❌ regression\n/);
    expect(md).toContain('| x | NOT AUDITED (no answer in time) → NOT AUDITED (authentication refused) | fault changed |  |');
    expect(md).toContain(`#### y\n`);
  });
});
