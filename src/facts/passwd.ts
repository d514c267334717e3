// User names for uids, read once per collection run: socket owners and process limits both want them.
import type { Transport } from '../transport/types.js';

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

// One read per transport (one transport per collection run).
const usersByTransport = new WeakMap<Transport, Promise<Map<number, string>>>();

export function readUsers(t: Transport): Promise<Map<number, string>> {
  let users = usersByTransport.get(t);
  if (!users) {
    // Names are decoration; uids still identify owners. (A transport that throws instead of rejecting is caught too.)
    users = Promise.resolve()
      .then(() => t.readFile('/etc/passwd'))
      .then(parsePasswd, () => new Map<number, string>());
    usersByTransport.set(t, users);
  }
  return users;
}

