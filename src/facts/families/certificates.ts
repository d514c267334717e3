// Certificate files on the host: the files (and the private keys that must belong to them) in the one batch; the
// reading, which needs Node's crypto and X.509 code, loads only when a policy names certificate files.
import type { CertificateFileFact } from '../../probes/cert-model.js';
import type { CertificateFileTarget } from '../../plan/plan.js';
import type { FamilyModule } from '../family.js';

export const certificatesFamily: FamilyModule<readonly CertificateFileTarget[], CertificateFileFact[]> = {
  name: 'certificates',
  needs: (wants) => [...new Set(wants.flatMap((w) => (w.key !== undefined ? [w.path, w.key] : [w.path])))].map((path) => ({ op: 'read', path })),
  parse: async (wants, raw, { now }) => (await import('../cert-files.js')).readCertificateFiles(raw, wants, now),
};
