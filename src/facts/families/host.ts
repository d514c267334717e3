// Which host the facts are of: its name and kernel, read with everything else.
import type { FamilyModule } from '../family.js';

const HOSTNAME = '/proc/sys/kernel/hostname';
const OSRELEASE = '/proc/sys/kernel/osrelease';

export const hostFamily: FamilyModule<true, { hostname: string; kernel: string }> = {
  name: 'host',
  needs: () => [
    { op: 'read', path: HOSTNAME },
    { op: 'read', path: OSRELEASE },
  ],
  parse: (_, raw) => {
    const line = (path: string): string => {
      const v = raw.read(path);
      return typeof v === 'string' ? v.trim() : 'unknown';
    };
    return { hostname: line(HOSTNAME), kernel: line(OSRELEASE) };
  },
};
