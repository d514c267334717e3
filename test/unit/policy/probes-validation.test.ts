// Probe targets are judged when the policy is read, by the validators the probes use (src/lib/targets.ts):
// a host, port, URL or DNS query the audit could not use is a `file:line:col` error, never a run-time surprise.
import { describe, expect, it } from 'vitest';
import { HEAD, errorsOfTextFn, policyModules } from './helpers.js';

const { resolvePolicy } = await policyModules();
const errorsOfText = await errorsOfTextFn();

/** A policy of one-line checks from line 6: `- { id: cN, title: t, severity: low, <selector and expect> }`. */
function checks(...lines: string[]): string {
  return `${HEAD}checks:\n${lines.map((l, i) => `  - { id: c${i}, title: t, severity: low, ${l} }`).join('\n')}\n`;
}

function resolve(text: string, opts: { lowerLayers?: boolean } = {}) {
  return resolvePolicy(['p.yaml'], { builtinDir: '/virt/builtin', cwd: '/virt', readFile: () => text, ...opts });
}

describe('probe selectors in a policy', () => {
  it('refuses bad hosts and ports of tcp checks at their position', () => {
    const text = checks(
      'tcp: { host: "bad_host-.example", port: 443 }, expect: { connect: open }',
      'tcp: { host: db.example, port: 70000 }, expect: { connect: open }',
      'tcp: { host: "[::1]", port: 22 }, expect: { connect: open }',
      'tcp: { host: db.example, port: 22, samples: 0 }, expect: { connect: open }',
      'tcp: { host: db.example, port: 22 }, expect: { connect: opened }',
    );
    expect(errorsOfText(text)).toMatchSnapshot();
  });

  it('refuses URLs without a scheme, other schemes and bad methods and headers', () => {
    const text = checks(
      'http: { url: example.com/health }, expect: { status: 200 }',
      'http: { url: "ftp://example.com/" }, expect: { status: 200 }',
      'http: { url: "https://example.com/", method: "GE T" }, expect: { status: 200 }',
      'http: { url: "https://example.com/", headers: { "bad name": x } }, expect: { status: 200 }',
      'http: { url: "https://example.com/" }, expect: { stauts: 200 }',
    );
    expect(errorsOfText(text)).toMatchSnapshot();
  });

  it('refuses bad DNS names, types and servers', () => {
    const text = checks(
      'dns: { name: "-x.example" }, expect: { resolves: true }',
      'dns: { name: example.com, type: AAA }, expect: { resolves: true }',
      'dns: { name: example.com, server: "198.51.100.53:99999" }, expect: { resolves: true }',
      'dns: { name: example.com, server: "ns1.example" }, expect: { resolves: true }',
    );
    expect(errorsOfText(text)).toMatchSnapshot();
  });

  it('judges a ${var} host once it is interpolated', () => {
    const text = `${HEAD}vars: { h: "no such host!" }\nchecks:\n  - { id: c0, title: t, severity: low, tcp: { host: "\${h}", port: 22 }, expect: { connect: open } }\n`;
    expect(errorsOfText(text).length).toBe(1);
    expect(errorsOfText(text)[0]).toMatch(/^p\.yaml:\d+:\d+: .*not a valid host name/);
  });

  it('resolves valid probe checks into selectors of area probes', () => {
    // The host's own layers under them are the subject of the tests below.
    const p = resolve(
      checks(
        'tcp: { host: "DB.example.", port: 5432, samples: 5 }, expect: { connect: open, latencyMs: { p95: { lte: 50 } } }',
        'dns: { name: example.com, type: MX, server: "[2001:db8::53]:53" }, expect: { answers: ["10 mail.example.com"] }',
        'http: { url: "https://example.com/", method: head, headers: { Accept: "*/*" } }, expect: { status: 200, headers: { strict-transport-security: { match: "max-age" } }, timings: { totalMs: { lt: 500 } } }',
      ),
      { lowerLayers: false },
    );
    expect(p.checks.map((c) => [c.area, c.selector])).toEqual([
      ['probes', { kind: 'tcp', spec: { host: 'DB.example.', port: 5432, samples: 5 } }],
      ['probes', { kind: 'dns', spec: { name: 'example.com', type: 'MX', server: '[2001:db8::53]:53' } }],
      ['probes', { kind: 'http', spec: { url: 'https://example.com/', method: 'head', headers: { Accept: '*/*' } } }],
      // The lower checks the wire implies and the policy lacks: DNS for each name (an MX query says nothing of
      // addresses), TCP to the http check's port, each naming the checks it was made for.
      ['probes', { kind: 'dns', spec: { name: 'DB.example.', type: 'ADDRESS' } }],
      ['probes', { kind: 'dns', spec: { name: 'example.com', type: 'ADDRESS' } }],
      ['probes', { kind: 'tcp', spec: { host: 'example.com', port: 443 } }],
    ]);
    expect(p.checks.slice(3).map((c) => [c.id, c.impliedBy, c.expect])).toEqual([
      ['implied.dns.db.example', [p.checks[0]!.id], { resolves: true }],
      ['implied.dns.example.com', [p.checks[2]!.id, 'implied.tcp.example.com:443'], { resolves: true }],
      ['implied.tcp.example.com:443', [p.checks[2]!.id], { connect: 'open' }],
    ]);
  });

  it('says what to keep of a URL written where a host belongs', () => {
    const errors = errorsOfText(checks('tls: { host: "https://db.example:8443/health", port: 8443 }, expect: { alpn: h2 }'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^p\.yaml:6:\d+: tls\.host: "https:\/\/db\.example:8443\/health" is a URL; a host is only its name or address: write "db\.example"$/,
      ),
    ]);
  });

  it("reads a relative ca path from the policy file's directory", () => {
    const p = resolve(
      checks(
        'tls: { host: www.example.com, ca: certs/root.pem }, expect: { certificate: { chain: trusted } }',
        'http: { url: "https://www.example.com/", ca: /etc/ca.pem }, expect: { status: 200 }',
      ),
    );
    expect(p.checks.slice(0, 2).map((c) => c.selector.kind !== 'sysctl' && 'spec' in c.selector && (c.selector.spec as { ca?: string }).ca)).toEqual([
      '/virt/certs/root.pem',
      '/etc/ca.pem',
    ]);
  });

  it('reads a path a var gave from where the var was set: its policy file, or the working directory for a given var', () => {
    // /virt/team/p.yaml extends /virt/base/base.yaml, which sets `base` and uses every var in a ca.
    const files: Record<string, string> = {
      '/virt/team/p.yaml': `${HEAD}extends: [../base/base.yaml]\nvars: { own: certs/own.pem }\n`,
      '/virt/base/base.yaml': `${HEAD}vars: { base: ca/base.pem, dir: pki, own: x, given: y, none: "" }\nchecks:\n${[
        'tls: { host: a.example, ca: "${base}" }',
        'tls: { host: b.example, ca: "${own}" }',
        'tls: { host: c.example, ca: "${given}" }',
        'tls: { host: d.example, ca: "${dir}/root.pem" }',
        'tls: { host: e.example, ca: "${none}" }',
        'tls: { host: f.example, ca: "roots/${dir}.pem" }',
      ]
        .map((sel, i) => `  - { id: c${i}, title: t, severity: low, ${sel}, expect: { certificate: { chain: trusted } } }`)
        .join('\n')}\n`,
    };
    const p = resolvePolicy(['/virt/team/p.yaml'], {
      builtinDir: '/virt/builtin',
      cwd: '/work/run',
      vars: { given: '../ca/given.pem' },
      readFile: (abs) => files[abs]!,
    });
    expect(p.checks.flatMap((c) => (c.selector.kind === 'tls' ? [c.selector.spec.ca] : []))).toEqual([
      '/virt/base/ca/base.pem', // the base policy's own var: its directory
      '/virt/team/certs/own.pem', // overridden in team/p.yaml: that file's directory
      '/work/ca/given.pem', // given to the run: the working directory
      '/virt/base/pki/root.pem', // a path that starts with a var: where the var was set
      undefined, // empty: the system store
      '/virt/base/roots/pki.pem', // a var inside the path: the policy that wrote the path
    ]);
  });

  it('makes no implied check the policy already has', () => {
    const p = resolve(
      checks(
        'dns: { name: www.example.com, type: AAAA }, expect: { resolves: true }',
        'tcp: { host: WWW.example.com, port: 443 }, expect: { connect: open }',
        'tls: { host: www.example.com }, expect: { versions: { refuse: [TLSv1] } }',
        'tls: { host: www.example.com, port: 8443, ip: 198.18.0.9 }, expect: { versions: { refuse: [TLSv1] } }',
      ),
    );
    // The tls check with ip: connects to the address, so it stands on TCP to it and on no DNS lookup; that TCP
    // connect stands on the host's path to the address and a ping of it (a name's address is known only once
    // resolved, and a ping of a name would go to an address nothing has judged).
    expect(p.checks.slice(4).map((c) => [c.id, c.selector])).toEqual([
      ['implied.tcp.198.18.0.9:8443', { kind: 'tcp', spec: { host: '198.18.0.9', port: 8443 } }],
      ['implied.neighbour.198.18.0.9', { kind: 'neighbour', target: { to: '198.18.0.9' } }],
      ['implied.route.198.18.0.9', { kind: 'route', dest: '198.18.0.9' }],
      ['implied.icmp.198.18.0.9', { kind: 'icmp', spec: { host: '198.18.0.9', count: 3, size: 56, intervalMs: 200 } }],
    ]);
  });

  it('implies the path under a TCP connect only where the probes leave from the audited host', () => {
    const text = checks(
      'tcp: { host: 198.18.0.9, port: 22 }, expect: { connect: open }',
      'route: 198.18.0.9, expect: { exists: true }',
      'tcp: { host: 127.0.0.1, port: 22 }, expect: { connect: open }',
      'tcp: { host: "::1", port: 22 }, expect: { connect: open }',
    );
    // A route the policy declares to that one address is not made again; loopback has neither a route in the
    // main table nor a neighbour, and a ping of it says nothing of a network.
    expect(
      resolve(text)
        .checks.slice(4)
        .map((c) => c.id),
    ).toEqual(['implied.neighbour.198.18.0.9', 'implied.icmp.198.18.0.9']);
    expect(resolve(text, { lowerLayers: false }).checks.slice(4)).toEqual([]);
  });
});
