// Every policy mistake a user can make ends as `file:line:col: message` pointing at what to fix.
import { describe, expect, it } from 'vitest';
import { builtinDir, issuesOf, policyModules, root } from './helpers.js';

const { resolvePolicy, PolicyError } = await policyModules();
const E = 'test/unit/policy/cases/errors';

function errorsOf(...files: string[]): string[] {
  return issuesOf(() => resolvePolicy(files.map((f) => `${E}/${f}`), { builtinDir, cwd: root }), PolicyError);
}

describe('policy errors', () => {
  it('reports a YAML syntax error with its position', () => {
    expect(errorsOf('syntax.yaml')).toEqual([
      `${E}/syntax.yaml:9:1: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }`,
    ]);
  });

  it('reports a duplicate key at the second occurrence, naming the first', () => {
    expect(errorsOf('duplicate-key.yaml')).toEqual([
      `${E}/duplicate-key.yaml:9:5: duplicate key "severity"; first defined on line 7`,
    ]);
  });

  it('suggests the key an unknown key was probably meant to be', () => {
    expect(errorsOf('unknown-key.yaml')).toEqual([
      `${E}/unknown-key.yaml:10:5: unknown key "remedation" in check; did you mean "remediation"?`,
    ]);
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
    expect(errorsOf('unknown-selector.yaml')).toEqual([
      `${E}/unknown-selector.yaml:8:5: unknown key "sysctll" in check; did you mean "sysctl"?`,
    ]);
  });

  it('rejects two selectors at the second, and a check with none', () => {
    expect(errorsOf('two-selectors.yaml')).toEqual([
      `${E}/two-selectors.yaml:9:5: check has two selectors (sysctl and listener); a check reads exactly one fact`,
      `${E}/two-selectors.yaml:11:5: check has no fact selector; add one of sysctl, limits, listener, listeners, tcpStates, netstat, interface, route, firewall`,
    ]);
  });

  it('rejects a duplicate check id at the second, naming the line of the first', () => {
    expect(errorsOf('duplicate-ids.yaml')).toEqual([
      `${E}/duplicate-ids.yaml:10:9: duplicate check id "kernel.somaxconn"; first declared on line 6`,
    ]);
  });

  it('reports undefined variables where they are used, listing the defined ones', () => {
    expect(errorsOf('undefined-var.yaml')).toEqual([
      `${E}/undefined-var.yaml:11:23: undefined variable \${api_port}; defined: tls_port, region`,
      `${E}/undefined-var.yaml:14:12: undefined variable \${api_host}; defined: tls_port, region`,
    ]);
  });

  it('validates a typed variable after interpolation, at the reference', () => {
    expect(errorsOf('typed-var.yaml')).toEqual([
      `${E}/typed-var.yaml:10:23: listener.port must be an integer, got string "eighty" (from "\${port}")`,
    ]);
  });

  it('reports missing extended files and unknown built-ins at the extends entry, and no follow-on errors', () => {
    expect(errorsOf('missing-extends.yaml')).toEqual([
      `${E}/missing-extends.yaml:6:5: extended policy "./nowhere.yaml" not found: ${E}/nowhere.yaml`,
      `${E}/missing-extends.yaml:7:5: unknown built-in policy "builtin:bse"; did you mean "builtin:base"?`,
    ]);
  });

  it('reports an extends cycle at the entry that closes it', () => {
    expect(errorsOf('cycle-a.yaml')).toEqual([
      `${E}/cycle-b.yaml:5:11: extends cycle: cycle-a.yaml → cycle-b.yaml → cycle-a.yaml`,
    ]);
  });

  it('checks regexes, between bounds and durations', () => {
    expect(errorsOf('bad-values.yaml')).toEqual([
      `${E}/bad-values.yaml:6:12: defaults.timeout must be a duration like "500ms", "2s" or "1m", or a number of milliseconds; got "5 sec"`,
      `${E}/bad-values.yaml:11:22: match is not a valid regular expression: /^(web|api/: Unterminated group`,
      `${E}/bad-values.yaml:15:24: between [4194304, 32768]: the lower bound is greater than the upper bound`,
      `${E}/bad-values.yaml:16:14: timeout must be a duration like "500ms", "2s" or "1m", or a number of milliseconds; got "soon"`,
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
