// Certificate facts from real handshakes: `openssl s_server` inside a network-namespace test host serves the
// fixture chains (full, missing intermediate, wrong hostname, self-signed, expired, three days left); a Node TLS
// client in this (the root) namespace, the TLS probe's, reads the chain the server sent at the fixtures' fixed clock.
// Then the PEM-file collector reads files in a temp dir through the local transport. Traffic goes only to
// loopback and 198.18.128.0/24.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { readFamily } from '../helpers/family.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, isGoneOrZombie, netnsSkipReason } from './harness/netns.js';
import { probeTls } from '../../src/probes/tls.js';
import type { ChainFact } from '../../src/probes/cert-model.js';
import type { TlsAddressFact } from '../../src/probes/tls-model.js';
import { certificatesFamily } from '../../src/facts/families/certificates.js';
import { LocalTransport } from '../../src/transport/local.js';

const CERTS = resolve(import.meta.dirname, '../../fixtures/certs');
const NOW = new Date('2026-12-01T00:00:00Z');
const HOST_ADDR = '198.18.128.1';
const NS_ADDR = '198.18.128.2';
const HANDSHAKE_TIMEOUT_MS = 5_000;

const why = netnsSkipReason();
if (why) console.log(`skipping certificate handshake integration tests: ${why}`);

/** Port → what s_server serves there: certificate, key, and the chain file it sends after the leaf. */
const SERVERS: Record<string, { port: number; cert: string; chain?: string; alpn?: string }> = {
  full: { port: 4431, cert: 'leaf', chain: 'intermediate-ca.crt', alpn: 'h2,http/1.1' },
  missing: { port: 4432, cert: 'leaf' },
  wrongHost: { port: 4433, cert: 'wrong-host', chain: 'intermediate-ca.crt' },
  selfSigned: { port: 4434, cert: 'self-signed' },
  expired: { port: 4435, cert: 'expired', chain: 'intermediate-ca.crt' },
  threeDay: { port: 4436, cert: 'three-day', chain: 'intermediate-ca.crt' },
};

function serverArgv(s: (typeof SERVERS)[string]): string[] {
  const argv = ['openssl', 's_server', '-accept', `${NS_ADDR}:${s.port}`, '-cert', join(CERTS, `${s.cert}.crt`), '-key', join(CERTS, `${s.cert}.key`)];
  if (s.chain) argv.push('-cert_chain', join(CERTS, s.chain));
  if (s.alpn) argv.push('-alpn', s.alpn);
  // No default CA store: OpenSSL would otherwise complete a chain the test means to leave incomplete.
  argv.push('-no-CAfile', '-no-CApath', '-no-CAstore', '-quiet');
  return argv;
}

const CA_FILE = join(CERTS, 'root-ca.crt');
const NO_WANTS = { versions: false, legacy: false, suites: false, handshake: true };

/** The probe's full handshake with one server, at the fixtures' clock. */
async function handshake(port: number, opts: { servername?: string; host?: string; caFile?: string } = {}): Promise<NonNullable<TlsAddressFact['full']>> {
  const fact = await probeTls({
    host: opts.host ?? NS_ADDR,
    port,
    ...(opts.host === undefined ? { servername: opts.servername ?? 'chain.test' } : {}),
    ...(opts.caFile !== undefined ? { caFile: opts.caFile } : {}),
    wants: NO_WANTS,
    timeoutMs: HANDSHAKE_TIMEOUT_MS,
    now: NOW,
  });
  const full = fact.addresses[0]?.full;
  if (!full) throw new Error(`no handshake with ${NS_ADDR}:${port}: ${JSON.stringify(fact.error)}`);
  return full;
}

(why ? describe.skip : describe)('certificates from live handshakes (openssl s_server in a network-namespace test host)', () => {
  let host: TestHost;
  const pids: number[] = [];

  const chainOf = async (name: string, opts: { caFile?: string; servername?: string; host?: string } = {}): Promise<ChainFact> => {
    const full = await handshake(SERVERS[name]!.port, opts);
    if (!full.chain) throw new Error(`no chain from ${name}: ${JSON.stringify(full.error)}`);
    return full.chain;
  };

  beforeAll(async () => {
    host = await TestHost.create({ name: 'certs', veth: { hostAddr: `${HOST_ADDR}/24`, nsAddr: `${NS_ADDR}/24` } });
    for (const s of Object.values(SERVERS)) pids.push(await host.startServer(serverArgv(s), s.port));
  });

  afterAll(async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 50 && !pids.every(isGoneOrZombie); i++) await new Promise((r) => setTimeout(r, 50));
    await host?.destroy();
    expect(pids.filter((p) => !isGoneOrZombie(p))).toEqual([]);
  });

  it('extracts the chain as sent: leaf and intermediate, nothing from any client store', async () => {
    const c = await chainOf('full', { caFile: CA_FILE });
    expect(c.certificates.map((x) => x.commonName)).toEqual(['chain.test', 'plumbline test intermediate']);
    expect(c.order.correct).toBe(true);
  });

  it('a full handshake: TLS 1.3, an IANA suite name, ALPN h2, no stapled OCSP, not resumed', async () => {
    const full = await handshake(SERVERS.full!.port);
    expect(full.handshake).toEqual({
      protocol: 'TLSv1.3',
      cipher: expect.stringMatching(/^TLS_AES_|^TLS_CHACHA20_/) as unknown as string,
      alpn: 'h2',
      ocspStapled: false,
      sessionReused: false,
    });
    expect(full.chain!.certificates[0]!.ocspUris).toEqual(['http://ocsp.chain.test/']);
  });

  it('names the intermediate as the earliest expiry', async () => {
    expect((await chainOf('full')).earliestExpiry).toMatchObject({
      position: 1,
      role: 'intermediate',
      subject: 'CN=plumbline test intermediate, O=plumbline tests',
      daysLeft: 90,
    });
  });

  it('trusted against the fixture root as ca, untrusted against the system store', async () => {
    expect((await chainOf('full', { caFile: CA_FILE })).trust).toMatchObject({ store: 'ca', trusted: true, complete: true, path: [0, 1] });
    expect((await chainOf('full')).trust).toMatchObject({ store: 'system', trusted: false, complete: true, code: 'issuer-unknown' });
  });

  it('finds the incomplete chain when the intermediate is missing', async () => {
    const c = await chainOf('missing', { caFile: CA_FILE });
    expect(c.certificates).toHaveLength(1);
    expect(c.trust).toMatchObject({ trusted: false, complete: false, code: 'incomplete' });
    expect(c.trust.reason).toMatch(/chain incomplete: the issuer "plumbline test intermediate"/);
  });

  it('finds a hostname mismatch even when the chain fails', async () => {
    const c = await chainOf('wrongHost');
    expect(c.trust.trusted).toBe(false);
    expect(c.hostname).toEqual({ name: 'chain.test', matches: false, matched: null });
    expect((await chainOf('full')).hostname).toMatchObject({ matches: true, matched: 'chain.test' });
  });

  it('checks the IP address the client connected to against the IP SANs', async () => {
    expect((await chainOf('full', { host: NS_ADDR })).hostname).toMatchObject({ name: NS_ADDR, matches: true, matched: NS_ADDR });
  });

  it('a self-signed leaf', async () => {
    const c = await chainOf('selfSigned', { servername: 'self.test' });
    expect(c.certificates).toHaveLength(1);
    expect(c.certificates[0]).toMatchObject({ selfSigned: true, ca: false });
    expect(c.trust).toMatchObject({ trusted: false, complete: true, code: 'self-signed' });
    expect(c.hostname?.matches).toBe(true);
  });

  it('an expired leaf and a leaf with three days left; a client refuses the expired one', async () => {
    const expired = await chainOf('expired', { caFile: CA_FILE });
    expect(expired.earliestExpiry).toMatchObject({ position: 0, role: 'leaf', daysLeft: -244 });
    expect(expired.certificates[0]!.expired).toBe(true);
    expect(expired.trust).toMatchObject({ trusted: false, complete: true, code: 'expired' });
    expect((await chainOf('threeDay')).earliestExpiry).toMatchObject({ position: 0, role: 'leaf', daysLeft: 3, fractionLeft: 0.5 });
  });
});

describe('certificate files through the local transport', () => {
  let dir: string;
  const t = new LocalTransport();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pl-certfiles-'));
    const copy = (name: string, as = name): void => writeFileSync(join(dir, as), readFileSync(join(CERTS, name)));
    for (const name of ['chain.pem', 'chain-reversed.pem', 'leaf.key', 'leaf-encrypted.key', 'self-signed.key', 'self-signed.crt']) copy(name);
    writeFileSync(join(dir, 'notes.txt'), 'not a certificate\n');
    writeFileSync(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    mkdirSync(join(dir, 'a-directory'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every certificate of a bundle, its order and expiry, and the key that matches the leaf', async () => {
    const [f] = await readFamily(certificatesFamily, [{ path: join(dir, 'chain.pem'), key: join(dir, 'leaf.key') }], t, NOW);
    expect(f!.reason).toBeUndefined();
    expect(f!.chain!.certificates.map((c) => c.commonName)).toEqual(['chain.test', 'plumbline test intermediate']);
    expect(f!.chain!.order.correct).toBe(true);
    expect(f!.chain!.earliestExpiry).toMatchObject({ role: 'intermediate', daysLeft: 90 });
    expect(f!.key).toEqual({ path: join(dir, 'leaf.key'), matchesLeaf: true });
  });

  it('a bundle in the wrong order, and a key that belongs to another certificate', async () => {
    const [f] = await readFamily(certificatesFamily, [{ path: join(dir, 'chain-reversed.pem'), key: join(dir, 'leaf.key') }], t, NOW);
    expect(f!.chain!.order).toMatchObject({ correct: false });
    expect(f!.key).toMatchObject({ matchesLeaf: false, reason: expect.stringMatching(/does not belong to the first certificate/) as unknown as string });
  });

  it('a self-signed certificate with its own key', async () => {
    const [f] = await readFamily(certificatesFamily, [{ path: join(dir, 'self-signed.crt'), key: join(dir, 'self-signed.key') }], t, NOW);
    expect(f!.chain!.certificates[0]!.selfSigned).toBe(true);
    expect(f!.key!.matchesLeaf).toBe(true);
  });

  it('every problem becomes a reason, never a throw', async () => {
    const facts = await readFamily(
      certificatesFamily,
      [
        { path: join(dir, 'missing.pem') },
        { path: join(dir, 'notes.txt') },
        { path: join(dir, 'broken.pem') },
        { path: join(dir, 'a-directory') },
        { path: join(dir, 'chain.pem'), key: join(dir, 'leaf-encrypted.key') },
        { path: join(dir, 'chain.pem'), key: join(dir, 'notes.txt') },
        { path: join(dir, 'chain.pem'), key: join(dir, 'no-such.key') },
      ],
      t,
      NOW,
    );
    expect(facts.map((f) => f.reason ?? f.key?.reason)).toEqual([
      `${join(dir, 'missing.pem')}: no such file`,
      `${join(dir, 'notes.txt')}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file`,
      expect.stringMatching(/broken\.pem: certificate 0 is not a readable X\.509 certificate/),
      `${join(dir, 'a-directory')}: is a directory`,
      `${join(dir, 'leaf-encrypted.key')}: the private key is encrypted (passphrase-protected); it cannot be compared`,
      `${join(dir, 'notes.txt')}: not a PEM private key`,
      `${join(dir, 'no-such.key')}: no such file`,
    ]);
    expect(facts.slice(4).map((f) => f.key?.matchesLeaf)).toEqual([null, null, null]);
  });
});
