// Every selector, judged against real facts snapshots captured from test hosts (fixtures/snapshots/, written by
// scripts/capture-snapshots.mjs; see fixtures/README.md). Pure: policy files and snapshots in, results out.
//   good: 127.0.0.1:6379 pl-redis + [::1]:9200 pl-elastic (both nobody, nofile 20000), nft inet drop, eth0 MTU 1500
//   bad:  0.0.0.0:6379 + [::]:9200 dual-stack + udp 0.0.0.0:11211 (root, nofile 1024:4096), no firewall, only lo,
//         110 CLOSE_WAIT
//   edge: sshd pair 0.0.0.0:22 + [::]:22 v6only, dual-stack [::]:8080 (root) and [::]:9200 (nobody), v6only [::1]:5432,
//         pair 0.0.0.0:8443 + [::]:8443 v6only, 198.19.202.2:8081, udp 0.0.0.0:5353, [::]:5355 dual-stack,
//         127.0.0.1:11211; ufw-like iptables (v4 drop) + ip6tables (input accept ending in REJECT, forward accept);
//         eth0 MTU 1400 with v4 and v6 default routes; 25 CLOSE_WAIT; listen overflows and retransmissions.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormatsNs from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { evaluateWorded as evaluate } from '../../helpers/worded.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';
import type { ResolvedPolicy } from '../../../src/policy/model.js';
import type { WordedResult as Result } from '../../helpers/worded.js';
import { ensureValidators } from '../policy/helpers.js';

// ajv-formats is CommonJS with a default export: Node hands over module.exports, bundlers may unwrap it.
const addFormats: FormatsPlugin =
  (ajvFormatsNs as unknown as { default?: FormatsPlugin & { default?: FormatsPlugin } }).default?.default ??
  (ajvFormatsNs as unknown as { default?: FormatsPlugin }).default ??
  (ajvFormatsNs as unknown as FormatsPlugin);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NOW = new Date('2026-11-25T00:00:00Z');
const HOSTS = ['good', 'bad', 'edge'] as const;
type Host = (typeof HOSTS)[number];

const snap = {} as Record<Host, FactsSnapshot>;
const results = { baseline: {}, all: {} } as Record<'baseline' | 'all', Record<Host, Map<string, Result>>>;
let allSelectors: ResolvedPolicy;

function loadSnapshot(host: Host): FactsSnapshot {
  return JSON.parse(readFileSync(`${ROOT}fixtures/snapshots/${host}.json`, 'utf8')) as FactsSnapshot;
}

/** The pid of the process with this comm in a snapshot: pids differ per capture, names do not. */
function pid(host: Host, comm: string): number {
  const procs = snap[host].processes;
  if (!procs || 'error' in procs) throw new Error(`${host}: no processes family`);
  const p = procs.processes.find((x) => x.comm === comm);
  if (!p) throw new Error(`${host}: no process ${comm}`);
  return p.pid;
}

function r(policy: 'baseline' | 'all', host: Host, id: string): Result {
  const x = results[policy][host].get(id);
  if (!x) throw new Error(`no result ${id} for ${policy} on ${host}`);
  return x;
}

/** status, expected, actual, message of one result. */
function sem(x: Result): { status: string; expected: string; actual: string; message: string } {
  return { status: x.status, expected: x.expected, actual: x.actual, message: x.message };
}

beforeAll(async () => {
  ensureValidators();
  const { resolvePolicy } = await import('../../../src/policy/resolve.js');
  const opts = { builtinDir: `${ROOT}policies`, cwd: ROOT };
  const policies: Record<'baseline' | 'all', ResolvedPolicy> = {
    baseline: resolvePolicy(['builtin:baseline'], opts),
    all: resolvePolicy(['fixtures/snapshots/all-selectors.yaml'], opts),
  };
  allSelectors = policies.all;
  for (const h of HOSTS) {
    snap[h] = loadSnapshot(h);
    for (const p of ['baseline', 'all'] as const) results[p][h] = new Map(evaluate(policies[p], snap[h], NOW).map((x) => [x.id, x]));
  }
});

describe('the captured snapshots', () => {
  it('follow schemas/facts.schema.json and hold every family both policies need', () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(`${ROOT}schemas/facts.schema.json`, 'utf8')));
    for (const h of HOSTS) {
      expect(validate(snap[h]), `${h}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(Object.keys(snap[h]).sort()).toEqual([
        'firewall',
        'host',
        'icmp',
        'interfaces',
        'ipv6',
        'neighbours',
        'netstat',
        'processes',
        'routes',
        'schema',
        'sockets',
        'sysctl',
        'timings',
        'tlsListeners',
      ]);
    }
  });

  it('judge the built-in baseline like test/integration/baseline.test.ts does on the live hosts', () => {
    const statuses = (h: Host) => Object.fromEntries([...results.baseline[h].values()].map((x) => [x.id, x.status]));
    const good = statuses('good');
    expect(Object.values(good).filter((s) => s !== 'pass' && s !== 'skip')).toEqual([]);
    expect(statuses('bad')).toMatchObject({
      'kernel.somaxconn': 'fail',
      'kernel.source-route': 'pass',
      'limits.listeners-nofile': 'fail',
      'listen.redis': 'fail',
      'listen.memcached-udp': 'fail',
      'listen.elasticsearch': 'fail',
      'listen.not-root': 'fail',
      'firewall.input': 'fail',
      'firewall.forward': 'fail',
      'tcp.close-wait': 'fail',
      'net.interface-errors': 'skip',
      'net.default-route': 'fail',
      // No default route: no gateway to resolve, said as a skip.
      'net.gateway-neighbour': 'skip',
    });
  });
});

describe('sysctl', () => {
  it('compares numerically and says the key, the value and the bound', () => {
    expect(sem(r('baseline', 'bad', 'kernel.somaxconn'))).toEqual({
      status: 'fail',
      expected: '>= 4096',
      actual: '128',
      message: 'net.core.somaxconn is 128, not >= 4096',
    });
    expect(sem(r('baseline', 'edge', 'kernel.somaxconn'))).toEqual({
      status: 'pass',
      expected: '>= 4096',
      actual: '4096',
      message: 'net.core.somaxconn = 4096',
    });
  });

  it('compares multi-value sysctls element-wise and by index', () => {
    expect(sem(r('baseline', 'edge', 'kernel.ephemeral-ports'))).toEqual({
      status: 'fail',
      expected: '>= 1024 60999 and <= 15000 65535',
      actual: '32768 60999',
      message: 'net.ipv4.ip_local_port_range is 32768 60999, not <= 15000 65535',
    });
    expect(sem(r('baseline', 'good', 'kernel.ephemeral-ports')).status).toBe('pass');
    expect(sem(r('all', 'edge', 'all.port-range-first'))).toEqual({
      status: 'pass',
      expected: '[0] <= 32768',
      actual: '32768 60999',
      message: 'net.ipv4.ip_local_port_range = 32768 60999',
    });
  });

  it('skips a key the kernel does not have, with the collector’s reason', () => {
    expect(sem(r('all', 'good', 'all.missing-sysctl'))).toEqual({
      status: 'skip',
      expected: '1',
      actual: '(absent)',
      message: 'no interface plnosuch0 on this host (in this network namespace)',
    });
  });

  it('accepts any listed value', () => {
    expect(sem(r('baseline', 'edge', 'kernel.syncookies'))).toEqual({
      status: 'pass',
      expected: 'one of 1, 2',
      actual: '2',
      message: 'net.ipv4.tcp_syncookies = 2',
    });
    expect(r('baseline', 'bad', 'kernel.syncookies').message).toBe('net.ipv4.tcp_syncookies is 0, not one of 1, 2');
  });
});

describe('listener', () => {
  const DUAL = '[::]:9200 (pl-elastic; dual-stack: IPv4 too)';

  it('bind loopback: 127.0.0.1 passes, 0.0.0.0 fails', () => {
    expect(sem(r('all', 'good', 'all.redis-loopback'))).toEqual({
      status: 'pass',
      expected: 'bound to loopback only',
      actual: '127.0.0.1:6379 (pl-redis)',
      message: 'tcp/6379: 127.0.0.1:6379 (pl-redis)',
    });
    expect(sem(r('all', 'bad', 'all.redis-loopback'))).toEqual({
      status: 'fail',
      expected: 'bound to loopback only',
      actual: '0.0.0.0:6379 (pl-redis)',
      message: 'tcp/6379 listens beyond loopback: 0.0.0.0:6379 (pl-redis)',
    });
  });

  it('bind specific: a dual-stack [::] socket counts as a wildcard for IPv4 too; [::1] is specific', () => {
    expect(sem(r('baseline', 'bad', 'listen.elasticsearch'))).toEqual({
      status: 'fail',
      expected: 'bound to specific addresses, not all interfaces',
      actual: DUAL,
      message: `tcp/9200 listens on all interfaces: ${DUAL}`,
    });
    expect(sem(r('baseline', 'good', 'listen.elasticsearch'))).toMatchObject({ status: 'pass', actual: '[::1]:9200 (pl-elastic)' });
    expect(sem(r('baseline', 'edge', 'listen.postgres'))).toMatchObject({ status: 'pass', actual: '[::1]:5432 (pl-postgres)' });
  });

  it('bind any: the dual-stack wildcard passes, [::1] fails', () => {
    expect(sem(r('all', 'edge', 'all.elastic-any'))).toEqual({
      status: 'pass',
      expected: 'bound to all interfaces',
      actual: DUAL,
      message: `tcp/9200: ${DUAL}`,
    });
    expect(sem(r('all', 'good', 'all.elastic-any'))).toEqual({
      status: 'fail',
      expected: 'bound to all interfaces',
      actual: '[::1]:9200 (pl-elastic)',
      message: 'tcp/9200 does not listen on all interfaces: [::1]:9200 (pl-elastic)',
    });
  });

  it('bind list: ["*"] matches a dual-stack [::] socket, ["0.0.0.0"] does not (it takes IPv6 too)', () => {
    expect(sem(r('all', 'bad', 'all.elastic-bind-star'))).toEqual({ status: 'pass', expected: 'bound only to *', actual: DUAL, message: `tcp/9200: ${DUAL}` });
    expect(sem(r('all', 'bad', 'all.elastic-bind-v4'))).toEqual({
      status: 'fail',
      expected: 'bound only to 0.0.0.0',
      actual: DUAL,
      message: `tcp/9200 listens outside 0.0.0.0: ${DUAL}`,
    });
    expect(sem(r('all', 'good', 'all.redis-bind-list'))).toMatchObject({ status: 'pass', expected: 'bound only to 127.0.0.1' });
    expect(sem(r('all', 'bad', 'all.redis-bind-list'))).toEqual({
      status: 'fail',
      expected: 'bound only to 127.0.0.1',
      actual: '0.0.0.0:6379 (pl-redis)',
      message: 'tcp/6379 listens outside 127.0.0.1: 0.0.0.0:6379 (pl-redis)',
    });
  });

  // `bind: [list]` is where the service may listen ("bound only to"), not a set it must cover: redis on 127.0.0.1
  // passes `bind: [127.0.0.1, ::1]` (redis.conf's own `bind 127.0.0.1 -::1`). `present: true` says it must listen.
  it('bind list: a listener on a subset of the allowed addresses passes (documented as "allowed addresses")', () => {
    expect(r('all', 'good', 'all.redis-bind-list-two')).toMatchObject({ status: 'pass', expected: 'bound only to 127.0.0.1, ::1' });
  });

  it('bind absent passes when nothing listens; present:false fails when something does', () => {
    expect(sem(r('all', 'edge', 'all.telnet-absent'))).toEqual({
      status: 'pass',
      expected: 'not listening',
      actual: 'nothing listening',
      message: 'nothing listens on tcp/23',
    });
    expect(sem(r('all', 'good', 'all.redis-absent'))).toEqual({
      status: 'fail',
      expected: 'not listening',
      actual: '127.0.0.1:6379 (pl-redis)',
      message: 'tcp/6379 is listening: 127.0.0.1:6379 (pl-redis)',
    });
  });

  it('present:true and bind any fail with nothing listening; bind specific/loopback then skip', () => {
    expect(sem(r('all', 'good', 'all.ssh-present'))).toEqual({
      status: 'fail',
      expected: 'listening',
      actual: 'nothing listening',
      message: 'nothing listens on tcp/22',
    });
    expect(sem(r('all', 'bad', 'all.mdns-udp'))).toEqual({
      status: 'fail',
      expected: 'bound to all interfaces',
      actual: 'nothing listening',
      message: 'nothing listens on udp/5353',
    });
    expect(sem(r('all', 'good', 'all.postgres-specific'))).toEqual({
      status: 'skip',
      expected: 'bound to specific addresses, not all interfaces, user nobody',
      actual: 'nothing listening',
      message: 'nothing listens on tcp/5432; the restriction has nothing to apply to',
    });
    expect(sem(r('all', 'edge', 'all.ssh-present'))).toEqual({
      status: 'pass',
      expected: 'listening',
      actual: '0.0.0.0:22 (pl-sshd), [::]:22 (pl-sshd6)',
      message: 'tcp/22: 0.0.0.0:22 (pl-sshd), [::]:22 (pl-sshd6)',
    });
  });

  it('a v6only [::] socket is not marked dual-stack', () => {
    const l = r('all', 'edge', 'all.ssh-present').actual;
    expect(l).not.toContain('dual-stack');
  });

  it('user and process matchers use the owning process (real uid, comm)', () => {
    expect(sem(r('all', 'edge', 'all.redis-user'))).toEqual({
      status: 'pass',
      expected: 'user nobody, process matches /^pl-redis$/',
      actual: '127.0.0.1:6379 (pl-redis)',
      message: 'tcp/6379: 127.0.0.1:6379 (pl-redis)',
    });
    expect(sem(r('all', 'bad', 'all.redis-user'))).toEqual({
      status: 'fail',
      expected: 'user nobody, process matches /^pl-redis$/',
      actual: '0.0.0.0:6379 (pl-redis)',
      message: '0.0.0.0:6379 runs as root',
    });
  });

  it('UDP listeners are judged separately from TCP', () => {
    expect(sem(r('all', 'edge', 'all.memcached-udp-loopback'))).toMatchObject({ status: 'pass', actual: '127.0.0.1:11211 (pl-memcached)' });
    expect(sem(r('baseline', 'bad', 'listen.memcached-udp'))).toMatchObject({ status: 'fail', actual: '0.0.0.0:11211 (pl-memcached)' });
    expect(r('baseline', 'bad', 'listen.memcached').status).toBe('skip');
  });

  it('a port given as ${var} resolves to the number, and the check finds the listener on it', () => {
    const check = allSelectors.checks.find((c) => c.id === 'all.redis-loopback')!;
    expect(check.selector).toEqual({ kind: 'listener', spec: { port: 6379, protocol: 'tcp' } });
    expect(sem(r('all', 'good', 'all.redis-loopback'))).toMatchObject({ status: 'pass', actual: '127.0.0.1:6379 (pl-redis)' });
  });
});

describe('listeners (allow-lists and users)', () => {
  const detail = (x: Result, subjectStart: string) => x.details?.find((d) => d.subject.startsWith(subjectStart));

  it('"*:9200" covers a dual-stack [::]:9200', () => {
    const x = r('all', 'bad', 'all.allow-star');
    expect(detail(x, 'tcp [::]:9200')).toEqual({ subject: 'tcp [::]:9200 (pl-elastic; dual-stack: IPv4 too)', status: 'pass', actual: 'user root' });
    expect(sem(x)).toEqual({
      status: 'fail',
      expected: 'only 22, 5432, 8080, 8443, 127.0.0.1:6379, *:9200',
      actual: '0.0.0.0:6379 (pl-redis), [::]:9200 (pl-elastic; dual-stack: IPv4 too)',
      message: 'tcp 0.0.0.0:6379 (pl-redis): not in the allow-list',
    });
  });

  it('"0.0.0.0:9200" alone does not cover a dual-stack [::]:9200, nor does "[::]:9200" alone', () => {
    for (const id of ['all.allow-v4', 'all.allow-v6']) {
      expect(detail(r('all', 'edge', id), 'tcp [::]:9200'), id).toMatchObject({
        subject: 'tcp [::]:9200 (pl-elastic; dual-stack: IPv4 too)',
        status: 'fail',
        actual: 'not in the allow-list',
      });
    }
    expect(r('all', 'edge', 'all.allow-v4').message).toBe(
      'tcp 198.19.202.2:8081 (pl-admin): not in the allow-list; tcp [::]:9200 (pl-elastic; dual-stack: IPv4 too): not in the allow-list',
    );
  });

  // Coverage is per address across entries: each address a socket accepts on needs some entry for its port.
  it('"[::]:9200" plus "0.0.0.0:9200" together cover a dual-stack [::]:9200', () => {
    expect(detail(r('all', 'edge', 'all.allow-both'), 'tcp [::]:9200')).toEqual({
      subject: 'tcp [::]:9200 (pl-elastic; dual-stack: IPv4 too)',
      status: 'pass',
      actual: 'user nobody',
    });
  });

  it('address:port entries match exactly; a bare port allows every address', () => {
    const x = r('all', 'edge', 'all.allow-exact');
    expect(x.details?.map((d) => `${d.status} ${d.subject}`)).toEqual([
      'pass tcp 0.0.0.0:22 (pl-sshd)',
      'fail tcp [::]:22 (pl-sshd6)',
      'pass tcp [::1]:5432 (pl-postgres)',
      'pass tcp 127.0.0.1:6379 (pl-redis)',
      'fail tcp [::]:8080 (pl-app; dual-stack: IPv4 too)',
      'fail tcp 198.19.202.2:8081 (pl-admin)',
      'pass tcp 0.0.0.0:8443 (pl-web)',
      'pass tcp [::]:8443 (pl-web6)',
      'fail tcp [::]:9200 (pl-elastic; dual-stack: IPv4 too)',
    ]);
    // "*:9200" also covers the v6only [::]:22 through the bare port 22.
    expect(detail(r('all', 'edge', 'all.allow-star'), 'tcp [::]:22')?.status).toBe('pass');
    expect(r('all', 'good', 'all.allow-exact')).toMatchObject({ status: 'pass', message: '2 listener(s) conform' });
  });

  it('filters by protocol: the UDP allow-list sees only UDP sockets', () => {
    const x = r('all', 'edge', 'all.allow-udp');
    expect(sem(x)).toEqual({
      status: 'fail',
      expected: 'only 127.0.0.1:11211, 5353',
      actual: '0.0.0.0:5353 (pl-mdns), [::]:5355 (pl-llmnr; dual-stack: IPv4 too), 127.0.0.1:11211 (pl-memcached)',
      message: 'udp [::]:5355 (pl-llmnr; dual-stack: IPv4 too): not in the allow-list',
    });
    expect(sem(r('all', 'good', 'all.allow-udp'))).toEqual({
      status: 'pass',
      expected: 'only 127.0.0.1:11211, 5353',
      actual: 'nothing listening',
      message: '0 listener(s) conform',
    });
  });

  it('user: every listener of every protocol, by the owning process’s real uid', () => {
    const x = r('all', 'edge', 'all.listeners-not-root');
    expect(x.status).toBe('fail');
    expect(x.expected).toBe("every listener's user not root");
    expect(x.details?.filter((d) => d.status === 'fail').map((d) => d.subject)).toEqual([
      'tcp 0.0.0.0:22 (pl-sshd)',
      'tcp [::]:22 (pl-sshd6)',
      'tcp [::]:8080 (pl-app; dual-stack: IPv4 too)',
      'tcp 198.19.202.2:8081 (pl-admin)',
      'udp 0.0.0.0:5353 (pl-mdns)',
      'udp [::]:5355 (pl-llmnr; dual-stack: IPv4 too)',
    ]);
    expect(detail(x, 'udp 127.0.0.1:11211')).toEqual({ subject: 'udp 127.0.0.1:11211 (pl-memcached)', status: 'pass', actual: 'user nobody' });
  });

  it('unprivileged: ports below ip_unprivileged_port_start (1024) are left out; allow-list and user combine', () => {
    const x = r('baseline', 'edge', 'listen.not-root');
    expect(x.actual).not.toContain(':22 ');
    expect(sem(x)).toMatchObject({
      status: 'fail',
      message: 'tcp [::]:8080 (pl-app; dual-stack: IPv4 too): runs as root; tcp 198.19.202.2:8081 (pl-admin): runs as root',
    });
    expect(detail(r('all', 'edge', 'all.unprivileged-nobody'), 'tcp 198.19.202.2:8081')).toMatchObject({
      subject: 'tcp 198.19.202.2:8081 (pl-admin)',
      status: 'fail',
      actual: 'not in the allow-list; runs as root',
    });
    expect(r('all', 'good', 'all.unprivileged-nobody')).toMatchObject({
      status: 'pass',
      expected: "only 5432, 6379, 8080, 8443, 9200; every listener's user nobody",
    });
  });
});

describe('limits', () => {
  it('by process name: soft and hard, each reason in the detail', () => {
    const p = pid('bad', 'pl-redis');
    expect(sem(r('all', 'bad', 'all.limits-redis'))).toEqual({
      status: 'fail',
      expected: 'soft nofile >= 16384, hard nofile >= 16384',
      actual: `pl-redis[${p}]: soft 1024, hard 4096 (soft is 1024, not >= 16384; hard is 4096, not >= 16384)`,
      message: `1 of 1 processes fail: pl-redis[${p}]`,
    });
    expect(sem(r('all', 'edge', 'all.limits-redis'))).toEqual({
      status: 'pass',
      expected: 'soft nofile >= 16384, hard nofile >= 16384',
      actual: `pl-redis[${pid('edge', 'pl-redis')}]: soft 16384, hard 16384`,
      message: 'process "pl-redis": 1 process(es) within limits',
    });
    expect(sem(r('all', 'good', 'all.limits-hard-cap'))).toMatchObject({
      status: 'fail',
      expected: 'hard nofile <= 4096',
      message: `1 of 1 processes fail: pl-elastic[${pid('good', 'pl-elastic')}]`,
    });
  });

  it('a process, pidfile or port with nothing behind it is an error with the reason, not a pass', () => {
    expect(sem(r('all', 'good', 'all.limits-no-such-process'))).toEqual({
      status: 'error',
      expected: 'soft nofile >= 1024',
      actual: '(not collected)',
      message: 'no running process named "pl-nosuch"',
    });
    expect(sem(r('all', 'edge', 'all.limits-pidfile'))).toEqual({
      status: 'error',
      expected: 'soft nofile >= 1024',
      actual: '(not collected)',
      message: 'pidfile /run/plumbline-fixture-nosuch.pid: not found',
    });
    expect(sem(r('all', 'edge', 'all.limits-port-27017'))).toEqual({
      status: 'error',
      expected: 'soft nofile >= 65536',
      actual: '(not collected)',
      message: 'nothing listens on port 27017',
    });
  });

  it('by port: the process owning the listener on that port (a dual-stack socket too)', () => {
    const p = pid('edge', 'pl-elastic');
    expect(sem(r('all', 'edge', 'all.limits-port-9200'))).toEqual({
      status: 'pass',
      expected: 'soft nofile >= 16384',
      actual: `pl-elastic[${p}]: soft 20000, hard 20000`,
      message: 'the process listening on port 9200: 1 process(es) within limits',
    });
  });

  it('listening: every process owning a listener, UDP included; unlimited compares as infinity', () => {
    const x = r('all', 'bad', 'all.limits-listening-cpu');
    expect(sem(x)).toEqual({
      status: 'pass',
      expected: 'soft cpu unlimited, hard cpu >= 3600',
      actual: ['pl-redis', 'pl-elastic', 'pl-memcached'].map((c) => `${c}[${pid('bad', c)}]: soft unlimited, hard unlimited`).join('; '),
      message: 'listening processes: 3 process(es) within limits',
    });
    const core = r('all', 'good', 'all.limits-listening-core');
    expect(core.status).toBe('fail');
    expect(core.details?.[0]).toMatchObject({
      subject: `pl-redis[${pid('good', 'pl-redis')}]`,
      status: 'fail',
      actual: 'soft 0, hard unlimited (soft is 0, not unlimited)',
    });
    expect(core.details).toHaveLength(2);
  });

  it('the baseline names the failing processes and keeps the passing ones in the details', () => {
    const x = r('baseline', 'edge', 'limits.listeners-nofile');
    expect(x.message).toBe(`2 of 12 processes fail: pl-postgres[${pid('edge', 'pl-postgres')}], pl-app[${pid('edge', 'pl-app')}]`);
    // More than three items: actual is a count; the items are in the details (and listed by the renderers).
    expect(x.actual).toBe('12 processes: 10 pass, 2 fail');
    expect(x.details?.filter((d) => d.status === 'pass')).toHaveLength(10);
  });
});

describe('tcpStates', () => {
  it('counts CLOSE_WAIT (and the other states) from the snapshot', () => {
    expect(sem(r('baseline', 'bad', 'tcp.close-wait'))).toEqual({
      status: 'fail',
      expected: 'CLOSE_WAIT <= 100',
      actual: 'CLOSE_WAIT 110',
      message: 'CLOSE_WAIT is 110, not <= 100',
    });
    expect(sem(r('baseline', 'edge', 'tcp.close-wait'))).toEqual({
      status: 'pass',
      expected: 'CLOSE_WAIT <= 100',
      actual: 'CLOSE_WAIT 25',
      message: 'CLOSE_WAIT 25',
    });
    expect(sem(r('all', 'good', 'all.tcp-states'))).toEqual({
      status: 'pass',
      expected: 'CLOSE_WAIT <= 10, LISTEN >= 1, ESTABLISHED between 0 and 1000, SYN_RECV 0',
      actual: 'CLOSE_WAIT 0, LISTEN 2, ESTABLISHED 0, SYN_RECV 0',
      message: 'CLOSE_WAIT 0, LISTEN 2, ESTABLISHED 0, SYN_RECV 0',
    });
    expect(r('all', 'edge', 'all.tcp-states').actual).toBe('CLOSE_WAIT 25, LISTEN 9, ESTABLISHED 14, SYN_RECV 0');
  });
});

describe('netstat', () => {
  it('derives RetransRatio = Tcp.RetransSegs / Tcp.OutSegs and ListenOverflowRatio = ListenOverflows / PassiveOpens', () => {
    const n = snap.edge.netstat as Record<string, Record<string, number>>;
    const retrans = n.Tcp!.RetransSegs! / n.Tcp!.OutSegs!;
    const overflow = n.TcpExt!.ListenOverflows! / n.Tcp!.PassiveOpens!;
    expect(retrans).toBeGreaterThan(0.02);
    // Non-integers show with four significant digits, in actual and in the message alike.
    expect(retrans).toBeCloseTo(0.1304, 4);
    expect(overflow).toBeCloseTo(0.7059, 4);
    expect(sem(r('all', 'edge', 'all.retrans-ratio'))).toEqual({
      status: 'fail',
      expected: '<= 0.02',
      actual: '0.1304',
      message: 'RetransRatio is 0.1304, not <= 0.02',
    });
    expect(sem(r('baseline', 'edge', 'tcp.listen-overflows'))).toEqual({
      status: 'fail',
      expected: '<= 0.001',
      actual: '0.7059',
      message: 'ListenOverflowRatio is 0.7059, not <= 0.001',
    });
  });

  it('a ratio over a zero denominator is 0, not NaN', () => {
    const n = snap.good.netstat as Record<string, Record<string, number>>;
    expect(n.Tcp!.OutSegs).toBe(0);
    expect(sem(r('all', 'good', 'all.retrans-ratio'))).toEqual({ status: 'pass', expected: '<= 0.02', actual: '0', message: 'RetransRatio = 0' });
    expect(sem(r('all', 'good', 'all.overflow-ratio'))).toEqual({ status: 'pass', expected: '<= 0.001', actual: '0', message: 'ListenOverflowRatio = 0' });
  });

  it('plain names prefer TcpExt; Section.Counter picks the section', () => {
    expect(sem(r('all', 'edge', 'all.listen-overflows'))).toEqual({ status: 'fail', expected: '0', actual: '24', message: 'ListenOverflows is 24, not 0' });
    expect(sem(r('all', 'edge', 'all.listen-drops'))).toEqual({
      status: 'fail',
      expected: '<= 0',
      actual: '24',
      message: 'TcpExt.ListenDrops is 24, not <= 0',
    });
    expect(sem(r('all', 'bad', 'all.passive-opens'))).toEqual({ status: 'pass', expected: '>= 1', actual: '110', message: 'Tcp.PassiveOpens = 110' });
  });

  it('an ambiguous or unknown counter is an error that says what to write instead', () => {
    expect(sem(r('all', 'edge', 'all.netstat-ambiguous'))).toEqual({
      status: 'error',
      expected: '0',
      actual: '(not collected)',
      message: 'netstat counter "InErrors" is ambiguous; name the section: Icmp.InErrors, Udp.InErrors, UdpLite.InErrors',
    });
    expect(sem(r('all', 'edge', 'all.netstat-unknown'))).toMatchObject({ status: 'error', message: 'unknown netstat counter "TcpExt.PlNoSuchCounter"' });
  });
});

describe('interface', () => {
  it('by name: up and mtu', () => {
    expect(sem(r('all', 'good', 'all.if-eth0'))).toEqual({
      status: 'pass',
      expected: 'up true, mtu >= 1500',
      actual: 'eth0: up true, mtu 1500',
      message: 'eth0: up true, mtu 1500',
    });
    expect(sem(r('all', 'edge', 'all.if-eth0'))).toEqual({
      status: 'fail',
      expected: 'up true, mtu >= 1500',
      actual: 'eth0: up true, mtu 1400 (mtu is 1400, not >= 1500)',
      message: 'eth0: up true, mtu 1400 (mtu is 1400, not >= 1500)',
    });
    expect(sem(r('all', 'bad', 'all.if-eth0'))).toEqual({
      status: 'fail',
      expected: 'up true, mtu >= 1500',
      actual: 'absent',
      message: 'interface eth0 does not exist',
    });
  });

  it('loopback reports operstate unknown but counts as up', () => {
    expect(sem(r('all', 'bad', 'all.if-lo'))).toEqual({
      status: 'pass',
      expected: 'up true, state unknown, carrier true',
      actual: 'lo: up true, state unknown, carrier true',
      message: 'lo: up true, state unknown, carrier true',
    });
  });

  it('"*": every non-loopback interface, with error/drop ratios; skip when there is only lo', () => {
    expect(sem(r('all', 'good', 'all.if-every'))).toEqual({
      status: 'pass',
      expected: 'up true, mtu >= 1500, rx_error_ratio <= 0.001, tx_drop_ratio <= 0.01',
      actual: 'eth0: up true, mtu 1500, rx_error_ratio 0, tx_drop_ratio 0; pl-in0: up true, mtu 1500, rx_error_ratio 0, tx_drop_ratio 0',
      message: 'all 2 interfaces pass',
    });
    expect(sem(r('all', 'bad', 'all.if-every'))).toEqual({
      status: 'skip',
      expected: 'up true, mtu >= 1500, rx_error_ratio <= 0.001, tx_drop_ratio <= 0.01',
      actual: 'no interfaces besides loopback',
      message: 'no non-loopback interface on this host',
    });
    expect(sem(r('baseline', 'bad', 'net.interface-errors')).status).toBe('skip');
    expect(r('all', 'edge', 'all.if-every').details).toMatchObject([
      { subject: 'eth0', status: 'fail', actual: 'up true, mtu 1400, rx_error_ratio 0, tx_drop_ratio 0 (mtu is 1400, not >= 1500)' },
      { subject: 'pl-in0', status: 'fail', actual: 'up true, mtu 1400, rx_error_ratio 0, tx_drop_ratio 0 (mtu is 1400, not >= 1500)' },
    ]);
  });
});

describe('route', () => {
  it('default: dev and via matchers; default6 only counts IPv6', () => {
    expect(sem(r('all', 'good', 'all.route-default'))).toEqual({
      status: 'pass',
      expected: 'dev eth0',
      actual: 'default via 198.19.201.1 dev eth0 (table main, rule 32766: from all lookup main)',
      message: 'default via 198.19.201.1 dev eth0 (table main, rule 32766: from all lookup main)',
    });
    expect(sem(r('all', 'edge', 'all.route-default-via'))).toMatchObject({
      status: 'pass',
      actual: 'default via 198.19.202.1 dev eth0 (table main, rule 32766: from all lookup main)',
    });
    expect(sem(r('all', 'good', 'all.route-default6'))).toEqual({
      status: 'fail',
      expected: 'exists',
      actual: 'no default6 route',
      message: 'no default6 route',
    });
    expect(sem(r('all', 'edge', 'all.route-default6'))).toEqual({
      status: 'pass',
      expected: 'exists',
      actual: 'default via fe80::1 dev eth0 metric 1024 (table main, rule 32766: from all lookup main)',
      message: 'default via fe80::1 dev eth0 metric 1024 (table main, rule 32766: from all lookup main)',
    });
  });

  it('no route at all fails "exists" and passes "exists: false"', () => {
    expect(sem(r('baseline', 'bad', 'net.default-route'))).toEqual({
      status: 'fail',
      expected: 'exists',
      actual: 'no default route',
      message: 'no default route',
    });
    expect(sem(r('all', 'edge', 'all.route-absent'))).toEqual({
      status: 'pass',
      expected: 'absent',
      actual: 'no 198.19.250.0/24 route',
      message: 'no 198.19.250.0/24 route',
    });
  });
});

describe('firewall (effective verdict)', () => {
  it('nft inet drop covers IPv4 and IPv6', () => {
    for (const id of ['all.fw-input-ip', 'all.fw-input-ip6', 'all.fw-input-inet']) {
      expect(r('all', 'good', id).actual, id).toBe('drop (inet filter/input policy drop)');
    }
    expect(sem(r('baseline', 'good', 'firewall.input'))).toEqual({
      status: 'pass',
      expected: 'input policy drop or reject',
      actual: 'drop (inet filter/input policy drop)',
      message: 'input (inet) is drop',
    });
  });

  it('no base chain at all is "no firewall"', () => {
    expect(sem(r('baseline', 'bad', 'firewall.input'))).toEqual({
      status: 'fail',
      expected: 'input policy drop or reject',
      actual: 'accept (no firewall: no base chain on the input hook, the kernel accepts everything)',
      message: 'input (inet) is accept, not drop or reject',
    });
  });

  it('per family on a ufw-like iptables host: v4 policy drop, v6 accept ending in REJECT; inet takes the weaker', () => {
    const ufw = ' [managed by ufw]';
    expect(sem(r('all', 'edge', 'all.fw-input-ip'))).toEqual({
      status: 'pass',
      expected: 'input policy drop or reject',
      actual: `drop (ip filter/INPUT policy drop)${ufw}`,
      message: 'input (ip) is drop',
    });
    expect(sem(r('all', 'edge', 'all.fw-input-ip6'))).toEqual({
      status: 'pass',
      expected: 'input policy drop or reject',
      actual: `reject (ip6 filter/INPUT rule 4 (handle 5) rejects everything)${ufw}`,
      message: 'input (ip6) is reject',
    });
    const both = 'IPv4: ip filter/INPUT policy drop; IPv6: ip6 filter/INPUT rule 4 (handle 5) rejects everything';
    expect(sem(r('all', 'edge', 'all.fw-input-inet'))).toEqual({
      status: 'fail',
      expected: 'input policy drop',
      actual: `reject (${both})${ufw}`,
      message: 'input (inet) is reject, not drop',
    });
    expect(r('baseline', 'edge', 'firewall.input').status).toBe('pass');
  });

  it('an IPv6 forward chain left at accept opens the inet forward path', () => {
    expect(sem(r('all', 'edge', 'all.fw-forward-ip'))).toMatchObject({ status: 'pass', message: 'forward (ip) is drop' });
    expect(sem(r('all', 'edge', 'all.fw-forward-ip6'))).toEqual({
      status: 'fail',
      expected: 'forward policy drop or reject',
      actual: 'accept (ip6 filter/FORWARD policy accept) [managed by ufw]',
      message: 'forward (ip6) is accept, not drop or reject',
    });
    expect(r('baseline', 'edge', 'firewall.forward').message).toBe('forward (inet) is accept, not drop or reject');
  });

  it('a family without a base chain on the hook accepts, and says which chain covers the other family', () => {
    expect(sem(r('all', 'edge', 'all.fw-output-ip6'))).toEqual({
      status: 'pass',
      expected: 'output policy accept',
      actual:
        'accept (no IPv6 base chain on the output hook: the kernel accepts all IPv6 packets (ip filter/OUTPUT covers the other family only)) [managed by ufw]',
      message: 'output (ip6) is accept',
    });
    expect(r('all', 'edge', 'all.fw-output-ip').actual).toBe('accept (ip filter/OUTPUT policy accept) [managed by ufw]');
  });
});
