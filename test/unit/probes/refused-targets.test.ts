// Every probe that connects refuses link-local and cloud metadata targets before any socket exists: an address
// written in the policy (in every spelling), a name that resolves there, a DNS server there. --allow-target lifts
// the refusal, and then the probe goes on to dial. No packet leaves: node:net's connect and the DNS resolver are
// stand-ins here that record what they are asked and fail at once, so even a probe that did not refuse would reach
// nothing.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const dialled: Array<{ host: string; port: number }> = [];
const servers: string[][] = [];

vi.mock('node:net', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:net')>();
  /** Records the connect and fails it on the next tick, as a refused port would: no socket is ever opened. */
  const connect = (opts: { host: string; port: number }) => {
    dialled.push({ host: opts.host, port: opts.port });
    const s = new real.Socket();
    setImmediate(() => s.destroy(Object.assign(new Error('stand-in: not dialled'), { code: 'ECONNREFUSED' })));
    return s;
  };
  return { ...real, connect, default: { ...real, connect } };
});

vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>();
  /** getaddrinfo as a resolver configured by the test: metadata.test is where a metadata service answers. */
  const lookup = async (host: string, opts?: { all?: boolean }) => {
    const table: Record<string, Array<{ address: string; family: number }>> = {
      'metadata.test': [{ address: '169.254.169.254', family: 4 }],
      'mixed.test': [
        { address: '198.18.0.2', family: 4 },
        { address: 'fd00:ec2::254', family: 6 },
      ],
      'metadata6.test': [{ address: '::ffff:169.254.169.254', family: 6 }],
    };
    const found = table[host];
    if (!found) throw Object.assign(new Error(`stand-in: ${host} unknown`), { code: 'ENOTFOUND' });
    return opts?.all ? found : found[0];
  };
  /** A resolver that records the servers it is given and answers nothing. */
  class Resolver {
    setServers(s: string[]): void {
      servers.push(s);
    }
    cancel(): void {}
    resolve4(): Promise<never> {
      return Promise.reject(Object.assign(new Error('stand-in: not asked'), { code: 'ECONNREFUSED' }));
    }
  }
  return { ...real, lookup, Resolver, default: { ...real, lookup, Resolver } };
});

const { probeTcp } = await import('../../../src/probes/tcp.js');
const { probeHttp } = await import('../../../src/probes/http.js');
const { probeTls } = await import('../../../src/probes/tls.js');
const { probeDns } = await import('../../../src/probes/dns.js');

const WANTS = { versions: true, legacy: true, suites: false, handshake: true };
const NOW = new Date('2026-12-01T00:00:00Z');

beforeEach(() => {
  dialled.length = 0;
  servers.length = 0;
});

/** Each probe kind that connects, to one host:port, with what --allow-target admits. */
const probes = {
  tcp: (host: string, allowTargets?: string[]) => probeTcp({ host, port: 80, timeoutMs: 5000, ...(allowTargets ? { allowTargets } : {}) }),
  http: (host: string, allowTargets?: string[]) =>
    probeHttp({ url: `http://${host.includes(':') ? `[${host}]` : host}/latest/meta-data/`, timeoutMs: 5000, ...(allowTargets ? { allowTargets } : {}) }),
  tls: (host: string, allowTargets?: string[]) =>
    probeTls({ host, port: 443, wants: WANTS, now: NOW, timeoutMs: 5000, ...(allowTargets ? { allowTargets } : {}) }),
};

const REFUSED: Array<[string, string, string]> = [
  ['169.254.169.254', '169.254.169.254', '169.254.0.0/16'],
  ['::ffff:169.254.169.254', '169.254.169.254', '169.254.0.0/16'],
  ['fe80::1', 'fe80::1', 'fe80::/10'],
  ['fd00:ec2::254', 'fd00:ec2::254', 'fd00:ec2::254/128'],
  ['64:ff9b::a9fe:a9fe', '64:ff9b::a9fe:a9fe', '64:ff9b::a9fe:0/112'],
];

describe('a probe refuses link-local and metadata targets before any socket', () => {
  for (const [kind, probe] of Object.entries(probes)) {
    for (const [host, address, network] of REFUSED) {
      it(`${kind} ${host}`, async () => {
        const start = performance.now();
        const fact = await probe(host);
        expect(fact.error).toMatchObject({ code: 'TARGET_REFUSED', refused: { address: expect.stringMatching(/./), network } });
        // The canonical form of what would have been dialled (an IPv4-mapped address is IPv4 only when judged).
        expect(fact.error!.refused!.address).toBe(host === '::ffff:169.254.169.254' ? '::ffff:169.254.169.254' : address);
        expect(fact.error!.reason).toMatch(/not connected to; --allow-target admits it/);
        expect(dialled).toEqual([]);
        // Refused on the spot, not after any timeout.
        expect(performance.now() - start).toBeLessThan(1000);
      });
    }

    it(`${kind}: a name that resolves to a metadata address is refused, naming both`, async () => {
      const fact = await probe('metadata.test');
      expect(fact.error).toEqual({
        code: 'TARGET_REFUSED',
        reason:
          'metadata.test resolves to 169.254.169.254, which is in 169.254.0.0/16 (link-local, where cloud metadata services answer): not connected to; --allow-target admits it',
        refused: { address: '169.254.169.254', network: '169.254.0.0/16', host: 'metadata.test' },
      });
      expect((await probe('metadata6.test')).error?.refused).toEqual({ address: '::ffff:169.254.169.254', network: '169.254.0.0/16', host: 'metadata6.test' });
      expect(dialled).toEqual([]);
    });

    it(`${kind}: a name with one refused address among others is refused whole`, async () => {
      const fact = await probe('mixed.test');
      expect(fact.error?.refused).toEqual({ address: 'fd00:ec2::254', network: 'fd00:ec2::254/128', host: 'mixed.test' });
      expect(dialled).toEqual([]);
    });

    it(`${kind}: --allow-target admits the network, and the probe goes on to dial (the stand-in's refusal)`, async () => {
      const fact = await probe('metadata.test', ['169.254.0.0/16']);
      expect(fact.error?.code).not.toBe('TARGET_REFUSED');
      expect(dialled.map((d) => d.host)).toContain('169.254.169.254');
    });

    it(`${kind}: a network that does not hold the address admits nothing`, async () => {
      const fact = await probe('169.254.169.254', ['169.254.170.2/32', '198.18.0.0/15']);
      expect(fact.error?.code).toBe('TARGET_REFUSED');
      expect(dialled).toEqual([]);
    });
  }
});

describe('a DNS probe refuses a server at a link-local or metadata address', () => {
  for (const [server, network] of [
    ['169.254.169.253', '169.254.0.0/16'],
    ['169.254.169.253:53', '169.254.0.0/16'],
    ['[fd00:ec2::254]:53', 'fd00:ec2::254/128'],
    ['fe80::53', 'fe80::/10'],
  ] as const) {
    it(server, async () => {
      const fact = await probeDns({ name: 'example.test', type: 'A', server, timeoutMs: 5000 });
      expect(fact.error).toMatchObject({ code: 'TARGET_REFUSED', refused: { network } });
      expect(fact.resolves).toBe(false);
      // The resolver was never given the server: no query could have been sent.
      expect(servers).toEqual([]);
    });
  }

  it('admitted, the server is asked', async () => {
    const fact = await probeDns({ name: 'example.test', type: 'A', server: '169.254.169.253', timeoutMs: 5000, allowTargets: ['169.254.169.253/32'] });
    expect(fact.error?.code).not.toBe('TARGET_REFUSED');
    expect(servers).toEqual([['169.254.169.253']]);
  });

  it('a name that resolves to a metadata address is no target of a DNS check: it is only read', async () => {
    const fact = await probeDns({ name: 'metadata.test', type: 'ADDRESS', timeoutMs: 5000 });
    expect(fact).toMatchObject({ resolves: true, answers: [{ type: 'A', value: '169.254.169.254' }] });
    expect(fact.error).toBeUndefined();
  });
});
