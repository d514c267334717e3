// The fixture fleets every fleet renderer is golden-tested over, built by buildFleetReport from the fixture
// reports of reports.ts (the real pipeline over captured snapshots), with a fixed clock and version:
//
//   mixed    six hosts: ready (web-01), not ready (web-02), judged on a partial read (db-01), ready with
//            failures under a name full of HTML and markdown specials, a control byte and a newline, and two
//            that could not be audited (db-02 unreachable, web-10 a changed host key whose detail has a bell and
//            a newline); web-02 and db-01 share the baseline's failing checks
//   hostile  the hostile report (markup, escapes, bidi and invisible characters in every field) on a host named
//            with HOSTILE, beside an unaudited host whose name, address and fault detail carry HOSTILE too
//   ready    two ready hosts
import type { FleetReport, HostOutcome } from '../../src/report/fleet/model.js';
import { buildFleetReport } from '../../src/report/fleet/build.js';
import { HOSTILE, fixtureReports } from './reports.js';

export const FLEET_NAMES = ['mixed', 'hostile', 'ready'] as const;
export type FleetName = (typeof FLEET_NAMES)[number];

const NOW = new Date('2026-11-25T00:00:00Z');
const VERSION = '0.0.0-test';

/** A host name with what HTML, markdown, a terminal and a table cell each read as syntax. */
export const SPECIAL_NAME = 'edge-<b>"&"</b> | *x* `y` [z](j) \x1b[31m#\x07\nnext';

export async function fixtureOutcomes(name: FleetName): Promise<HostOutcome[]> {
  const r = await fixtureReports();
  switch (name) {
    case 'mixed':
      return [
        {
          name: 'web-10',
          address: '198.18.0.10',
          groups: ['web'],
          fault: { class: 'hostkey', detail: 'Host key verification failed.\x07\nThe ECDSA key of web-10 has changed' },
        },
        { name: 'web-02', address: '198.18.0.2', groups: ['web', 'prod'], report: r.get('not-ready')! },
        {
          name: 'db-02',
          address: '198.18.0.12',
          groups: ['db'],
          fault: { class: 'unreachable', detail: 'ssh: connect to host 198.18.0.12 port 22: Connection refused' },
        },
        { name: SPECIAL_NAME, groups: [], report: r.get('ready-with-failures')! },
        { name: 'web-01', groups: ['web', 'prod'], report: r.get('ready')! },
        {
          name: 'db-01',
          address: '198.18.0.11',
          groups: ['db', 'prod'],
          report: r.get('extends')!,
          fault: { class: 'partial', detail: 'the connection ended after 3 of 5 answers' },
        },
      ];
    case 'hostile':
      return [
        { name: `host ${HOSTILE}`, groups: [HOSTILE], report: r.get('hostile')! },
        { name: `down ${HOSTILE}`, address: `addr ${HOSTILE}`, groups: ['g'], fault: { class: 'auth', detail: `Permission denied ${HOSTILE}` } },
      ];
    case 'ready':
      return [
        { name: 'web-01', groups: ['web'], report: r.get('ready')! },
        { name: 'web-02', groups: ['web'], report: r.get('ready')! },
      ];
  }
}

export async function fixtureFleet(name: FleetName): Promise<FleetReport> {
  const outcomes = await fixtureOutcomes(name);
  const first = outcomes.find((o) => o.report)!.report!;
  return buildFleetReport(outcomes, { policy: first.policy, threshold: 80, now: NOW, version: VERSION });
}
