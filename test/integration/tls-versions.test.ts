// probeTlsVersions end to end. (a) A scripted responder on 127.0.0.1 reads each ClientHello and answers as the
// TLS specification lays a ServerHello out, choosing the legacy version or suite this machine's OpenSSL can no
// longer serve (SSLv3, RC4, 3DES, NULL, EXPORT), or an alert, garbage, a reset, or nothing. (b) Real
// `openssl s_server` variants in a network-namespace test host, (c) judged by sslscan and testssl.sh too:
// plumbline's accepted/refused verdict must agree with both for every protocol. Traffic goes only to loopback
// and to 198.18.96.0/24.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTlsVersions } from '../../src/probes/tls-versions.js';
import { suitesFor } from '../../src/probes/tls-hello.js';
import type { TlsVersionName, TlsVersionsResult, VersionVerdict } from '../../src/probes/tls-model.js';
import { parseSslscan, parseTestssl, withPrivateResolver, sslscanProtocols } from './harness/tls-servers.js';
import { netnsSkipReason, run, TestHost } from './harness/netns.js';

const VERSIONS: TlsVersionName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const verdicts = (r: TlsVersionsResult): Record<string, VersionVerdict> => Object.fromEntries(r.versions.map((v) => [v.version, v.verdict]));
const version = (r: TlsVersionsResult, v: TlsVersionName) => r.versions.find((x) => x.version === v)!;

// ---------------------------------------------------------------------------------------------------------
// (a) The scripted responder

interface Hello {
  legacyVersion: number;
  /** supported_versions when the client sent it (TLS 1.3), else empty. */
  supportedVersions: number[];
  suites: number[];
  sessionId: Buffer;
}

/** Reads a ClientHello record as RFC 5246 7.4.1.2 lays it out: null while incomplete, 'garbage' if not one. */
function readHello(buf: Buffer): Hello | null | 'garbage' {
  if (buf.length < 5) return null;
  if (buf[0] !== 22) return 'garbage';
  const len = buf.readUInt16BE(3);
  if (buf.length < 5 + len) return null;
  const body = buf.subarray(9, 5 + len);
  let p = 34;
  const sessionId = body.subarray(p + 1, p + 1 + body[p]!);
  p += 1 + sessionId.length;
  const suitesLen = body.readUInt16BE(p);
  const suites = Array.from({ length: suitesLen / 2 }, (_, i) => body.readUInt16BE(p + 2 + i * 2));
  p += 2 + suitesLen;
  p += 1 + body[p]!;
  const supportedVersions: number[] = [];
  if (p < body.length) {
    const end = p + 2 + body.readUInt16BE(p);
    for (p += 2; p < end; ) {
      const type = body.readUInt16BE(p);
      const extLen = body.readUInt16BE(p + 2);
      if (type === 0x002b) for (let i = 1; i < extLen; i += 2) supportedVersions.push(body.readUInt16BE(p + 4 + i));
      p += 4 + extLen;
    }
  }
  return { legacyVersion: body.readUInt16BE(0), supportedVersions, suites, sessionId };
}

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

function record(type: number, recordVersion: number, fragment: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, recordVersion >> 8, recordVersion & 0xff, fragment.length >> 8, fragment.length & 0xff]), fragment]);
}

function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type >> 8, type & 0xff, body.length >> 8, body.length & 0xff]), body]);
}

/**
 * ServerHello (RFC 5246 7.4.1.3; RFC 8446 4.1.3): version, random, the client's session id, suite, null
 * compression, extensions. At 1.3 legacy_version is 1.2 and the version goes into supported_versions.
 */
function serverHello(versionCode: number, suite: number, sessionId: Buffer, hrr = false): Buffer {
  const tls13 = versionCode === 0x0304;
  const exts = tls13
    ? [
        ext(0x002b, Buffer.from([0x03, 0x04])),
        hrr ? ext(0x0033, Buffer.from([0x00, 0x17])) : ext(0x0033, Buffer.concat([Buffer.from('001d0020', 'hex'), randomBytes(32)])),
      ]
    : versionCode === 0x0300
      ? []
      : [ext(0xff01, Buffer.from([0]))];
  const extBytes = Buffer.concat(exts);
  const body = Buffer.concat([
    Buffer.from(tls13 ? [0x03, 0x03] : [versionCode >> 8, versionCode & 0xff]),
    hrr ? HRR_RANDOM : randomBytes(32),
    Buffer.from([sessionId.length]),
    sessionId,
    Buffer.from([suite >> 8, suite & 0xff, 0]),
    ...(exts.length > 0 ? [Buffer.from([extBytes.length >> 8, extBytes.length & 0xff]), extBytes] : []),
  ]);
  const message = Buffer.concat([Buffer.from([2, 0, body.length >> 8, body.length & 0xff]), body]);
  return record(22, tls13 ? 0x0303 : versionCode, message);
}

const alert = (description: number, recordVersion = 0x0303): Buffer => record(21, recordVersion, Buffer.from([2, description]));

type Answer = Buffer | 'reset' | 'silent' | 'close' | { partial: Buffer };

/**
 * A server that speaks the versions and suites it is given, as a real stack negotiates: TLS 1.3 from
 * supported_versions when it has 1.3, else the client's legacy_version capped at its highest, a
 * protocol_version alert below its lowest, the first offered suite it has, handshake_failure without one.
 */
function speaks(versions: number[], suites: number[], opts: { hrr?: boolean } = {}): (h: Hello) => Answer {
  return (h) => {
    if (versions.includes(0x0304) && h.supportedVersions.includes(0x0304)) {
      const suite = h.suites.find((s) => suites.includes(s));
      return suite === undefined ? alert(40) : serverHello(0x0304, suite, h.sessionId, opts.hrr);
    }
    const upTo12 = versions.filter((v) => v <= 0x0303);
    if (upTo12.length === 0) return alert(70);
    const chosen = Math.min(h.legacyVersion, Math.max(...upTo12));
    if (!upTo12.includes(chosen)) return alert(70, chosen);
    const suite = h.suites.find((s) => suites.includes(s));
    return suite === undefined ? alert(40, chosen) : serverHello(chosen, suite, h.sessionId);
  };
}

interface Responder {
  port: number;
  /** Connections still open on the server side. */
  open(): number;
  close(): Promise<void>;
}

async function responder(answer: (h: Hello) => Answer, onGarbage: Answer = 'close'): Promise<Responder> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      buf = Buffer.concat([buf, chunk]);
      const hello = readHello(buf);
      if (hello === null) return;
      answered = true;
      act(socket, hello === 'garbage' ? onGarbage : answer(hello));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    open: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function act(socket: Socket, a: Answer): void {
  if (a === 'reset') socket.resetAndDestroy();
  else if (a === 'close') socket.end();
  else if (a === 'silent') return;
  else if (Buffer.isBuffer(a)) socket.write(a);
  else socket.end(a.partial);
}

/** The probe destroyed every socket: the responder sees all of them closed soon after. */
async function allClosed(r: Responder): Promise<number> {
  for (let i = 0; i < 100 && r.open() > 0; i++) await new Promise((res) => setTimeout(res, 20));
  return r.open();
}

const S = {
  RC4_SHA: 0x0005,
  TDES: 0x000a,
  NULL_SHA: 0x0002,
  EXPORT_RC4: 0x0003,
  AES128_SHA: 0x002f,
  ANON_AES128: 0x0034,
  ECDHE_GCM: 0xc02f,
  AES128_GCM_13: 0x1301,
};

describe('probeTlsVersions against a scripted responder on 127.0.0.1', () => {
  const responders: Responder[] = [];
  const start = async (answer: (h: Hello) => Answer, onGarbage?: Answer): Promise<Responder> => {
    const r = await responder(answer, onGarbage);
    responders.push(r);
    return r;
  };
  const probe = (r: Responder, timeoutMs = 2_000) => probeTlsVersions({ host: '127.0.0.1', port: r.port, servername: 'test.example', timeoutMs });
  afterAll(async () => {
    await Promise.all(responders.map((r) => r.close()));
  });

  it('finds SSLv3 and every legacy class accepted on a server that has them, and a CBC-only TLS 1.2', async () => {
    const r = await start(speaks([0x0300, 0x0301, 0x0302, 0x0303], [S.RC4_SHA, S.TDES, S.NULL_SHA, S.EXPORT_RC4, S.AES128_SHA, S.ANON_AES128]));
    const res = await probe(r);
    expect(verdicts(res)).toEqual({ SSLv3: 'accepted', TLSv1: 'accepted', 'TLSv1.1': 'accepted', 'TLSv1.2': 'accepted', 'TLSv1.3': 'refused' });
    expect(version(res, 'SSLv3').cipher).toBe('TLS_RSA_WITH_AES_128_CBC_SHA');
    // A 1.2 server ignores supported_versions and answers at 1.2: that is 1.3 refused, not an error.
    expect(version(res, 'TLSv1.3').reason).toBe('the server answered with TLSv1.2');
    const all = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2'];
    expect(res.legacy.rc4).toMatchObject({ accepted: true, versions: all, suites: ['TLS_RSA_WITH_RC4_128_SHA'] });
    expect(res.legacy.tripleDes).toMatchObject({ accepted: true, versions: all, suites: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA'] });
    expect(res.legacy.null).toMatchObject({ accepted: true, versions: all, suites: ['TLS_RSA_WITH_NULL_SHA'] });
    expect(res.legacy.export).toMatchObject({ accepted: true, versions: all, suites: ['TLS_RSA_EXPORT_WITH_RC4_40_MD5'] });
    expect(res.legacy.anonymous).toMatchObject({ accepted: true, versions: all, suites: ['TLS_DH_anon_WITH_AES_128_CBC_SHA'] });
    expect(res.legacy.cbcOnlyTls12).toMatchObject({ accepted: true, suites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] });
    expect(JSON.parse(JSON.stringify(res))).toEqual(res);
    expect(await allClosed(r)).toBe(0);
  });

  it('retries with a broader offer before concluding from handshake_failure: an RC4-only TLS 1.0 server', async () => {
    const r = await start(speaks([0x0301], [S.RC4_SHA]));
    const res = await probe(r);
    expect(version(res, 'TLSv1')).toMatchObject({ verdict: 'accepted', cipher: 'TLS_RSA_WITH_RC4_128_SHA', attempts: 2 });
    expect(version(res, 'SSLv3')).toMatchObject({ verdict: 'refused', reason: 'protocol_version alert' });
    expect(version(res, 'TLSv1.2')).toMatchObject({ verdict: 'refused', reason: 'the server answered with TLSv1' });
    expect(res.legacy.rc4).toMatchObject({ accepted: true, versions: ['TLSv1'] });
    expect(res.legacy.tripleDes.accepted).toBe(false);
    expect(res.legacy.cbcOnlyTls12).toMatchObject({ accepted: false, reason: 'TLSv1.2 is not accepted' });
    expect(await allClosed(r)).toBe(0);
  });

  it('reads protocol_version alerts and lower versions answered as refused', async () => {
    const r = await start(speaks([0x0303], [S.ECDHE_GCM, S.AES128_SHA]));
    const res = await probe(r);
    expect(verdicts(res)).toEqual({ SSLv3: 'refused', TLSv1: 'refused', 'TLSv1.1': 'refused', 'TLSv1.2': 'accepted', 'TLSv1.3': 'refused' });
    expect(version(res, 'TLSv1').reason).toBe('protocol_version alert');
    expect(version(res, 'TLSv1.2').cipher).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    for (const k of ['rc4', 'tripleDes', 'null', 'export'] as const) expect(res.legacy[k]).toMatchObject({ accepted: false, reason: 'declined at TLSv1.2' });
    expect(res.legacy.cbcOnlyTls12.accepted).toBe(false);
    expect(await allClosed(r)).toBe(0);
  });

  it('refuses a version whose every suite is declined: no handshake there can complete, as sslscan and testssl.sh say', async () => {
    // As OpenSSL 3 at its default security level: internal_error for 1.0 and 1.1, which it has disabled.
    const tls12 = speaks([0x0303, 0x0304], [S.AES128_GCM_13, S.ECDHE_GCM, S.AES128_SHA]);
    const r = await start((h) => (h.legacyVersion < 0x0303 ? alert(80, h.legacyVersion) : tls12(h)));
    const res = await probe(r);
    expect(verdicts(res)).toEqual({ SSLv3: 'refused', TLSv1: 'refused', 'TLSv1.1': 'refused', 'TLSv1.2': 'accepted', 'TLSv1.3': 'accepted' });
    const tls1Suites = suitesFor('TLSv1', 'broad').length;
    expect(version(res, 'TLSv1')).toMatchObject({
      reason: `internal_error alert to every suite a TLSv1 hello can carry (${tls1Suites} offered): no handshake at TLSv1 can complete`,
      attempts: 2,
    });
    // handshake_failure below 1.2 from a server whose only 1.2 suite is AEAD, and one that also hangs up on a 1.2
    // hello without its GCM suite: the answer at the version itself decides, with no control connection.
    const gcm = speaks([0x0303], [S.ECDHE_GCM]);
    const g = await start((h) => (h.legacyVersion < 0x0303 ? alert(40, h.legacyVersion) : gcm(h)));
    const hangs = await start((h) => (h.legacyVersion < 0x0303 ? alert(40, h.legacyVersion) : h.suites.includes(S.ECDHE_GCM) ? gcm(h) : 'close'));
    for (const server of [g, hangs]) {
      const got = await probe(server);
      expect(version(got, 'TLSv1')).toMatchObject({
        verdict: 'refused',
        reason: `handshake_failure alert to every suite a TLSv1 hello can carry (${tls1Suites} offered): no handshake at TLSv1 can complete`,
        attempts: 2,
      });
    }
    expect(await allClosed(hangs)).toBe(0);
    expect(await allClosed(r)).toBe(0);
    expect(await allClosed(g)).toBe(0);
  });

  it('takes a HelloRetryRequest as TLS 1.3 accepted', async () => {
    const r = await start(speaks([0x0304], [S.AES128_GCM_13], { hrr: true }));
    const res = await probe(r);
    expect(version(res, 'TLSv1.3')).toMatchObject({ verdict: 'accepted', cipher: 'TLS_AES_128_GCM_SHA256', reason: 'HelloRetryRequest at TLSv1.3' });
    expect(verdicts(res)).toMatchObject({ SSLv3: 'refused', TLSv1: 'refused', 'TLSv1.2': 'refused' });
    expect(await allClosed(r)).toBe(0);
  });

  it('says not-TLS when the port answers in HTTP', async () => {
    const r = await start(() => Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    const res = await probe(r);
    for (const v of res.versions) expect(v).toMatchObject({ verdict: 'not-tls', reason: 'the port answered in HTTP (HTTP/1.1 400 Bad Request)' });
    expect(res.legacy.rc4.accepted).toBeNull();
    expect(await allClosed(r)).toBe(0);
  });

  it('reports a reset after the ClientHello as an error, never as refused', async () => {
    const r = await start(() => 'reset');
    const res = await probe(r);
    for (const v of res.versions) expect(v).toMatchObject({ verdict: 'error', reason: 'connection reset after the ClientHello' });
    expect(await allClosed(r)).toBe(0);
  });

  it('reports a silent hang-up as inconclusive after a broader retry', async () => {
    const r = await start(() => 'close');
    const res = await probe(r);
    // SSLv3 is offered every suite at once (it has no current ones), so it has no broader offer to retry with.
    for (const v of res.versions)
      expect(v).toMatchObject({
        verdict: 'inconclusive',
        reason: 'the server closed the connection without answering',
        attempts: v.version === 'SSLv3' ? 1 : 2,
      });
    expect(await allClosed(r)).toBe(0);
  });

  it('reports garbage in a TLS record and a truncated ServerHello as errors', async () => {
    const garbage = await start(() => Buffer.from('1603030005ffffffffff', 'hex'));
    const g = await probe(garbage);
    for (const v of g.versions)
      expect(v).toMatchObject({ verdict: 'error', reason: 'malformed reply: handshake message of type 255 where a ServerHello belongs' });
    const cut = await start((h) => ({ partial: serverHello(0x0303, S.ECDHE_GCM, h.sessionId).subarray(0, 20) }));
    const c = await probe(cut);
    for (const v of c.versions) expect(v).toMatchObject({ verdict: 'error', reason: 'connection closed after 20 bytes of an incomplete reply' });
    expect(await allClosed(garbage)).toBe(0);
    expect(await allClosed(cut)).toBe(0);
  });

  it('ends a tarpit that accepts TCP and never answers within the timeout, every socket destroyed', async () => {
    const r = await start(() => 'silent');
    const t0 = Date.now();
    const res = await probe(r, 300);
    // The timeout bounds the whole probe: four versions at a time wait it out, the fifth is not asked.
    expect(Date.now() - t0).toBeLessThan(300 + 1_500);
    for (const v of res.versions) {
      expect(v).toMatchObject({ verdict: 'error', reason: expect.stringMatching(/^no answer within 300 ms: /) as unknown as string });
      expect(['TLS_TIMEOUT', 'TIMEOUT']).toContain(v.code);
    }
    expect(res.versions.filter((v) => v.code === 'TLS_TIMEOUT').map((v) => v.reason)).toEqual(
      Array(4).fill('no answer within 300 ms: waiting for an answer to the ClientHello'),
    );
    expect(res.legacy.tripleDes.accepted).toBeNull();
    expect(await allClosed(r)).toBe(0);
  });

  it('reports a closed port as connection refused', async () => {
    const r = await responder(() => 'close');
    const port = r.port;
    await r.close();
    const res = await probeTlsVersions({ host: '127.0.0.1', port, timeoutMs: 2_000 });
    expect(res.servername).toBeNull();
    for (const v of res.versions) expect(v).toMatchObject({ verdict: 'error', reason: 'connection refused' });
  });
});

// ---------------------------------------------------------------------------------------------------------
// (b) and (c): real openssl s_server variants in a test host, with sslscan and testssl.sh as oracles

const NS_ADDR = '198.18.96.2';

interface Variant {
  name: string;
  port: number;
  args: string[];
  expected: Record<TlsVersionName, 'accepted' | 'refused'>;
}

const acceptOnly = (...accepted: TlsVersionName[]): Record<TlsVersionName, 'accepted' | 'refused'> =>
  Object.fromEntries(VERSIONS.map((v) => [v, accepted.includes(v) ? 'accepted' : 'refused'])) as Record<TlsVersionName, 'accepted' | 'refused'>;

const VARIANTS: Variant[] = [
  { name: 'tls13-only', port: 4431, args: ['-tls1_3'], expected: acceptOnly('TLSv1.3') },
  { name: 'tls12-only', port: 4432, args: ['-tls1_2'], expected: acceptOnly('TLSv1.2') },
  { name: 'tls10-12-seclevel0', port: 4433, args: ['-cipher', 'DEFAULT:@SECLEVEL=0', '-no_tls1_3'], expected: acceptOnly('TLSv1', 'TLSv1.1', 'TLSv1.2') },
  { name: 'tls12-cbc-only', port: 4434, args: ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA:AES128-SHA'], expected: acceptOnly('TLSv1.2') },
  // OpenSSL's defaults: 1.0 and 1.1 are answered with internal_error, which only a control can read.
  { name: 'openssl-defaults', port: 4435, args: [], expected: acceptOnly('TLSv1.2', 'TLSv1.3') },
];

const missingTool = ['openssl', 'sslscan', 'testssl'].find((t) => spawnSync('which', [t], { stdio: 'ignore' }).status !== 0);
const skipWhy = netnsSkipReason() ?? (missingTool && process.env.CI !== 'true' ? `${missingTool} is not installed` : null);
if (skipWhy) console.log(`skipping openssl s_server / oracle TLS tests: ${skipWhy}`);

const resolverDir = mkdtempSync(join(tmpdir(), 'pl-tlsver-resolv-'));
const LOOPBACK_HOSTS = join(resolverDir, 'hosts');
const LOOPBACK_RESOLV = join(resolverDir, 'resolv.conf');
writeFileSync(LOOPBACK_HOSTS, '127.0.0.1 localhost\n::1 localhost\n');
writeFileSync(LOOPBACK_RESOLV, 'nameserver 127.0.0.1\n');
afterAll(() => rmSync(resolverDir, { recursive: true, force: true }));

(skipWhy ? describe.skip : describe)('probeTlsVersions against openssl s_server in a test host, with sslscan and testssl.sh', () => {
  let host: TestHost;
  let dir: string;
  const pids: number[] = [];
  const results = new Map<string, TlsVersionsResult>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const gen = await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=test.example',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    if (gen.exitCode !== 0) throw new Error(`openssl req failed: ${gen.stderr.trim()}`);
    host = await TestHost.create({ name: 'tlsver', veth: { hostAddr: '198.18.96.1/24', nsAddr: `${NS_ADDR}/24` } });
    for (const v of VARIANTS) {
      const argv = ['openssl', 's_server', '-accept', `${NS_ADDR}:${v.port}`, '-cert', cert, '-key', key, ...v.args];
      pids.push(await host.startServer(argv, v.port));
    }
    for (const v of VARIANTS) results.set(v.name, await probeTlsVersions({ host: NS_ADDR, port: v.port, servername: 'test.example', timeoutMs: 3_000 }));
  }, 60_000);

  afterAll(async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(VARIANTS.map((v) => [v.name, v] as const))('%s: every version as the server is configured', (_name, v) => {
    const res = results.get(v.name)!;
    expect(verdicts(res)).toEqual(v.expected);
    for (const k of ['rc4', 'tripleDes', 'null', 'export'] as const) expect(res.legacy[k].accepted).toBe(false);
  });

  it('names the negotiated suites and finds the CBC-only TLS 1.2 server, and only it', () => {
    expect(version(results.get('tls13-only')!, 'TLSv1.3').cipher).toBe('TLS_AES_128_GCM_SHA256');
    expect(version(results.get('tls10-12-seclevel0')!, 'TLSv1').cipher).toBe('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    expect(results.get('tls12-cbc-only')!.legacy.cbcOnlyTls12).toMatchObject({ accepted: true, suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] });
    for (const name of ['tls12-only', 'tls10-12-seclevel0']) expect(results.get(name)!.legacy.cbcOnlyTls12.accepted).toBe(false);
    expect(results.get('tls13-only')!.legacy.cbcOnlyTls12).toMatchObject({ accepted: false, reason: 'TLSv1.2 is not accepted' });
  });

  it('agrees with sslscan and testssl.sh on every protocol of every server', async () => {
    const oracle = await Promise.all(
      VARIANTS.map(async (v) => {
        const target = `${NS_ADDR}:${v.port}`;
        const [scan, ssl] = await Promise.all([
          run('sslscan', sslscanProtocols(target), { timeoutMs: 30_000 }),
          // testssl probes its openssl with `s_client -connect invalid.` at start-up, a DNS query each: a private
          // resolv.conf naming loopback keeps them off the system resolver (only test addresses are targets).
          run(...withPrivateResolver(LOOPBACK_HOSTS, LOOPBACK_RESOLV, ['testssl', '--protocols', '--quiet', '--color', '0', '--warnings', 'off', target]), {
            timeoutMs: 150_000,
          }),
        ]);
        return { v, sslscan: parseSslscan(scan.stdout), testssl: parseTestssl(ssl.stdout), raw: { scan: scan.stdout, ssl: ssl.stdout } };
      }),
    );
    const rows: string[] = ['server               version  plumbline  sslscan   testssl'];
    const disagreements: string[] = [];
    for (const o of oracle) {
      const res = results.get(o.v.name)!;
      for (const ver of VERSIONS) {
        const ours = version(res, ver).verdict;
        const a = o.sslscan[ver] ?? 'missing';
        const b = o.testssl[ver] ?? 'missing';
        rows.push(`${o.v.name.padEnd(20)} ${ver.padEnd(8)} ${ours.padEnd(10)} ${a.padEnd(9)} ${b}`);
        if (ours !== a || ours !== b) disagreements.push(`${o.v.name} ${ver}: plumbline ${ours}, sslscan ${a}, testssl ${b}`);
      }
    }
    console.log(rows.join('\n'));
    expect(disagreements).toEqual([]);
  }, 200_000);
});
