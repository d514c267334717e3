// Every part of a host `init --from-host` captures, in the order the file lists them.
import { firewallCapturer } from './kinds/firewall.js';
import { limitsCapturer } from './kinds/limits.js';
import { listenersCapturer } from './kinds/listeners.js';
import { sysctlCapturer } from './kinds/sysctl.js';
import { tlsListenersCapturer } from './kinds/tls-listeners.js';
import type { Capturer } from './model.js';

export const CAPTURERS: readonly Capturer[] = [sysctlCapturer, listenersCapturer, limitsCapturer, firewallCapturer, tlsListenersCapturer];
