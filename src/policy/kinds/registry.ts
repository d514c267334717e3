// The check kinds of the policy language: the one list of them for the policy stage. A kind's module holds its
// selector and expectation schema and how its selector reads once validated; SELECTORS, AREA_OF and the
// schema's selectors all come from here. Plan, evaluate and the HTML appendix have a registry each, keyed by
// these names (docs/architecture.md, "Adding a check kind").
import { kind as sysctl } from './sysctl.js';
import { kind as limits } from './limits.js';
import { kind as listener } from './listener.js';
import { kind as listeners } from './listeners.js';
import { kind as tcpStates } from './tcp-states.js';
import { kind as netstat } from './netstat.js';
import { kind as iface } from './interface.js';
import { kind as route } from './route.js';
import { kind as neighbour } from './neighbour.js';
import { kind as icmp } from './icmp.js';
import { kind as mtu } from './mtu.js';
import { kind as firewall } from './firewall.js';
import { kind as conntrack } from './conntrack.js';
import { kind as tcp } from './tcp.js';
import { kind as dns } from './dns.js';
import { kind as http } from './http.js';
import { kind as tls } from './tls.js';
import { kind as tlsListeners } from './tls-listeners.js';
import { kind as certificate } from './certificate.js';
import type { Static } from 'typebox';
import type { PolicyKind } from './kit.js';

/** In the order messages and the schema list them. */
export const KINDS = {
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
} satisfies Record<string, PolicyKind>;

export type SelectorName = keyof typeof KINDS;
export const SELECTORS = Object.keys(KINDS) as SelectorName[];

type Schema<K extends SelectorName> = ReturnType<(typeof KINDS)[K]['schema']>;
/** A kind's expectation as written (validated, `${var}`s replaced). */
export type ExpectOf<K extends SelectorName> = Static<Schema<K>['expect']>;
/** A kind's selector as plan and evaluate read it. */
export type SelectorOf<K extends SelectorName> = ReturnType<(typeof KINDS)[K]['selector']>;
