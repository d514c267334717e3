// The neighbour selector is judged when the policy is read: one of gateway and address, the gateway a default
// route's name, the address one address as the audit reads it.
import { describe, expect, it } from 'vitest';
import { HEAD, errorsOfTextFn, policyModules } from './helpers.js';

const { resolvePolicy } = await policyModules();
const errorsOfText = await errorsOfTextFn();

/** A policy of neighbour checks, one per line from line 6. */
function neighbourChecks(...checks: Array<[selector: string, expect: string]>): string {
  return `${HEAD}checks:\n${checks.map(([s, e], i) => `  - { id: c${i}, title: t, severity: low, neighbour: ${s}, expect: ${e} }`).join('\n')}\n`;
}

describe('neighbour selectors', () => {
  it('take a gateway or an address, and expect resolved', () => {
    const text = neighbourChecks(
      ['{ gateway: default }', '{ resolved: true }'],
      ['{ gateway: default6 }', '{ resolved: false }'],
      ['{ address: 192.0.2.1 }', '{ resolved: true }'],
      ['{ address: "fe80::1" }', '{ resolved: true }'],
    );
    const p = resolvePolicy(['p.yaml'], { builtinDir: '/virt/builtin', cwd: '/virt', readFile: () => text });
    expect(p.checks.map((c) => c.selector)).toEqual([
      { kind: 'neighbour', target: { gateway: 'default' } },
      { kind: 'neighbour', target: { gateway: 'default6' } },
      { kind: 'neighbour', target: { address: '192.0.2.1' } },
      { kind: 'neighbour', target: { address: 'fe80::1' } },
    ]);
    expect(p.checks.map((c) => c.area)).toEqual(['network', 'network', 'network', 'network']);
  });

  it('say what is wrong, one line each, where it is', () => {
    const text = neighbourChecks(
      ['{ gateway: defualt }', '{ resolved: true }'],
      ['{ gateway: default, address: 192.0.2.1 }', '{ resolved: true }'],
      ['{}', '{ resolved: true }'],
      ['{ address: 192.0.2.0/24 }', '{ resolved: true }'],
      ['{ address: gw.example }', '{ resolved: true }'],
      ['{ gateway: default }', '{}'],
      ['{ gateway: default }', '{ resolved: yes please }'],
    );
    expect(errorsOfText(text)).toEqual([
      'p.yaml:6:62: neighbour.gateway must be one of default, default6; got "defualt"; did you mean "default"?',
      'p.yaml:7:51: neighbour takes one of gateway, address, to, not several',
      'p.yaml:8:51: neighbour must not be empty; give at least one of gateway, address, to',
      'p.yaml:9:62: neighbour.address: "192.0.2.0/24" is not an IP address, like 192.0.2.1 or fe80::1',
      'p.yaml:10:62: neighbour.address: "gw.example" is not an IP address, like 192.0.2.1 or fe80::1',
      'p.yaml:11:81: missing required key "resolved" in neighbour expect',
      'p.yaml:12:93: expect.resolved must be a boolean, got string "yes please"',
    ]);
  });
});
