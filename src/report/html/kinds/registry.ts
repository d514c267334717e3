// How check kinds show the facts they are judged on, in the HTML appendix: the one list, keyed by the
// policy's kinds. A kind that reads a family no table suits better (probes, certificate files) has none, and
// its family is read generically; a family several kinds read (sockets) has its reading in one of them.
import type { SelectorName } from '../../../policy/model.js';
import type { FactReading } from '../fact-html.js';
import { reading as sysctl } from './sysctl.js';
import { reading as limits } from './limits.js';
import { reading as listener } from './listener.js';
import { reading as netstat } from './netstat.js';
import { reading as iface } from './interface.js';
import { reading as route } from './route.js';
import { reading as firewall } from './firewall.js';
import { reading as neighbour } from './neighbour.js';
import { reading as icmp } from './icmp.js';

export const FACT_READINGS: { [K in SelectorName]?: FactReading } = {
  sysctl,
  limits,
  listener,
  netstat,
  interface: iface,
  route,
  firewall,
  neighbour,
  icmp,
};
