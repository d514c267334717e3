// The inventory reader held to Ansible itself: for every fixture, `ansible-inventory --list` (Debian's ansible)
// and loadInventory agree on the hosts, each group's hosts and children, each host's groups and its merged vars;
// `ansible all --list-hosts --limit PATTERN` and selectHosts agree on the hosts a pattern selects; both refuse
// the same broken inventories; and directories, scripts and plugin configurations are read through
// ansible-inventory. Ansible runs in a temporary directory with its home there, so it writes nothing into the
// repository or the real home.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { selectHosts } from '../../src/inventory/limit.js';
import { InventoryError, type Inventory } from '../../src/inventory/model.js';

const FIXTURES = resolve('test/fixtures/inventories');
const THROUGH_ANSIBLE = resolve('test/fixtures/inventories-ansible');
const haveAnsible = spawnSync('ansible-inventory', ['--version']).status === 0;
if (!haveAnsible && process.env.CI !== 'true') {
  console.log('inventory-ansible: skipped, ansible-inventory is not installed (apt-get install ansible); CI runs it');
}
const run = haveAnsible || process.env.CI === 'true';

const home = mkdtempSync(join(tmpdir(), 'plumbline-ansible-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const ansibleEnv = {
  ...process.env,
  HOME: home,
  ANSIBLE_HOME: home,
  ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
  ANSIBLE_CONFIG: join(home, 'none.cfg'),
  ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True',
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_DEPRECATION_WARNINGS: 'False',
};

function ansible(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: home, env: ansibleEnv, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The one inventory file of a fixture directory (group_vars/ and host_vars/ beside it). */
function inventoryFile(dir: string): string {
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

interface Listed {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: { hosts?: string[]; children?: string[] } | Listed['_meta'];
}

/** Each host's groups as Ansible's group_names says: the groups listing it, their ancestors, without all. */
function groupNames(listed: Listed, host: string): string[] {
  const groups = Object.entries(listed).filter(([k]) => k !== '_meta') as [string, { hosts?: string[]; children?: string[] }][];
  const member = new Set(groups.filter(([, g]) => g.hosts?.includes(host)).map(([n]) => n));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, g] of groups) {
      if (!member.has(name) && (g.children ?? []).some((c) => member.has(c))) {
        member.add(name);
        grew = true;
      }
    }
  }
  member.delete('all');
  // A host listed in no group is in ungrouped (which --list leaves out when it is empty).
  if (member.size === 0) member.add('ungrouped');
  return [...member].sort();
}

async function listed(path: string): Promise<Listed> {
  const r = await ansible('ansible-inventory', ['--list', '-i', path]);
  expect(r.stderr).not.toMatch(/ERROR|Unable to parse/);
  expect(r.code).toBe(0);
  // ansible-inventory's JSON writes a string marked !unsafe as {"__ansible_unsafe": "..."}: the string it is.
  return JSON.parse(r.stdout, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && Object.keys(v).join() === '__ansible_unsafe' ? (v as { __ansible_unsafe: unknown }).__ansible_unsafe : v,
  ) as Listed;
}

function expectAgreement(mine: Inventory, theirs: Listed): void {
  const theirHosts = new Set([
    ...Object.keys(theirs._meta.hostvars),
    ...Object.entries(theirs).flatMap(([k, g]) => (k === '_meta' ? [] : ((g as { hosts?: string[] }).hosts ?? []))),
  ]);
  expect(mine.hosts.map((h) => h.name).sort()).toEqual([...theirHosts].sort());
  for (const h of mine.hosts) {
    expect({ host: h.name, vars: h.vars }).toEqual({ host: h.name, vars: theirs._meta.hostvars[h.name] ?? {} });
    expect({ host: h.name, groups: h.groups }).toEqual({ host: h.name, groups: groupNames(theirs, h.name) });
  }
  for (const [name, g] of Object.entries(mine.groups)) {
    const t = theirs[name] as { hosts?: string[]; children?: string[] } | undefined;
    // --list leaves out empty groups, and never lists hosts under all.
    const hosts = name === 'all' ? [] : [...g.hosts].sort();
    expect({ group: name, hosts, children: [...g.children].sort() }).toEqual({
      group: name,
      hosts: [...(t?.hosts ?? [])].sort(),
      children: [...(t?.children ?? [])].sort(),
    });
  }
  for (const name of Object.keys(theirs)) if (name !== '_meta') expect(mine.groups[name], name).toBeDefined();
}

const fixtures = readdirSync(FIXTURES).sort();

describe.runIf(run)('ansible-inventory --list agrees with loadInventory', () => {
  test('there are fixtures', () => expect(fixtures.length).toBeGreaterThan(10));
  test.each(fixtures)('%s', async (name) => {
    const path = inventoryFile(join(FIXTURES, name));
    const [mine, theirs] = await Promise.all([loadInventory(path), listed(path)]);
    expectAgreement(mine, theirs);
  });
});

const LIMITS: [string, string[]][] = [
  [
    'ini-nested',
    ['all', '*', 'leaf', 'n1', 'top:!right', 'left,&zeta', 'n*', '~n[12]', 'alpha:zeta', 'leaf[0]', 'leaf[-1]', 'nothing', 'top[0:1]', 'left:right:!n2'],
  ],
  ['ini-ranges', ['web', 'web[0:2]', 'web[3:]', 'web0*', 'letters:&ips', '198.18.0.*', 'z0*:!z001', '~grid-.-1', '*-odd', 'web[1]', 'ips[10]']],
  ['yaml-basic', ['both', 'both:!inner', 'inner', 'web:db', 'ungrouped', 'empty', 'web*', 'all:!web', '&web', '!db']],
];

async function ansibleListHosts(path: string, limit: string): Promise<string[]> {
  const r = await ansible('ansible', ['all', '-i', path, '--list-hosts', '--limit', limit]);
  // A limit that selects nothing, or a subscript past the end, is an error to ansible and no hosts to selectHosts.
  if (r.code !== 0 && /no hosts to target|No hosts matched the subscripted pattern/.test(r.stderr)) return [];
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe.runIf(run)('ansible --list-hosts --limit agrees with selectHosts', () => {
  test.each(LIMITS)('%s', async (name, limits) => {
    const path = inventoryFile(join(FIXTURES, name));
    const inv = await loadInventory(path);
    const theirs = await Promise.all(limits.map((l) => ansibleListHosts(path, l)));
    limits.forEach((limit, i) => {
      const mine = selectHosts(inv, limit).map((h) => h.name);
      expect({ limit, hosts: mine.sort() }).toEqual({ limit, hosts: theirs[i]!.sort() });
    });
  });
});

// Each refused by both; ours says where, and for INI Ansible names the same line.
const BROKEN: { name: string; file: string; text: string; message: string; ansibleLine?: number }[] = [
  {
    name: 'unknown section suffix',
    file: 'bad.ini',
    text: '[web]\nw1\n[web:foo]\nx=1\n',
    message: 'bad.ini:3:6: unknown section type "foo" in [web:foo]: a section is [web], [web:vars] or [web:children]',
    ansibleLine: 3,
  },
  {
    name: 'range without an end',
    file: 'bad.ini',
    text: '[web]\n  web[1:]\n',
    message: 'bad.ini:2:3: bad host range in "web[1:]": a range needs an end value',
    ansibleLine: undefined,
  },
  {
    name: 'range with unequal zero-padding',
    file: 'bad.ini',
    text: '[web]\nok\nweb[01:100]\n',
    message: 'bad.ini:3:1: bad host range in "web[01:100]": with leading zeros, begin and end must have the same number of digits',
  },
  {
    name: 'vars of an undefined group',
    file: 'bad.ini',
    text: '[web]\nw1\n[ghost:vars]\na=1\n',
    message: 'bad.ini:3:2: [ghost:vars] sets vars of a group that is defined nowhere: add a [ghost] or [ghost:children] section',
    ansibleLine: 3,
  },
  {
    name: 'children of an undefined group',
    file: 'bad.ini',
    text: '[top:children]\nghost\n',
    message: 'bad.ini:2:1: [top:children] names group "ghost", which is defined nowhere: add a [ghost] or [ghost:children] section',
    ansibleLine: 2,
  },
  {
    name: 'a group loop',
    file: 'bad.ini',
    text: '[a:children]\nb\n[b:children]\na\n',
    message: 'bad.ini:4:1: making "a" a child of "b" makes a loop: "b" is already inside "a"',
  },
  {
    name: 'YAML hosts written as a list',
    file: 'bad.yml',
    text: 'all:\n  children:\n    web:\n      hosts:\n        - web1\n        - web2\n',
    message: 'bad.yml:5:9: "hosts" of group "web" must be a map (host: its vars), not a list',
  },
  {
    name: 'YAML host with a bad range',
    file: 'bad.yml',
    text: 'all:\n  hosts:\n    "web[a:1]":\n',
    message: 'bad.yml:3:5: bad host range in "web[a:1]": begin and end are both numbers or both single letters',
  },
];

describe.runIf(run)('broken inventories are refused by both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-bad-inv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test.each(BROKEN)('$name', async ({ file, text, message, ansibleLine }) => {
    const sub = mkdtempSync(join(dir, 'case-'));
    writeFileSync(join(sub, file), text);
    const r = await ansible('ansible-inventory', ['--list', '-i', join(sub, file)]);
    expect(r.code).not.toBe(0);
    if (ansibleLine !== undefined) expect(r.stderr).toContain(`${file}:${ansibleLine}:`);
    const err = await loadInventory(join(sub, file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as InventoryError).message).toBe(message.replace(/^[^:]+/, join(sub, file)));
  });
});

describe.runIf(run)('inventories only Ansible reads go through ansible-inventory', () => {
  test('a directory of inventory files with its group_vars', async () => {
    const inv = await loadInventory(join(THROUGH_ANSIBLE, 'dir'));
    // (A file ending in .ini is one Ansible skips in an inventory directory: 01-static has no extension.)
    expect(inv.hosts.map((h) => [h.name, h.groups, h.vars]).sort()).toEqual([
      ['db1', ['db'], { ansible_port: 5433, from_dir: true }],
      ['web1', ['web'], { ansible_host: '198.18.0.60', tier: 'web', from_dir: true }],
    ]);
  });
  test('an executable script', async () => {
    const inv = await loadInventory(join(THROUGH_ANSIBLE, 'script', 'inventory.py'));
    const byName = Object.fromEntries(inv.hosts.map((h) => [h.name, h]));
    expect(Object.keys(byName).sort()).toEqual(['e1', 's1', 's2']);
    expect(byName.s1).toEqual({ name: 's1', groups: ['app'], vars: { ansible_host: '198.18.0.70', note: '$(id); `id`', raw: '{{ x }}', tier: 'app' } });
    expect(byName.e1).toEqual({ name: 'e1', groups: ['app', 'edge'], vars: { ansible_port: 2200, tier: 'app' } });
    expect(inv.groups.app).toEqual({ hosts: ['s1', 's2'], children: ['edge'] });
  });
  test('a plugin configuration', async () => {
    const inv = await loadInventory(join(THROUGH_ANSIBLE, 'plugin', 'inventory.yml'));
    expect(inv.hosts.map((h) => `${h.name}:${h.groups.join('+')}`).sort()).toEqual(['build-api:api', 'build-web:web', 'launch-api:api', 'launch-web:web']);
  });
});
