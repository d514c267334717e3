// Loading YAML with positions, and the wording of schema and semantic problems on single files.
import { describe, expect, it } from 'vitest';
import { fmt, policyModules } from './helpers.js';
import { didYouMean } from '../../../src/lib/did-you-mean.js';

const { loadPolicyText, validateLoaded, posAt } = await policyModules();
const validatePolicy = (loaded: Parameters<typeof validateLoaded>[0]) => validateLoaded(loaded).issues;

const HEAD = 'apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: t\n';
function problems(body: string, head = HEAD): string[] {
  return fmt(validatePolicy(loadPolicyText(head + body, 'p.yaml')));
}

describe('loadPolicyText', () => {
  it('keeps the document so any path maps back to a line and column', () => {
    const l = loadPolicyText(`${HEAD}checks:\n  - id: a\n    listener: { port: 80 }\n`, 'p.yaml');
    expect(l.issues).toEqual([]);
    expect(posAt(l, ['checks', 0])).toEqual({ line: 6, column: 5 });
    expect(posAt(l, ['checks', 0, 'listener', 'port'])).toEqual({ line: 7, column: 23 });
    expect(posAt(l, ['checks', 0, 'listener'], { key: 'port' })).toEqual({ line: 7, column: 17 });
    // A path that leaves the document falls back to the nearest node that exists.
    expect(posAt(l, ['checks', 0, 'nope', 'deeper'])).toEqual({ line: 6, column: 5 });
    expect(posAt(l, [])).toEqual({ line: 1, column: 1 });
  });

  it('rejects YAML features that are not plain data', () => {
    expect(fmt(loadPolicyText(`${HEAD}vars:\n  blob: !!binary aGVsbG8=\n`, 'p.yaml').issues)).toEqual([
      'p.yaml:6:18: unsupported YAML tag !!binary; policies hold plain strings, numbers, booleans, lists and maps',
    ]);
    expect(fmt(loadPolicyText(`${HEAD}? [a, b]\n: 1\n`, 'p.yaml').issues)).toEqual(['p.yaml:5:3: a list or map cannot be a key; keys are plain strings']);
    expect(fmt(loadPolicyText(`${HEAD}vars: { a: *nope }\n`, 'p.yaml').issues)).toEqual([
      'p.yaml:5:12: invalid YAML: Unresolved alias (the anchor must be set before the alias): nope',
    ]);
    expect(fmt(loadPolicyText(`${HEAD}checks:\n  - id: a\n    expect: &e { soft: *e }\n`, 'p.yaml').issues)).toEqual([
      'p.yaml:7:24: alias *e refers to a node that contains it',
    ]);
    expect(fmt(loadPolicyText(`${HEAD}---\nkind: Policy\n`, 'p.yaml').issues)).toEqual([
      'p.yaml:5:1: a second YAML document starts here; a policy file holds one',
    ]);
  });
});

describe('validatePolicy', () => {
  it('accepts the example of the design document', () => {
    expect(
      problems(`extends: [builtin:baseline]
vars:
  api_host: api.example.test
defaults: { timeout: 2s, failUnder: 85 }
checks:
  - id: kernel.somaxconn
    title: Listen backlog absorbs connection bursts
    severity: high
    sysctl: net.core.somaxconn
    expect: { gte: 4096 }
    remediation: Set net.core.somaxconn=65535 in /etc/sysctl.d/ and run sysctl --system
  - id: kernel.port-range
    severity: medium
    sysctl: net.ipv4.ip_local_port_range
    expect: { gte: [1024, 60000], index: 0 }
  - id: listen.redis-private
    severity: critical
    listener: { port: 6379, protocol: tcp }
    expect: { bind: loopback, user: redis }
  - id: listen.postgres
    listener: { port: 5432 }
    expect: { bind: specific, present: true }
  - id: listen.unprivileged-users
    listeners: { unprivileged: true }
    expect: { user: { ne: root } }
  - id: net.all
    interface: "*"
    expect: { up: true, rx_error_ratio: { lt: 0.001 }, rx_packets: { gt: 0 } }
  - id: net.route6
    route: default6
    expect: { exists: true }
  - id: listen.allow-list
    severity: high
    listeners: { protocol: tcp }
    expect: { only: [22, 443, "127.0.0.1:6379", "[::1]:5432", "*:80"] }
  - id: firewall.input
    firewall: { chain: input, family: ip6 }
    expect: { policy: [drop, reject] }
  - id: tcp.states
    tcpStates: {}
    expect: { CLOSE_WAIT: { lt: 100 }, TIME_WAIT: { between: [0, 30000] } }
  - id: tcp.overflows
    netstat: TcpExt.ListenOverflows
    expect: 0
  - id: net.default-route
    route: default
    expect: { exists: true, dev: { in: [eth0, bond0] } }
  - id: limits.api
    limits: { port: 8443, process: java, item: nofile }
    expect: { hard: { gte: 65536 } }
    when: { var: api_host, expect: { ne: "" } }
    timeout: 1500
  - id: old.check
    enabled: false
waivers:
  - check: kernel.somaxconn
    reason: tuned by the platform team
    expires: 2030-01-31
`),
    ).toEqual([]);
  });

  it('explains missing keys, with the value to add when it is fixed', () => {
    expect(problems('checks: []\n', 'kind: Policy\nmetadata: {}\n')).toEqual([
      'p.yaml:1:1: missing required key "apiVersion" in policy; add apiVersion: plumbline/v1',
      'p.yaml:2:11: missing required key "name" in metadata',
    ]);
    expect(problems('checks:\n  - id: a\n    sysctl: x\n')).toEqual(['p.yaml:6:5: missing required key "expect" in check']);
  });

  it('says which expect an unknown key was found in', () => {
    expect(problems('checks:\n  - id: a\n    listener: { port: 80 }\n    expect: { bnd: loopback }\n')).toEqual([
      'p.yaml:8:15: unknown key "bnd" in listener expect; did you mean "bind"?',
    ]);
    expect(problems('checks:\n  - id: a\n    tcpStates: {}\n    expect: { CLOSED_WAIT: 1 }\n')).toEqual([
      'p.yaml:8:15: unknown key "CLOSED_WAIT" in tcpStates expect; did you mean "CLOSE_WAIT"?',
    ]);
    expect(problems('checks:\n  - id: a\n    tcpStates: { all: true }\n    expect: { LISTEN: 1 }\n')).toEqual([
      'p.yaml:7:18: unknown key "all" in tcpStates; tcpStates takes no keys ({})',
    ]);
    expect(problems('flavour: x\n')).toEqual([
      'p.yaml:5:1: unknown key "flavour" in policy; expected one of apiVersion, kind, metadata, extends, vars, defaults, waivers, checks',
    ]);
  });

  it('words type, enum, pattern and range problems for a reader', () => {
    expect(
      problems(`checks:
  - id: a
    sysctl: net.core.somaxconn
    expect: [1, 2]
  - id: b
    listeners: {}
    expect: { only: [22, "localhost:80", 70000] }
  - id: c
    limits: { item: nofle }
    expect: { soft: {} }
  - id: d
    netstat: Tcp Ext.ListenDrops
    expect: 0
  - id: e
    firewall: { chain: input }
    expect: { policy: [dorp] }
  - id: f
    sysctl: x
    expect: { between: [1, 2, 3], index: -1 }
  - id: Bad
    route: 10.0.0.0/33x
    expect: { exists: yes }
`),
    ).toEqual([
      'p.yaml:8:13: expect must be a value (meaning eq) or a map of operators, got list [1,2]',
      'p.yaml:11:26: expect.only[1]: "localhost" is not an IP address',
      'p.yaml:11:42: expect.only[2] must be a port number 1-65535, got 70000',
      'p.yaml:13:13: limits must name the processes with one of process, pid, pidfile, unit, port, listening',
      'p.yaml:13:21: limits.item must be one of cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime; got "nofle"; did you mean "nofile"?',
      'p.yaml:14:21: expect.soft must not be empty; give a value or at least one operator',
      'p.yaml:16:14: netstat must be a counter name like ListenOverflows, RetransRatio or Section.Counter (e.g. TcpExt.ListenDrops); got "Tcp Ext.ListenDrops"',
      'p.yaml:20:24: expect.policy[0] must be one of drop, reject, accept; got "dorp"; did you mean "drop"?',
      'p.yaml:23:24: expect.between must be a list [lo, hi]; got list [1,2,3]',
      'p.yaml:23:42: expect.index must be >= 0, got -1',
      'p.yaml:24:9: id must be lowercase letters, digits, ".", "_" or "-", starting with a letter or digit; got "Bad"',
      'p.yaml:25:12: route must be "default", "default6", a CIDR like 10.0.0.0/8 or an address like 192.0.2.7; got "10.0.0.0/33x"',
      'p.yaml:26:23: expect.exists must be a boolean, got string "yes"',
    ]);
  });

  it('checks top-level sections too', () => {
    expect(
      problems(`extends: builtin:baseline
vars: { my-var: 1, ok: [1] }
defaults: { failUnder: 120 }
waivers:
  - check: a
  - check: a
    reason: twice
    expires: tomorrow
`),
    ).toEqual([
      'p.yaml:5:10: extends must be a list, got string "builtin:baseline"',
      'p.yaml:6:9: variable name "my-var" must be letters, digits and _, not starting with a digit',
      'p.yaml:6:24: vars.ok must be a string, a number or a boolean, got list [1]',
      'p.yaml:7:24: defaults.failUnder must be <= 100, got 120',
      'p.yaml:9:5: missing required key "reason" in waiver',
      'p.yaml:10:12: duplicate waiver for check "a"; first declared on line 9',
      'p.yaml:12:14: expires must be a date YYYY-MM-DD; got "tomorrow"',
    ]);
  });

  it('reports an empty file and a file that is not a map', () => {
    expect(fmt(validatePolicy(loadPolicyText('', 'p.yaml')))).toEqual(['p.yaml:1:1: policy file is empty; it needs apiVersion, kind and metadata']);
    expect(fmt(validatePolicy(loadPolicyText('# nothing\n- a\n', 'p.yaml')))).toEqual([
      'p.yaml:2:1: policy must be a map of apiVersion, kind, metadata and checks; this file reads as a list',
    ]);
  });

  it('leaves ${var} values to be judged after interpolation, but not in ids', () => {
    expect(problems('checks:\n  - id: a\n    listener: { port: "${p}" }\n    expect: { bind: any }\n')).toEqual([]);
    expect(problems('checks:\n  - id: "${x}"\n    sysctl: a\n    expect: 1\n')).toEqual([
      'p.yaml:6:9: id must be lowercase letters, digits, ".", "_" or "-", starting with a letter or digit; got "${x}"',
    ]);
  });
});

describe('didYouMean', () => {
  it('finds transpositions and small edits, and nothing for unrelated words', () => {
    expect(didYouMean('sysclt', ['sysctl', 'limits'])).toBe('sysctl');
    expect(didYouMean('hgih', ['critical', 'high', 'medium'])).toBe('high');
    expect(didYouMean('Severity', ['severity'])).toBe('severity');
    expect(didYouMean('banana', ['sysctl', 'limits'])).toBeUndefined();
    expect(didYouMean('x'.repeat(100), ['x'])).toBeUndefined();
  });
});
