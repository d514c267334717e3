// Merging: extends, overrides by id, enabled:false, typed vars, waivers, several -p files, positions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinDir, policyModules, root } from './helpers.js';

const { resolvePolicy } = await policyModules();
const C = 'test/unit/policy/cases';
const B = `${C}/builtin/base.yaml`;
const opts = { builtinDir, cwd: root };

describe('resolvePolicy', () => {
  const web = resolvePolicy([`${C}/web.yaml`], opts);
  const byId = (id: string) => web.checks.find((c) => c.id === id);

  it('applies the extended policy first, then the file, and names them in order', () => {
    expect(web.name).toBe('web-tier');
    expect(web.description).toBe('Public web tier');
    expect(web.sources).toEqual([B, `${C}/web.yaml`]);
    expect(web.checks.map((c) => c.id)).toEqual(['kernel.somaxconn', 'kernel.port-range', 'listen.redis-private', 'net.uplink', 'limits.nginx']);
  });

  it('replaces an inherited check by id as a whole, keeping its place in the order', () => {
    const c = byId('kernel.somaxconn')!;
    expect(c.title).toBe('Deep listen backlog on the web tier');
    expect(c.severity).toBe('critical');
    expect(c.tags).toEqual(['kernel', 'web']);
    expect(c.source).toEqual({ file: `${C}/web.yaml`, line: 14, column: 5 });
  });

  it('removes an inherited check with enabled: false', () => {
    expect(byId('firewall.input')).toBeUndefined();
  });

  it('interpolates vars after merging, keeping the type of a whole ${name}', () => {
    expect(web.vars).toEqual({ backlog: 65535, redis_port: 6379, iface: 'eth0' });
    // The override's var reaches the inherited check too, as a number.
    expect(byId('kernel.somaxconn')!.expect).toEqual({ gte: 65535 });
    expect(byId('kernel.somaxconn')!.remediation).toBe('Set net.core.somaxconn=65535 in /etc/sysctl.d/');
    expect(byId('listen.redis-private')!.selector).toEqual({ kind: 'listener', spec: { port: 6379, protocol: 'tcp' } });
    expect(byId('net.uplink')!.title).toBe('Uplink eth0 is up');
    expect(byId('net.uplink')!.selector).toEqual({ kind: 'interface', name: 'eth0' });
  });

  it('attaches waivers to the check with that id, with their own position', () => {
    expect(byId('kernel.port-range')!.waiver).toEqual({
      reason: 'Legacy NAT gateway needs the default range',
      expires: '2031-06-30',
      source: { file: `${C}/web.yaml`, line: 35, column: 5 },
    });
    expect(byId('kernel.somaxconn')!.waiver).toBeUndefined();
  });

  it('merges defaults, later files winning key by key', () => {
    expect(web.defaults).toEqual({ timeout: 2000, failUnder: 90 });
  });

  it('produces Check objects exactly per the model', () => {
    expect(byId('limits.nginx')).toEqual({
      id: 'limits.nginx',
      title: 'limits.nginx',
      severity: 'medium',
      area: 'limits',
      selector: { kind: 'limits', spec: { process: 'nginx', item: 'nofile' } },
      expect: { soft: { gte: 65536 }, hard: { gte: 65536 } },
      tags: [],
      refs: [],
      when: { var: 'iface', expect: 'eth0' },
      source: { file: `${C}/web.yaml`, line: 29, column: 5 },
      expectSource: { file: `${C}/web.yaml`, line: 32, column: 13 },
    });
    expect(byId('net.uplink')).toMatchObject({ area: 'network', timeout: 500, expect: { state: 'up', mtu: { gte: 1500 } } });
    expect(byId('kernel.port-range')).toMatchObject({ area: 'kernel', severity: 'medium', expect: { gte: [1024, 60000] } });
  });

  it('points every check at the line of its `- id:` item', () => {
    for (const c of web.checks) {
      const lines = readFileSync(`${root}${c.source.file}`, 'utf8').split('\n');
      expect(lines[c.source.line - 1]!.slice(c.source.column - 1)).toBe(`id: ${c.id}`);
      expect(lines[c.source.line - 1]!.slice(0, c.source.column - 1)).toBe('  - ');
    }
  });

  it('merges several entry files in order, applying a shared base only once', () => {
    const p = resolvePolicy([`${C}/web.yaml`, `${C}/extra.yaml`], opts);
    expect(p.name).toBe('web-tier-prod');
    expect(p.sources).toEqual([B, `${C}/web.yaml`, `${C}/extra.yaml`]);
    expect(p.defaults).toEqual({ timeout: 60_000, failUnder: 90 });
    expect(p.vars.backlog).toBe(131072);
    const ids = p.checks.map((c) => c.id);
    expect(ids).toEqual(['kernel.somaxconn', 'kernel.port-range', 'listen.redis-private', 'net.uplink', 'limits.nginx', 'tcp.close-wait']);
    const uplink = p.checks.find((c) => c.id === 'net.uplink')!;
    expect(uplink).toMatchObject({ severity: 'low', selector: { kind: 'interface', name: 'bond0' }, source: { file: `${C}/extra.yaml`, line: 11, column: 5 } });
    // Replaced as a whole: the timeout of web.yaml's version is gone.
    expect(uplink.timeout).toBeUndefined();
    expect(p.checks.find((c) => c.id === 'kernel.somaxconn')!.expect).toEqual({ gte: 131072 });
    expect(p.checks.find((c) => c.id === 'tcp.close-wait')).toMatchObject({ area: 'tcp', selector: { kind: 'tcpStates', spec: {} } });
  });

  it('lets the order of -p files decide who wins', () => {
    const reversed = resolvePolicy([`${C}/extra.yaml`, `${C}/web.yaml`], opts);
    // extra.yaml extends web.yaml, so web.yaml is already applied and is not applied again after extra.yaml.
    expect(reversed.sources).toEqual([B, `${C}/web.yaml`, `${C}/extra.yaml`]);
    expect(reversed.name).toBe('web-tier');
  });

  it('accepts builtin:NAME as an entry and defaults title, severity, timeout and failUnder', () => {
    const p = resolvePolicy(['builtin:base'], opts);
    expect(p.sources).toEqual([B]);
    expect(p.defaults).toEqual({ timeout: 2000, failUnder: 80 });
    expect(p.checks.find((c) => c.id === 'kernel.port-range')!.title).toBe('kernel.port-range');
  });

  it('names builtins outside the working directory as builtin:NAME', () => {
    const p = resolvePolicy(['builtin:base'], { builtinDir, cwd: '/' + 'nonexistent-dir' });
    expect(p.sources).toEqual(['builtin:base']);
    expect(p.checks[0]!.source.file).toBe('builtin:base');
  });

  it('reads from a caller-supplied readFile, relative to the working directory by default', () => {
    const files: Record<string, string> = {
      [`${process.cwd()}/mem/a.yaml`]: [
        'apiVersion: plumbline/v1',
        'kind: Policy',
        'metadata: { name: mem }',
        'vars: { v: "$${literal}", n: 3 }',
        'checks:',
        '  - id: r',
        '    route: default',
        '    expect: { dev: "eth${n}", via: { match: "^10\\\\." } }',
        '  - id: f',
        '    firewall: { chain: forward }',
        '    expect: { policy: [drop, reject] }',
        '    title: "costs $${x}"',
      ].join('\n'),
    };
    const p = resolvePolicy(['mem/a.yaml'], {
      builtinDir: 'nowhere',
      readFile: (abs) => {
        const t = files[abs];
        if (t === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${abs}'`), { code: 'ENOENT' });
        return t;
      },
    });
    expect(p.vars).toEqual({ v: '$${literal}', n: 3 });
    expect(p.checks[0]).toMatchObject({ selector: { kind: 'route', dest: 'default' }, expect: { dev: 'eth3', via: { match: '^10\\.' } }, area: 'network' });
    expect(p.checks[1]).toMatchObject({ selector: { kind: 'firewall', spec: { chain: 'forward', family: 'inet' } }, title: 'costs ${x}' });
    expect(p.checks[0]!.source).toEqual({ file: 'mem/a.yaml', line: 6, column: 5 });
  });
});
