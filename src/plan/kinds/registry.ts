// What each check kind asks of the plan: the one list of planners, keyed by the policy's kinds (a kind
// without a planner does not compile).
import type { CheckOf, SelectorName } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { plan as sysctl } from './sysctl.js';
import { plan as limits } from './limits.js';
import { plan as listener } from './listener.js';
import { plan as listeners } from './listeners.js';
import { plan as tcpStates } from './tcp-states.js';
import { plan as netstat } from './netstat.js';
import { plan as iface } from './interface.js';
import { plan as route } from './route.js';
import { plan as neighbour } from './neighbour.js';
import { plan as icmp } from './icmp.js';
import { plan as mtu } from './mtu.js';
import { plan as firewall } from './firewall.js';
import { plan as conntrack } from './conntrack.js';
import { plan as tcp } from './tcp.js';
import { plan as dns } from './dns.js';
import { plan as http } from './http.js';
import { plan as tls } from './tls.js';
import { plan as tlsListeners } from './tls-listeners.js';
import { plan as certificate } from './certificate.js';

export const PLANNERS: { [K in SelectorName]: (c: CheckOf<K>, p: PlanBuilder) => void } = {
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
