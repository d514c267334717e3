// Certificate files are named by absolute paths on the audited host, and their expectations are the schema's:
// each mistake is a `file:line:col` error when the policy is read.
import { describe, expect, it } from 'vitest';
import { HEAD, errorsOfTextFn, policyModules } from './helpers.js';

const { resolvePolicy } = await policyModules();
const errorsOfText = await errorsOfTextFn();

function checks(...lines: string[]): string {
  return `${HEAD}checks:\n${lines.map((l, i) => `  - { id: c${i}, title: t, severity: low, ${l} }`).join('\n')}\n`;
}

describe('certificate selector in a policy', () => {
  it('refuses relative paths, unknown keys and bad expectations at their position', () => {
    const text = checks(
      'certificate: { path: etc/ssl/site.pem }, expect: { daysLeft: { gte: 30 } }',
      'certificate: { path: /etc/ssl/site.pem, key: site.key }, expect: { keyMatches: true }',
      'certificate: { path: /etc/ssl/site.pem, cert: x }, expect: { daysLeft: { gte: 30 } }',
      'certificate: { path: /etc/ssl/site.pem }, expect: { daysleft: { gte: 30 } }',
      'certificate: { path: /etc/ssl/site.pem }, expect: { chainOrder: yes }',
    );
    expect(errorsOfText(text)).toMatchInlineSnapshot(`
      [
        "p.yaml:6:61: certificate.path: "etc/ssl/site.pem" is not an absolute path: write the full path, like "/etc/ssl/certs/site.pem"",
        "p.yaml:7:85: certificate.key: "site.key" is not an absolute path: write the full path, like "/etc/ssl/private/site.key"",
        "p.yaml:8:80: unknown key "cert" in certificate; expected one of path, key",
        "p.yaml:9:92: unknown key "daysleft" in certificate expect; did you mean "daysLeft"?",
        "p.yaml:10:104: expect.chainOrder must be a boolean, got string "yes"",
      ]
    `);
  });

  it('judges a ${var} path once it is interpolated', () => {
    const text = `${HEAD}vars: { p: "site.pem" }\nchecks:\n  - { id: c0, title: t, severity: low, certificate: { path: "\${p}" }, expect: { daysLeft: { gte: 1 } } }\n`;
    expect(errorsOfText(text)).toEqual([expect.stringMatching(/^p\.yaml:\d+:\d+: certificate\.path: "site\.pem" is not an absolute path/)]);
  });

  it('resolves a valid check into a selector of area certificates', () => {
    const text = checks(
      'certificate: { path: /etc/ssl/site.pem, key: /etc/ssl/site.key }, expect: { daysLeft: { gte: 30 }, leaf: { daysLeft: { gte: 30 } }, keyMatches: true }',
    );
    const p = resolvePolicy(['p.yaml'], { builtinDir: '/virt/builtin', cwd: '/virt', readFile: () => text });
    expect(p.checks.map((c) => [c.area, c.selector])).toEqual([
      ['certificates', { kind: 'certificate', spec: { path: '/etc/ssl/site.pem', key: '/etc/ssl/site.key' } }],
    ]);
  });
});
