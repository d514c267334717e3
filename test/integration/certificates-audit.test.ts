// certificate checks end to end: the built CLI audits PEM files on this host (fixture bundles copied to a temp
// dir) through the local transport at the live clock. The fixtures' dates are fixed, so every expectation here
// holds whenever it runs: an expired leaf stays expired, the intermediate of chain.pem always expires before its
// leaf, and the day counts asserted are computed from each certificate's notAfter and the report's collectedAt.
// `facts -o` then `audit --facts` judges the snapshot the same way, with the same words.
import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';
import type { FactsSnapshot } from '../../src/facts/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const CERTS = join(ROOT, 'fixtures/certs');
const DAY_MS = 86_400_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') return fail(err);
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const pem = (name: string): string => readFileSync(join(CERTS, name), 'utf8');
const notAfter = (name: string): Date => new Date(new X509Certificate(pem(name)).validTo);
/** Whole days a certificate has left at the report's collection time, as the report words the count. */
function daysWords(certFile: string, collectedAt: string): string {
  const n = Math.floor((notAfter(certFile).getTime() - Date.parse(collectedAt)) / DAY_MS);
  return `days left is ${n}, not`;
}

describe('audit with certificate checks on PEM files of this host', () => {
  let dir: string;
  let policyFile: string;
  let live: Report;
  const result = (id: string): Result => live.results.find((r) => r.id === id)!;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    dir = mkdtempSync(join(tmpdir(), 'pl-cert-audit-'));
    writeFileSync(join(dir, 'expired.pem'), pem('expired.crt') + pem('intermediate-ca.crt'));
    writeFileSync(join(dir, 'three-day.pem'), pem('three-day.crt') + pem('intermediate-ca.crt'));
    for (const f of ['chain.pem', 'chain-reversed.pem', 'leaf.key', 'expired.key', 'sha1.crt']) copyFileSync(join(CERTS, f), join(dir, f));
    const at = (f: string): string => join(dir, f);
    const checks = [
      `{ id: expired, title: t, severity: high, certificate: { path: "${at('expired.pem')}" }, expect: { daysLeft: { gte: 0 } } }`,
      `{ id: intermediate-first, title: t, severity: high, certificate: { path: "${at('chain.pem')}" }, expect: { daysLeft: { gte: 100000 } } }`,
      `{ id: leaf-days, title: t, severity: high, certificate: { path: "${at('chain.pem')}" }, expect: { leaf: { daysLeft: { gte: 100000 } } } }`,
      `{ id: three-day, title: t, severity: high, certificate: { path: "${at('three-day.pem')}" }, expect: { daysLeft: { gte: 30 } } }`,
      `{ id: key-mismatch, title: t, severity: high, certificate: { path: "${at('chain.pem')}", key: "${at('expired.key')}" }, expect: { keyMatches: true } }`,
      `{ id: key-match, title: t, severity: high, certificate: { path: "${at('chain.pem')}", key: "${at('leaf.key')}" }, expect: { keyMatches: true, chainOrder: true, sha1: false, selfSigned: false } }`,
      `{ id: wrong-order, title: t, severity: high, certificate: { path: "${at('chain-reversed.pem')}" }, expect: { chainOrder: true } }`,
      `{ id: sha1, title: t, severity: high, certificate: { path: "${at('sha1.crt')}" }, expect: { sha1: false, keyBits: { gte: 2048 } } }`,
      `{ id: missing, title: t, severity: high, certificate: { path: "${at('nope.pem')}" }, expect: { daysLeft: { gte: 30 } } }`,
    ];
    policyFile = join(dir, 'certs.yaml');
    writeFileSync(policyFile, `apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: certs\nchecks:\n${checks.map((c) => `  - ${c}`).join('\n')}\n`);
    const r = await cli(['audit', '-p', policyFile, '--format', 'json']);
    expect(r.stderr).toBe('');
    live = JSON.parse(r.stdout) as Report;
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('judges each file in the certificates area, naming the certificate that decides', () => {
    const at = live.host.collectedAt;
    expect(live.results.every((r) => r.area === 'certificates')).toBe(true);
    expect(result('expired')).toMatchObject({ status: 'fail', message: expect.stringContaining('leaf expired.chain.test (certificate 0) expires first') });
    expect(result('expired').message).toContain(daysWords('expired.crt', at));
    expect(result('expired').message).toMatch(/expired \d+ days ago/);
    // The intermediate expires (2027-03-01) before the leaf (2027-09-01): it is the one named.
    expect(result('intermediate-first')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/intermediate .* \(certificate 1\) expires first \(2027-03-01T/),
    });
    expect(result('intermediate-first').message).toContain(daysWords('intermediate-ca.crt', at));
    expect(result('leaf-days')).toMatchObject({ status: 'fail', message: expect.stringContaining('leaf chain.test (certificate 0) (notAfter 2027-09-01T') });
    expect(result('leaf-days').message).toContain(daysWords('leaf.crt', at));
    expect(result('three-day')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('leaf chain.test (certificate 0) expires first (2026-12-04T'),
    });
    expect(result('three-day').message).toContain(daysWords('three-day.crt', at));
    expect(result('key-mismatch')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('expired.key does not belong to the leaf chain.test (certificate 0)'),
    });
    expect(result('key-match')).toMatchObject({ status: 'pass' });
    expect(result('wrong-order')).toMatchObject({ status: 'fail', message: expect.stringContaining('chain out of order') });
    expect(result('sha1')).toMatchObject({ status: 'fail', message: expect.stringContaining('SHA-1 signature on leaf') });
    expect(result('sha1').message).not.toContain('key (rsa) bits');
    expect(result('missing')).toMatchObject({ status: 'error', message: `${join(dir, 'nope.pem')}: no such file` });
  });

  it('facts -o then audit --facts gives the same results, in the same words', async () => {
    const snap = join(dir, 'facts.json');
    const f = await cli(['facts', '-p', policyFile, '-o', snap]);
    expect(f).toMatchObject({ code: 0, stderr: '' });
    const facts = JSON.parse(readFileSync(snap, 'utf8')) as FactsSnapshot;
    expect(Array.isArray(facts.certificates) && facts.certificates.length).toBe(8);
    const offline = await cli(['audit', '-p', policyFile, '--facts', snap, '--format', 'json']);
    expect(offline.stderr).toBe('');
    const report = JSON.parse(offline.stdout) as Report;
    expect(report.results.map((r) => [r.id, r.status])).toEqual(live.results.map((r) => [r.id, r.status]));
    // Day counts are the snapshot's, taken at its collectedAt, not the clock of the offline audit.
    for (const id of ['expired', 'intermediate-first', 'three-day']) {
      const r = report.results.find((x) => x.id === id)!;
      expect(r.message).toContain(
        daysWords(id === 'expired' ? 'expired.crt' : id === 'three-day' ? 'three-day.crt' : 'intermediate-ca.crt', facts.host.collectedAt),
      );
    }
    const again = await cli(['audit', '-p', policyFile, '--facts', snap, '--format', 'json']);
    expect((JSON.parse(again.stdout) as Report).results).toEqual(report.results);
  }, 60_000);
});
