// Route destinations and gateways are judged when the policy is read, by the readers the audit uses, so a
// policy that validates never fails at audit time for a typo in an address.
import { describe, expect, it } from 'vitest';
import { HEAD, errorsOfTextFn, policyModules } from './helpers.js';

const { resolvePolicy } = await policyModules();
const errorsOfText = await errorsOfTextFn();

/** A policy of route checks, one per line from line 6: `- { id: cN, title: t, severity: low, route: ..., expect: ... }`. */
function routeChecks(...checks: Array<[route: string, expect: string]>): string {
  return `${HEAD}checks:\n${checks.map(([r, e], i) => `  - { id: c${i}, title: t, severity: low, route: ${r}, expect: ${e} }`).join('\n')}\n`;
}

function resolves(text: string): boolean {
  resolvePolicy(['p.yaml'], { builtinDir: '/virt/builtin', cwd: '/virt', readFile: () => text });
  return true;
}

describe('route gateways (expect.via)', () => {
  it('a plain via must be an IP address, as the audit reads one', () => {
    const text = routeChecks(
      ['default', '{ via: not-an-ip }'],
      ['default', '{ via: 192.000.002.001 }'],
      ['default', '{ via: "192.0.2.01" }'],
      ['default', '{ via: 192.0.2.0/24 }'],
      ['default', '{ via: "fe80::1%eth0" }'],
      ['default', '{ via: 5 }'],
    );
    expect(errorsOfText(text)).toEqual([
      'p.yaml:6:71: expect.via: "not-an-ip" is not an IP address',
      'p.yaml:7:71: expect.via: "192.000.002.001" is not an IP address',
      'p.yaml:8:71: expect.via: "192.0.2.01" is not an IP address',
      'p.yaml:9:71: expect.via: 192.0.2.0/24 is a network, not an address; via is one gateway address, like 192.0.2.1 or fe80::1',
      'p.yaml:10:71: expect.via: fe80::1%eth0: a zone index (%...) cannot be matched; write the address without it',
      'p.yaml:11:71: expect.via: 5 is not an IP address; via is one gateway address, like 192.0.2.1 or fe80::1',
    ]);
  });

  it('operands of eq, ne, in and notIn must be addresses too; match is a pattern and dev a name', () => {
    const text = routeChecks(
      ['default', '{ via: { in: [192.0.2.1, gw.example, "fe80::1"] } }'],
      ['default', '{ via: { ne: 192.0.2.300, notIn: [198.18.0.0/15] } }'],
      ['default', '{ via: { eq: "192.0.2.1 " } }'],
      ['default', '{ via: { match: "^192\\\\.0\\\\.2\\\\." }, dev: not-an-ip }'],
      ['default', '{ via: { exists: true } }'],
    );
    expect(errorsOfText(text)).toEqual([
      'p.yaml:6:89: expect.via.in[1]: "gw.example" is not an IP address',
      'p.yaml:7:77: expect.via.ne: "192.0.2.300" is not an IP address',
      'p.yaml:7:98: expect.via.notIn[0]: 198.18.0.0/15 is a network, not an address; via is one gateway address, like 192.0.2.1 or fe80::1',
    ]);
  });

  it('accepts every spelling of an address the audit compares as one', () => {
    for (const via of ['192.0.2.1', '"fe80:0:0::1"', '"[fe80::1]"', '"::ffff:192.0.2.1"', '"FE80::1"']) {
      expect(resolves(routeChecks(['default', `{ via: ${via} }`])), via).toBe(true);
    }
  });

  it('judges a ${var} gateway once it is interpolated', () => {
    const text = `${HEAD}vars: { gw: 192.0.2.256, ok: 192.0.2.1 }\nchecks:\n  - { id: a, title: t, severity: low, route: default, expect: { via: "\${gw}" } }\n  - { id: b, title: t, severity: low, route: default, expect: { via: { in: ["\${ok}"] } } }\n`;
    expect(errorsOfText(text)).toEqual(['p.yaml:7:70: expect.via: "192.0.2.256" is not an IP address (from "${gw}")']);
  });
});

describe('route destinations', () => {
  it('a network with host bits set, or one that is no network, is refused with the reason', () => {
    const text = routeChecks(
      ['192.0.2.5/24', '{ exists: true }'],
      ['192.0.002.0/24', '{ exists: true }'],
      ['10.0.0.0/33', '{ exists: true }'],
      ['"2001:db8::1/32"', '{ exists: true }'],
      ['"2001:db8::/129"', '{ exists: true }'],
    );
    expect(errorsOfText(text)).toEqual([
      'p.yaml:6:47: route: 192.0.2.5/24 has bits set past the /24: the network is 192.0.2.0/24',
      'p.yaml:7:47: route: "192.0.002.0" is not an IP address',
      'p.yaml:8:47: route: 10.0.0.0/33: /33 is longer than an IPv4 address (32 bits)',
      'p.yaml:9:47: route: 2001:db8::1/32 has bits set past the /32: the network is 2001:db8::/32',
      'p.yaml:10:47: route: 2001:db8::/129: /129 is longer than an IPv6 address (128 bits)',
    ]);
  });

  it('leaves other texts to the schema, and accepts networks written any way the audit reads them', () => {
    expect(errorsOfText(routeChecks(['defualt', '{ exists: true }']))).toEqual([
      'p.yaml:6:47: route must be "default", "default6", a CIDR like 10.0.0.0/8 or an address like 192.0.2.7; got "defualt"',
    ]);
    for (const dest of ['default', 'default6', '192.0.2.0/24', '"2001:db8::/32"', '"2001:0db8:0::/32"', '0.0.0.0/1', '192.0.2.7', '"2001:db8::7"']) {
      expect(resolves(routeChecks([dest, '{ exists: true }'])), dest).toBe(true);
    }
  });

  it('an address alone (the route the kernel picks to reach it) must be an address', () => {
    expect(errorsOfText(routeChecks(['192.0.2', '{ exists: true }'], ['"2001:db8:::7"', '{ exists: true }']))).toEqual([
      'p.yaml:6:47: route: "192.0.2" is not an IP address, like 192.0.2.7 or 2001:db8::7',
      'p.yaml:7:47: route: "2001:db8:::7" is not an IP address, like 192.0.2.7 or 2001:db8::7',
    ]);
  });

  it('judges a ${var} destination once it is interpolated', () => {
    const text = `${HEAD}vars: { net: 198.18.80.1/20 }\nchecks:\n  - { id: a, title: t, severity: low, route: "\${net}", expect: { exists: true } }\n`;
    expect(errorsOfText(text)).toEqual(['p.yaml:7:46: route: 198.18.80.1/20 has bits set past the /20: the network is 198.18.80.0/20 (from "${net}")']);
  });
});
