// A report of this host whose facts are as long as a real production host's: a certificate chain under a long
// path, with long subjects, forty subjectAltNames and OCSP and CA-issuer URIs; the same chain served by
// `openssl s_server` on loopback, probed live and found among the host's TLS listeners; that server's command
// line, which holds those paths; forty more listeners. The report comes from the real pipeline over this host
// (builtin:baseline and checks of each kind that reads those facts), for a renderer to lay out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { auditReport } from '../../../src/cli/audit-run.js';
import type { Report } from '../../../src/report/model.js';
import { privateChain, sServer } from './loopback-tls.js';

const NAME = 'payments-gateway.eu-central-1.internal.example-corporation.com';

export async function longFactsReport(under: string): Promise<{ report: Report; stop: () => Promise<void> }> {
  const dir = join(under, 'etc/ssl/private/services/payments-gateway.internal.example-corporation.com/letsencrypt/live/2026-11-renewal');
  mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: 40 }, (_, i) => `DNS:service-${String(i + 1).padStart(2, '0')}.${NAME}`);
  const pki = privateChain(dir, {
    caSubject:
      '/C=DE/ST=Baden-Wuerttemberg/L=Stuttgart/O=Example Corporation Internal Infrastructure GmbH/OU=Platform Engineering Certificate Authority Operations/CN=Example Corporation Internal Issuing CA G3 2026',
    leafSubject: `/C=DE/O=Example Corporation Internal Infrastructure GmbH/OU=Payments Gateway Production Cluster Frankfurt/CN=${NAME}`,
    san: [`DNS:${NAME}`, ...names, 'IP:10.20.30.40', 'IP:fd00:1234:5678:9abc::42'],
    extensions: [
      'authorityInfoAccess = OCSP;URI:http://ocsp.internal.example-corporation.com/issuing-ca-g3-2026/ocsp-responder, caIssuers;URI:http://pki.internal.example-corporation.com/certificates/issuing-ca-g3-2026/ca-certificate-chain.crt',
    ],
  });

  const server = await sServer(['-cert', pki.leaf, '-key', pki.key, '-cert_chain', pki.ca, '-www', '-quiet']);
  const listeners: Server[] = [];
  for (let i = 0; i < 40; i++) {
    const s = createServer();
    await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
    listeners.push(s);
  }
  const stop = async (): Promise<void> => {
    server.child.kill('SIGKILL');
    await Promise.all(listeners.map((s) => new Promise((done) => s.close(done))));
  };
  try {
    const port = server.port;
    const policy = join(under, 'long-facts.yaml');
    writeFileSync(
      policy,
      [
        'apiVersion: plumbline/v1',
        'kind: Policy',
        'metadata: { name: long facts }',
        'extends: [builtin:baseline]',
        'checks:',
        `  - { id: cert.payments, title: The payments chain has a month left, severity: high, certificate: { path: "${pki.chain}", key: "${pki.key}" }, expect: { daysLeft: { gte: 30 }, keyMatches: true } }`,
        `  - { id: cert.pending, title: The next chain is in place, severity: high, certificate: { path: "${join(dir, 'does-not-exist-yet-but-will-be-provisioned-by-the-pki-role.pem')}" }, expect: { daysLeft: { gte: 30 } } }`,
        `  - { id: tls.payments, title: The payments endpoint is trusted, severity: high, tls: { host: 127.0.0.1, port: ${port}, servername: ${NAME}, ca: "${pki.ca}" }, expect: { certificate: { chain: trusted, hostname: true } } }`,
        `  - { id: tls.own, title: The host's TLS listeners, severity: high, tlsListeners: { ports: [${port}] }, expect: { certificate: { daysLeft: { gte: 14 } } } }`,
        `  - { id: limits.payments, title: The payments server may open files, severity: high, limits: { port: ${port}, item: nofile }, expect: { soft: { gte: 1024 } } }`,
        '',
      ].join('\n'),
    );
    return { report: await auditReport({ policies: [policy] }), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
