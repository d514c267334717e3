// The native reader, hermetic: INI values as Python literals, ranges, the precedence of vars, group_vars/ and
// host_vars/, and every refusal with its exact file:line:col message. (That Ansible reads the fixtures the
// same way is test/integration/inventory-ansible.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { InventoryError, type Inventory } from '../../../src/inventory/model.js';

const FIXTURES = 'test/fixtures/inventories';
const dir = mkdtempSync(join(tmpdir(), 'plumbline-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function load(name: string, text: string): Promise<Inventory> {
  const sub = join(dir, String(n++));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(sub);
  writeFileSync(join(sub, name), text);
  return loadInventory(join(sub, name));
}

async function refusal(name: string, text: string): Promise<string> {
  const err = await load(name, text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InventoryError);
  // The message without the temporary directory in front of the file name.
  return (err as InventoryError).message.replace(`${dir}/${n - 1}/`, '');
}

function vars(inv: Inventory, host: string): Record<string, unknown> {
  return inv.hosts.find((h) => h.name === host)!.vars;
}

describe('INI', () => {
  test('values are Python literals, or the text itself', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-basic/inventory.ini`);
    expect(vars(inv, 'web1.example.com')).toEqual({
      ansible_python_interpreter: '/usr/bin/python3',
      env: 'production',
      http_port: 8080,
      proxy: "proxy.example.com # not a comment to Python's literal reader",
      timeout: 30,
      greeting: 'hello world',
      flag: true,
      empty: '',
      ansible_port: 2222,
      ansible_host: '198.18.0.10',
      ratio: 0.5,
      hexed: 31,
      enabled: true,
      off: false,
      nothing: null,
    });
    expect(vars(inv, 'web2.example.com')).toMatchObject({ quoted: 'a b', dq: 'c d', padded: '007', lower: 'true', sum: '1+2', word: 'hello' });
    expect(vars(inv, 'web3')).toMatchObject({ listed: [1, 'two', 3], mapped: { k: 'v', n: 1 }, tupled: [1, 2], neg: -5, under: 1000, trailing: 3 });
    expect(vars(inv, 'db2')).toMatchObject({ ansible_ssh_private_key_file: '/keys/db2.pem', ansible_become: 'yes' });
    expect(inv.hosts.find((h) => h.name === 'lone.example.com')).toEqual({
      name: 'lone.example.com',
      groups: ['ungrouped'],
      vars: { ansible_python_interpreter: '/usr/bin/python3', env: 'production' },
    });
    expect(vars(inv, '198.18.0.9')).toMatchObject({ ansible_port: 2201, ansible_user: 'ops' });
  });

  test('ranges: numbers, letters, steps, leading zeros, several in one name, with a port', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-ranges/inventory.ini`);
    const g = inv.groups;
    expect(g.web!.hosts).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `web${String(i + 1).padStart(2, '0')}.example.com`),
      'web1-odd',
      'web3-odd',
      'web5-odd',
      'web7-odd',
      'web9-odd',
    ]);
    expect(g.letters!.hosts).toEqual(['db-a', 'db-b', 'db-c', 'node-a', 'node-c', 'node-e', 'grid-a-1', 'grid-a-2', 'grid-b-1', 'grid-b-2']);
    expect(g.ips!.hosts).toEqual(['198.18.0.1', '198.18.0.2', '198.18.0.3', '198.18.1.10', '198.18.1.11', '198.18.1.12']);
    expect(vars(inv, '198.18.1.11')).toEqual({ ansible_port: 2222, ansible_user: 'range' });
    expect(g.zeros!.hosts).toEqual(['z001', 'z002', 'z003', 'z08', 'z09', 'z10', 'z11']);
  });

  test('a host on several lines: created by the first (its port sticks), each later line sets its vars', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-duplicates/inventory.ini`);
    expect(inv.hosts.map((h) => h.name)).toEqual(['dup', 'other']);
    expect(vars(inv, 'dup')).toEqual({ ansible_port: 2201, a: 1, b: 'third', c: 3 });
    expect(vars(inv, 'other')).toEqual({ ansible_port: 2300 });
    expect(inv.hosts[0]!.groups).toEqual(['cache', 'db', 'web']);
  });

  test('groups named under :children and :vars before their own section', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-pending/inventory.ini`);
    expect(inv.hosts).toEqual([{ name: 'h1', groups: ['grand', 'later', 'parent'], vars: { from: 'later-vars' } }]);
    expect(inv.groups.all!.children).toEqual(['ungrouped', 'grand']);
  });

  test.each([
    ['[web:foo]\n', 'inv.ini:1:6: unknown section type "foo" in [web:foo]: a section is [web], [web:vars] or [web:children]'],
    [
      '[web]\nw1\n[web servers]\n',
      "inv.ini:3:1: \"[web servers]\" is no section header: a group name holds no spaces, ':' or ']' (a section is [GROUP], [GROUP:vars] or [GROUP:children])",
    ],
    ['[web]\n  w[3:1]\n', 'inv.ini:2:3: bad host range in "w[3:1]": the range must have begin <= end'],
    ['[web]\nw[1:4:0]\n', 'inv.ini:2:1: bad host range in "w[1:4:0]": the step "0" is not a whole number above 0'],
    ['[web]\nw[c:a]\n', 'inv.ini:2:1: bad host range in "w[c:a]": the range must have begin <= end'],
    ['[web]\nw1 a=1 oops\n', 'inv.ini:2:8: expected key=value after the host name, got "oops"'],
    ['[web]\nw1 a="unclosed\n', 'inv.ini:2:1: cannot split this host line into words: no closing quotation'],
    ['[web]\nw1:\n', 'inv.ini:2:1: "w1:" ends in \':\' with no port after it (a port is written host:22)'],
    ['[web]\nw1\n[web:vars]\nnovalue\n', 'inv.ini:4:1: expected key=value in [web:vars], got "novalue"'],
    ['[web]\nw1\n[web:children]\na b\n', 'inv.ini:4:1: expected a group name in [web:children], got "a b"'],
    ['[web]\nw1\n[web:vars]\nansible_group_priority=high\n', 'inv.ini:4:1: ansible_group_priority of "web" must be a whole number, not "high"'],
    ['[web:children]\nweb\n', 'inv.ini:2:1: group "web" cannot be a child of itself'],
    ['[top:children]\nghost\n', 'inv.ini:2:1: [top:children] names group "ghost", which is defined nowhere: add a [ghost] or [ghost:children] section'],
    ['[web]\nw1\n[ghost:vars]\na=1\n', 'inv.ini:3:2: [ghost:vars] sets vars of a group that is defined nowhere: add a [ghost] or [ghost:children] section'],
    ['[a]\nh\n[b]\nh\n[a:children]\nb\n[b:children]\na\n', 'inv.ini:8:1: making "a" a child of "b" makes a loop: "b" is already inside "a"'],
    ['[web]\nw\0x\n', 'inv.ini:2:2: not UTF-8 text (binary data, or another encoding): no inventory'],
  ])('refuses %j', async (text, message) => {
    expect(await refusal('inv.ini', text)).toBe(message);
  });
});

describe('YAML', () => {
  test('null groups, ports, string sections, YAML 1.1 values as Ansible reads them', async () => {
    const inv = await loadInventory(`${FIXTURES}/yaml-basic/inventory.yml`);
    expect(inv.groups.db!.hosts).toEqual(['db1']);
    expect(inv.groups.web!.hosts).toEqual(['web1', 'web2', 'web03', 'web04']);
    expect(inv.groups.empty).toEqual({ hosts: [], children: [] });
    expect(inv.groups.both).toEqual({ hosts: ['web1', 'db1'], children: ['inner'] });
    const web2 = inv.hosts.find((h) => h.name === 'web2')!;
    expect(web2.groups).toEqual(['web']);
    expect(web2.vars).toMatchObject({ ansible_port: 2223, role: 'secondary', http_port: 80 });
    expect(vars(inv, 'bastion.example.com')).toEqual({
      ansible_host: '198.18.0.1',
      ntp: 'ntp.example.com',
      yes_word: true,
      on_word: true,
      y_word: 'y',
      octal: 493,
      sexagesimal: 80,
      exp_no_dot: '1e3',
      exp_dot: 1000,
      a_date: '2024-01-02',
      unsafe: '{{ not_a_template }}',
    });
    expect(inv.hosts.find((h) => h.name === 'bastion.example.com')!.groups).toEqual(['ungrouped']);
    expect(inv.hosts.find((h) => h.name === 'inner1')!.groups).toEqual(['both', 'inner']);
  });

  test.each([
    ['all:\n  hosts:\n    - a\n', 'inv.yml:3:5: "hosts" of group "all" must be a map (host: its vars), not a list'],
    ['all:\n  children:\n    web: [a, b]\n', 'inv.yml:3:10: group "web" must be a map of hosts, children and vars, not a list'],
    ['all:\n  host:\n    a:\n', 'inv.yml:2:3: unknown key "host" in group "all": a group holds hosts, children and vars'],
    [
      'all:\n  hosts:\n    a: just-a-string\n',
      'inv.yml:3:8: host "a" of group "all" must have a map of vars (key: value) or nothing, not the string "just-a-string"',
    ],
    ['all:\n  hosts:\n    1:\n', 'inv.yml:3:5: a host pattern must be a string: quote 1'],
    ['all:\n  hosts:\n    a:\n    a:\n', 'inv.yml:4:5: duplicate key "a" (first on line 3)'],
    ['all:\n  hosts: [\n', 'inv.yml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['- a\n- b\n', 'inv.yml:1:1: a YAML inventory is a map of groups (all: {hosts: ..., children: ..., vars: ...})'],
    ['', 'inv.yml: the YAML file is empty: no inventory in it'],
    [
      'all:\n  vars:\n    secret: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n',
      'inv.yml:3:20: a value encrypted with ansible-vault: plumbline does not decrypt vault values',
    ],
    [
      'all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n',
      'inv.yml:5:9: making "b" a child of "a" makes a loop: "a" is already inside "b"',
    ],
  ])('refuses %j', async (text, message) => {
    expect(await refusal('inv.yml', text)).toBe(message);
  });
});

describe('precedence', () => {
  test('child over parent, the later name at one depth, host over groups', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-nested/inventory.ini`);
    const n1 = inv.hosts.find((h) => h.name === 'n1')!;
    expect(n1.groups).toEqual(['alpha', 'leaf', 'left', 'right', 'top', 'zeta']);
    expect(n1.vars).toEqual({ depth: 'leaf', side: 'right', tie: 'right', tie2: 'zeta', only_top: 1, only_all: 'yes' });
    expect(vars(inv, 'n2')).toEqual({ depth: 'host', side: 'right', tie: 'right', only_top: 1, only_all: 'yes' });
  });

  test('ansible_group_priority orders groups of one depth, and is no var', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-priority/inventory.ini`);
    // p1: zzz (priority 1) then aaa (10): aaa wins. p2: zzz (1), mid (5), aaa (10).
    expect(vars(inv, 'p1')).toEqual({ who: 'aaa' });
    expect(vars(inv, 'p2')).toEqual({ who: 'aaa' });
  });

  test('group_vars/ beat every inventory group var; host_vars/ beat the host line; files in a directory in order', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-vars-dirs/inventory.ini`);
    expect(vars(inv, 'web1')).toEqual({
      from_all: 1,
      source: 'group_vars-web',
      web_only: true,
      inline: 'host_vars',
      web1_json: [1, 2],
    });
    expect(vars(inv, 'db1')).toEqual({ from_all: 1, source: 'group_vars-all', dbs_var: 'dbs', order: 'nested', one: 1, two: 2, three: 3, nested: true });
    expect(vars(inv, 'db2')).toMatchObject({ inline: 'host', a: 2, b: 2 });
    const p = await loadInventory(`${FIXTURES}/yaml-precedence/inventory.yaml`);
    expect(vars(p, 'p1')).toEqual({ level: 'host', from_file: 'group_vars-all', priority_var: 'base', host_only: 1, ansible_group_priority: 99 });
    expect(vars(p, 'p2')).toEqual({ level: 'host_vars-p2', from_file: 'group_vars-all', priority_var: 'base', ansible_group_priority: 99 });
  });

  test('a vars file that is no map is refused where it says so', async () => {
    const sub = join(dir, 'badvars');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(sub, 'group_vars'), { recursive: true });
    writeFileSync(join(sub, 'inv.ini'), '[web]\nw1\n');
    writeFileSync(join(sub, 'group_vars', 'web.yml'), '- a\n- b\n');
    const err = await loadInventory(join(sub, 'inv.ini')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).line).toBe(1);
    expect((err as InventoryError).detail).toBe('a vars file holds a map of vars (name: value)');
  });
});

describe('values stay data', () => {
  test('shell syntax, quotes and newlines arrive as written', async () => {
    const ini = await loadInventory(`${FIXTURES}/ini-hostile/inventory.ini`);
    expect(vars(ini, 'evil1')).toMatchObject({
      cmd: '$(touch /tmp/plumbline-pwned)',
      tick: '`id`',
      semi: 'a;b',
      amp: 'x && y',
      pipe: 'x|y',
      dollar: '$HOME',
      motd: "$(reboot); `halt` && echo 'done'",
      path: '/tmp/a b;c',
    });
    expect(vars(ini, 'evil2')).toMatchObject({ quote: "it's", dq: 'say "hi"' });
    expect(vars(ini, 'evil3')).toMatchObject({ backslash: 'a\\b', hash: 'x' });
    const yaml = await loadInventory(`${FIXTURES}/yaml-hostile/inventory.yaml`);
    expect(vars(yaml, 'evil1')).toMatchObject({
      quotes: 'it\'s "quoted"',
      newline: 'line one\nline two',
      block: 'first line; echo $HOME\n`second` && $(third)\n',
      folded: 'a folded value; with `ticks`\n',
    });
    expect(vars(yaml, 'evil2')).toMatchObject({ ansible_user: 'user$(id)' });
  });
});

describe('what needs ansible-inventory', () => {
  test('without it, a directory, a script and a plugin configuration are said to need it', async () => {
    vi.stubEnv('PATH', join(dir, 'no-such-bin'));
    try {
      const { chmodSync, mkdirSync } = await import('node:fs');
      const sub = join(dir, 'needs');
      mkdirSync(sub);
      writeFileSync(join(sub, 'script'), '#!/bin/sh\necho {}\n');
      chmodSync(join(sub, 'script'), 0o755);
      writeFileSync(join(sub, 'cloud.yml'), 'plugin: amazon.aws.aws_ec2\n');
      const said = async (p: string): Promise<string> => ((await loadInventory(p).catch((e: unknown) => e)) as InventoryError).message;
      expect(await said(sub)).toBe(
        `${sub}: an inventory directory is read through ansible-inventory, which is not installed (install Ansible, e.g. apt-get install ansible-core)`,
      );
      expect(await said(join(sub, 'script'))).toContain('an inventory script (an executable file) is read through ansible-inventory, which is not installed');
      expect(await said(join(sub, 'cloud.yml'))).toContain('an inventory plugin configuration (a YAML file with plugin:) is read through ansible-inventory');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('a path that does not exist', async () => {
    const err = (await loadInventory(join(dir, 'absent.ini')).catch((e: unknown) => e)) as InventoryError;
    expect(err.message).toBe(`${join(dir, 'absent.ini')}: cannot read the inventory: not found`);
    expect(err.line).toBeUndefined();
  });
});
