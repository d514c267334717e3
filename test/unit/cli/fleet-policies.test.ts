// The policy each fleet host is judged by: a fleet's probes leave from the auditing machine, so the checks of the
// layers under them (route, neighbour, ICMP) are implied only on a `local` host, the auditing machine itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { policiesFor } from '../../../src/cli/fleet-options.js';
import type { TargetHost } from '../../../src/fleet/hosts.js';
import type { ResolvedPolicy } from '../../../src/policy/model.js';

const dir = mkdtempSync(join(tmpdir(), 'pl-fleet-policies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const overSsh: TargetHost = { name: 'web1', groups: [], vars: {}, target: { host: '198.18.250.10' } };
const local: TargetHost = { name: 'control', groups: [], vars: {}, local: { address: 'control', port: 22, become: false } };
const implied = (p: ResolvedPolicy): string[] =>
  p.checks
    .filter((c) => c.impliedBy !== undefined)
    .map((c) => c.selector.kind)
    .sort();

function policyFile(name: string, checks: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: ${name} }\nchecks:\n${checks}`);
  return file;
}

describe('the policy of each fleet host', () => {
  it('implies the layers under a probe only on a local host, whichever comes first, when no file names a host var', async () => {
    const file = policyFile(
      'probe',
      '  - id: peer.ssh\n    title: the peer answers\n    severity: high\n    tcp: { host: "198.18.250.1", port: 22 }\n    expect: { connect: open }\n',
    );
    for (const order of [
      [local, overSsh],
      [overSsh, local],
    ]) {
      const policyOf = policiesFor([file], undefined);
      const got = new Map<string, string[]>();
      for (const h of order) got.set(h.name, implied(await policyOf(h)));
      expect(got.get('web1')).toEqual([]);
      expect(got.get('control')).toEqual(['icmp', 'neighbour', 'route']);
    }
  });

  it('does the same when a file names host vars (each host resolved with its own)', async () => {
    const file = policyFile(
      'probe-vars',
      '  - id: peer.ssh\n    title: the peer answers\n    severity: high\n    tcp: { host: "198.18.250.1", port: "${host.port}" }\n    expect: { connect: open }\n',
    );
    const policyOf = policiesFor([file], undefined);
    expect(implied(await policyOf(overSsh))).toEqual([]);
    expect(implied(await policyOf(local))).toEqual(['icmp', 'neighbour', 'route']);
  });

  it("a built-in TLS policy's probes toward --var tlsHost: the same", async () => {
    const policyOf = policiesFor(['builtin:tls-intermediate'], { tlsHost: '198.18.250.2' });
    expect(implied(await policyOf(overSsh))).not.toContain('route');
    expect(implied(await policyOf(local))).toEqual(expect.arrayContaining(['icmp', 'neighbour', 'route']));
  });

  it('the baseline, which probes nothing, is one precompiled policy for every host', async () => {
    const policyOf = policiesFor(undefined, undefined);
    const [a, b] = [await policyOf(overSsh), await policyOf(local)];
    expect(a).toBe(b);
    expect(implied(a)).toEqual([]);
  });
});
