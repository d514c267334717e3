// The icmp and mtu selectors are judged when the policy is read: a host that ping can take (a name or an address,
// never an option), counts, payloads and intervals in range, defaults filled in as plan and evaluate read them.
import { describe, expect, it } from 'vitest';
import { HEAD, errorsOfTextFn, policyModules } from './helpers.js';

const { resolvePolicy } = await policyModules();
const errorsOfText = await errorsOfTextFn();

/** A policy of checks, one per line from line 6. */
function checks(kind: 'icmp' | 'mtu', ...list: Array<[selector: string, expect: string]>): string {
  return `${HEAD}checks:\n${list.map(([s, e], i) => `  - { id: c${i}, title: t, severity: low, ${kind}: ${s}, expect: ${e} }`).join('\n')}\n`;
}

const resolve = (text: string) => resolvePolicy(['p.yaml'], { builtinDir: '/virt/builtin', cwd: '/virt', readFile: () => text });

describe('icmp selectors', () => {
  it('fill in five probes of 56 bytes a fifth of a second apart, and read the interval as a duration', () => {
    const p = resolve(
      checks(
        'icmp',
        ['{ host: 192.0.2.1 }', '{ reachable: true }'],
        ['{ host: db.example, count: 50, size: 1000, interval: 10ms }', '{ lossPercent: { lte: 5 }, rttMs: { p50: { lt: 20 }, max: { lt: 100 } } }'],
        ['{ host: "2001:db8::1", interval: 1s }', '{ reachable: false }'],
        ['{ host: 192.0.2.1, interval: 250 }', '{ reachable: true }'],
      ),
    );
    const own = p.checks.filter((c) => c.impliedBy === undefined);
    expect(own.map((c) => c.selector)).toEqual([
      { kind: 'icmp', spec: { host: '192.0.2.1', count: 5, size: 56, intervalMs: 200 } },
      { kind: 'icmp', spec: { host: 'db.example', count: 50, size: 1000, intervalMs: 10 } },
      { kind: 'icmp', spec: { host: '2001:db8::1', count: 5, size: 56, intervalMs: 1000 } },
      { kind: 'icmp', spec: { host: '192.0.2.1', count: 5, size: 56, intervalMs: 250 } },
    ]);
    expect(own.map((c) => c.area)).toEqual(['network', 'network', 'network', 'network']);
    expect(p.checks.filter((c) => c.impliedBy !== undefined)).toEqual([]);
  });

  it('say what is wrong, one line each, where it is', () => {
    const text = checks(
      'icmp',
      ['{ host: "-f" }', '{ reachable: true }'],
      ['{ host: "https://db.example/x" }', '{ reachable: true }'],
      ['{ host: 192.0.2.1, count: 0 }', '{ reachable: true }'],
      ['{ host: 192.0.2.1, size: 70000 }', '{ reachable: true }'],
      ['{ host: 192.0.2.1, interval: 2 seconds }', '{ reachable: true }'],
      ['{ host: 192.0.2.1, interval: 0ms }', '{ reachable: true }'],
      ['{ host: 192.0.2.1 }', '{}'],
      ['{ host: 192.0.2.1 }', '{ rttMs: { p99: 5 } }'],
      ['{ host: 192.0.2.1, cuont: 5 }', '{ reachable: true }'],
    );
    expect(errorsOfText(text)).toEqual([
      'p.yaml:6:54: icmp.host: "-f" is not a valid host name',
      'p.yaml:7:54: icmp.host: "https://db.example/x" is a URL; a host is only its name or address: write "db.example"',
      'p.yaml:8:72: icmp.count must be >= 1, got 0',
      'p.yaml:9:71: icmp.size must be <= 65507, got 70000',
      'p.yaml:10:75: icmp.interval must be a duration like "500ms", "2s", "1m" or "1h" (units ms, s, m, h), or a number of milliseconds; got "2 seconds"',
      'p.yaml:11:75: icmp.interval must be at least 1ms; got "0ms"',
      'p.yaml:12:75: expect must not be empty; give at least one of reachable, lossPercent, rttMs',
      'p.yaml:13:86: unknown key "p99" in expect.rttMs; did you mean "p95"?',
      'p.yaml:14:65: unknown key "cuont" in icmp; did you mean "count"?',
    ]);
  });
});

describe('mtu selectors', () => {
  it('fill in the payload of a full 1500-byte IPv4 packet', () => {
    const p = resolve(checks('mtu', ['{ host: 192.0.2.1 }', '{ pathMtu: { gte: 1500 } }'], ['{ host: db.example, size: 8972 }', '{ passes: true }']));
    const own = p.checks.filter((c) => c.impliedBy === undefined);
    expect(own.map((c) => c.selector)).toEqual([
      { kind: 'mtu', spec: { host: '192.0.2.1', size: 1472 } },
      { kind: 'mtu', spec: { host: 'db.example', size: 8972 } },
    ]);
    expect(own.map((c) => c.area)).toEqual(['network', 'network']);
  });

  it('say what is wrong, one line each, where it is', () => {
    const text = checks(
      'mtu',
      ['{ host: "--help" }', '{ passes: true }'],
      ['{ host: 192.0.2.1, size: -1 }', '{ passes: true }'],
      ['{ host: 192.0.2.1 }', '{ passes: yes please }'],
      ['{ host: 192.0.2.1 }', '{ mtu: 1500 }'],
    );
    expect(errorsOfText(text)).toEqual([
      'p.yaml:6:53: mtu.host: "--help" is not a valid host name',
      'p.yaml:7:70: mtu.size must be >= 0, got -1',
      'p.yaml:8:84: expect.passes must be a boolean, got string "yes please"',
      'p.yaml:9:76: unknown key "mtu" in mtu expect; expected one of pathMtu, passes',
    ]);
  });
});
