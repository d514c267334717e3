// HSTS as browsers read it (issue 13): a Strict-Transport-Security header received over plain HTTP is ignored
// (RFC 6797 §8.1). Real servers in a test host (a network namespace, loopback only): Python's HTTP server that
// sends the header over plain HTTP, redirect servers (one to HTTPS, one to plain HTTP) that also send a header of
// their own, and Python's HTTPS server that sends max-age=63072000. The built CLI audits them inside the
// namespace; `facts -o` then `audit --facts` judges the snapshot the same way.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { PROBE_SERVERS_PY, PY_SERVER_PRELUDE, selfSigned } from './harness/probe-servers.js';
import { byId, report } from './harness/audit.js';
import { CLI } from '../helpers/run.js';
import type { FactsSnapshot, HttpFact } from '../../src/facts/model.js';
import type { Report } from '../../src/report/model.js';

const why = netnsSkipReason();
if (why) console.log(`skipping HSTS integration tests: ${why}`);

const PORTS = { plain: 18090, https: 18443, toHttps: 18091, toHttp: 18092 };
const HTTPS_BASE = `https://127.0.0.1:${PORTS.https}`;
const HTTPS_HSTS = `${HTTPS_BASE}/hsts`;

/** `python3 redirect.py redirect ADDR PORT TARGET`: every request gets a 301 to TARGET, with an HSTS header of its own. */
const REDIRECT_PY = String.raw`
import os, socketserver, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
${PY_SERVER_PRELUDE}
target = sys.argv[4]

class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        self.send_response(301)
        self.send_header('Location', target)
        # Over plain HTTP a browser ignores it: the probe must not report it as the HSTS in effect.
        self.send_header('Strict-Transport-Security', 'max-age=1')
        self.send_header('Content-Length', '0')
        self.end_headers()
    do_HEAD = do_GET
    def log_message(self, *a):
        pass

class Server(ThreadingHTTPServer):
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

srv = Server((addr, port), H)
print('READY', flush=True)
srv.serve_forever()
`;

describe.skipIf(why !== null)('hsts: judged as browsers read it', () => {
  let host: TestHost;
  let dir: string;
  let live: Report;
  let policyFile: string;

  const inHost = async (args: string[]) => {
    const r = await host.exec(process.execPath, [CLI, ...args], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    return r;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pl-hsts-'));
    writeFileSync(join(dir, 'servers.py'), PROBE_SERVERS_PY);
    writeFileSync(join(dir, 'redirect.py'), REDIRECT_PY);
    const { cert, key } = await selfSigned(dir, 'hsts.test', 'IP:127.0.0.1');
    host = await TestHost.create({ name: 'hsts' });
    const py = (script: string, ...args: string[]) => ['/usr/bin/python3', join(dir, script), ...args];
    await host.startServer(py('servers.py', 'http', '127.0.0.1', String(PORTS.plain), '0'), PORTS.plain);
    await host.startServer(py('servers.py', 'https', '127.0.0.1', String(PORTS.https), cert, key), PORTS.https);
    await host.startServer(py('redirect.py', 'redirect', '127.0.0.1', String(PORTS.toHttps), HTTPS_HSTS), PORTS.toHttps);
    await host.startServer(py('redirect.py', 'redirect', '127.0.0.1', String(PORTS.toHttp), `http://127.0.0.1:${PORTS.plain}/hsts`), PORTS.toHttp);
    const check = (c: string) => `  - ${c}\n`;
    policyFile = join(dir, 'hsts.yaml');
    writeFileSync(
      policyFile,
      'apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: hsts }\ndefaults: { timeout: 5s }\nchecks:\n' +
        check(
          `{ id: plain, title: t, severity: high, http: { url: "http://127.0.0.1:${PORTS.plain}/hsts" }, expect: { hsts: { maxAge: { gte: 31536000 } } } }`,
        ) +
        check(
          `{ id: redirected, title: t, severity: high, http: { url: "http://127.0.0.1:${PORTS.toHttps}/", ca: "${cert}" }, expect: { status: 301, hsts: { maxAge: { gte: 63072000 }, includeSubDomains: true } } }`,
        ) +
        check(
          `{ id: redirect-only, title: t, severity: low, http: { url: "http://127.0.0.1:${PORTS.toHttps}/", ca: "${cert}" }, expect: { redirectsTo: "${HTTPS_HSTS}" } }`,
        ) +
        check(`{ id: to-http, title: t, severity: high, http: { url: "http://127.0.0.1:${PORTS.toHttp}/" }, expect: { hsts: { maxAge: { gte: 1 } } } }`) +
        check(
          `{ id: https, title: t, severity: high, http: { url: "${HTTPS_HSTS}", ca: "${cert}" }, expect: { hsts: { maxAge: { gte: 63072000 }, includeSubDomains: true } } }`,
        ) +
        check(
          `{ id: twice, title: t, severity: high, http: { url: "${HTTPS_BASE}/hsts-twice", ca: "${cert}" }, expect: { hsts: { maxAge: { gte: 31536000 }, includeSubDomains: true } } }`,
        ) +
        check(`{ id: untrusted, title: t, severity: high, http: { url: "${HTTPS_BASE}/" }, expect: { status: 200 } }`) +
        check(
          `{ id: no-max-age, title: t, severity: high, http: { url: "${HTTPS_BASE}/hsts-no-max-age", ca: "${cert}" }, expect: { hsts: { includeSubDomains: true } } }`,
        ),
    );
    live = report(await inHost(['audit', '-p', policyFile, '--format', 'json']));
  }, 60_000);

  afterAll(async () => {
    await host?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The probe of `url` (its key names the CA file too, when the check gives one). */
  const factIn = (facts: FactsSnapshot, url: string): HttpFact => {
    const f = Object.entries(facts.probes!).find(([k, v]) => k.startsWith('http ') && (v as HttpFact).url === url);
    if (!f) throw new Error(`no probe of ${url}`);
    return f[1] as HttpFact;
  };
  const fact = (url: string): HttpFact => factIn(live.facts!, url);

  it('a header over plain HTTP with no redirect fails with the reason, and is never the HSTS in effect', () => {
    const url = `http://127.0.0.1:${PORTS.plain}/hsts`;
    expect(byId(live).plain).toMatchObject({
      status: 'fail',
      message: `GET ${url}: HSTS is ignored over plain HTTP (RFC 6797 §8.1) and ${url} does not redirect to HTTPS`,
    });
    expect(fact(url).headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(fact(url).hsts).toBeUndefined();
  });

  it('a redirect to HTTPS: maxAge is judged on the HTTPS response, which the message names', () => {
    const url = `http://127.0.0.1:${PORTS.toHttps}/`;
    expect(byId(live).redirected).toMatchObject({
      status: 'pass',
      message: `GET ${url}: status 301, hsts maxAge 63072000, hsts includeSubDomains true, hsts read from ${HTTPS_HSTS}`,
    });
    const f = fact(url);
    expect(f.hstsLookup).toEqual({
      hops: [{ url: HTTPS_HSTS, status: 200 }],
      readFrom: HTTPS_HSTS,
      hsts: { maxAge: 63072000, includeSubDomains: true, preload: false },
    });
    // The redirect's own max-age=1 came over plain HTTP: kept as a header, nothing more.
    expect(f.hsts).toBeUndefined();
    expect(f.headers['strict-transport-security']).toBe('max-age=1');
    // Checks of the same URL share its probe, whose first response stays as it was.
    expect(byId(live)['redirect-only']).toMatchObject({ status: 'pass' });
  });

  it('redirects that end over plain HTTP fail with the reason', () => {
    const url = `http://127.0.0.1:${PORTS.toHttp}/`;
    expect(byId(live)['to-http']).toMatchObject({
      status: 'fail',
      message: `GET ${url}: HSTS is ignored over plain HTTP (RFC 6797 §8.1) and the redirects from ${url} end at http://127.0.0.1:${PORTS.plain}/hsts, over plain HTTP`,
    });
  });

  it('of two headers a browser reads the first; one without a valid max-age it ignores (RFC 6797 §8.1, §6.1.1)', () => {
    expect(byId(live).twice).toMatchObject({ status: 'pass' });
    expect(fact(`${HTTPS_BASE}/hsts-twice`).hsts).toEqual({ maxAge: 31536000, includeSubDomains: true, preload: false });
    expect(fact(`${HTTPS_BASE}/hsts-no-max-age`).hsts).toBeUndefined();
    expect(byId(live)['no-max-age']).toMatchObject({ status: 'fail' });
  });

  it('a server whose certificate a client refuses answered and fell short: a failure, not an error', () => {
    expect(byId(live).untrusted).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^GET https:\/\/127\.0\.0\.1:\d+\/: certificate not accepted: /) as unknown as string,
    });
  });

  it('an https URL is judged on its own response, as before', () => {
    expect(byId(live).https).toMatchObject({ status: 'pass', message: `GET ${HTTPS_HSTS}: hsts maxAge 63072000, hsts includeSubDomains true` });
    expect(fact(HTTPS_HSTS).hstsLookup).toBeUndefined();
  });

  it('a snapshot is judged offline with the same results', async () => {
    const snap = join(dir, 'facts.json');
    await inHost(['facts', '-p', policyFile, '-o', snap]);
    const facts = JSON.parse(readFileSync(snap, 'utf8')) as FactsSnapshot;
    expect(factIn(facts, `http://127.0.0.1:${PORTS.toHttps}/`).hstsLookup?.readFrom).toBe(HTTPS_HSTS);
    const offline = report(await inHost(['audit', '-p', policyFile, '--facts', snap, '--format', 'json']));
    expect(offline.results.map((r) => [r.id, r.status])).toEqual(live.results.map((r) => [r.id, r.status]));
    // The HSTS words hold no timing: the snapshot's are the live run's.
    const words = (rep: Report) => rep.results.filter((r) => !r.id.startsWith('implied.')).map((r) => [r.id, r.message]);
    expect(words(offline)).toEqual(words(live));
  });
});
