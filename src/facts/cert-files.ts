// Certificate files on the host: every certificate of a PEM bundle read as a chain (in the order the file holds
// them, which is the order a server would send), and whether a private key belongs to the leaf. Every problem
// becomes a reason in the facts; nothing here throws at the user.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { RawView } from '../transport/raw.js';
import { certificatesFromPem, readChain } from '../probes/certificates.js';
import type { CertificateFileFact, CertificateKeyFact } from '../probes/cert-model.js';

import type { CertificateFileTarget as CertificateFileWant } from '../plan/plan.js';

function readReason(path: string, err: { error: string; message: string }): string {
  const code = err.error;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EACCES') return `${path}: permission denied; run as root`;
  if (code === 'EISDIR') return `${path}: is a directory`;
  return err.message.includes(path) ? err.message : `${path}: ${err.message}`;
}

function readText(raw: RawView, path: string): { text: string } | { reason: string } {
  const v = raw.read(path);
  return typeof v === 'string' ? { text: v } : { reason: readReason(path, v) };
}

// An encrypted key cannot be compared without its passphrase, which an auditor never holds: say so by name
// rather than pass on OpenSSL's words.
function isEncryptedPem(text: string): boolean {
  return text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,\s*ENCRYPTED/.test(text);
}

function privateKeyOf(text: string, path: string): { key: KeyObject } | { reason: string } {
  if (isEncryptedPem(text)) return { reason: `${path}: the private key is encrypted (passphrase-protected); it cannot be compared` };
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return { reason: `${path}: not a PEM private key` };
  try {
    return { key: createPrivateKey(text) };
  } catch (err) {
    return { reason: `${path}: unreadable private key (${(err as Error).message})` };
  }
}

function keyFact(raw: RawView, path: string, leaf: Buffer): CertificateKeyFact {
  const read = readText(raw, path);
  if ('reason' in read) return { path, matchesLeaf: null, reason: read.reason };
  const parsed = privateKeyOf(read.text, path);
  if ('reason' in parsed) return { path, matchesLeaf: null, reason: parsed.reason };
  // The public halves decide: a key belongs to a certificate when the certificate carries its public key.
  const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  const matchesLeaf = spki(createPublicKey(parsed.key)).equals(spki(new X509Certificate(leaf).publicKey));
  return matchesLeaf ? { path, matchesLeaf } : { path, matchesLeaf, reason: `${path} does not belong to the first certificate of the bundle` };
}

function oneFile(raw: RawView, want: CertificateFileWant, now: Date): CertificateFileFact {
  const { path } = want;
  const read = readText(raw, path);
  if ('reason' in read) return { path, reason: read.reason };
  const ders = certificatesFromPem(read.text);
  if (ders.length === 0) return { path, reason: `${path}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the file` };
  const fact: CertificateFileFact = { path };
  try {
    fact.chain = readChain(ders, { now });
  } catch (err) {
    return { path, reason: `${path}: ${(err as Error).message}` };
  }
  if (want.key !== undefined) fact.key = keyFact(raw, want.key, ders[0]!);
  return fact;
}

/** Facts of each certificate file, in the order asked; `now` is the clock the day counts are judged at. */
export function readCertificateFiles(raw: RawView, wants: readonly CertificateFileWant[], now: Date): CertificateFileFact[] {
  return wants.map((w) => oneFile(raw, w, now));
}
