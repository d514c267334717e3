// Every policy mistake a user can make ends as `file:line:col: message` pointing at what to fix.
import { describe, expect, it } from 'vitest';
import { HEAD, builtinDir, errorsOfTextFn, issuesOf, policyModules, root } from './helpers.js';

const { resolvePolicy, PolicyError } = await policyModules();
const E = 'test/unit/policy/cases/errors';

function errorsOf(...files: string[]): string[] {
  return issuesOf(
    () =>
      resolvePolicy(
        files.map((f) => `${E}/${f}`),
        { builtinDir, cwd: root },
      ),
    PolicyError,
  );
}
const errorsOfText = await errorsOfTextFn();

describe('policy errors', () => {
  it('reports a YAML syntax error with its position', () => {
    expect(errorsOf('syntax.yaml')).toEqual([
      `${E}/syntax.yaml:9:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }`,
    ]);
  });

  it('reports a duplicate key at the second occurrence, naming the first', () => {
    expect(errorsOf('duplicate-key.yaml')).toEqual([`${E}/duplicate-key.yaml:9:5: duplicate key "severity"; first defined on line 7`]);
  });

  it('suggests the key an unknown key was probably meant to be', () => {
    expect(errorsOf('unknown-key.yaml')).toEqual([`${E}/unknown-key.yaml:10:5: unknown key "remedation" in check; did you mean "remediation"?`]);
  });

  it('names the expected type and the value given, and suggests enum values', () => {
    expect(errorsOf('wrong-type.yaml')).toEqual([
      `${E}/wrong-type.yaml:7:15: severity must be one of critical, high, medium, low, info; got "hgih"; did you mean "high"?`,
      `${E}/wrong-type.yaml:8:23: listener.port must be an integer, got string "eighty"`,
    ]);
  });

  it('catches unknown operators and lists the valid ones', () => {
    expect(errorsOf('unknown-operator.yaml')).toEqual([
      `${E}/unknown-operator.yaml:10:7: unknown operator "gte2"; did you mean "gte"? Operators: eq, ne, gt, gte, lt, lte, between, in, notIn, match, contains, exists, index`,
    ]);
  });

  it('says a misspelt selector once, as an unknown key, not also as a missing selector', () => {
    expect(errorsOf('unknown-selector.yaml')).toEqual([`${E}/unknown-selector.yaml:8:5: unknown key "sysctll" in check; did you mean "sysctl"?`]);
  });

  it('rejects two selectors at the second, and a check with none', () => {
    expect(errorsOf('two-selectors.yaml')).toEqual([
      `${E}/two-selectors.yaml:9:5: check has two selectors (sysctl and listener); a check reads exactly one fact`,
      `${E}/two-selectors.yaml:11:5: check has no fact selector; add one of sysctl, limits, listener, listeners, tcpStates, netstat, interface, route, neighbour, icmp, mtu, firewall, conntrack, tcp, dns, http, tls, tlsListeners, certificate`,
    ]);
  });

  it('rejects a duplicate check id at the second, naming the line of the first', () => {
    expect(errorsOf('duplicate-ids.yaml')).toEqual([`${E}/duplicate-ids.yaml:10:9: duplicate check id "kernel.somaxconn"; first declared on line 6`]);
  });

  it('reports undefined variables where they are used, listing the defined ones', () => {
    expect(errorsOf('undefined-var.yaml')).toEqual([
      `${E}/undefined-var.yaml:11:23: undefined variable \${api_port}; defined: tls_port, region`,
      `${E}/undefined-var.yaml:14:12: undefined variable \${api_host}; defined: tls_port, region`,
    ]);
  });

  it('validates a typed variable after interpolation, at the reference', () => {
    expect(errorsOf('typed-var.yaml')).toEqual([`${E}/typed-var.yaml:10:23: listener.port must be an integer, got string "eighty" (from "\${port}")`]);
  });

  it('reports missing extended files and unknown built-ins at the extends entry, and no follow-on errors', () => {
    expect(errorsOf('missing-extends.yaml')).toEqual([
      `${E}/missing-extends.yaml:6:5: extended policy "./nowhere.yaml" not found: ${E}/nowhere.yaml`,
      `${E}/missing-extends.yaml:7:5: unknown built-in policy "builtin:bse"; did you mean "builtin:base"?`,
    ]);
  });

  it('reports an extends cycle at the entry that closes it', () => {
    expect(errorsOf('cycle-a.yaml')).toEqual([`${E}/cycle-b.yaml:5:11: extends cycle: cycle-a.yaml → cycle-b.yaml → cycle-a.yaml`]);
  });

  it('checks regexes, between bounds and durations', () => {
    expect(errorsOf('bad-values.yaml')).toEqual([
      `${E}/bad-values.yaml:6:12: defaults.timeout must be a duration like "500ms", "2s", "1m" or "1h" (units ms, s, m, h), or a number of milliseconds; got "5 sec"`,
      `${E}/bad-values.yaml:11:22: match is not a valid regular expression: /^(web|api/: Unterminated group`,
      `${E}/bad-values.yaml:15:24: between [4194304, 32768]: the lower bound is greater than the upper bound`,
      `${E}/bad-values.yaml:16:14: timeout must be a duration like "500ms", "2s", "1m" or "1h" (units ms, s, m, h), or a number of milliseconds; got "soon"`,
    ]);
  });

  it('refuses a comparison bound that is no number, which could only ever fail', () => {
    const check = (expect: string) => `${HEAD}checks:\n  - id: a\n    title: a\n    severity: low\n    sysctl: net.core.somaxconn\n    expect: ${expect}\n`;
    // A numeric string is a number; only the word is refused.
    expect(errorsOfText(check('{ gte: "lots", lte: "65535" }'))).toEqual(['p.yaml:10:20: gte compares numbers, and "lots" is not one']);
    expect(errorsOfText(check('{ between: ["1", "x"] }'))).toEqual(['p.yaml:10:30: between compares numbers, and "x" is not one']);
  });

  it('refuses timeouts of 0 and timeouts longer than a timer can wait, written either way', () => {
    const max = 'must be at most 2147483647ms (about 24.8 days, the longest a timer can wait)';
    expect(errorsOfText(`${HEAD}defaults:\n  timeout: 99999999h\n`)).toEqual([`p.yaml:6:12: defaults.timeout ${max}; got "99999999h"`]);
    expect(errorsOfText(`${HEAD}defaults:\n  timeout: 99999999999999\n`)).toEqual([`p.yaml:6:12: defaults.timeout ${max}; got 99999999999999`]);
    expect(errorsOfText(`${HEAD}defaults:\n  timeout: 2147483648\n`)).toEqual([`p.yaml:6:12: defaults.timeout ${max}; got 2147483648`]);
    expect(errorsOfText(`${HEAD}defaults:\n  timeout: 30d\n`)).toEqual([
      'p.yaml:6:12: defaults.timeout must be a duration like "500ms", "2s", "1m" or "1h" (units ms, s, m, h), or a number of milliseconds; got "30d"',
    ]);
    expect(
      errorsOfText(`${HEAD}checks:\n  - id: a\n    sysctl: x\n    expect: 1\n    timeout: 0s\n  - id: b\n    sysctl: x\n    expect: 1\n    timeout: 0\n`),
    ).toEqual(['p.yaml:9:14: timeout must be at least 1ms; got "0s"', 'p.yaml:13:14: timeout must be at least 1ms; got 0']);
    // Timers count whole milliseconds: a fraction that rounds to nothing is no timeout either.
    expect(errorsOfText(`${HEAD}defaults:\n  timeout: 0.4ms\n`)).toEqual(['p.yaml:6:12: defaults.timeout must be at least 1ms; got "0.4ms"']);
    // The longest timer there is still works, and a variable is judged once it has a value.
    expect(() =>
      resolvePolicy(['p.yaml'], { builtinDir: '/virt/b', cwd: '/virt', readFile: () => `${HEAD}defaults: { timeout: 2147483647 }\n` }),
    ).not.toThrow();
    expect(errorsOfText(`${HEAD}vars: { t: 9999999h }\nchecks:\n  - id: a\n    sysctl: x\n    expect: 1\n    timeout: "\${t}"\n`)).toEqual([
      `p.yaml:10:14: timeout ${max}; got "9999999h" (from "\${t}")`,
    ]);
  });

  it('refuses numbers that are not finite, wherever they are', () => {
    const inf = 'must be a finite number; YAML reads this as infinity (a number too large, or .inf)';
    expect(
      errorsOfText(
        `${HEAD}vars:\n  big: 1e400\n  neg: -.inf\n  nan: .NaN\ndefaults: { failUnder: .inf }\nchecks:\n  - id: a\n    sysctl: x\n    expect: { between: [0, 1e999] }\n`,
      ),
    ).toEqual([
      `p.yaml:6:8: vars.big ${inf}`,
      'p.yaml:7:8: vars.neg must be a finite number; YAML reads this as minus infinity (a number too large, or .inf)',
      'p.yaml:8:8: vars.nan must be a finite number; YAML reads this as not a number (.nan)',
      `p.yaml:9:24: defaults.failUnder ${inf}`,
      `p.yaml:13:28: expect.between[1] ${inf}`,
    ]);
  });

  it('says once that nesting is too deep, without a stack overflow', () => {
    expect(errorsOfText(`${HEAD}vars:\n  a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)).toEqual([
      'p.yaml:6:68: nesting is too deep: more than 64 levels of lists and maps (a policy needs a handful)',
    ]);
    let deep = HEAD;
    for (let i = 0; i < 10_000; i++) deep += `${' '.repeat(i)}a:\n`;
    expect(errorsOfText(deep)).toEqual(['p.yaml:69:65: nesting is too deep: more than 64 levels of lists and maps (a policy needs a handful)']);
    // 64 levels are allowed: the policy, vars and 62 lists.
    expect(errorsOfText(`${HEAD}vars:\n  a: ${'['.repeat(62)}${']'.repeat(62)}\n`)).toEqual([
      'p.yaml:6:6: vars.a must be a string, a number or a boolean, got list [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...',
    ]);
  });

  it('names a file that is no policy and the problem, never quoting it', () => {
    expect(errorsOfText('\u007fELF\u0002\u0001\u0001\0\0\0secret: hunter2\n')).toEqual(['p.yaml:1:8: not a policy: binary data, not YAML text']);
    expect(errorsOfText(`${HEAD}metadata: { description: "caf\ufffd secret" }\n`)).toEqual([
      'p.yaml:5:30: not UTF-8 text here (bytes in another encoding, or binary data); save the policy as UTF-8',
    ]);
    const issues = errorsOfText('#!/bin/sh\nset -e\nPASSWORD="hunter2: yes" exec ./run }\n} secret\n');
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(i).not.toMatch(/hunter2|secret|PASSWORD/);
    expect(errorsOfText('#!/bin/sh\necho secret\nexit 0\n')).toEqual([
      'p.yaml:2:1: policy must be a map of apiVersion, kind, metadata and checks; this file reads as a string',
    ]);
    expect(errorsOfText('{ "name": "secret-app", "version": "1.0.0", "scripts": { "test": "vitest" } }\n')).toEqual([
      'p.yaml:1:1: not a plumbline policy: it has none of the keys a policy has (apiVersion, kind, metadata, extends, vars, defaults, waivers, checks)',
    ]);
  });

  it('names a directory given as a policy, at 1:1', () => {
    expect(issuesOf(() => resolvePolicy([E], { builtinDir, cwd: root }), PolicyError)).toEqual([`${E}:1:1: cannot read: it is a directory, not a policy file`]);
  });

  it('checks listener bind and allow-list entries with the reader the audit uses', () => {
    const text = `${HEAD}checks:
  - id: a
    listener: { port: 80 }
    expect: { bind: [10.0.0.1, 10.0.0.0/33, "fe80::1%eth0", 127.0.0.1] }
  - id: b
    listeners: {}
    expect: { only: [22, "127.0.0.1:6379", "999.1.1.1:80", "[::1]:99999", "::1:5432", "[::1]:5432"] }
`;
    expect(errorsOfText(text)).toEqual([
      'p.yaml:8:32: expect.bind[1]: 10.0.0.0/33: /33 is longer than an IPv4 address (32 bits)',
      'p.yaml:8:45: expect.bind[2]: fe80::1%eth0: a zone index (%...) cannot be matched; write the address without it',
      'p.yaml:11:44: expect.only[2]: "999.1.1.1" is not an IP address',
      'p.yaml:11:60: expect.only[3]: port 99999 is not 1-65535',
      'p.yaml:11:75: expect.only[4]: "::1:5432": an IPv6 address takes brackets before the port, like "[::1]:5432"',
    ]);
  });

  it('catches waivers and disables that name no check, and impossible dates', () => {
    expect(errorsOf('waivers.yaml')).toEqual([
      `${E}/waivers.yaml:8:14: cannot disable check "kernel.somaxconn-typo": no policy applied before this one defines it; did you mean "kernel.somaxconn"?`,
      `${E}/waivers.yaml:10:12: waiver for unknown check "kernel.somaxcon"; did you mean "kernel.somaxconn"?`,
      `${E}/waivers.yaml:14:14: expires is not a real date: "2030-02-30"`,
    ]);
  });

  it('keeps built-in names inside the built-in directory', () => {
    expect(issuesOf(() => resolvePolicy(['builtin:../web'], { builtinDir, cwd: root }), PolicyError)).toEqual([
      'builtin:../web:1:1: invalid built-in policy name "builtin:../web"; built-ins are builtin:NAME with NAME like baseline',
    ]);
  });

  it('reports an unreadable entry file at 1:1', () => {
    expect(errorsOf('no-such-file.yaml')).toEqual([`${E}/no-such-file.yaml:1:1: cannot read: ENOENT: no such file or directory`]);
  });

  it('collects the issues of every file before throwing', () => {
    const all = errorsOf('unknown-key.yaml', 'duplicate-ids.yaml', 'cycle-a.yaml');
    expect(all).toEqual([
      `${E}/unknown-key.yaml:10:5: unknown key "remedation" in check; did you mean "remediation"?`,
      `${E}/duplicate-ids.yaml:10:9: duplicate check id "kernel.somaxconn"; first declared on line 6`,
      `${E}/cycle-b.yaml:5:11: extends cycle: cycle-a.yaml → cycle-b.yaml → cycle-a.yaml`,
    ]);
  });

  it('carries the issues on the error and formats its message as file:line:col lines', () => {
    try {
      resolvePolicy([`${E}/duplicate-ids.yaml`], { builtinDir, cwd: root });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      const err = e as InstanceType<typeof PolicyError>;
      expect(err.issues).toEqual([
        { file: `${E}/duplicate-ids.yaml`, line: 10, column: 9, message: 'duplicate check id "kernel.somaxconn"; first declared on line 6' },
      ]);
      expect(err.message).toBe(`${E}/duplicate-ids.yaml:10:9: duplicate check id "kernel.somaxconn"; first declared on line 6`);
    }
  });
});
