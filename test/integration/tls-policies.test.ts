// The built-in TLS policies end to end: the built CLI audits `openssl s_server` endpoints on loopback through
// builtin:tls-intermediate and builtin:tls-modern, parameterised by vars, and every check's verdict is held to
// what the server was started to do. The fixture chain is signed by a test root, which the policies trust
// through their `tlsCa` var (the chain check re-declared for the fixture's name); a chain from a private CA made
// here is trusted through `--var tlsCa`, a vars file and a policy's vars, each path read from where it was given.
import type { ChildProcess } from 'node:child_process';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { privateChain, sServer } from './harness/loopback-tls.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const CERTS = join(ROOT, 'fixtures/certs');
/** The fixture chain, as s_server serves it. */
const CHAIN = ['-cert', join(CERTS, 'leaf.crt'), '-key', join(CERTS, 'leaf.key'), '-cert_chain', join(CERTS, 'intermediate-ca.crt'), '-www', '-quiet'];

const MOZILLA_TLS12 = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305';
const TLS13 = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';

beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
}, 120_000);

function cli(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') return fail(err);
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

async function audit(policyFile: string): Promise<Report> {
  return JSON.parse((await cli(['audit', '-p', policyFile, '--format', 'json'])).stdout) as Report;
}

describe('builtin:tls-intermediate and builtin:tls-modern against s_server on loopback', () => {
  let dir: string;
  const servers: ChildProcess[] = [];
  const statuses: Record<string, Record<string, string>> = {};
  const reports: Record<string, Report> = {};
  let goodPort = 0;

  /** A policy extending `builtin` for the endpoint on `port`, trusting the test root, its chain check for chain.test. */
  function policy(name: string, builtin: string, port: number): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'apiVersion: plumbline/v1',
        'kind: Policy',
        `metadata: { name: ${name} }`,
        `extends: [builtin:${builtin}]`,
        `vars: { tlsHost: 127.0.0.1, tlsPort: ${port}, tlsCa: "${join(CERTS, 'root-ca.crt')}" }`,
        'checks:',
        '  - id: tls.certificate-chain',
        '    severity: critical',
        `    tls: { host: 127.0.0.1, port: ${port}, servername: chain.test, ca: "$\{tlsCa}" }`,
        '    expect: { certificate: { chain: trusted, hostname: true, selfSigned: false } }',
        '',
      ].join('\n'),
    );
    return file;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-tls-policies-'));
    // Mozilla intermediate on TLS 1.2 and 1.3, h2; TLS 1.0-1.2 with every suite; TLS 1.3 only.
    const started = [
      await sServer([...CHAIN, '-no_tls1', '-no_tls1_1', '-cipher', MOZILLA_TLS12, '-ciphersuites', TLS13, '-alpn', 'h2,http/1.1']),
      await sServer([...CHAIN, '-no_tls1_3', '-cipher', 'ALL:@SECLEVEL=0']),
      await sServer([...CHAIN, '-tls1_3', '-ciphersuites', TLS13, '-alpn', 'h2']),
    ];
    servers.push(...started.map((x) => x.child));
    const [good, legacy, only13] = started.map((x) => x.port) as [number, number, number];
    goodPort = good;
    const runs: Array<[string, string, number]> = [
      ['good-intermediate', 'tls-intermediate', good],
      ['legacy-intermediate', 'tls-intermediate', legacy],
      ['good-modern', 'tls-modern', good],
      ['only13-modern', 'tls-modern', only13],
    ];
    await Promise.all(
      runs.map(async ([name, builtin, port]) => {
        reports[name] = await audit(policy(name, builtin, port));
        statuses[name] = Object.fromEntries(reports[name].results.filter((r) => !r.impliedBy).map((r) => [r.id, r.status]));
      }),
    );
  }, 120_000);

  afterAll(() => {
    for (const s of servers) s.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a Mozilla-intermediate server passes tls-intermediate except stapling (the leaf names a responder, s_server staples nothing)', () => {
    expect(statuses['good-intermediate']).toEqual({
      'tls.versions': 'pass',
      'tls.legacy-suites': 'pass',
      'tls.forward-secrecy': 'pass',
      'tls.profile': 'pass',
      'tls.certificate-expiry': 'pass',
      'tls.certificate-chain': 'pass',
      'tls.certificate-signature': 'pass',
      'tls.certificate-lifetime': 'pass',
      'tls.ocsp-stapling': 'fail',
      'tls.alpn-h2': 'pass',
    });
  });

  it('a TLS 1.0-1.2 server with every suite fails tls-intermediate on versions, legacy suites and the profile, by name', () => {
    const r = Object.fromEntries(reports['legacy-intermediate']!.results.map((x) => [x.id, x]));
    expect(r['tls.versions']!.status).toBe('fail');
    expect(r['tls.versions']!.message).toMatch(/TLSv1 is accepted .*TLSv1\.1 is accepted/);
    expect(r['tls.versions']!.message).toContain('TLSv1.3 is refused');
    // This machine's OpenSSL 3 cannot serve RC4, 3DES, NULL or EXPORT even at @SECLEVEL=0 (the scripted
    // responder of tls-versions.test.ts serves them), but ALL holds the anonymous suites, which sslscan lists too.
    expect(r['tls.legacy-suites']!.status).toBe('fail');
    expect(r['tls.legacy-suites']!.message).toMatch(/^127\.0\.0\.1:\d+: ANON suites are accepted: TLS_(EC)?DH_anon_WITH_\w+ at TLSv1, TLSv1\.1, TLSv1\.2$/);
    expect(r['tls.profile']!.status).toBe('fail');
    expect(r['tls.profile']!.message).toMatch(/^127\.0\.0\.1:\d+: deviates from mozilla-intermediate in \d+ ways: TLSv1 is accepted; /);
    // Every accepted suite outside the profile is named, clients' choice or not.
    expect(r['tls.profile']!.message).toContain('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA is accepted at TLSv1.2; it is not in mozilla-intermediate');
    expect(r['tls.alpn-h2']!.status).toBe('fail');
    // A critical failure: not ready, whatever the score.
    expect(reports['legacy-intermediate']!.ready).toBe(false);
  });

  it('tls-modern fails a TLS 1.2 server on versions, profile and lifetime, and passes a TLS 1.3-only one there', () => {
    const good = statuses['good-modern']!;
    expect([good['tls.versions'], good['tls.profile'], good['tls.certificate-lifetime'], good['tls.certificate-key']]).toEqual([
      'fail',
      'fail',
      'fail',
      'pass',
    ]);
    const m = Object.fromEntries(reports['good-modern']!.results.map((x) => [x.id, x.message]));
    expect(m['tls.versions']).toContain('TLSv1.2 is accepted');
    expect(m['tls.profile']).toContain('TLSv1.2 is accepted; mozilla-modern allows only TLSv1.3');
    expect(m['tls.certificate-lifetime']).toContain('lifetime (days) is 365, not <= 90');
    const only13 = statuses['only13-modern']!;
    expect([only13['tls.versions'], only13['tls.legacy-suites'], only13['tls.alpn-h2']]).toEqual(['pass', 'pass', 'pass']);
    // The fixture leaf lives a year: the modern profile names that deviation alone.
    expect(reports['only13-modern']!.results.find((x) => x.id === 'tls.profile')!.message).toMatch(
      /deviates from mozilla-modern in 1 way: the certificate is valid for 365 days; mozilla-modern allows at most 90$/,
    );
  });

  it("takes the endpoint from --var on the command line, over the policy's own vars", async () => {
    const r = await cli(['audit', '-p', 'builtin:tls-intermediate', '--var', 'tlsHost=127.0.0.1', '--var', `tlsPort=${goodPort}`, '--format', 'json']);
    const rep = JSON.parse(r.stdout) as Report;
    const byId = Object.fromEntries(rep.results.map((x) => [x.id, x]));
    expect(byId['tls.versions']).toMatchObject({ status: 'pass', message: `127.0.0.1:${goodPort}: accepts TLSv1.2, TLSv1.3` });
    // Without the test root as ca, the fixture chain is not trusted by the system store: said by name.
    expect(byId['tls.certificate-chain']!.message).toContain('chain not trusted by the system store');
    const bad = await cli(['audit', '-p', 'builtin:tls-intermediate', '--var', 'tls-host']);
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: 'plumbline: --var takes NAME=VALUE (a name of letters, digits and _), got "tls-host"\n' });
    // A var no policy declares or uses is a typo: refused with the nearest name, not silently ignored.
    const typo = await cli(['audit', '-p', 'builtin:tls-intermediate', '--var', 'tlsport=443']);
    expect(typo).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'plumbline: --var tlsport: no policy declares or uses a var "tlsport"; did you mean "tlsPort"?\n',
    });
  });
});

describe('the tlsCa var of builtin:tls-intermediate: a private CA, read from where the path was given', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let port = 0;
  let ca = '';
  const chainCheck = (rep: Report): Report['results'][number] => rep.results.find((r) => r.id === 'tls.certificate-chain')!;
  const endpoint = (): string[] => [
    '-p',
    'builtin:tls-intermediate',
    '--var',
    'tlsHost=127.0.0.1',
    '--var',
    `tlsPort=${port}`,
    '--only',
    'tls.certificate-chain',
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-tls-ca-'));
    for (const d of ['pki', 'run', 'envs', 'team']) mkdirSync(join(dir, d));
    // A private CA no system store holds, and a leaf for the loopback address.
    const pki = privateChain(join(dir, 'pki'), {
      caSubject: '/CN=plumbline private test CA/O=plumbline tests',
      leafSubject: '/CN=localhost/O=plumbline tests',
      san: ['DNS:localhost', 'IP:127.0.0.1'],
    });
    ca = pki.ca;
    const started = await sServer(['-cert', pki.leaf, '-key', pki.key, '-www', '-quiet']);
    server = started.child;
    port = started.port;
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without tlsCa the chain fails as untrusted by the system store; --var tlsCa, relative to the working directory, makes it pass', async () => {
    const without = await cli(['audit', ...endpoint(), '--format', 'json']);
    const untrusted = chainCheck(JSON.parse(without.stdout) as Report);
    expect(untrusted.status).toBe('fail');
    expect(untrusted.message).toBe(
      `127.0.0.1:${port}: chain not trusted by the system store: chain incomplete: the issuer "plumbline private test CA" of certificate 0 (localhost) was not sent and is not in the system trust store`,
    );
    expect(without.code).toBe(1);

    const given = await cli(['audit', ...endpoint(), '--var', 'tlsCa=../pki/ca.pem', '--format', 'json'], join(dir, 'run'));
    const rep = JSON.parse(given.stdout) as Report;
    expect(chainCheck(rep)).toMatchObject({ status: 'pass' });
    expect(given.code).toBe(0);
    // The probe was made with the file the path names from the working directory.
    expect(Object.keys(rep.facts!.probes!)).toContain(`tls 127.0.0.1:${port} ca=${ca}`);
  });

  it("a vars file's path is read from the working directory too; a policy's, from the policy file's directory", async () => {
    writeFileSync(join(dir, 'envs/staging.yaml'), 'tlsCa: pki/ca.pem\n');
    const fromVarsFile = await cli(['audit', ...endpoint(), '--vars', 'envs/staging.yaml', '--format', 'json'], dir);
    expect(chainCheck(JSON.parse(fromVarsFile.stdout) as Report).status).toBe('pass');

    writeFileSync(
      join(dir, 'team/tls.yaml'),
      [
        'apiVersion: plumbline/v1',
        'kind: Policy',
        'metadata: { name: team-tls }',
        'extends: [builtin:tls-intermediate]',
        `vars: { tlsHost: 127.0.0.1, tlsPort: ${port}, tlsCa: ../pki/ca.pem }`,
        '',
      ].join('\n'),
    );
    // Run from elsewhere: the policy's path still means its own directory's neighbour.
    const fromPolicy = await cli(['audit', '-p', join(dir, 'team/tls.yaml'), '--only', 'tls.certificate-chain', '--format', 'json']);
    const rep = JSON.parse(fromPolicy.stdout) as Report;
    expect(chainCheck(rep).status).toBe('pass');
    expect(Object.keys(rep.facts!.probes!)).toContain(`tls 127.0.0.1:${port} ca=${ca}`);
  });

  it('a tlsCa that names no file is an error naming the file, never a silent fall back to the system store', async () => {
    const r = await cli(['audit', ...endpoint(), '--var', 'tlsCa=nope/ca.pem', '--format', 'json'], join(dir, 'run'));
    const check = chainCheck(JSON.parse(r.stdout) as Report);
    expect(check.status).toBe('error');
    expect(check.message).toContain(join(dir, 'run/nope/ca.pem'));
  });
});
