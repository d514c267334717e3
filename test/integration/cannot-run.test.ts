// Exit code 3: the audit itself could not run. A snapshot in which every fact family failed (as it does
// when /proc and the firewall tools are out of reach) judges nothing, so it must not read as "not ready".
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../bin/plumbline.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('exit code 3', () => {
  it('is returned, with the first reason, when no check could be evaluated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pl-exit3-'));
    try {
      const policy = join(dir, 'p.yaml');
      writeFileSync(
        policy,
        [
          'apiVersion: plumbline/v1',
          'kind: Policy',
          'metadata: { name: p }',
          'checks:',
          '  - { id: a, severity: high, sysctl: net.core.somaxconn, expect: { gte: 1 } }',
          '  - { id: b, severity: high, firewall: { chain: input }, expect: { policy: drop } }',
          '',
        ].join('\n'),
      );
      const denied = 'permission denied (/proc/sys/net/core/somaxconn); run as root';
      const snapshot = {
        schema: 'plumbline/facts/v1',
        host: { hostname: 'h', kernel: '6.1.0', collectedAt: '2026-11-25T00:00:00.000Z', transport: 'local' },
        sysctl: { 'net.core.somaxconn': { error: denied } },
        firewall: { error: 'cannot read the firewall ruleset: nft: not installed; iptables-save: not installed' },
      };
      const facts = join(dir, 'facts.json');
      writeFileSync(facts, JSON.stringify(snapshot));
      const r = await cli(['audit', '-p', policy, '--facts', facts]);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        `plumbline: the audit could not run: none of 2 checks could be evaluated (first reason: cannot read net.core.somaxconn: ${denied})\n`,
      );
      // The report is still printed: it says what failed to be read.
      expect(r.stdout).toContain('Could not check (2)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
