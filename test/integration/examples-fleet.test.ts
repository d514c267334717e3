// The fleet examples as a user runs them. examples/prometheus: the alerting rules pass `promtool check rules`,
// their unit tests (`promtool test rules`) fire every alert and hold the series beside it quiet, and every
// plumbline metric they name is one the CLI writes. examples/ansible: `ansible-playbook --syntax-check`, then
// real runs of the playbook over SSH against a network-namespace host running Debian's sshd (the ssh-hosts
// harness: its private ssh_config through ansible_ssh_common_args), with the package `npm pack` makes.
//
// The namespace host shares this machine's file system (only the network is its own), so every path the
// playbook writes is a variable pointed into this test's temporary directory, and systemd is left alone
// (plumbline_manage_systemd: false; no systemd runs as PID 1 here). ansible reads only the ansible.cfg this test
// writes (ANSIBLE_CONFIG), with HOME, its local and remote temporary directories and ssh's control path inside
// the same directory: nothing is written to the repository, the machine's home or its /usr, /etc and systemd.
// The result is then held to what the timer would do: the installed units pass `systemd-analyze verify`, and the
// service's ExecStart, run inside the host, writes a textfile that `promtool check metrics` accepts and that
// shows the host's own sysctl judged with the var the inventory gave.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCleanups, which } from './harness/audit.js';
import { run } from './harness/netns.js';
import { sshFleetSkipReason, startSshFleet } from './harness/ssh-hosts.js';
import type { SshFleet, SshHost } from './harness/ssh-hosts.js';
import { lastValue, unitDirectives } from './harness/units.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const RULES_DIR = join(ROOT, 'examples', 'prometheus');
const PLAYBOOK_DIR = join(ROOT, 'examples', 'ansible');
const PLAYBOOK = join(PLAYBOOK_DIR, 'plumbline.yml');
const SHIPPED_UNITS = join(ROOT, 'examples', 'systemd');
const SERVICE = 'plumbline-textfile.service';
const TIMER = 'plumbline-textfile.timer';
const CI = process.env.CI === 'true';

const tmp = mkdtempSync(join(tmpdir(), 'plumbline-examples-fleet-'));
const cleanup: Array<() => unknown> = [() => rmSync(tmp, { recursive: true, force: true })];
afterAll(() => runCleanups(cleanup));

function find(cmd: string): string | undefined {
  try {
    return which(cmd);
  } catch {
    return undefined;
  }
}

/** Why a test that needs these programs is skipped here, or undefined; under CI=true never skipped. */
function missing(programs: Record<string, string>): string | undefined {
  if (CI) return undefined;
  const absent = Object.entries(programs).filter(([p]) => !find(p));
  return absent.length ? absent.map(([p, pkg]) => `${p} is not installed (Debian package ${pkg})`).join('; ') : undefined;
}

function program(cmd: string): string {
  const p = find(cmd);
  if (!p) throw new Error(`${cmd} is not installed, and CI=true`);
  return p;
}

// --- the alerting rules ---------------------------------------------------------------------------------------

const RULES = join(RULES_DIR, 'plumbline.rules.yml');
const RULE_TESTS = join(RULES_DIR, 'plumbline.rules.test.yml');
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (): Rule[] => (parseDocument(readFileSync(RULES, 'utf8')).toJS() as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

const noPromtool = missing({ promtool: 'prometheus' });
if (noPromtool) console.log(`skipping the promtool checks of the example alerting rules: ${noPromtool}`);

describe('example alerting rules', () => {
  it('are the four the README names, each with a severity, a summary and a description', () => {
    const rs = rules();
    expect(rs.map((r) => r.alert).sort()).toEqual([
      'PlumblineCriticalCheckFailing',
      'PlumblineHostNotReady',
      'PlumblineTextfileScrapeError',
      'PlumblineTextfileStale',
    ]);
    for (const r of rs) {
      expect(['critical', 'warning'], r.alert).toContain(r.labels?.severity);
      expect(r.for, r.alert).toMatch(/^\d+m$/);
      expect(Object.keys(r.annotations ?? {}).sort(), r.alert).toEqual(['description', 'summary']);
    }
    const stale = rs.find((r) => r.alert === 'PlumblineTextfileStale')!;
    expect(stale.expr).toMatch(/^time\(\) - node_textfile_mtime_seconds\{file=~"[^"]+"\} > (\d+)$/);
    // Three of the timer's intervals: two missed runs are not yet an alert.
    const interval = lastValue(unitDirectives(readFileSync(join(SHIPPED_UNITS, TIMER), 'utf8')), 'Timer.OnCalendar');
    expect(interval).toBe('*:0/5');
    expect(Number(/> (\d+)$/.exec(stale.expr)![1])).toBe(3 * 5 * 60);
  });

  it('name only metrics the prometheus report has (read from a real run of the CLI)', () => {
    const r = spawnSync(process.execPath, [CLI, 'audit', '--no-progress', '--format', 'prometheus'], { encoding: 'utf8', timeout: 60_000 });
    expect([0, 1], r.stderr).toContain(r.status);
    const written = new Set([...r.stdout.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]!));
    const named = new Set(
      rules().flatMap((x) => [...`${x.expr} ${Object.values(x.annotations ?? {}).join(' ')}`.matchAll(/\bplumbline_\w+/g)].map((m) => m[0])),
    );
    expect([...named].sort()).toEqual(['plumbline_check_failed', 'plumbline_ready', 'plumbline_score']);
    for (const n of named) expect(written, n).toContain(n);
  });

  it.skipIf(noPromtool !== undefined)('pass promtool check rules', () => {
    const r = spawnSync(program('promtool'), ['check', 'rules', RULES], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/SUCCESS: 4 rules found/);
    expect(r.status).toBe(0);
  });

  it.skipIf(noPromtool !== undefined)('pass their promtool unit tests, which fire every alert and hold the series beside it quiet', () => {
    const tests = (parseDocument(readFileSync(RULE_TESTS, 'utf8')).toJS() as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] })
      .tests;
    const cases = tests.flatMap((t) => t.alert_rule_test);
    for (const r of rules()) {
      expect(
        cases.some((c) => c.alertname === r.alert && c.exp_alerts.length > 0),
        `${r.alert} fires in a test`,
      ).toBe(true);
      expect(
        cases.some((c) => c.alertname === r.alert && c.exp_alerts.length === 0),
        `${r.alert} stays quiet in a test`,
      ).toBe(true);
    }
    const r = spawnSync(program('promtool'), ['test', 'rules', RULE_TESTS], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // ... and the tests are live: one threshold moved makes them fail.
    const moved = mkdtempSync(join(tmp, 'rules-'));
    writeFileSync(join(moved, 'plumbline.rules.yml'), readFileSync(RULES, 'utf8').replace('> 900', '> 1200'));
    writeFileSync(join(moved, 'plumbline.rules.test.yml'), readFileSync(RULE_TESTS, 'utf8'));
    const bad = spawnSync(program('promtool'), ['test', 'rules', join(moved, 'plumbline.rules.test.yml')], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/alertname: PlumblineTextfileStale/);
  });
});

// --- the playbook ---------------------------------------------------------------------------------------------

const noAnsible = missing({ 'ansible-playbook': 'ansible' });
const noPlaybookRun = noAnsible ?? (CI ? undefined : (sshFleetSkipReason() ?? missing({ 'systemd-analyze': 'systemd', promtool: 'prometheus', npm: 'npm' })));
if (noPlaybookRun) console.log(`skipping the example playbook's runs over SSH: ${noPlaybookRun}`);

/** The PLAY RECAP line of a host: `NAME : ok=N changed=N unreachable=N failed=N ...`. */
function recap(stdout: string, host: string): Record<string, number> {
  const line = stdout.split('\n').find((l) => l.startsWith(`${host} `) && / ok=\d+/.test(l));
  if (!line) throw new Error(`no PLAY RECAP line for ${host} in:\n${stdout}`);
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

/** What ExecStart= runs: systemd's word splitting (double quotes, \\ \" \n escapes), then %% and $$ undone. */
function execArgv(execStart: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of execStart.matchAll(re)) {
    const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : m[2]!;
    words.push(raw.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('example playbook', () => {
  const inventoryFor = (host: SshHost | null, sshConfig: string) => ({
    plumbline: {
      hosts: {
        'fleet-web': {
          ansible_host: host?.address ?? '198.19.200.2',
          ansible_ssh_common_args: `-F ${sshConfig}`,
          ansible_become: false,
          ansible_python_interpreter: '/usr/bin/python3',
          // A per-host var, as a fleet gives each host its own: the somaxconn this host's kernel is set to.
          // The other var's space, %, $ and quotes go through systemd's escaping in ExecStart=.
          plumbline_vars: { somaxconn: 4242, owner: `50%z of $HOME, "ops"` },
        },
      },
    },
  });

  it.skipIf(noAnsible !== undefined)('passes ansible-playbook --syntax-check', () => {
    const dir = mkdtempSync(join(tmp, 'syntax-'));
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nlocal_tmp = ${join(dir, 'local')}\nretry_files_enabled = False\n`);
    writeFileSync(join(dir, 'inventory.yml'), JSON.stringify(inventoryFor(null, join(dir, 'ssh_config'))));
    const r = spawnSync(program('ansible-playbook'), ['--syntax-check', '-i', join(dir, 'inventory.yml'), PLAYBOOK], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/playbook: .*plumbline\.yml/);
  });

  it.skipIf(noAnsible !== undefined)("renders the shipped service byte for byte from the role's defaults (one policy.yaml, no vars)", () => {
    // The role's template task alone, run on the controller into a temporary file.
    const dir = mkdtempSync(join(tmp, 'render-'));
    const role = join(PLAYBOOK_DIR, 'roles', 'plumbline');
    const out = join(dir, SERVICE);
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nlocal_tmp = ${join(dir, 'local')}\nretry_files_enabled = False\n`);
    writeFileSync(
      join(dir, 'render.yml'),
      JSON.stringify([
        {
          hosts: 'localhost',
          gather_facts: false,
          vars_files: [join(role, 'defaults', 'main.yml')],
          tasks: [{ 'ansible.builtin.template': { src: join(role, 'templates', `${SERVICE}.j2`), dest: out } }],
        },
      ]),
    );
    const r = spawnSync(
      program('ansible-playbook'),
      [join(dir, 'render.yml'), '-e', JSON.stringify({ role_path: role, plumbline_policies: ['/anywhere/policy.yaml'] })],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', LANG: 'C.UTF-8' } },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(SHIPPED_UNITS, SERVICE), 'utf8'));
  });

  describe.skipIf(noPlaybookRun !== undefined)('run over SSH against a namespace host', () => {
    let fleet: SshFleet;
    let host: SshHost;
    const work = join(tmp, 'ansible');
    const root = join(work, 'root');
    const paths = {
      plumbline_install_dir: join(root, 'opt', 'plumbline'),
      plumbline_bin: join(root, 'usr', 'local', 'bin', 'plumbline'),
      plumbline_config_dir: join(root, 'etc', 'plumbline'),
      plumbline_unit_dir: join(root, 'etc', 'systemd', 'system'),
      plumbline_textfile_dir: join(root, 'var', 'lib', 'prometheus', 'node-exporter'),
    };
    let pkg = '';
    let env: NodeJS.ProcessEnv = {};
    const examplesBefore = tree(PLAYBOOK_DIR);

    const playbook = (extra: Record<string, unknown> = {}, args: string[] = []) => {
      const vars = join(work, `vars-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(
        vars,
        JSON.stringify({ plumbline_package: pkg, plumbline_policies: [join(work, 'fleet.yaml')], plumbline_manage_systemd: false, ...paths, ...extra }),
      );
      return run(program('ansible-playbook'), ['-i', join(work, 'inventory.yml'), PLAYBOOK, '-e', `@${vars}`, ...args], { env, timeoutMs: 240_000 });
    };

    beforeAll(async () => {
      mkdirSync(join(work, 'home'), { recursive: true });
      fleet = await startSshFleet({ hosts: [{ name: 'fleet-web', sysctls: { 'net.core.somaxconn': '4242' } }] });
      cleanup.push(() => fleet.destroy());
      host = fleet.host('fleet-web');
      // The package a user makes in a checkout (dist/ is already built: npm test builds first).
      const packed = spawnSync(program('npm'), ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' },
      });
      expect(packed.status, packed.stderr).toBe(0);
      pkg = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
      writeFileSync(
        join(work, 'fleet.yaml'),
        [
          'apiVersion: plumbline/v1',
          'kind: Policy',
          'metadata: { name: fleet-example }',
          'extends: [builtin:baseline]',
          'vars: { somaxconn: 128, owner: nobody }',
          'checks:',
          '  - id: fleet.somaxconn',
          '    title: "The backlog ${owner} set"',
          '    severity: high',
          '    sysctl: net.core.somaxconn',
          '    expect: { eq: "${somaxconn}" }',
          '',
        ].join('\n'),
      );
      writeFileSync(join(work, 'inventory.yml'), JSON.stringify(inventoryFor(host, fleet.sshConfig)));
      writeFileSync(
        join(work, 'ansible.cfg'),
        [
          '[defaults]',
          `home = ${join(work, 'ansible-home')}`,
          `local_tmp = ${join(work, 'ansible-local')}`,
          `remote_tmp = ${join(work, 'ansible-remote')}`,
          'retry_files_enabled = False',
          'host_key_checking = True',
          'gathering = explicit',
          '',
          '[ssh_connection]',
          // No master connection left behind for a minute after the run; pipelining keeps the connections few.
          'ssh_args = -o ControlMaster=no',
          'pipelining = True',
          `control_path_dir = ${join(work, 'ansible-cp')}`,
          '',
        ].join('\n'),
      );
      env = { PATH: process.env.PATH, HOME: join(work, 'home'), ANSIBLE_CONFIG: join(work, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', LANG: 'C.UTF-8' };
    }, 120_000);

    it('--check on a fresh host reports what it would do and writes nothing', async () => {
      const r = await playbook({}, ['--check']);
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      const s = recap(r.stdout, 'fleet-web');
      expect(s.failed).toBe(0);
      expect(s.unreachable).toBe(0);
      expect(s.changed).toBeGreaterThan(0);
      expect(existsSync(root)).toBe(false);
    }, 240_000);

    it('a host whose Node is older than 20 fails with the reason, and nothing is written', async () => {
      const old = join(work, 'node18');
      writeFileSync(old, '#!/bin/sh\necho v18.20.4\n');
      chmodSync(old, 0o755);
      const r = await playbook({ plumbline_node: old });
      expect(r.exitCode).not.toBe(0);
      expect(recap(r.stdout, 'fleet-web').failed).toBe(1);
      expect(r.stdout).toMatch(/plumbline needs Node\.js 20 or later as `[^`]*node18`; on fleet-web it is v18\.20\.4\./);
      const gone = await playbook({ plumbline_node: join(work, 'no-such-node') });
      expect(recap(gone.stdout, 'fleet-web').failed).toBe(1);
      expect(gone.stdout).toMatch(/plumbline needs Node\.js 20 or later as `[^`]*no-such-node`; on fleet-web it could not be run: /);
      expect(existsSync(root)).toBe(false);
    }, 240_000);

    it('installs the package, the policy, the units and the textfile directory', async () => {
      const r = await playbook();
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      const s = recap(r.stdout, 'fleet-web');
      expect(s).toMatchObject({ failed: 0, unreachable: 0 });
      expect(s.changed).toBeGreaterThan(0);
      // The command is the release's launcher, through the `current` link.
      expect(readlinkSync(paths.plumbline_bin)).toBe(join(paths.plumbline_install_dir, 'current', 'bin', 'plumbline.js'));
      expect(realpathSync(paths.plumbline_bin)).toMatch(new RegExp(`^${paths.plumbline_install_dir}/releases/[0-9a-f]{16}/bin/plumbline\\.js$`));
      expect(readFileSync(join(paths.plumbline_config_dir, 'fleet.yaml'), 'utf8')).toBe(readFileSync(join(work, 'fleet.yaml'), 'utf8'));
      expect(statSync(paths.plumbline_textfile_dir).mode & 0o777).toBe(0o755);
      // The timer as shipped; the service as shipped but for this host's paths, policy and vars.
      expect(readFileSync(join(paths.plumbline_unit_dir, TIMER), 'utf8')).toBe(readFileSync(join(SHIPPED_UNITS, TIMER), 'utf8'));
      const shipped = unitDirectives(readFileSync(join(SHIPPED_UNITS, SERVICE), 'utf8'));
      const installed = unitDirectives(readFileSync(join(paths.plumbline_unit_dir, SERVICE), 'utf8'));
      const moved = ['Unit.AssertPathIsDirectory', 'Service.ExecStart', 'Service.ReadWritePaths'];
      expect([...installed.keys()]).toEqual([...shipped.keys()]);
      for (const k of shipped.keys()) if (!moved.includes(k)) expect(installed.get(k), k).toEqual(shipped.get(k));
      expect(lastValue(installed, 'Unit.AssertPathIsDirectory')).toBe(paths.plumbline_textfile_dir);
      expect(lastValue(installed, 'Service.ReadWritePaths')).toBe(paths.plumbline_textfile_dir);
      expect(execArgv(lastValue(installed, 'Service.ExecStart')!)).toEqual([
        paths.plumbline_bin,
        'audit',
        '-p',
        join(paths.plumbline_config_dir, 'fleet.yaml'),
        '--var',
        `owner=50%z of $HOME, "ops"`,
        '--var',
        'somaxconn=4242',
        '--no-progress',
        '--format',
        `prometheus=${join(paths.plumbline_textfile_dir, 'plumbline.prom')}`,
      ]);
    }, 240_000);

    it('the installed units pass systemd-analyze verify', () => {
      const units = [SERVICE, TIMER].map((u) => join(paths.plumbline_unit_dir, u));
      const r = spawnSync(program('systemd-analyze'), ['verify', '--recursive-errors=yes', ...units], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
      // ... and the check is live: the % of a var not written as %% is a specifier systemd refuses.
      const bad = mkdtempSync(join(tmp, 'units-'));
      const unescaped = readFileSync(units[0]!, 'utf8').replace('50%%z of', '50%z of');
      expect(unescaped).not.toBe(readFileSync(units[0]!, 'utf8'));
      writeFileSync(join(bad, SERVICE), unescaped);
      writeFileSync(join(bad, TIMER), readFileSync(units[1]!, 'utf8'));
      const refused = spawnSync(program('systemd-analyze'), ['verify', '--recursive-errors=yes', join(bad, SERVICE), join(bad, TIMER)], { encoding: 'utf8' });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/specifier/i);
    });

    it('a second run changes nothing, and --check agrees', async () => {
      const again = await playbook();
      expect(again.exitCode, again.stdout + again.stderr).toBe(0);
      expect(recap(again.stdout, 'fleet-web')).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
      const check = await playbook({}, ['--check']);
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
      expect(recap(check.stdout, 'fleet-web')).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    }, 240_000);

    it("the service's ExecStart, run inside the host, writes a textfile promtool accepts, with the host's own facts judged", async () => {
      const argv = execArgv(lastValue(unitDirectives(readFileSync(join(paths.plumbline_unit_dir, SERVICE), 'utf8')), 'Service.ExecStart')!);
      const textfile = join(paths.plumbline_textfile_dir, 'plumbline.prom');
      // As the unit runs it (no shell; "not ready" is exit 1, which SuccessExitStatus=1 counts as success).
      const r = await host.test.exec(argv[0]!, argv.slice(1), { timeoutMs: 120_000 });
      expect([0, 1], r.stderr).toContain(r.exitCode);
      const text = readFileSync(textfile, 'utf8');
      const promtool = spawnSync(program('promtool'), ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(promtool.status, promtool.stdout + promtool.stderr).toBe(0);
      expect(text).toMatch(/^plumbline_info\{version="[^"]+",policy="fleet-example",hostname="[^"]+"\} 1$/m);
      // The host's kernel has 4242 and so does the inventory's var: the check passes there. This machine's own
      // namespace has another value, so a pass cannot come from auditing the wrong place.
      expect(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim()).not.toBe('4242');
      expect(text).toMatch(/^plumbline_check_failed\{id="fleet\.somaxconn",area="kernel",severity="high"\} 0$/m);
      expect(text).toMatch(/^plumbline_check_status\{id="fleet\.somaxconn",area="kernel",severity="high",status="pass"\} 1$/m);
      // The var with a space, %, $ and quotes reached the audit as the inventory wrote it.
      const json = await host.test.exec(argv[0]!, [...argv.slice(1), '--format', 'json'], { timeoutMs: 120_000 });
      const result = (JSON.parse(json.stdout) as { results: { id: string; title: string }[] }).results.find((x) => x.id === 'fleet.somaxconn');
      expect(result?.title).toBe(`The backlog 50%z of $HOME, "ops" set`);
    }, 240_000);

    it('left nothing in the repository, and ansible wrote only into the directories its configuration names', () => {
      expect(tree(PLAYBOOK_DIR)).toEqual(examplesBefore);
      expect(readdirSync(join(work, 'home'))).toEqual([]);
      for (const d of ['ansible-local', 'ansible-remote']) if (existsSync(join(work, d))) expect(lstatSync(join(work, d)).isDirectory()).toBe(true);
    });
  });
});
