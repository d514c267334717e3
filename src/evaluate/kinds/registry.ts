// How each check kind is judged: the one list of evaluators, keyed by the policy's kinds (a kind without an
// evaluator does not compile). Each gets its check typed by its kind: selector and expectation.
import type { CheckOf, SelectorName } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import type { Outcome } from '../outcome.js';
import { evaluate as sysctl } from './sysctl.js';
import { evaluate as limits } from './limits.js';
import { evaluate as listener } from './listener.js';
import { evaluate as listeners } from './listeners.js';
import { evaluate as tcpStates } from './tcp-states.js';
import { evaluate as netstat } from './netstat.js';
import { evaluate as iface } from './interface.js';
import { evaluate as route } from './route.js';
import { evaluate as neighbour } from './neighbour.js';
import { evaluate as icmp } from './icmp.js';
import { evaluate as mtu } from './mtu.js';
import { evaluate as firewall } from './firewall.js';
import { evaluate as conntrack } from './conntrack.js';
import { evaluate as tcp } from './tcp.js';
import { evaluate as dns } from './dns.js';
import { evaluate as http } from './http.js';
import { evaluate as tls } from './tls.js';
import { evaluate as tlsListeners } from './tls-listeners.js';
import { evaluate as certificate } from './certificate.js';

export const EVALUATORS: { [K in SelectorName]: (c: CheckOf<K>, facts: FactsSnapshot) => Outcome } = {
  sysctl,
  limits,
  listener,
  listeners,
  tcpStates,
  netstat,
  interface: iface,
  route,
  neighbour,
  icmp,
  mtu,
  firewall,
  conntrack,
  tcp,
  dns,
  http,
  tls,
  tlsListeners,
  certificate,
};
