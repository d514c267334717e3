#!/usr/bin/env node
// What one connection of a TLS probe costs the auditing process, variant by variant, against the test host that
// `node bench/tls.mjs --experiments` (or `--serve S`) sets up: 198.18.176.1 ... behind one nginx. Each variant
// runs in a fresh Node process over the same N endpoints at the same concurrency; wall time and the process's
// own CPU (user+system) for the loop alone, start-up excluded.
//
//   node bench/tls-experiments.mjs --count N [--concurrency C] [--rounds R] [--variants a,b,...]
//
// The variants run in R interleaved rounds (default 3), so a burst of load on the shared machine lands on all of
// them; the table gives medians over the rounds.
//
// Variants:
//   tcp             net.connect, destroy on connect: the floor of a connection
//   hello           net.connect, one fixed TLS 1.2 ClientHello, destroy at the first bytes back (a hand-built probe)
//   hello-built     the same hello built anew for each connection (Buffer.concat of its parts), fixed random
//   hello-random    built anew with three randomBytes(32) per hello, as src/probes/tls-hello.ts does
//   tls-plumbline   tls.connect as src/probes/tls.ts does it (a SecureContext per connection: ca: [], requestOCSP,
//                   ALPN, SNI), getPeerCertificate(true) walked for the DER chain, then the handshake facts
//   tls-shared-ctx  the same with one tls.createSecureContext() for every connection
//   tls-x509        shared context, the chain from getPeerX509Certificate() and .issuerCertificate (.raw)
//   tls-bare        shared context, no chain read: the floor of Node's TLS client
//
// Only for the namespace tls.mjs made: the addresses are fixed to 198.18.176.0/20.
import { spawnSync } from 'node:child_process';
import { createSecureContext, connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const count = Number(arg('--count', 1000));
const concurrency = Number(arg('--concurrency', 128));
const rounds = Number(arg('--rounds', 3));
const ALL = ['tcp', 'hello', 'hello-built', 'hello-random', 'tls-plumbline', 'tls-shared-ctx', 'tls-x509', 'tls-bare'];
const SERVERNAME = 'bench.test';
if (!(count >= 1 && count <= 4000) || !(concurrency >= 1 && concurrency <= 1024) || !(rounds >= 1 && rounds <= 20)) {
  process.stderr.write('bench/tls-experiments.mjs: --count 1..4000, --concurrency 1..1024, --rounds 1..20\n');
  process.exit(2);
}

function address(i) {
  const n = (198 << 24) + (18 << 16) + (176 << 8) + 1 + i;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

// A TLS 1.2 ClientHello: the Mozilla-intermediate ECDHE suites, SNI, groups, point formats, signature algorithms.
function clientHello(random = Buffer.alloc(32, 7), sessionId = Buffer.alloc(0)) {
  const u16 = (n) => Buffer.from([n >> 8, n & 255]);
  const vec16 = (b) => Buffer.concat([u16(b.length), b]);
  const ext = (type, body) => Buffer.concat([u16(type), vec16(body)]);
  const name = Buffer.from(SERVERNAME);
  const sni = vec16(Buffer.concat([Buffer.from([0]), vec16(name)]));
  const groups = vec16(Buffer.from([0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]));
  const sigalgs = vec16(Buffer.from([0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05]));
  const exts = Buffer.concat([ext(0, sni), ext(10, groups), ext(11, Buffer.from([1, 0])), ext(13, sigalgs)]);
  const suites = Buffer.from([0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8]);
  const body = Buffer.concat([Buffer.from([3, 3]), random, Buffer.from([sessionId.length]), sessionId, vec16(suites), Buffer.from([1, 0]), vec16(exts)]);
  const hs = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 255, body.length & 255]), body]);
  return Buffer.concat([Buffer.from([0x16, 3, 1]), u16(hs.length), hs]);
}

function bounded(ms, fn) {
  return new Promise((done) => {
    let settled = false;
    const finish = (r) => {
      if (!settled) {
        settled = true;
        clearTimeout(t);
        done(r);
      }
    };
    const t = setTimeout(() => finish('timeout'), ms);
    fn(finish);
  });
}

const fixedHello = clientHello();
const shared = createSecureContext({});

const VARIANTS = {
  tcp: (host) =>
    bounded(5000, (done) => {
      const s = netConnect({ host, port: 443, autoSelectFamily: false });
      s.once('connect', () => (s.destroy(), done('ok')));
      s.once('error', () => done('error'));
    }),
  hello: (host, how) =>
    bounded(5000, (done) => {
      const s = netConnect({ host, port: 443, autoSelectFamily: false });
      const h = how === 'random' ? clientHello(randomBytes(32), randomBytes(32)) : how === 'built' ? clientHello(Buffer.alloc(32, 1), Buffer.alloc(32, 2)) : fixedHello;
      if (how === 'random') randomBytes(32);
      s.once('connect', () => s.write(h));
      s.once('data', (d) => (s.destroy(), done(d[0] === 0x16 ? 'ok' : 'not a handshake')));
      s.once('error', () => done('error'));
    }),
  'hello-built': (host) => VARIANTS.hello(host, 'built'),
  'hello-random': (host) => VARIANTS.hello(host, 'random'),
  'tls-plumbline': (host) => handshake(host, { rejectUnauthorized: false, ca: [], requestOCSP: true }, 'details'),
  'tls-shared-ctx': (host) => handshake(host, { rejectUnauthorized: false, secureContext: shared, requestOCSP: true }, 'details'),
  'tls-x509': (host) => handshake(host, { rejectUnauthorized: false, secureContext: shared, requestOCSP: true }, 'x509'),
  'tls-bare': (host) => handshake(host, { rejectUnauthorized: false, secureContext: shared, requestOCSP: true }, 'none'),
};

function handshake(host, extra, chainBy) {
  return bounded(5000, (done) => {
    const s = tlsConnect({ host, port: 443, servername: SERVERNAME, ALPNProtocols: ['h2', 'http/1.1'], autoSelectFamily: false, ...extra });
    s.once('OCSPResponse', () => undefined);
    s.once('secureConnect', () => {
      const chain = [];
      if (chainBy === 'details') {
        const seen = new Set();
        let c = s.getPeerCertificate(true);
        while (c?.raw && !seen.has(c.fingerprint256) && chain.length < 10) {
          seen.add(c.fingerprint256);
          chain.push(c.raw);
          c = c.issuerCertificate;
        }
      } else if (chainBy === 'x509') {
        let c = s.getPeerX509Certificate();
        while (c && chain.length < 10) {
          chain.push(c.raw);
          const next = c.issuerCertificate;
          if (!next || next.fingerprint256 === c.fingerprint256) break;
          c = next;
        }
      }
      void s.getProtocol(), s.getCipher(), s.alpnProtocol, s.isSessionReused();
      s.on('error', () => undefined);
      s.destroy();
      done(chainBy === 'none' || chain.length === 2 ? 'ok' : `chain of ${chain.length}`);
    });
    s.once('error', (e) => done(`error ${e.code}`));
  });
}

async function runVariant(name) {
  const fn = VARIANTS[name];
  // A short warm-up on the last endpoints, so JIT and first-use costs fall outside the loop.
  for (let i = 0; i < Math.min(20, count); i++) await fn(address(count - 1 - i));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let next = 0;
  const outcomes = {};
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const r = await fn(address(next++));
        outcomes[r] = (outcomes[r] ?? 0) + 1;
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { variant: name, count, concurrency, ms, cpuMs: (cpu.user + cpu.system) / 1000, outcomes };
}

const one = arg('--variant', null);
if (one) {
  process.stdout.write(`${JSON.stringify(await runVariant(one))}\n`);
  process.exit(0);
}
const variants = arg('--variants', ALL.join(',')).split(',');
const runs = Object.fromEntries(variants.map((v) => [v, []]));
for (const v of variants) {
  if (!VARIANTS[v]) {
    process.stderr.write(`unknown variant ${v}\n`);
    process.exit(2);
  }
}
for (let round = 0; round < rounds; round++) {
  for (const v of variants) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--variant', v, '--count', String(count), '--concurrency', String(concurrency)], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      process.stderr.write(`variant ${v}: exit ${r.status ?? r.signal}: ${r.stderr}\n`);
      process.exit(3);
    }
    runs[v].push(JSON.parse(r.stdout));
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
process.stdout.write(`| variant (${count} endpoints, ${concurrency} in flight, one connection each; medians of ${rounds} rounds) | wall | process CPU | CPU per connection | outcomes |\n| --- | ---: | ---: | ---: | --- |\n`);
for (const v of variants) {
  const rs = runs[v];
  const ms = median(rs.map((r) => r.ms));
  const cpu = median(rs.map((r) => r.cpuMs));
  const outcomes = {};
  for (const r of rs) for (const [k, n] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  process.stdout.write(`| ${v} | ${ms.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${((cpu * 1000) / count).toFixed(0)} µs | ${Object.entries(outcomes).map(([k, n]) => `${k} ${n}`).join(', ')} (all rounds) |\n`);
}
