// Whatever a user types, the front end answers with a ResolvedPolicy or with positioned issues:
// never a crash, never an issue without a place to look.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtinDir, policyModules } from './helpers.js';

const { resolvePolicy, PolicyError } = await policyModules();

const BASE = readFileSync(`${builtinDir}/base.yaml`, 'utf8');
const VALID = `# yaml-language-server: $schema=../schemas/policy.schema.json
apiVersion: plumbline/v1
kind: Policy
metadata:
  name: prop
  description: "Property test policy"
  labels: { team: infra }
extends: [builtin:base]
vars:
  backlog: 8192
  host: api.example.test
  port: 8443
defaults:
  timeout: 1500ms
  failUnder: 75
waivers:
  - check: kernel.port-range
    reason: legacy
    expires: 2031-01-01
checks:
  - id: kernel.somaxconn
    title: Backlog \${backlog}
    severity: high
    sysctl: net.core.somaxconn
    expect: { gte: "\${backlog}" }
    tags: [kernel]
    refs: ["https://example.test/somaxconn"]
  - id: kernel.range
    severity: medium
    sysctl: net.ipv4.ip_local_port_range
    expect: { gte: [1024, 60000], index: 0 }
  - id: limits.api
    severity: low
    limits: { port: "\${port}", item: nofile }
    expect:
      soft: { gte: 65536 }
      hard: { between: [65536, 1048576] }
    when: { var: host, expect: { match: "^api\\\\." } }
  - id: listen.api
    severity: critical
    listener: { port: 443, protocol: tcp }
    expect: { bind: [10.0.0.1, "::1"], user: { in: [www, nginx] } }
  - id: listen.only
    listeners: { protocol: udp }
    expect: { only: [53, "127.0.0.1:6379", "[::1]:5432", "*:22"] }
  - id: tcp.states
    tcpStates: {}
    expect: { TIME_WAIT: { lt: 30000 }, LISTEN: { exists: true } }
  - id: tcp.overflow
    netstat: ListenOverflowRatio
    expect: { lte: 0.01 }
    timeout: 2s
  - id: net.eth0
    interface: eth0
    expect: { state: up, carrier: true, mtu: 1500, rx_errors: { eq: 0 } }
  - id: net.route
    route: default
    expect: { exists: true, via: { notIn: ["0.0.0.0"] }, dev: { contains: eth } }
  - id: fw.input
    firewall: { chain: input, family: ip }
    expect: { policy: [drop, reject] }
  - id: listen.redis-private
    enabled: false
`;

const ALPHABET = [...':-{}[]"\'#&*!|>%@,?$\\\n\r\t   abcxyzU019_.'];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('dropLine' as const), a: fc.nat() }),
  fc.record({ kind: fc.constant('dupLine' as const), a: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), a: fc.nat(), delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('value' as const), a: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('swapKeys' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('renameKey' as const), a: fc.nat(), key: fc.string({ maxLength: 10 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

const KEY_LINE = /^(\s*(?:- )?)([^:#\s][^:#]*?):(\s.*)?$/;

function apply(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const n = lines.length;
  switch (m.kind) {
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'swapLines': {
      const a = m.a % n;
      const b = m.b % n;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'dropLine':
      lines.splice(m.a % n, 1);
      return lines.join('\n');
    case 'dupLine': {
      const a = m.a % n;
      lines.splice(a, 0, lines[a]!);
      return lines.join('\n');
    }
    case 'indent': {
      const a = m.a % n;
      const l = lines[a]!;
      lines[a] = m.delta >= 0 ? ' '.repeat(m.delta) + l : l.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return lines.join('\n');
    }
    case 'value': {
      const a = m.a % n;
      const km = KEY_LINE.exec(lines[a]!);
      if (km) lines[a] = `${km[1]}${km[2]}: ${JSON.stringify(m.value)}`;
      return lines.join('\n');
    }
    case 'swapKeys': {
      const a = m.a % n;
      const b = m.b % n;
      const ka = KEY_LINE.exec(lines[a]!);
      const kb = KEY_LINE.exec(lines[b]!);
      if (ka && kb) {
        lines[a] = `${ka[1]}${kb[2]}:${ka[3] ?? ''}`;
        lines[b] = `${kb[1]}${ka[2]}:${kb[3] ?? ''}`;
      }
      return lines.join('\n');
    }
    case 'renameKey': {
      const a = m.a % n;
      const km = KEY_LINE.exec(lines[a]!);
      if (km) lines[a] = `${km[1]}${JSON.stringify(m.key)}:${km[3] ?? ''}`;
      return lines.join('\n');
    }
  }
}

/** Runs `check` on `runs` randomly edited copies of VALID (fast-check shrinks a failing one). */
function onRandomEdits(runs: number, check: (text: string) => void): void {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (ms) => check(ms.reduce(apply, VALID))),
    { numRuns: runs },
  );
}

function resolveText(text: string) {
  const files: Record<string, string> = { '/virt/policy.yaml': text, '/virt/builtin/base.yaml': BASE };
  return resolvePolicy(['policy.yaml'], {
    builtinDir: '/virt/builtin',
    cwd: '/virt',
    readFile: (abs) => {
      const t = files[abs];
      if (t === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${abs}'`), { code: 'ENOENT' });
      return t;
    },
  });
}

describe('policy front end under random edits', () => {
  it('the unmutated policy resolves', () => {
    const p = resolveText(VALID);
    expect(p.checks.map((c) => c.id)).toEqual([
      'kernel.somaxconn',
      'kernel.port-range',
      'firewall.input',
      'kernel.range',
      'limits.api',
      'listen.api',
      'listen.only',
      'tcp.states',
      'tcp.overflow',
      'net.eth0',
      'net.route',
      'fw.input',
    ]);
  });

  it('returns a policy or positioned issues, never another exception', () => {
    let resolved = 0;
    let rejected = 0;
    onRandomEdits(2000, (text) => {
      try {
        const p = resolveText(text);
        resolved++;
        // Plain data survives a JSON round trip unchanged (no undefined, Map, Date, class instance or cycle).
        if (!isDeepStrictEqual(JSON.parse(JSON.stringify(p)), p)) throw new Error('not plain data');
        for (const c of p.checks) {
          if (!(c.source.line >= 1 && c.source.column >= 1)) throw new Error(`bad source ${JSON.stringify(c.source)}`);
        }
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        rejected++;
        if (e.issues.length === 0) throw new Error('PolicyError without issues');
        for (const i of e.issues) {
          const ok =
            typeof i.file === 'string' &&
            i.file.length > 0 &&
            Number.isInteger(i.line) &&
            i.line >= 1 &&
            Number.isInteger(i.column) &&
            i.column >= 1 &&
            typeof i.message === 'string' &&
            i.message.trim().length > 0 &&
            !i.message.includes('\n');
          if (!ok) throw new Error(`malformed issue ${JSON.stringify(i)}`);
        }
      }
    });
    // Both outcomes must actually be exercised, or the property says little.
    expect(resolved).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(200);
  });
});
