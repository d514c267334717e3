// --limit patterns and SSH targets, hermetic: on the fixtures as read natively.
import { describe, expect, test } from 'vitest';
import { selectHosts } from '../../../src/inventory/limit.js';
import { loadInventory } from '../../../src/inventory/load.js';
import type { InventoryHost } from '../../../src/inventory/model.js';
import { shlexSplit } from '../../../src/inventory/shlex.js';
import { sshTargetOf } from '../../../src/inventory/ssh-target.js';

const FIXTURES = 'test/fixtures/inventories';

describe('selectHosts', async () => {
  const inv = await loadInventory(`${FIXTURES}/ini-ranges/inventory.ini`);
  const names = (limit: string): string[] => selectHosts(inv, limit).map((h) => h.name);
  test.each([
    ['zeros', ['z001', 'z002', 'z003', 'z08', 'z09', 'z10', 'z11']],
    ['zeros[0]', ['z001']],
    ['zeros[-1]', ['z11']],
    ['zeros[1:2]', ['z002', 'z003']],
    ['zeros[5:]', ['z10', 'z11']],
    ['zeros:!z0*', ['z10', 'z11']],
    ['z*,&zeros,!z1*', ['z001', 'z002', 'z003', 'z08', 'z09']],
    ['~z0[0-9]{2}$', ['z001', 'z002', 'z003']],
    ['198.18.1.*', ['198.18.1.10', '198.18.1.11', '198.18.1.12']],
    ['198.18.0.2', ['198.18.0.2']],
    ['no-such-group', []],
    ['zeros[99]', []],
  ])('%s', (limit, hosts) => expect(names(limit)).toEqual(hosts));
  test('all and * select every host', () => {
    expect(names('all')).toEqual(inv.hosts.map((h) => h.name));
    expect(names('*')).toEqual(inv.hosts.map((h) => h.name));
  });
});

describe('sshTargetOf', () => {
  const host = (vars: Record<string, unknown>): InventoryHost => ({ name: 'web1', groups: [], vars });
  test('the name is the address when ansible_host is not set', () => {
    expect(sshTargetOf(host({}))).toEqual({ host: 'web1', commonArgs: [], extraArgs: [], become: false });
  });
  test('every var, and the older ansible_ssh_* names winning as in Ansible', () => {
    expect(
      sshTargetOf(
        host({
          ansible_host: '198.18.0.1',
          ansible_ssh_host: '198.18.0.2',
          ansible_port: '2222',
          ansible_user: 'deploy',
          ansible_ssh_private_key_file: '/keys/id',
          ansible_ssh_common_args: `-o ProxyCommand="ssh -W %h:%p bastion;rm -rf /" -o 'StrictHostKeyChecking=no'`,
          ansible_ssh_extra_args: '-4',
          ansible_become: 'Yes',
          ansible_become_user: 'postgres',
        }),
      ),
    ).toEqual({
      host: '198.18.0.2',
      port: 2222,
      user: 'deploy',
      identityFile: '/keys/id',
      commonArgs: ['-o', 'ProxyCommand=ssh -W %h:%p bastion;rm -rf /', '-o', 'StrictHostKeyChecking=no'],
      extraArgs: ['-4'],
      become: true,
      becomeUser: 'postgres',
    });
  });
  test.each([
    [{ ansible_host: '' }, { missing: 'address' }],
    [{ ansible_host: '-oProxyCommand=x' }, { invalid: 'ansible_host', value: '-oProxyCommand=x', reason: 'dash' }],
    [{ ansible_port: 'ssh' }, { invalid: 'ansible_port', value: 'ssh', reason: 'not-a-port' }],
    [{ ansible_ssh_port: 70000 }, { invalid: 'ansible_ssh_port', value: 70000, reason: 'not-a-port' }],
    [{ ansible_host: '{{ inventory_hostname }}.lan' }, { invalid: 'ansible_host', value: '{{ inventory_hostname }}.lan', reason: 'template' }],
    [{ ansible_user: ['a'] }, { invalid: 'ansible_user', value: ['a'], reason: 'not-text' }],
    [{ ansible_ssh_common_args: '-o "unclosed' }, { invalid: 'ansible_ssh_common_args', value: '-o "unclosed', reason: 'unsplittable' }],
    [{ ansible_connection: 'winrm' }, { invalid: 'ansible_connection', value: 'winrm', reason: 'connection' }],
    [{ ansible_connection: 'community.docker.docker' }, { invalid: 'ansible_connection', value: 'community.docker.docker', reason: 'connection' }],
    [
      { ansible_become: true, ansible_become_method: 'su' },
      { invalid: 'ansible_become_method', value: 'su', reason: 'become-method' },
    ],
  ])('refuses %j', (vars, problem) => expect(sshTargetOf(host(vars))).toEqual(problem));
  test("ssh's own connections, and a become method that is not used, change nothing", () => {
    for (const ansible_connection of ['ssh', 'smart', 'paramiko', 'ansible.builtin.ssh'])
      expect(sshTargetOf(host({ ansible_connection, ansible_become_method: 'su' }))).toEqual({ host: 'web1', commonArgs: [], extraArgs: [], become: false });
    expect(sshTargetOf(host({ ansible_become: 'yes', ansible_become_method: 'ansible.builtin.sudo' }))).toMatchObject({ become: true });
  });
  test('ansible_connection=local is the auditing machine, whatever its address or port says', () => {
    expect(sshTargetOf(host({ ansible_connection: 'local' }))).toEqual({ local: true, address: 'web1', port: 22, become: false });
    expect(sshTargetOf(host({ ansible_connection: 'ansible.builtin.local', ansible_host: '127.0.0.1', ansible_port: 'none' }))).toEqual({
      local: true,
      address: '127.0.0.1',
      port: 22,
      become: false,
    });
    // Ansible's local connection reads no address: a template there refuses nothing.
    expect(sshTargetOf(host({ ansible_connection: 'local', ansible_host: '{{ inventory_hostname }}', ansible_port: 2222 }))).toEqual({
      local: true,
      address: 'web1',
      port: 2222,
      become: false,
    });
    expect(sshTargetOf(host({ ansible_connection: 'local', ansible_become: 'yes', ansible_become_user: 'postgres' }))).toEqual({
      local: true,
      address: 'web1',
      port: 22,
      become: true,
      becomeUser: 'postgres',
    });
    // No sudo (nor su) runs on the auditing machine: the method is not read, who runs plumbline is what counts.
    expect(sshTargetOf(host({ ansible_connection: 'local', ansible_become: 'yes', ansible_become_method: 'su' }))).toEqual({
      local: true,
      address: 'web1',
      port: 22,
      become: true,
    });
    // A user to become, on a host that does not become, is not read either.
    expect(sshTargetOf(host({ ansible_connection: 'local', ansible_become_user: '{{ admin }}' }))).toEqual({
      local: true,
      address: 'web1',
      port: 22,
      become: false,
    });
  });
  test('the become method of a host that does not become is not read at all', () => {
    expect(sshTargetOf(host({ ansible_become_method: '{{ my_method }}' }))).toEqual({ host: 'web1', commonArgs: [], extraArgs: [], become: false });
    expect(sshTargetOf(host({ ansible_become_method: ['su'] }))).toMatchObject({ host: 'web1' });
  });
  test('from a fixture: the INI port and the hostile arguments as words', async () => {
    const inv = await loadInventory(`${FIXTURES}/ini-hostile/inventory.ini`);
    const evil2 = inv.hosts.find((h) => h.name === 'evil2')!;
    expect(sshTargetOf(evil2)).toMatchObject({
      host: 'evil2',
      commonArgs: ['-o', 'ProxyCommand=ssh -W %h:%p -q bastion;rm', '-o', 'StrictHostKeyChecking=no'],
    });
  });
});

describe('shlexSplit', () => {
  test.each([
    ['a b  c', false, ['a', 'b', 'c']],
    [`'a b' "c \\"d\\"" e\\ f`, false, ['a b', 'c "d"', 'e f']],
    [`"a\\b" 'a\\b'`, false, ['a\\b', 'a\\b']],
    ['x=1 # comment', true, ['x=1']],
    ['x=a#b c', true, ['x=a']],
    ['x=a#b c', false, ['x=a#b', 'c']],
    [`'' ""`, false, ['', '']],
  ])('%j', (text, comments, words) => expect(shlexSplit(text, { comments })).toEqual(words));
});
