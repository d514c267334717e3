// Certificate hierarchies made at test time, and the readers of what `openssl s_client` says about a server.
//
// Several shapes are relative to now (an intermediate with five days left, an extra certificate with three), so
// the certificates cannot be fixtures: `issue` makes them in a temp dir with `openssl ca` and explicit
// -startdate/-enddate computed from the clock it is given (OpenSSL 3.0's x509 -days counts from now and has no
// -not_before). Each certificate gets its own tiny CA database, so one level of the hierarchy is signed at once.
// `chainsPki` is the hierarchy of test/integration/tls-chains.test.ts: EC P-256 keys, one RSA 2048 leaf, one P-192
// intermediate (a CA key too weak).
//
// The oracles: `openssl s_client -showcerts` prints the certificates in the order the server sent them
// (parseShowcerts), `-verify_return_error -CAfile F` says whether a path to F exists (verifyCodes), and
// rfc9525Names is OpenSSL's own name matching (X509_check_host through node:crypto) with the flags of RFC 9525:
// subjectAltName only, never the subject CN, no partial wildcards, a wildcard for one whole left-most label only.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { run } from './netns.js';

export const DAY_MS = 86_400_000;

const CA_CNF = `[ca]
default_ca = CA_default
[CA_default]
dir = $ENV::CADIR
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
policy = policy_any
unique_subject = no
default_md = sha256
[policy_any]
commonName = supplied
organizationName = optional
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[cross]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[intermediate]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
[leaf_nosan]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[self_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $ENV::SAN
[bare_root]
subjectKeyIdentifier = hash
[int_nobc]
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_nocertsign]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_nc]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:.example.test
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_crit]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
1.2.3.4.5.6.7 = critical, ASN1:NULL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_nonrepudiation]
basicConstraints = critical, CA:FALSE
keyUsage = critical, nonRepudiation
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
`;

type Ext =
  | 'root'
  | 'cross'
  | 'intermediate'
  | 'leaf'
  | 'leaf_nosan'
  | 'self_leaf'
  /** A self-signed v3 certificate with a subjectKeyIdentifier and nothing else: no basicConstraints, no keyUsage. */
  | 'bare_root'
  /** keyUsage keyCertSign and key identifiers, no basicConstraints. */
  | 'int_nobc'
  /** CA:TRUE, keyUsage digitalSignature and cRLSign: no keyCertSign. */
  | 'int_nocertsign'
  /** A CA whose names are constrained (critical) to DNS names under example.test. */
  | 'int_nc'
  /** A CA with an extension no verifier knows, 1.2.3.4.5.6.7, marked critical. */
  | 'int_crit'
  /** CA:TRUE, pathlen:0. */
  | 'int_pathlen0'
  /** A server leaf (extendedKeyUsage serverAuth) whose keyUsage is nonRepudiation alone. */
  | 'leaf_nonrepudiation';

interface CertDef {
  /** File base name: NAME.crt and NAME.key in the directory. */
  name: string;
  cn: string;
  /** The name of the issuing certificate, or 'self'. */
  issuer: string;
  ext: Ext;
  /** A new EC P-256, EC P-192 (a key too weak) or RSA 2048 key, or the key of another certificate (a cross-certificate reuses its root's). */
  key: 'ec' | 'p192' | 'rsa' | { of: string };
  /** subjectAltName in openssl's syntax (`DNS:a.test,IP:198.19.0.2`), for the leaf and self_leaf extensions. */
  san?: string;
  /** Validity, in days from now (fractions allowed): -30 and 5.5 are "thirty days ago" and "five days and a half ahead". */
  from: number;
  to: number;
}

export interface Issued {
  name: string;
  cn: string;
  crt: string;
  key: string;
  pem: string;
  x509: X509Certificate;
  /** Colon-separated upper-case hex, as X509Certificate (and OpenSSL) print it. */
  fingerprint256: string;
}

/** YYMMDDHHMMSSZ, what `openssl ca -startdate/-enddate` takes for years before 2050. */
function asn1Time(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

async function ok(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
  const r = await run(cmd, args, { timeoutMs: 30_000, ...(env ? { env } : {}) });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`);
}

/**
 * Issues every certificate of `defs` into `dir`, validity counted from `now`: new keys all at once, then the
 * hierarchy one level at a time (roots, what they sign, ...), each level's certificates at once.
 */
async function issue(dir: string, defs: readonly CertDef[], now: Date): Promise<Record<string, Issued>> {
  const cnf = join(dir, 'ca.cnf');
  writeFileSync(cnf, CA_CNF);
  const byName = new Map(defs.map((d) => [d.name, d]));
  if (byName.size !== defs.length) throw new Error('certificate names must be unique');
  const keyFile = (d: CertDef): string => join(dir, `${typeof d.key === 'object' ? d.key.of : d.name}.key`);
  await Promise.all(
    defs.flatMap((d) => {
      if (typeof d.key === 'object') return [];
      const alg =
        d.key === 'rsa'
          ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
          : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${d.key === 'p192' ? 'prime192v1' : 'P-256'}`];
      return [ok('openssl', ['genpkey', '-quiet', ...alg, '-out', join(dir, `${d.name}.key`)])];
    }),
  );
  const done = new Map<string, Issued>();
  const sign = async (d: CertDef, serial: number): Promise<void> => {
    const db = join(dir, `db-${d.name}`);
    mkdirSync(db, { recursive: true });
    writeFileSync(join(db, 'index.txt'), '');
    writeFileSync(join(db, 'serial'), `${serial.toString(16).padStart(4, '0')}\n`);
    const csr = join(dir, `${d.name}.csr`);
    const crt = join(dir, `${d.name}.crt`);
    await ok('openssl', ['req', '-new', '-key', keyFile(d), '-subj', `/O=plumbline chains/CN=${d.cn}`, '-out', csr]);
    const by =
      d.issuer === 'self' ? ['-selfsign', '-keyfile', keyFile(d)] : ['-cert', join(dir, `${d.issuer}.crt`), '-keyfile', keyFile(byName.get(d.issuer)!)];
    const start = asn1Time(new Date(now.getTime() + d.from * DAY_MS));
    const end = asn1Time(new Date(now.getTime() + d.to * DAY_MS));
    // The config names SAN in sections other certificates do not use: it must exist all the same.
    const env = { ...process.env, CADIR: db, SAN: d.san ?? 'DNS:unused.invalid' };
    await ok(
      'openssl',
      ['ca', '-config', cnf, '-batch', '-notext', '-in', csr, '-out', crt, ...by, '-startdate', start, '-enddate', end, '-extfile', cnf, '-extensions', d.ext],
      env,
    );
    const pem = readFileSync(crt, 'utf8');
    const x509 = new X509Certificate(pem);
    done.set(d.name, { name: d.name, cn: d.cn, crt, key: keyFile(d), pem, x509, fingerprint256: x509.fingerprint256 });
  };
  for (const d of defs) {
    if (d.issuer !== 'self' && !byName.has(d.issuer)) throw new Error(`${d.name}: unknown issuer ${d.issuer}`);
    if (typeof d.key === 'object' && typeof byName.get(d.key.of)?.key !== 'string') throw new Error(`${d.name}: ${d.key.of} has no key of its own`);
  }
  const serials = new Map(defs.map((d, i) => [d.name, 0x1000 + i]));
  const left = new Set(defs.map((d) => d.name));
  // Each pass signs every certificate whose issuer is done: at most one pass per certificate.
  for (let pass = 0; left.size > 0 && pass < defs.length; pass++) {
    const ready = [...left].map((n) => byName.get(n)!).filter((d) => d.issuer === 'self' || done.has(d.issuer));
    if (ready.length === 0) break;
    for (const d of ready) left.delete(d.name);
    await Promise.all(ready.map((d) => sign(d, serials.get(d.name)!)));
  }
  if (left.size > 0) throw new Error(`issuers in a cycle, never issued: ${[...left].join(', ')}`);
  return Object.fromEntries(done);
}

/** Writes the PEM of `certs`, in this order, to dir/name and returns the path. */
export function bundle(dir: string, name: string, certs: readonly Issued[]): string {
  const path = join(dir, name);
  writeFileSync(path, certs.map((c) => c.pem).join(''));
  return path;
}

/** The fifteen unrelated self-signed certificates of the 17-certificate bundle, in the order sent. */
export const JUNK = [
  'junk1',
  'junk2',
  'junk3',
  'junk4',
  'junk5',
  'junk6',
  'junk7',
  'junk8',
  'junk9',
  'junk10',
  'junk11',
  'junk12',
  'junk13',
  'junk14',
  'junk15',
] as const;
type JunkCert = (typeof JUNK)[number];

/**
 * The hierarchy of the chain tests, validity from `now`:
 * - root → int1 (long) → leaf (chain.test): the good chain; int1 also signs the hostname leaves and an RSA leaf;
 * - int1 → int2, five days and a half left → leaf3 (chain.test): the second intermediate expires first;
 * - unrelated-root → extra (three days and a half left): a certificate no path needs; unrelated-root also signs
 *   the client certificates mTLS servers would ask for;
 * - old-root and new-root, new-root → intx → leafx, and cross: new-root's name and key signed by old-root;
 * - self: a self-signed leaf (self.test);
 * - the trust shapes, each leaf for chain.test unless said: nobcint (keyUsage keyCertSign, no basicConstraints)
 *   → nobcleaf; bareroot (v3, a subjectKeyIdentifier and nothing else) → bareint → bareleaf; int1 → nrleaf
 *   (keyUsage nonRepudiation only); ncint (names constrained to .example.test) → ncout (chain.test) and ncin
 *   (www.example.test); critint (an unknown critical extension) → critleaf; weakint (P-192) → weakleaf; pl0
 *   (pathlen:0) → pl0b (self-issued: pl0's name, a key of its own) → pl0leaf; root → rootleaf; nocsint (CA:TRUE,
 *   no keyCertSign) → nocsleaf; and junk1 to junk15, unrelated self-signed certificates, junk15 with two days
 *   and a half left.
 * `ipSan` is the address of the server whose leaf names it as an iPAddress SAN, `dnsIp` the one whose leaf names
 * its address as a dNSName.
 */
export function chainsPki(dir: string, now: Date, o: { ipSan: string; dnsIp: string }): Promise<Record<ChainCert, Issued>> {
  const good = { from: -10, to: 90 } as const;
  const ca = { from: -60, to: 1000 } as const;
  const defs: CertDef[] = [
    { name: 'root', cn: 'chains root', issuer: 'self', ext: 'root', key: 'ec', from: -365, to: 3650 },
    { name: 'int1', cn: 'chains intermediate 1', issuer: 'root', ext: 'intermediate', key: 'ec', ...ca },
    { name: 'int2', cn: 'chains intermediate 2', issuer: 'int1', ext: 'intermediate', key: 'ec', from: -60, to: 5.5 },
    { name: 'leaf', cn: 'chain.test', issuer: 'int1', ext: 'leaf', key: 'ec', san: 'DNS:chain.test,DNS:www.chain.test', ...good },
    { name: 'leaf3', cn: 'chain.test', issuer: 'int2', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'rsaleaf', cn: 'chain.test', issuer: 'int1', ext: 'leaf', key: 'rsa', san: 'DNS:chain.test', ...good },
    { name: 'cnonly', cn: 'chain.test', issuer: 'int1', ext: 'leaf_nosan', key: 'ec', ...good },
    { name: 'wild', cn: 'wildcard chain.test', issuer: 'int1', ext: 'leaf', key: 'ec', san: 'DNS:*.chain.test', ...good },
    { name: 'partial', cn: 'partial wildcard chain.test', issuer: 'int1', ext: 'leaf', key: 'ec', san: 'DNS:w*.chain.test', ...good },
    { name: 'ipsan', cn: 'ip san', issuer: 'int1', ext: 'leaf', key: 'ec', san: `IP:${o.ipSan}`, ...good },
    { name: 'dnsip', cn: 'ip as dns', issuer: 'int1', ext: 'leaf', key: 'ec', san: `DNS:${o.dnsIp}`, ...good },
    { name: 'unrelated', cn: 'chains unrelated root', issuer: 'self', ext: 'root', key: 'ec', from: -365, to: 3650 },
    { name: 'extra', cn: 'unrelated extra', issuer: 'unrelated', ext: 'intermediate', key: 'ec', from: -60, to: 3.5 },
    { name: 'client', cn: 'chains client', issuer: 'unrelated', ext: 'leaf', key: 'ec', san: 'DNS:client.chain.test', ...good },
    { name: 'oldroot', cn: 'chains old root', issuer: 'self', ext: 'root', key: 'ec', from: -365, to: 3650 },
    { name: 'newroot', cn: 'chains new root', issuer: 'self', ext: 'root', key: 'ec', from: -30, to: 3650 },
    { name: 'cross', cn: 'chains new root', issuer: 'oldroot', ext: 'cross', key: { of: 'newroot' }, ...ca },
    { name: 'intx', cn: 'chains cross intermediate', issuer: 'newroot', ext: 'intermediate', key: 'ec', ...ca },
    { name: 'leafx', cn: 'chain.test', issuer: 'intx', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'self', cn: 'self.test', issuer: 'self', ext: 'self_leaf', key: 'ec', san: 'DNS:self.test', ...good },
    // Trust shapes, each a CA or leaf a verifier refuses (or, for pathLen, a self-issued CA it must not count).
    { name: 'nobcint', cn: 'chains intermediate without basicConstraints', issuer: 'root', ext: 'int_nobc', key: 'ec', ...ca },
    { name: 'nobcleaf', cn: 'chain.test', issuer: 'nobcint', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'bareroot', cn: 'chains bare root', issuer: 'self', ext: 'bare_root', key: 'ec', from: -365, to: 3650 },
    { name: 'bareint', cn: 'chains intermediate under the bare root', issuer: 'bareroot', ext: 'intermediate', key: 'ec', ...ca },
    { name: 'bareleaf', cn: 'chain.test', issuer: 'bareint', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'nrleaf', cn: 'chain.test', issuer: 'int1', ext: 'leaf_nonrepudiation', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'ncint', cn: 'chains intermediate constrained to example.test', issuer: 'root', ext: 'int_nc', key: 'ec', ...ca },
    { name: 'ncout', cn: 'chain.test', issuer: 'ncint', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'ncin', cn: 'www.example.test', issuer: 'ncint', ext: 'leaf', key: 'ec', san: 'DNS:www.example.test', ...good },
    { name: 'critint', cn: 'chains intermediate with an unknown critical extension', issuer: 'root', ext: 'int_crit', key: 'ec', ...ca },
    { name: 'critleaf', cn: 'chain.test', issuer: 'critint', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'weakint', cn: 'chains intermediate on P-192', issuer: 'root', ext: 'intermediate', key: 'p192', ...ca },
    { name: 'weakleaf', cn: 'chain.test', issuer: 'weakint', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    // pl0b is self-issued: the same name as pl0, which signed it, with a key of its own.
    { name: 'pl0', cn: 'chains PL0', issuer: 'root', ext: 'int_pathlen0', key: 'ec', ...ca },
    { name: 'pl0b', cn: 'chains PL0', issuer: 'pl0', ext: 'intermediate', key: 'ec', ...ca },
    { name: 'pl0leaf', cn: 'chain.test', issuer: 'pl0b', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'rootleaf', cn: 'chain.test', issuer: 'root', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    { name: 'nocsint', cn: 'chains intermediate without keyCertSign', issuer: 'root', ext: 'int_nocertsign', key: 'ec', ...ca },
    { name: 'nocsleaf', cn: 'chain.test', issuer: 'nocsint', ext: 'leaf', key: 'ec', san: 'DNS:chain.test', ...good },
    // Fifteen unrelated self-signed certificates to send after the good chain; the last has two days and a half left.
    ...JUNK.map(
      (name, i): CertDef => ({ name, cn: `chains junk ${i + 1}`, issuer: 'self', ext: 'root', key: 'ec', from: -30, to: i === JUNK.length - 1 ? 2.5 : 400 }),
    ),
  ];
  return issue(dir, defs, now) as Promise<Record<ChainCert, Issued>>;
}

export type ChainCert =
  | JunkCert
  | 'nobcint'
  | 'nobcleaf'
  | 'bareroot'
  | 'bareint'
  | 'bareleaf'
  | 'nrleaf'
  | 'ncint'
  | 'ncout'
  | 'ncin'
  | 'critint'
  | 'critleaf'
  | 'weakint'
  | 'weakleaf'
  | 'pl0'
  | 'pl0b'
  | 'pl0leaf'
  | 'rootleaf'
  | 'nocsint'
  | 'nocsleaf'
  | 'root'
  | 'int1'
  | 'int2'
  | 'leaf'
  | 'leaf3'
  | 'rsaleaf'
  | 'cnonly'
  | 'wild'
  | 'partial'
  | 'ipsan'
  | 'dnsip'
  | 'unrelated'
  | 'extra'
  | 'client'
  | 'oldroot'
  | 'newroot'
  | 'cross'
  | 'intx'
  | 'leafx'
  | 'self';

/** The certificates `openssl s_client -showcerts` printed, in the order the server sent them. */
export function parseShowcerts(out: string): X509Certificate[] {
  return [...out.matchAll(/-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]));
}

/** Every `Verify return code: N (text)` s_client printed (one per session it printed): [N, text]. */
export function verifyCodes(out: string): Array<[number, string]> {
  return [...out.matchAll(/^\s*Verify return code: (\d+) \(([^)]*)\)/gm)].map((m) => [Number(m[1]), m[2]!]);
}

/** Every error s_client's verify callback printed (`depth=N ...` then `verify error:num=C:text`), in order. */
export function verifyErrors(out: string): Array<{ depth: number; code: number; text: string }> {
  return [...out.matchAll(/^depth=(\d+) [^\n]*\r?\nverify error:num=(\d+):([^\r\n]*)/gm)].map((m) => ({
    depth: Number(m[1]),
    code: Number(m[2]),
    text: m[3]!,
  }));
}

/**
 * Whether the certificates sent, from the leaf, reach a certificate that `ca` issued: each next one found among
 * those sent by its name and its signature alone (not checkIssued, which also asks for keyCertSign). The chain as
 * sent then lacks nothing but the ca file itself, whatever a verifier makes of the certificates on it.
 */
export function sentReaches(sent: readonly X509Certificate[], ca: X509Certificate): boolean {
  const signs = (issuer: X509Certificate, child: X509Certificate): boolean => {
    try {
      return child.issuer === issuer.subject && child.verify(issuer.publicKey);
    } catch {
      return false;
    }
  };
  let current = sent[0];
  const seen = new Set<X509Certificate>();
  while (current && !seen.has(current)) {
    if (signs(ca, current)) return true;
    seen.add(current);
    current = sent.find((x) => !seen.has(x) && signs(x, current!));
  }
  return false;
}

/**
 * Whether `name` is a name of `cert` as RFC 9525 has clients match: an IP address only against iPAddress SANs;
 * a DNS name only against dNSName SANs (never the subject CN), a wildcard only as the whole left-most label.
 */
export function rfc9525Names(cert: X509Certificate, name: string): boolean {
  if (isIP(name) !== 0) return cert.checkIP(name) !== undefined;
  return (
    cert.checkHost(name, { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false }) !== undefined
  );
}
