import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readFamily } from '../../helpers/family.js';
import { describe, it, expect } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { firewallFamily } from '../../../src/facts/families/firewall/family.js';
import { parseIptablesSave } from '../../../src/facts/families/firewall/iptables-save.js';
import { parseNftJson, parseNftTableFlags } from '../../../src/facts/families/firewall/nft.js';
import type { ParsedRuleset } from '../../../src/facts/families/firewall/ruleset.js';
import { effectivePolicy } from '../../../src/facts/readings/firewall.js';
import { evaluateFirewall } from '../../../src/evaluate/kinds/firewall.js';
import type { FactsSnapshot, FirewallChain, FirewallFact, Ipv6Fact } from '../../../src/facts/model.js';
import type { CheckOf, FirewallSelector } from '../../../src/policy/model.js';
import { fixtureReader, ok, replayTransport } from '../../helpers/replay.js';
import { wordedOutcome } from '../../helpers/worded.js';

const fixture = fixtureReader('firewall');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const NFT = 'nft -j list ruleset';
const NFT_TEXT = 'nft -t list ruleset';

const find = (chains: FirewallChain[], family: string, table: string, name: string, legacy = false): FirewallChain | undefined =>
  chains.find((c) => c.family === family && c.table === table && c.name === name && (c.legacy === true) === legacy);

const fact = (backend: FirewallFact['backend'], ...parts: ParsedRuleset[]): FirewallFact => ({
  backend,
  managers: [...new Set(parts.flatMap((p) => p.managers))].sort(),
  tables: parts.flatMap((p) => p.tables),
  chains: parts.flatMap((p) => p.chains),
});

const nft = (name: string): FirewallFact => fact('nftables', parseNftJson(fixture(name)));
const save = (v4: string, v6?: string): FirewallFact =>
  fact('iptables', parseIptablesSave(fixture(v4), 'ip'), ...(v6 ? [parseIptablesSave(fixture(v6), 'ip6')] : []));

/** The rules of a chain as "verdict[:target]", with a * for the unconditional ones. */
const shape = (c: FirewallChain | undefined): string[] =>
  (c?.rules ?? []).map((r) => `${r.unconditional ? '*' : ''}${r.verdict}${r.target ? `:${r.target}` : ''}`);

describe('parseNftJson', () => {
  it('reads base chains of a plain inet table, every rule conditional', () => {
    const { chains, managers, tables } = parseNftJson(fixture('nft-plain-drop.json'));
    expect(managers).toEqual([]);
    expect(tables).toEqual([{ family: 'inet', name: 'filter', dormant: false }]);
    expect(chains.map((c) => ({ ...c, rules: c.rules.length }))).toEqual([
      { family: 'inet', table: 'filter', name: 'input', hook: 'input', type: 'filter', priority: 0, policy: 'drop', rules: 7 },
      { family: 'inet', table: 'filter', name: 'forward', hook: 'forward', type: 'filter', priority: 0, policy: 'drop', rules: 0 },
      { family: 'inet', table: 'filter', name: 'output', hook: 'output', type: 'filter', priority: 0, policy: 'accept', rules: 0 },
    ]);
    const input = find(chains, 'inet', 'filter', 'input')!;
    expect(input.rules[0]).toEqual({ position: 1, handle: 4, unconditional: false, verdict: 'accept' });
    // `tcp dport { 80, 443 } counter accept`: the counter is passive, the port match is not.
    expect(input.rules[6]).toMatchObject({ position: 7, unconditional: false, verdict: 'accept' });
  });

  it('sees iptables-nft rules: an unconditional DROP after a LOG target, and an xt REJECT target', () => {
    const { chains } = parseNftJson(fixture('nft-iptables.json'));
    const v4 = find(chains, 'ip', 'filter', 'INPUT');
    expect(v4).toMatchObject({ hook: 'input', policy: 'drop' });
    expect(shape(v4)).toEqual(['accept', 'accept', 'accept', 'accept', 'accept', '*none', '*drop']);
    expect(v4?.rules[6]).toEqual({ position: 7, handle: 9, unconditional: true, verdict: 'drop' });
    // ip6tables -j REJECT is kept as an xt target by iptables-nft, not translated to a native reject.
    expect(shape(find(chains, 'ip6', 'filter', 'INPUT')).at(-1)).toBe('*reject');
  });

  it('recognises ufw and follows its jumps into user chains', () => {
    const { chains, managers } = parseNftJson(fixture('nft-ufw.json'));
    expect(managers).toEqual(['ufw']);
    const input = find(chains, 'ip', 'filter', 'INPUT');
    expect(input).toMatchObject({ hook: 'input', type: 'filter', priority: 0, policy: 'drop' });
    expect(shape(input)).toEqual([
      '*jump:ufw-before-logging-input',
      '*jump:ufw-before-input',
      '*jump:ufw-after-input',
      '*jump:ufw-after-logging-input',
      '*jump:ufw-reject-input',
      '*jump:ufw-track-input',
    ]);
    // ufw-not-local returns what is addressed to this host before it drops the rest.
    expect(shape(find(chains, 'ip', 'filter', 'ufw-not-local'))).toEqual(['return', 'return', 'return', 'jump:ufw-logging-deny', '*drop']);
    expect(chains.filter((c) => c.name.startsWith('ufw6-')).length).toBeGreaterThan(20);
  });

  it('recognises firewalld: jumps and gotos into zone chains, trailing rejects', () => {
    const { chains, managers, tables } = parseNftJson(fixture('nft-firewalld.json'));
    expect(managers).toEqual(['firewalld']);
    expect(tables).toEqual([{ family: 'inet', name: 'firewalld', dormant: false }]);
    const input = find(chains, 'inet', 'firewalld', 'filter_INPUT');
    expect(input).toMatchObject({ hook: 'input', type: 'filter', priority: 10, policy: 'accept' });
    expect(shape(input)).toEqual(['accept', 'accept', 'accept', 'drop', '*jump:filter_INPUT_ZONES', '*reject']);
    expect(input?.rules[4]).toEqual({ position: 5, handle: 33, unconditional: true, verdict: 'jump', target: 'filter_INPUT_ZONES' });
    expect(shape(find(chains, 'inet', 'firewalld', 'filter_INPUT_ZONES'))).toEqual(['*goto:filter_IN_public']);
    expect(find(chains, 'inet', 'firewalld', 'nat_PREROUTING')).toMatchObject({ type: 'nat', hook: 'prerouting', priority: -90 });
  });

  it('a comment and a counter do not make a rule conditional', () => {
    const { chains } = parseNftJson(fixture('nft-accept-first.json'));
    expect(find(chains, 'inet', 'filter', 'input')?.rules).toEqual([
      { position: 1, handle: 2, unconditional: true, verdict: 'accept' },
      { position: 2, handle: 3, unconditional: false, verdict: 'accept' },
    ]);
    // iptables-nft keeps `-m comment` as an xt match: it matches every packet too.
    const ipt = parseNftJson(fixture('nft-iptables-chains.json')).chains;
    expect(shape(find(ipt, 'ip', 'filter', 'chk'))).toEqual(['*return', '*drop']);
    expect(shape(find(ipt, 'ip', 'filter', 'INPUT'))).toEqual(['accept', '*goto:zone', '*accept']);
  });

  it('nft 1.0.6 garbles the flags of a dormant table in JSON: they are left for the text listing', () => {
    const parsed = parseNftJson(fixture('nft-dormant.json'));
    expect(parsed.unreadableFlags).toEqual(['ip filter']);
    expect(parsed.tables).toEqual([
      { family: 'ip', name: 'filter', dormant: false },
      { family: 'inet', name: 'other', dormant: false },
    ]);
    expect(parseNftTableFlags(fixture('nft-dormant.nft'))).toEqual(
      new Map([
        ['ip filter', ['dormant']],
        ['inet other', []],
      ]),
    );
    // A listing that says what it means is taken as it is.
    const good = JSON.stringify({ nftables: [{ table: { family: 'ip', name: 'x', handle: 1, flags: ['dormant', 'owner'] } }] });
    expect(parseNftJson(good)).toEqual({ tables: [{ family: 'ip', name: 'x', dormant: true }], chains: [], managers: [] });
  });

  it('reads an empty ruleset as no chains', () => {
    expect(parseNftJson(fixture('nft-empty.json'))).toEqual({ tables: [], chains: [], managers: [] });
  });

  it('refuses output that is not nft JSON', () => {
    expect(() => parseNftJson('Error: syntax error')).toThrow(/not JSON/);
    expect(() => parseNftJson('{"foo": 1}')).toThrow(/nftables/);
  });
});

describe('parseIptablesSave', () => {
  it('reads policies and rules: LOG is passive, the last DROP unconditional', () => {
    const { chains, managers, tables } = parseIptablesSave(fixture('iptables-save.txt'), 'ip');
    expect(managers).toEqual([]);
    expect(tables).toEqual([{ family: 'ip', name: 'filter', dormant: false }]);
    expect(chains.map((c) => ({ ...c, rules: shape(c) }))).toEqual([
      {
        family: 'ip',
        table: 'filter',
        name: 'INPUT',
        hook: 'input',
        type: 'filter',
        priority: 0,
        policy: 'drop',
        rules: ['accept', 'accept', 'accept', 'accept', 'accept', '*none', '*drop'],
      },
      { family: 'ip', table: 'filter', name: 'FORWARD', hook: 'forward', type: 'filter', priority: 0, policy: 'drop', rules: [] },
      { family: 'ip', table: 'filter', name: 'OUTPUT', hook: 'output', type: 'filter', priority: 0, policy: 'accept', rules: [] },
    ]);
    expect(find(chains, 'ip', 'filter', 'INPUT')?.rules[6]).toEqual({ position: 7, unconditional: true, verdict: 'drop' });
  });

  it('reads ufw chains: user chains have no hook, -j CHAIN is a jump, -j RETURN a return', () => {
    const { chains, managers } = parseIptablesSave(fixture('iptables-save-ufw.txt'), 'ip');
    expect(managers).toEqual(['ufw']);
    expect(find(chains, 'ip', 'filter', 'INPUT')).toMatchObject({ hook: 'input', policy: 'drop' });
    expect(shape(find(chains, 'ip', 'filter', 'INPUT'))[4]).toBe('*jump:ufw-reject-input');
    const local = find(chains, 'ip', 'filter', 'ufw-not-local');
    expect(local?.hook).toBeUndefined();
    expect(local?.policy).toBeUndefined();
    expect(shape(local)).toEqual(['return', 'return', 'return', 'jump:ufw-logging-deny', '*drop']);
    expect(shape(find(chains, 'ip', 'filter', 'ufw-user-limit'))).toEqual(['none', '*reject']);
    const v6 = parseIptablesSave(fixture('ip6tables-save-ufw.txt'), 'ip6');
    expect(v6.managers).toEqual(['ufw']);
    expect(find(v6.chains, 'ip6', 'filter', 'INPUT')).toMatchObject({ policy: 'drop' });
  });

  it('reads -g as a goto and keeps a commented RETURN unconditional', () => {
    const { chains } = parseIptablesSave(fixture('iptables-save-chains.txt'), 'ip');
    expect(shape(find(chains, 'ip', 'filter', 'INPUT'))).toEqual(['accept', '*goto:zone', '*accept']);
    expect(shape(find(chains, 'ip', 'filter', 'FORWARD'))).toEqual(['*jump:deny']);
    expect(shape(find(chains, 'ip', 'filter', 'chk'))).toEqual(['*return', '*drop']);
  });

  it('maps built-in chains of other tables to their hooks and priorities', () => {
    const text = [
      '*raw',
      ':PREROUTING ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      'COMMIT',
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      ':DOCKER - [0:0]',
      '[12:720] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
      'COMMIT',
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':KUBE-FIREWALL - [0:0]',
      '-A INPUT -m comment --comment "catch \\"all\\"" -j REJECT --reject-with icmp-port-unreachable',
      'COMMIT',
    ].join('\n');
    const { chains, managers } = parseIptablesSave(text, 'ip');
    expect(managers).toEqual(['docker', 'kube-proxy']);
    expect(find(chains, 'ip', 'raw', 'PREROUTING')).toMatchObject({ hook: 'prerouting', type: 'filter', priority: -300 });
    expect(find(chains, 'ip', 'nat', 'PREROUTING')).toMatchObject({ hook: 'prerouting', type: 'nat', priority: -100 });
    expect(shape(find(chains, 'ip', 'nat', 'PREROUTING'))).toEqual(['jump:DOCKER']);
    // A comment matches every packet, so the rule stays unconditional.
    expect(shape(find(chains, 'ip', 'filter', 'INPUT'))).toEqual(['*reject']);
  });

  it('marks legacy tables and chains when asked', () => {
    const { chains, tables } = parseIptablesSave(fixture('iptables-legacy-save-drop.txt'), 'ip', { legacy: true });
    expect(tables).toEqual([{ family: 'ip', name: 'filter', legacy: true, dormant: false }]);
    expect(find(chains, 'ip', 'filter', 'INPUT', true)).toMatchObject({ legacy: true, policy: 'drop' });
  });

  it('reads empty output as no chains', () => {
    const none = { tables: [], chains: [], managers: [] };
    expect(parseIptablesSave(fixture('iptables-save-empty.txt'), 'ip')).toEqual(none);
    expect(parseIptablesSave(fixture('iptables-save-legacy-present.txt'), 'ip')).toEqual(none);
    // firewalld's nftables backend keeps to its own table, which iptables-save does not show.
    expect(parseIptablesSave(fixture('iptables-save-firewalld.txt'), 'ip')).toEqual(none);
  });
});

describe('effectivePolicy', () => {
  it('plain nft: inet filter input policy drop covers IPv4 and IPv6', () => {
    const f = nft('nft-plain-drop.json');
    expect(effectivePolicy(f, 'input', 'inet')).toEqual({ verdict: 'drop', chains: ['inet filter/input'], reason: 'inet filter/input policy drop' });
    expect(effectivePolicy(f, 'input', 'ip6').verdict).toBe('drop');
    expect(effectivePolicy(f, 'forward', 'inet').verdict).toBe('drop');
    expect(effectivePolicy(f, 'output', 'inet')).toEqual({ verdict: 'accept', chains: ['inet filter/output'], reason: 'inet filter/output policy accept' });
  });

  it('an unconditional accept first: the chain accepts, whatever its policy', () => {
    expect(effectivePolicy(nft('nft-accept-first.json'), 'input', 'inet')).toEqual({
      verdict: 'accept',
      chains: ['inet filter/input'],
      reason: 'inet filter/input rule 1 (handle 2) accepts everything',
    });
    const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
    expect(effectivePolicy(fact('iptables', parseIptablesSave(text, 'ip')), 'input', 'ip')).toEqual({
      verdict: 'accept',
      chains: ['ip filter/INPUT'],
      reason: 'ip filter/INPUT rule 1 accepts everything',
    });
  });

  it('iptables: IPv4 drops at the last rule, IPv6 rejects; inet answers with the weaker', () => {
    for (const [f, h4, h6] of [
      [nft('nft-iptables.json'), ' (handle 9)', ' (handle 7)'],
      [save('iptables-save.txt', 'ip6tables-save.txt'), '', ''],
    ] as const) {
      expect(effectivePolicy(f, 'input', 'ip')).toEqual({
        verdict: 'drop',
        chains: ['ip filter/INPUT'],
        reason: `ip filter/INPUT rule 7${h4} drops everything`,
      });
      expect(effectivePolicy(f, 'input', 'ip6')).toEqual({
        verdict: 'reject',
        chains: ['ip6 filter/INPUT'],
        reason: `ip6 filter/INPUT rule 5${h6} rejects everything`,
      });
      const both = effectivePolicy(f, 'input', 'inet');
      expect(both.verdict).toBe('reject');
      expect(both.chains).toEqual(['ip filter/INPUT', 'ip6 filter/INPUT']);
      expect(both.reason).toBe(`IPv4: ip filter/INPUT rule 7${h4} drops everything; IPv6: ip6 filter/INPUT rule 5${h6} rejects everything`);
    }
  });

  it('ufw default deny: its user chains return, so the INPUT policy decides', () => {
    for (const f of [nft('nft-ufw.json'), save('iptables-save-ufw.txt', 'ip6tables-save-ufw.txt')]) {
      const input = effectivePolicy(f, 'input', 'inet');
      expect(input.verdict).toBe('drop');
      expect(input.chains).toEqual(['ip filter/INPUT', 'ip6 filter/INPUT']);
      expect(input.reason).toBe('IPv4: ip filter/INPUT policy drop; IPv6: ip6 filter/INPUT policy drop');
      expect(effectivePolicy(f, 'forward', 'inet').verdict).toBe('drop');
      expect(effectivePolicy(f, 'output', 'inet').verdict).toBe('accept');
    }
  });

  it('ufw default allow: what ufw-not-local returns reaches the accepting policy', () => {
    const text = fixture('iptables-save-ufw.txt')
      .replace(':INPUT DROP', ':INPUT ACCEPT')
      .replace('-A ufw-skip-to-policy-input -j DROP', '-A ufw-skip-to-policy-input -j ACCEPT');
    const r = effectivePolicy(fact('iptables', parseIptablesSave(text, 'ip')), 'input', 'ip');
    expect(r).toEqual({
      verdict: 'accept',
      chains: ['ip filter/INPUT'],
      reason: 'ip filter/INPUT policy accept, for the packets ufw-not-local rules 1, 2, 3 return (the others are dropped)',
    });
  });

  it('ufw-shaped policy accept with a jump to a chain that rejects everything', () => {
    const text = fixture('iptables-save-ufw.txt')
      .replace(':INPUT DROP', ':INPUT ACCEPT')
      .replace('-A ufw-user-limit-accept -j ACCEPT', '-A ufw-user-limit-accept -j ACCEPT\n-A ufw-reject-input -j REJECT');
    expect(effectivePolicy(fact('iptables', parseIptablesSave(text, 'ip')), 'input', 'ip')).toEqual({
      verdict: 'reject',
      chains: ['ip filter/INPUT'],
      reason: 'ip filter/ufw-reject-input rule 1 rejects everything, reached by jump from INPUT rule 5',
    });
  });

  it('firewalld: policy accept, but the zone chain reached by jump and goto rejects', () => {
    const f = nft('nft-firewalld.json');
    expect(effectivePolicy(f, 'input', 'inet')).toEqual({
      verdict: 'reject',
      chains: ['inet firewalld/filter_INPUT'],
      reason:
        'inet firewalld/filter_IN_public rule 9 (handle 72) rejects everything, reached by goto from filter_INPUT_ZONES rule 1 (handle 130), jump from filter_INPUT rule 5 (handle 33)',
    });
    expect(effectivePolicy(f, 'forward', 'ip').verdict).toBe('reject');
    expect(effectivePolicy(f, 'output', 'inet').verdict).toBe('accept');
  });

  it('a goto target that falls off returns to the chain that called the goto-ing chain', () => {
    // firewalld without the zone's own reject: the packet comes back to filter_INPUT and meets its reject.
    const parsed = parseNftJson(fixture('nft-firewalld.json'));
    const zone = find(parsed.chains, 'inet', 'firewalld', 'filter_IN_public')!;
    zone.rules = zone.rules.slice(0, -1);
    expect(effectivePolicy(fact('nftables', parsed), 'input', 'inet').reason).toBe('inet firewalld/filter_INPUT rule 6 (handle 34) rejects everything');
    // A goto from the base chain itself: falling off its target applies the base policy, skipping what follows.
    for (const f of [nft('nft-iptables-chains.json'), save('iptables-save-chains.txt')]) {
      expect(effectivePolicy(f, 'input', 'ip')).toMatchObject({ verdict: 'drop', reason: 'ip filter/INPUT policy drop' });
    }
  });

  it('jump into a deciding chain, goto into a deciding chain, jump into a chain that returns', () => {
    const f = nft('nft-chains.json');
    // `reject with tcp reset` carries an implicit `meta l4proto tcp`: it rejects TCP only, the rest falls through.
    expect(shape(find(f.chains, 'inet', 't', 'deny'))).toEqual(['accept', 'reject']);
    expect(effectivePolicy(f, 'input', 'inet')).toEqual({
      verdict: 'accept',
      chains: ['inet t/input'],
      reason: 'inet t/input rule 3 (handle 9) accepts everything',
    });
    expect(effectivePolicy(f, 'forward', 'inet')).toEqual({
      verdict: 'drop',
      chains: ['inet t/forward'],
      reason: 'inet t/zone rule 2 (handle 15) drops everything, reached by goto from forward rule 1 (handle 12)',
    });
    expect(effectivePolicy(f, 'output', 'inet')).toEqual({
      verdict: 'accept',
      chains: ['inet t/output'],
      reason: 'inet t/output rule 2 (handle 17) accepts everything',
    });
    const ipt = save('iptables-save-chains.txt');
    expect(effectivePolicy(ipt, 'forward', 'ip').reason).toBe('ip filter/deny rule 1 rejects everything, reached by jump from FORWARD rule 1');
    expect(effectivePolicy(ipt, 'output', 'ip')).toMatchObject({ verdict: 'accept', reason: 'ip filter/OUTPUT policy accept' });
  });

  it('an unconditional return in a base chain applies its policy', () => {
    const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -j RETURN\n-A INPUT -j ACCEPT\nCOMMIT\n';
    expect(effectivePolicy(fact('iptables', parseIptablesSave(text, 'ip')), 'input', 'ip').reason).toBe(
      'ip filter/INPUT policy drop (rule 1 returns to the policy)',
    );
  });

  it('a jump loop or a missing target is noted and ignored, never walked forever', () => {
    const text = ['*filter', ':INPUT ACCEPT [0:0]', ':a - [0:0]', ':b - [0:0]', '-A INPUT -j a', '-A a -j b', '-A b -g a', 'COMMIT', ''].join('\n');
    const parsed = parseIptablesSave(text, 'ip');
    const r = effectivePolicy(fact('iptables', parsed), 'input', 'ip');
    expect(r).toEqual({ verdict: 'accept', chains: ['ip filter/INPUT'], reason: 'ip filter/INPUT policy accept (b rule 1 goto to a would loop; ignored)' });
    find(parsed.chains, 'ip', 'filter', 'INPUT')!.rules.unshift({ position: 0, unconditional: true, verdict: 'jump', target: 'gone' });
    expect(effectivePolicy(fact('iptables', parsed), 'input', 'ip').reason).toContain('INPUT rule 0 is a jump to gone, which is not in the ruleset; ignored');
  });

  it('many conditional returns stay cheap', () => {
    const lines = ['*filter', ':INPUT DROP [0:0]'];
    for (let i = 0; i < 40; i++) lines.push(`:c${i} - [0:0]`);
    for (let i = 0; i < 40; i++) lines.push(`-A INPUT -j c${i}`);
    for (let i = 0; i < 40; i++) for (let j = 0; j < 5; j++) lines.push(`-A c${i} -s 10.${i}.${j}.0/24 -j RETURN`);
    const f = fact('iptables', parseIptablesSave([...lines, 'COMMIT', ''].join('\n'), 'ip'));
    const t0 = performance.now();
    expect(effectivePolicy(f, 'input', 'ip').verdict).toBe('drop');
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('a dormant table filters nothing', () => {
    const parsed = parseNftJson(fixture('nft-dormant.json'));
    parsed.tables[0]!.dormant = true;
    expect(effectivePolicy(fact('nftables', parsed), 'input', 'ip')).toEqual({
      verdict: 'accept',
      chains: ['inet other/input'],
      reason: 'inet other/input policy accept (ip filter is dormant: it filters nothing)',
    });
    parsed.chains = parsed.chains.filter((c) => c.table !== 'other');
    expect(effectivePolicy(fact('nftables', parsed), 'input', 'ip').reason).toBe(
      'no firewall: no base chain on the input hook, the kernel accepts everything (ip filter is dormant: it filters nothing)',
    );
  });

  it('empty ruleset: no firewall, the kernel accepts everything', () => {
    expect(effectivePolicy(nft('nft-empty.json'), 'input', 'inet')).toEqual({
      verdict: 'accept',
      chains: [],
      reason: 'no firewall: no base chain on the input hook, the kernel accepts everything',
    });
  });

  it('a drop in any base chain on the hook wins over an accepting one', () => {
    const both = fact('nftables', parseNftJson(fixture('nft-firewalld.json')), parseNftJson(fixture('nft-plain-drop.json')));
    const r = effectivePolicy(both, 'input', 'inet');
    // inet filter (priority 0) runs before firewalld (priority 10), so its drop is what the sender sees.
    expect(r.verdict).toBe('drop');
    expect(r.chains).toEqual(['inet filter/input', 'inet firewalld/filter_INPUT']);
  });

  it('nft accepts and legacy drops: drop; the reverse: drop too', () => {
    const legacy = parseIptablesSave(fixture('iptables-legacy-save-drop.txt'), 'ip', { legacy: true });
    const r = effectivePolicy(fact('nftables', parseNftJson(fixture('nft-accept-with-legacy.json')), legacy), 'input', 'ip');
    expect(r).toEqual({ verdict: 'drop', chains: ['ip filter/INPUT (iptables-legacy)'], reason: 'ip filter/INPUT (iptables-legacy) policy drop' });
    const open = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', 'ip', { legacy: true });
    expect(effectivePolicy(fact('nftables', parseNftJson(fixture('nft-plain-drop.json')), open), 'input', 'ip')).toMatchObject({
      verdict: 'drop',
      chains: ['inet filter/input'],
    });
    // The same names in iptables-nft and legacy are different chains: a jump stays on its own side.
    const nftSide = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n:deny - [0:0]\n-A INPUT -j deny\nCOMMIT\n', 'ip');
    const legacySide = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n:deny - [0:0]\n-A deny -j DROP\nCOMMIT\n', 'ip', { legacy: true });
    expect(effectivePolicy(fact('nftables', nftSide, legacySide), 'input', 'ip').verdict).toBe('accept');
  });

  it('an IPv4-only firewall leaves IPv6 open', () => {
    const f = save('iptables-save.txt');
    const r = effectivePolicy(f, 'input', 'inet');
    expect(r.verdict).toBe('accept');
    expect(r.reason).toContain('no IPv6 base chain on the input hook');
    expect(effectivePolicy(f, 'input', 'ip').verdict).toBe('drop');
  });
});

describe('family-only rules, the hooks a packet passes, and queues', () => {
  const family = parseNftJson(fixture('nft-family.json'));
  /** Only these tables ("family name") of the nft-family fixture. */
  const only = (...names: string[]): FirewallFact => {
    const keep = (t: { family: string; table?: string; name: string }, table: string): boolean => names.includes(`${t.family} ${table}`);
    return {
      backend: 'nftables',
      managers: [],
      tables: family.tables.filter((t) => keep(t, t.name)),
      chains: family.chains.filter((c) => keep(c, c.table)).map((c) => ({ ...c, rules: c.rules.map((r) => ({ ...r })) })),
    };
  };

  it('a match on the family alone is recorded as the family; with other matches, or contradicting, it is a condition', () => {
    const rules = (table: string, chain: string): unknown[] =>
      find(family.chains, table.split(' ')[0]!, table.split(' ')[1]!, chain)!.rules.map(({ position: _p, handle: _h, ...r }) => r);
    expect(rules('inet v6accept', 'input')).toEqual([{ unconditional: false, family: 'ip6', verdict: 'accept' }]);
    // A counter stays passive next to the family match.
    expect(rules('inet v4accept', 'input')).toEqual([{ unconditional: false, family: 'ip', verdict: 'accept' }]);
    expect(rules('inet mixed', 'input')).toEqual([
      // `meta nfproto ipv4 tcp dport 22`: the port makes it a condition.
      { unconditional: false, verdict: 'accept' },
      // `meta nfproto != ipv4`: every IPv6 packet.
      { unconditional: false, family: 'ip6', verdict: 'drop' },
      // `meta nfproto { ipv4, ipv6 }` matches every packet an inet table sees.
      { unconditional: true, verdict: 'jump', target: 'deny' },
    ]);
    expect(rules('inet mixed', 'deny')).toEqual([
      // `reject with icmpv6` in inet carries an implicit `meta nfproto ipv6` the listing leaves out.
      { unconditional: false, family: 'ip6', verdict: 'reject' },
      { unconditional: false, family: 'ip', verdict: 'drop' },
    ]);
    expect(rules('inet mixed', 'forward')).toEqual([
      // ipv4 and ipv6 at once: matches nothing.
      { unconditional: false, verdict: 'drop' },
      { unconditional: false, family: 'ip6', verdict: 'return' },
      // icmpx rejects both families.
      { unconditional: true, verdict: 'reject' },
    ]);
    // In an ip table every packet is IPv4: `meta protocol ip6` matches none, and no family is recorded.
    expect(rules('ip v4only', 'input')).toEqual([{ unconditional: false, verdict: 'drop' }]);
    const v4reject = JSON.stringify({
      nftables: [
        { table: { family: 'ip', name: 't' } },
        { chain: { family: 'ip', table: 't', name: 'input', type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
        { rule: { family: 'ip', table: 't', chain: 'input', handle: 2, expr: [{ reject: { type: 'icmp', expr: 'port-unreachable' } }] } },
        {
          rule: {
            family: 'ip',
            table: 't',
            chain: 'input',
            handle: 3,
            expr: [{ match: { op: '==', left: { meta: { key: 'protocol' } }, right: 'ip' } }, { accept: null }],
          },
        },
      ],
    });
    expect(shape(find(parseNftJson(v4reject).chains, 'ip', 't', 'input'))).toEqual(['*reject', '*accept']);
  });

  it('judging one family, a rule of that family alone decides like an unconditional one, a rule of the other never matches', () => {
    const v6 = only('inet v6accept');
    expect(effectivePolicy(v6, 'input', 'ip')).toEqual({ verdict: 'drop', chains: ['inet v6accept/input'], reason: 'inet v6accept/input policy drop' });
    expect(effectivePolicy(v6, 'input', 'ip6')).toEqual({
      verdict: 'accept',
      chains: ['inet v6accept/input'],
      reason: 'inet v6accept/input rule 1 (handle 2) accepts every IPv6 packet',
    });
    expect(effectivePolicy(v6, 'input', 'inet')).toMatchObject({
      verdict: 'accept',
      reason: 'IPv4: inet v6accept/input policy drop; IPv6: inet v6accept/input rule 1 (handle 2) accepts every IPv6 packet',
    });
    const v4 = only('inet v4accept');
    expect(effectivePolicy(v4, 'input', 'ip')).toMatchObject({ verdict: 'accept', reason: 'inet v4accept/input rule 1 (handle 2) accepts every IPv4 packet' });
    expect(effectivePolicy(v4, 'input', 'ip6')).toMatchObject({ verdict: 'drop', reason: 'inet v4accept/input policy drop' });

    const mixed = only('inet mixed');
    expect(effectivePolicy(mixed, 'input', 'ip').reason).toBe(
      'inet mixed/deny rule 2 (handle 9) drops every IPv4 packet, reached by jump from input rule 3 (handle 7)',
    );
    expect(effectivePolicy(mixed, 'input', 'ip6').reason).toBe('inet mixed/input rule 2 (handle 5) drops every IPv6 packet');
    expect(effectivePolicy(mixed, 'forward', 'ip')).toMatchObject({ verdict: 'reject', reason: 'inet mixed/forward rule 3 (handle 12) rejects everything' });
    // A return of the packet's own family ends the base chain: its policy applies.
    expect(effectivePolicy(mixed, 'forward', 'ip6')).toMatchObject({
      verdict: 'accept',
      reason: 'inet mixed/forward policy accept (rule 2 (handle 11) returns to the policy)',
    });
    expect(effectivePolicy(only('ip v4only'), 'input', 'ip')).toMatchObject({ verdict: 'accept', reason: 'ip v4only/input policy accept' });
  });

  it("a return of the other family is skipped; one of the packet's own family ends the base chain", () => {
    const text = ['*filter', ':INPUT DROP [0:0]', 'COMMIT', ''].join('\n');
    const f = fact('iptables', parseIptablesSave(text, 'ip'));
    const input = find(f.chains, 'ip', 'filter', 'INPUT')!;
    input.family = 'inet';
    input.rules = [
      { position: 1, unconditional: false, family: 'ip6', verdict: 'return' },
      { position: 2, unconditional: false, family: 'ip', verdict: 'reject' },
    ];
    expect(effectivePolicy(f, 'input', 'ip')).toMatchObject({ verdict: 'reject', reason: 'inet filter/INPUT rule 2 rejects every IPv4 packet' });
    expect(effectivePolicy(f, 'input', 'ip6')).toMatchObject({ verdict: 'drop', reason: 'inet filter/INPUT policy drop (rule 1 returns to the policy)' });
  });

  it('inbound packets pass prerouting first: a filter chain there that drops everything drops them', () => {
    const pre = only('inet pre');
    for (const hook of ['input', 'forward'] as const) {
      expect(effectivePolicy(pre, hook, 'inet')).toEqual({ verdict: 'drop', chains: ['inet pre/pre'], reason: 'prerouting hook: inet pre/pre policy drop' });
    }
    expect(effectivePolicy(pre, 'output', 'inet').reason).toBe('no firewall: no base chain on the output hook, the kernel accepts everything');
    // The input chain accepts every IPv4 packet; prerouting dropped them before.
    expect(effectivePolicy(only('inet pre', 'inet v4accept'), 'input', 'ip')).toEqual({
      verdict: 'drop',
      chains: ['inet pre/pre'],
      reason: 'prerouting hook: inet pre/pre policy drop',
    });
    // Prerouting passes the packet, forward rejects it.
    const passes = only('inet pre', 'inet mixed');
    find(passes.chains, 'inet', 'pre', 'pre')!.policy = 'accept';
    expect(effectivePolicy(passes, 'forward', 'ip')).toEqual({
      verdict: 'reject',
      chains: ['inet mixed/forward'],
      reason: 'inet mixed/forward rule 3 (handle 12) rejects everything',
    });
    // Both block: the packet meets prerouting first, so that is the verdict the sender sees; both are named.
    expect(effectivePolicy(only('inet pre', 'inet mixed'), 'forward', 'ip')).toEqual({
      verdict: 'drop',
      chains: ['inet pre/pre', 'inet mixed/forward'],
      reason: 'prerouting hook: inet pre/pre policy drop; inet mixed/forward rule 3 (handle 12) rejects everything',
    });
    // A prerouting chain that lets everything through: the input hook has no chain, and the reason says both.
    const open = only('inet pre');
    find(open.chains, 'inet', 'pre', 'pre')!.policy = 'accept';
    expect(effectivePolicy(open, 'input', 'ip')).toEqual({
      verdict: 'accept',
      chains: [],
      reason: 'no base chain on the input hook, the kernel accepts everything (prerouting hook: inet pre/pre policy accept)',
    });
    // With the input chain accepting, the reason is the input chain's.
    const preAndInput = only('inet pre', 'inet v4accept');
    find(preAndInput.chains, 'inet', 'pre', 'pre')!.policy = 'accept';
    expect(effectivePolicy(preAndInput, 'input', 'ip')).toEqual({
      verdict: 'accept',
      chains: ['inet v4accept/input'],
      reason: 'inet v4accept/input rule 1 (handle 2) accepts every IPv4 packet',
    });
  });

  it('iptables raw PREROUTING that drops everything drops input; a dormant prerouting table filters nothing', () => {
    for (const f of [only('ip raw'), fact('iptables', parseIptablesSave(fixture('iptables-save-hooks.txt'), 'ip'))]) {
      const handle = f.backend === 'nftables' ? ' (handle 2)' : '';
      expect(effectivePolicy(f, 'input', 'ip')).toEqual({
        verdict: 'drop',
        chains: ['ip raw/PREROUTING'],
        reason: `prerouting hook: ip raw/PREROUTING rule 1${handle} drops everything`,
      });
    }
    const asleep = only('inet pre');
    asleep.tables[0]!.dormant = true;
    expect(effectivePolicy(asleep, 'input', 'ip').reason).toBe(
      'no firewall: no base chain on the input hook, the kernel accepts everything (inet pre is dormant: it filters nothing)',
    );
  });

  it('output: type route chains (iptables mangle OUTPUT) filter like filter chains, and postrouting follows', () => {
    expect(find(parseIptablesSave(fixture('iptables-save-hooks.txt'), 'ip').chains, 'ip', 'mangle', 'OUTPUT')).toMatchObject({
      hook: 'output',
      type: 'route',
      policy: 'drop',
    });
    expect(effectivePolicy(only('ip route'), 'output', 'ip')).toEqual({ verdict: 'drop', chains: ['ip route/out'], reason: 'ip route/out policy drop' });
    expect(effectivePolicy(only('ip mangle'), 'output', 'ip')).toEqual({
      verdict: 'drop',
      chains: ['ip mangle/OUTPUT'],
      reason: 'ip mangle/OUTPUT policy drop',
    });
    // Two chains of the other family: "cover".
    expect(effectivePolicy(only('ip route', 'ip mangle'), 'output', 'ip6').reason).toBe(
      'no IPv6 base chain on the output hook: the kernel accepts all IPv6 packets (ip route/out, ip mangle/OUTPUT cover the other family only)',
    );
    const open = only('ip route');
    find(open.chains, 'ip', 'route', 'out')!.policy = 'accept';
    expect(effectivePolicy(open, 'output', 'ip')).toEqual({ verdict: 'accept', chains: ['ip route/out'], reason: 'ip route/out policy accept' });
    // A route chain is no filter on input: iptables mangle INPUT is type filter there anyway.
    expect(effectivePolicy(only('ip route'), 'input', 'ip').reason).toBe('no firewall: no base chain on the input hook, the kernel accepts everything');
    const post = only('inet post');
    expect(effectivePolicy(post, 'output', 'inet')).toEqual({
      verdict: 'drop',
      chains: ['inet post/post'],
      reason: 'postrouting hook: inet post/post policy drop',
    });
    expect(effectivePolicy(post, 'forward', 'ip').verdict).toBe('drop');
    expect(effectivePolicy(post, 'input', 'ip').verdict).toBe('accept');
  });

  it('a queue to userspace ends the chain: counted as accept, and said so', () => {
    const why = '(the program decides; counted as accept: packets may pass)';
    // iptables-nft keeps -j NFQUEUE as an xt target.
    expect(shape(find(only('ip filter').chains, 'ip', 'filter', 'INPUT'))).toEqual(['accept', '*queue', '*drop']);
    expect(effectivePolicy(only('ip filter'), 'input', 'ip')).toEqual({
      verdict: 'accept',
      chains: ['ip filter/INPUT'],
      reason: `ip filter/INPUT rule 2 (handle 3) queues everything to userspace ${why}`,
    });
    const save = parseIptablesSave(fixture('iptables-save-hooks.txt'), 'ip');
    expect(shape(find(save.chains, 'ip', 'filter', 'INPUT'))).toEqual(['accept', '*queue', '*drop']);
    // A native nft queue statement, bypass or not, and one behind a jump; a conditional queue does not decide.
    const native = JSON.stringify({
      nftables: [
        { table: { family: 'inet', name: 'q' } },
        { chain: { family: 'inet', table: 'q', name: 'input', type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
        { chain: { family: 'inet', table: 'q', name: 'ips' } },
        {
          rule: {
            family: 'inet',
            table: 'q',
            chain: 'input',
            handle: 3,
            expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: 22 } }, { queue: { num: 1 } }],
          },
        },
        { rule: { family: 'inet', table: 'q', chain: 'input', handle: 4, expr: [{ jump: { target: 'ips' } }] } },
        {
          rule: {
            family: 'inet',
            table: 'q',
            chain: 'ips',
            handle: 5,
            expr: [{ counter: { packets: 0, bytes: 0 } }, { queue: { num: { range: [1, 3] }, flags: ['bypass', 'fanout'] } }],
          },
        },
      ],
    });
    const q = fact('nftables', parseNftJson(native));
    expect(shape(find(q.chains, 'inet', 'q', 'input'))).toEqual(['queue', '*jump:ips']);
    expect(effectivePolicy(q, 'input', 'inet')).toEqual({
      verdict: 'accept',
      chains: ['inet q/input'],
      reason: `inet q/ips rule 1 (handle 5) queues everything to userspace, reached by jump from input rule 2 (handle 4) ${why}`,
    });
    const r = wordedOutcome(
      evaluateFirewall(
        { id: 'fw', expect: { policy: ['drop', 'reject'] } } as unknown as CheckOf<'firewall'>,
        { chain: 'input', family: 'inet' },
        {
          schema: 'plumbline/facts/v1',
          host: { hostname: 'h', kernel: 'k', collectedAt: '2026-11-25T00:00:00Z', transport: 'replay' },
          firewall: q,
        },
      ),
    );
    expect(r).toMatchObject({ status: 'fail', message: 'input (inet) is accept, not drop or reject' });
    expect(r.actual).toContain('queues everything to userspace');
  });
});

describe('evaluateFirewall and IPv6', () => {
  const check = (family: FirewallSelector['family']): [CheckOf<'firewall'>, FirewallSelector] => {
    const sel: FirewallSelector = { chain: 'input', ...(family ? { family } : {}) };
    return [{ id: 'fw', expect: { policy: ['drop', 'reject'] } } as unknown as CheckOf<'firewall'>, sel];
  };
  const snapshot = (firewall: FirewallFact, ipv6?: Ipv6Fact | { error: string }): FactsSnapshot => ({
    schema: 'plumbline/facts/v1',
    host: { hostname: 'h', kernel: 'k', collectedAt: '2026-11-25T00:00:00Z', transport: 'replay' },
    firewall,
    ...(ipv6 ? { ipv6 } : {}),
  });
  const v4only = save('iptables-save.txt');
  const off: Ipv6Fact = { enabled: false, reason: 'IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)' };

  it('IPv6 off: an ip6 check is skipped with the reason, inet is judged on IPv4 alone', () => {
    expect(wordedOutcome(evaluateFirewall(...check('ip6'), snapshot(v4only, off)))).toMatchObject({
      status: 'skip',
      expected: 'input policy drop or reject',
      actual: 'IPv6 disabled',
      message: off.reason,
    });
    expect(wordedOutcome(evaluateFirewall(...check('inet'), snapshot(v4only, off)))).toMatchObject({
      status: 'pass',
      expected: 'input policy drop or reject',
      actual: `drop (ip filter/INPUT rule 7 drops everything; IPv4 only: ${off.reason})`,
      message: 'input (inet, judged on IPv4 alone) is drop',
    });
    // Even when the firewall could not be read, an IPv6 check on a host without IPv6 does not apply.
    expect(evaluateFirewall(...check('ip6'), { ...snapshot(v4only, off), firewall: { error: 'nft: not installed' } }).status).toBe('skip');
  });

  it('IPv6 on, unknown or from an older snapshot: both families are judged', () => {
    for (const v6 of [{ enabled: true }, { error: 'EACCES' }, undefined]) {
      const r = wordedOutcome(evaluateFirewall(...check(undefined), snapshot(v4only, v6)));
      expect(r.status).toBe('fail');
      expect(r.message).toBe('input (inet) is accept, not drop or reject');
    }
  });
});

describe('collectFirewall', () => {
  const legacyNone = { '/proc/net/ip_tables_names': fixture('proc-ip_tables_names-none.txt') };

  it('reads nftables when nft works', async () => {
    const t = replayTransport({ commands: { [NFT]: ok(fixture('nft-firewalld.json')) } });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    expect(f.backend).toBe('nftables');
    expect(f.managers).toEqual(['firewalld']);
    expect(t.execCalls).toEqual([NFT]);
  });

  it('keeps an empty ruleset from a working nft: not an error', async () => {
    const t = replayTransport({ commands: { [NFT]: ok(fixture('nft-empty.json')) }, files: legacyNone });
    expect(await readFamily(firewallFamily, { timeoutMs: 10_000 }, t)).toEqual({ backend: 'nftables', managers: [], tables: [], chains: [] });
    // No legacy x_tables table in this namespace: no reason to run the legacy tools.
    expect(t.execCalls).toEqual([NFT]);
  });

  it('reads legacy tables alongside a full nft ruleset: both apply, a drop anywhere wins', async () => {
    const t = replayTransport({
      commands: { [NFT]: ok(fixture('nft-accept-with-legacy.json')), 'iptables-legacy-save': ok(fixture('iptables-legacy-save-drop.txt')) },
      files: {
        '/proc/net/ip_tables_names': fixture('proc-ip_tables_names-filter.txt'),
        '/proc/net/ip6_tables_names': fixture('proc-ip6_tables_names-none.txt'),
      },
    });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    // Only the family that has legacy tables is asked.
    expect(t.execCalls).toEqual([NFT, 'iptables-legacy-save']);
    expect(f.backend).toBe('nftables');
    expect(f.tables).toEqual([
      { family: 'inet', name: 'filter', dormant: false },
      { family: 'ip', name: 'filter', legacy: true, dormant: false },
    ]);
    expect(effectivePolicy(f, 'input', 'ip')).toMatchObject({ verdict: 'drop', chains: ['ip filter/INPUT (iptables-legacy)'] });
    expect(effectivePolicy(f, 'input', 'ip6')).toMatchObject({ verdict: 'accept', chains: ['inet filter/input'] });
  });

  it('finds legacy iptables rules that nft cannot see', async () => {
    const t = replayTransport({
      commands: {
        [NFT]: ok(fixture('nft-legacy-only.json')),
        'iptables-legacy-save': ok(fixture('iptables-legacy-save.txt')),
        'ip6tables-legacy-save': ok(fixture('ip6tables-legacy-save.txt')),
      },
      files: {
        '/proc/net/ip_tables_names': fixture('proc-ip_tables_names-legacy.txt'),
        '/proc/net/ip6_tables_names': fixture('proc-ip6_tables_names-legacy.txt'),
      },
    });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    expect(t.execCalls).toEqual([NFT, 'iptables-legacy-save', 'ip6tables-legacy-save']);
    expect(f.backend).toBe('iptables-legacy');
    expect(effectivePolicy(f, 'input', 'ip')).toMatchObject({ verdict: 'drop', chains: ['ip filter/INPUT (iptables-legacy)'] });
  });

  it('legacy tables that exist but cannot be read are an error, not an open host', async () => {
    const t = replayTransport({
      commands: { [NFT]: ok(fixture('nft-plain-drop.json')) },
      files: { '/proc/net/ip_tables_names': fixture('proc-ip_tables_names-filter.txt') },
    });
    await expect(readFamily(firewallFamily, { timeoutMs: 10_000 }, t)).rejects.toThrow(
      'cannot read the legacy iptables rules, which apply alongside nftables: iptables-legacy-save: not installed',
    );
  });

  it('asks the text listing for flags the JSON garbled', async () => {
    const t = replayTransport({ commands: { [NFT]: ok(fixture('nft-dormant.json')), [NFT_TEXT]: ok(fixture('nft-dormant.nft')) }, files: legacyNone });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    expect(t.execCalls).toEqual([NFT, NFT_TEXT]);
    expect(f.tables).toEqual([
      { family: 'ip', name: 'filter', dormant: true },
      { family: 'inet', name: 'other', dormant: false },
    ]);
    expect(effectivePolicy(f, 'input', 'ip').verdict).toBe('accept');
    // Without the text listing the table counts as filtering: stricter than the kernel, never more open.
    const blind = await readFamily(
      firewallFamily,
      { timeoutMs: 10_000 },
      replayTransport({ commands: { [NFT]: ok(fixture('nft-dormant.json')) }, files: legacyNone }),
    );
    expect(effectivePolicy(blind, 'input', 'ip').verdict).toBe('drop');
  });

  it('falls back to iptables-save when nft is not installed', async () => {
    const t = replayTransport({
      commands: { 'iptables-save': ok(fixture('iptables-save.txt')), 'ip6tables-save': ok(fixture('ip6tables-save.txt')) },
      files: legacyNone,
    });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    expect(f.backend).toBe('iptables');
    expect(effectivePolicy(f, 'input', 'ip').verdict).toBe('drop');
    expect(effectivePolicy(f, 'input', 'ip6').verdict).toBe('reject');
  });

  it('without nft, iptables-save of the nf_tables variant is read together with the legacy tables', async () => {
    const t = replayTransport({
      commands: {
        'iptables-save': ok(fixture('iptables-save-chains.txt')),
        'ip6tables-save': ok(''),
        'iptables-legacy-save': ok(fixture('iptables-legacy-save-drop.txt')),
      },
      files: { '/proc/net/ip_tables_names': fixture('proc-ip_tables_names-filter.txt') },
    });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    expect(t.execCalls).toEqual([NFT, 'iptables-save', 'ip6tables-save', 'iptables-legacy-save']);
    expect(f.backend).toBe('iptables');
    // iptables-nft's OUTPUT accepts; the legacy OUTPUT accepts too; legacy INPUT has policy drop.
    expect(effectivePolicy(f, 'output', 'ip').verdict).toBe('accept');
    expect(effectivePolicy(f, 'forward', 'ip')).toMatchObject({ verdict: 'reject', chains: ['ip filter/FORWARD'] });
    expect(effectivePolicy(f, 'input', 'ip').chains).toEqual(['ip filter/INPUT', 'ip filter/INPUT (iptables-legacy)']);
  });

  it('reads the iptables-save header to tell the legacy variant', async () => {
    const t = replayTransport({
      commands: { 'iptables-save': ok(fixture('iptables-legacy-save.txt')), 'ip6tables-save': ok(fixture('ip6tables-legacy-save.txt')) },
    });
    const f = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t);
    expect(f.backend).toBe('iptables-legacy');
    expect(f.chains.every((c) => c.legacy)).toBe(true);
  });

  it('throws naming every attempt when nothing could read the ruleset (not root)', async () => {
    const t = replayTransport({
      commands: {
        [NFT]: { stdout: '', stderr: fixture('nft-nonroot.stderr.txt'), exitCode: 1 },
        'iptables-save': { stdout: '', stderr: fixture('iptables-save-nonroot.stderr.txt'), exitCode: 4 },
        'ip6tables-save': {
          stdout: '',
          stderr: 'ip6tables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n',
          exitCode: 4,
        },
      },
    });
    const err = await readFamily(firewallFamily, { timeoutMs: 10_000 }, t).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toContain('nft -j list ruleset: exit 1: Operation not permitted (you must be root)');
    expect(err?.message).toContain('iptables-save: exit 4: iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied');
    expect(err?.message).toContain('ip6tables-save: exit 4');
  });

  it('with nft installed but unable to list JSON, iptables-save stands in only when nft lists no table it cannot show', async () => {
    const noJson = { stdout: '', stderr: 'Error: JSON support not compiled-in\n', exitCode: 1 };
    const save = { 'iptables-save': ok(fixture('iptables-save.txt')), 'ip6tables-save': ok(fixture('ip6tables-save.txt')) };
    // Only iptables-nft's own tables: iptables-save shows all of them.
    const only = replayTransport({ commands: { [NFT]: noJson, ...save, 'nft list tables': ok('table ip filter\ntable ip6 filter\n') } });
    expect((await readFamily(firewallFamily, { timeoutMs: 10_000 }, only)).backend).toBe('iptables');
    // A native nftables table (a policy drop there would filter every packet) that iptables-save cannot show.
    const native = replayTransport({ commands: { [NFT]: noJson, ...save, 'nft list tables': ok('table ip filter\ntable ip6 filter\ntable inet filter\n') } });
    await expect(readFamily(firewallFamily, { timeoutMs: 10_000 }, native)).rejects.toThrow(
      'cannot read the nftables ruleset: nft -j list ruleset: exit 1: Error: JSON support not compiled-in; nft lists tables iptables-save does not show (inet filter)',
    );
  });

  it('throws when no firewall tool is installed', async () => {
    await expect(readFamily(firewallFamily, { timeoutMs: 10_000 }, replayTransport())).rejects.toThrow(
      'cannot read the firewall ruleset: nft: not installed; iptables-save: not installed; ip6tables-save: not installed',
    );
  });

  it('does not report IPv6 as open when only ip6tables-save failed', async () => {
    const t = replayTransport({ commands: { 'iptables-save': ok(fixture('iptables-save.txt')), 'ip6tables-save': { error: 'ETIMEDOUT' } } });
    await expect(readFamily(firewallFamily, { timeoutMs: 10_000 }, t)).rejects.toThrow(/ip6tables-save/);
  });

  it('facts read from every fixture follow schemas/facts.schema.json', async () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
    const schema = JSON.parse(readFileSync(`${ROOT}schemas/facts.schema.json`, 'utf8')) as { $defs: Record<string, unknown> };
    const validate = ajv.compile({
      ...schema,
      $ref: '#/$defs/firewall',
      properties: undefined,
      required: undefined,
      additionalProperties: undefined,
      type: undefined,
    });
    const facts = [
      ...['nft-plain-drop.json', 'nft-iptables.json', 'nft-ufw.json', 'nft-firewalld.json', 'nft-chains.json', 'nft-dormant.json', 'nft-family.json'].map(nft),
      save('iptables-save-ufw.txt', 'ip6tables-save-ufw.txt'),
      save('iptables-save-hooks.txt'),
      fact(
        'nftables',
        parseNftJson(fixture('nft-accept-with-legacy.json')),
        parseIptablesSave(fixture('iptables-legacy-save-drop.txt'), 'ip', { legacy: true }),
      ),
    ];
    for (const f of facts) expect(validate(f), JSON.stringify(validate.errors)).toBe(true);
    // Summaries, not expressions: ufw's ~190 chains and rules stay small.
    expect(JSON.stringify(nft('nft-ufw.json')).length).toBeLessThan(fixture('nft-ufw.json').length / 2);
  });
});
