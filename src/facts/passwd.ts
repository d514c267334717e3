// User names for uids, read once per collection run: socket owners and process limits both want them.
import type { RawView } from '../transport/raw.js';
import type { RawRequest } from '../transport/types.js';

/** uid -> user name from /etc/passwd text (first entry wins, as getpwuid does). */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split(':');
    const uid = Number(f[2]);
    if (f[0] && f.length >= 3 && f[2] !== '' && Number.isInteger(uid) && !users.has(uid)) users.set(uid, f[0]);
  }
  return users;
}

export const PASSWD_NEED: RawRequest = { op: 'read', path: '/etc/passwd' };

/** Names are decoration; uids still identify owners, so an unreadable /etc/passwd is no error. */
export function usersOf(raw: RawView): Map<number, string> {
  const text = raw.read('/etc/passwd');
  return typeof text === 'string' ? parsePasswd(text) : new Map();
}
