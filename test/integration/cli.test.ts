// The built CLI as a user runs it: argument handling, exit codes, messages, output files, colour, scoring
// thresholds and waivers. Every test spawns bin/plumbline.js with an argument array (no shell).
//
// Almost everything here judges test/integration/inputs/facts-mixed.json, a snapshot written by
// `plumbline facts -o` inside a network-namespace test host (built-in baseline, sysctls of a tuned host except
// net.core.somaxconn=1024, nft input/forward policy drop, pl-redis on 127.0.0.1:6379 and pl-elastic on
// [::1]:9200 as nobody with nofile 20000, a veth with a default route; hostname replaced by "pl-capture").
// On it the baseline scores 93.8 with one failure: kernel.somaxconn (high). So these tests need no root and
// never read the machine they run on. The last describe block captures a fresh snapshot in a test host (root).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as ajvFormatsNs from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { TestHost, netnsSkipReason } from './harness/netns.js';
import { sarifValidator } from '../helpers/sarif-schema.js';
import type { HostSpec } from './harness/netns.js';
import type { Report } from '../../src/report/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
/** Relative to ROOT, the working directory of every run: messages name files as the user typed them. */
const IN = 'test/integration/inputs';
const FACTS = `${IN}/facts-mixed.json`;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ANSI = /\x1b\[/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Colour and debug switches the CLI reads; tests start from none of them and set what they test. */
const CONTROLLED_ENV = ['NO_COLOR', 'FORCE_COLOR', 'CI', 'PLUMBLINE_DEBUG', 'PLUMBLINE_TRACE'];

function envWith(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of CONTROLLED_ENV) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs `file args` to completion; a non-zero exit is a result, not a failure. */
function runTo(file: string, args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd ?? ROOT, env: envWith(opts.env), timeout: 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') return fail(err);
        done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

function cli(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; bin?: string } = {}): Promise<Run> {
  return runTo(process.execPath, [opts.bin ?? CLI, ...args], opts);
}

/** Bad input is the user's mistake, not ours: a message, never a stack trace or an error class dump. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\b\w*Error:/);
  expect(stderr).not.toMatch(/node:internal|Node\.js v\d+/);
}

function json(r: Run): Report {
  return JSON.parse(r.stdout) as Report;
}

function result(report: Report, id: string): Result {
  const r = report.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id}`);
  return r;
}

// ajv-formats is CommonJS with a default export: Node hands over module.exports, bundlers may unwrap it.
const addFormats: FormatsPlugin =
  (ajvFormatsNs as unknown as { default?: FormatsPlugin & { default?: FormatsPlugin } }).default?.default ??
  (ajvFormatsNs as unknown as { default?: FormatsPlugin }).default ??
  (ajvFormatsNs as unknown as FormatsPlugin);

function validatorFor(schemaFile: string): (data: unknown) => string[] {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', schemaFile), 'utf8')) as object);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
}
const reportErrors = validatorFor('report.schema.json');
const factsErrors = validatorFor('facts.schema.json');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pl-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A directory of its own in the suite's temporary one, for one test's files. */
function scratch(name: string): string {
  return mkdtempSync(join(tmp, `${name}-`));
}

/** A policy file in `dir`: its name, then further top-level lines (vars:, extends:, checks: ...). */
function policyIn(dir: string, name: string, lines: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, ['apiVersion: plumbline/v1', 'kind: Policy', `metadata: { name: ${name} }`, ...lines, ''].join('\n'));
  return file;
}

// -------------------------------------------------------------------------------------------------------------

describe('version and help', () => {
  it('--version prints "plumbline X.Y.Z" from package.json and exits 0', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await cli([flag]);
      expect(r).toEqual({ code: 0, stdout: `plumbline ${VERSION}\n`, stderr: '' });
    }
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the commands and the exit codes, exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const s of [
      'Usage:',
      'plumbline audit',
      'plumbline validate [--waivers FILE] [--inventory FILE | --target ssh://HOST]... FILE...',
      'plumbline facts',
      'plumbline init [--from-host [--target ssh://HOST]] [-o FILE] [--force]',
      '--version',
      'plumbline help COMMAND',
      'COMMAND --help',
      'plumbline audit --target',
    ])
      expect(r.stdout).toContain(s);
    expect(r.stdout).toMatch(
      /0 ready · 1 not ready \(diff: a regression; diagnose: the target does not answer\) · 2 usage, policy or input error · 3 the audit could not run/,
    );
    for (const cmd of ['plumbline report REPORT.json', 'plumbline diff OLD.json NEW.json']) expect(r.stdout).toContain(cmd);
  });

  it('audit --help documents every option, exit 0', async () => {
    const r = await cli(['audit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: plumbline audit /);
    for (const opt of [
      '-p, --policy FILE',
      '--format FORMAT[=FILE]',
      'pretty (default), json, junit, sarif, markdown, html or prometheus',
      '-o, --output FILE',
      '--fail-under N',
      '--facts FILE',
      '--allow-target CIDR',
      'link-local and cloud\n                           metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) are refused otherwise',
      '--no-color',
      '--color',
      '-h, --help',
    ]) {
      expect(r.stdout).toContain(opt);
    }
  });

  it('validate --help says what it prints, exit 0', async () => {
    const r = await cli(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^Usage: plumbline validate \[--format pretty\|json\|sarif\] \[--waivers FILE\] \[--inventory FILE \[--limit PATTERN\]\] \[--target ssh:\/\/HOST\]\.\.\. FILE\.\.\./,
    );
    expect(r.stdout).toContain("with that host's vars");
    expect(r.stdout).toContain('file:line:col: message');
  });

  it('facts --help documents -p and -o, exit 0', async () => {
    const r = await cli(['facts', '-h']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: plumbline facts /);
    for (const opt of ['-p, --policy FILE', '-o, --output FILE', '-h, --help', 'audit --facts FILE']) expect(r.stdout).toContain(opt);
  });

  it('init --help documents --from-host, -o and --force; init alone writes a starter that validates', async () => {
    const r = await cli(['init', '--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Usage: plumbline init /);
    for (const opt of ['--from-host', '--target ssh://', '-o, --output FILE', '--force', '--name NAME', '-h, --help']) expect(r.stdout).toContain(opt);
    const dir = scratch('init');
    const starter = await cli(['init', '-o', join(dir, 'p.yaml')]);
    expect([starter.code, starter.stderr]).toEqual([0, '']);
    expect((await cli(['validate', join(dir, 'p.yaml')])).code).toBe(0);
    const misplaced = await cli(['init', '--target', 'ssh://h', '--deadline', '5s']);
    expect([misplaced.code, misplaced.stderr]).toEqual([2, 'plumbline: --target, --deadline say how to capture a host: they go with --from-host\n']);
    // Admitting every address is allowed, and said.
    const all = await cli(['audit', '--facts', FACTS, '--allow-target', '0.0.0.0/0']);
    expect(all.stderr).toBe("plumbline: warning: --allow-target 0.0.0.0/0 admits every address, the cloud metadata services' too\n");
  });

  it('no arguments: the help, and exit 2 (nothing was asked)', async () => {
    const help = await cli(['--help']);
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(help.stdout);
    expect(r.stderr).toBe('');
  });
});

describe('usage errors exit 2 with a message, never a stack trace', () => {
  it('an unknown command names the commands and points at --help', async () => {
    const r = await cli(['audti']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'plumbline: unknown command "audti"; did you mean "audit"? The commands: audit, validate, facts, report, diff, init, diagnose. Run "plumbline --help".\n',
    );
    expectNoStackTrace(r.stderr);
  });

  // Node's own parser messages ("Unknown option '--x'", "Option '--facts <value>' argument missing") never
  // reach the user: each mistake is said in plumbline's words, with the command's help to turn to.
  it.each([
    [['audit', '--frobnicate', '--facts', FACTS], 'unknown option --frobnicate', 'audit'],
    [['audit', '--formt', 'json', '--facts', FACTS], 'unknown option --formt; did you mean --format?', 'audit'],
    [['facts', '--deadlin=3s'], 'unknown option --deadlin; did you mean --deadline?', 'facts'],
    [['report', '-x', 'r.json'], 'unknown option -x', 'report'],
    [['audit', 'everything', '--facts', FACTS], 'unexpected argument "everything": audit takes options only', 'audit'],
    [['audit', '--facts'], '--facts needs a value', 'audit'],
    [['audit', '--facts', '--no-progress'], '--facts needs a value', 'audit'],
    [['audit', '--no-progress=yes', '--facts', FACTS], '--no-progress is a switch and takes no value, got "--no-progress=yes"', 'audit'],
  ])('%j: says so, and where every option is', async (args, said, command) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`plumbline: ${said}\nRun "plumbline ${command} --help" for every option.\n`);
    expectNoStackTrace(r.stderr);
  });

  it("plumbline help COMMAND is that command's --help; help of no such command says which there are", async () => {
    for (const c of ['audit', 'validate', 'facts', 'report', 'diff']) {
      const [viaHelp, viaFlag] = await Promise.all([cli(['help', c]), cli([c, '--help'])]);
      expect(viaHelp).toEqual(viaFlag);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: plumbline ${c}`));
    }
    const r = await cli(['help', 'audti']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('unknown command "audti"; did you mean "audit"?')]);
  });

  // A bare number was once milliseconds: `--deadline 5` ended every probe at once.
  it.each([
    ['audit', '--deadline', '5'],
    ['facts', '--deadline', '30'],
    ['audit', '--target', 'ssh://127.0.0.1', '--host-deadline', '60'],
  ])('a duration without its unit is refused, with the units: %s %s %s', async (...args) => {
    const [cmd, ...rest] = args;
    const r = await cli([cmd!, ...rest]);
    const [name, value] = rest.slice(-2);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`plumbline: ${name} takes a duration with its unit ("${value}s", "${value}ms"; units ms, s, m, h), got "${value}"\n`);
    expectNoStackTrace(r.stderr);
  });

  it('a --var value the checks cannot take is one error at --var, naming where it is used', async () => {
    const r = await cli(['audit', '-p', 'builtin:tls-intermediate', '--var', 'tlsHost=127.0.0.1', '--var', 'tlsPort=70000']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^plumbline: --var tlsPort=70000: tls\.port must be a port number 1-65535, got 70000 \(where policies\/tls-intermediate\.yaml:\d+:\d+ and \d+ more places use it\)\n$/,
    );
  });

  it.each(['150', 'abc', '-1'])('--fail-under %s is refused with the accepted range', async (v) => {
    const r = await cli(['audit', '--facts', FACTS, `--fail-under=${v}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`plumbline: --fail-under takes a number from 0 to 100, got "${v}"\n`);
    expectNoStackTrace(r.stderr);
  });

  it.each(['-5', '-0.5', '-1e3'])('--fail-under %s as a separate argument gets the range message, not "ambiguous"', async (v) => {
    for (const args of [
      ['audit', '--facts', FACTS, '--fail-under', v],
      ['audit', '--fail-under', v, '--facts', FACTS],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`plumbline: --fail-under takes a number from 0 to 100, got "${v}"\n`);
    }
  });

  it('--fail-under with an empty value is refused, not read as 0', async () => {
    const r = await cli(['audit', '--facts', FACTS, '--fail-under=']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('plumbline: --fail-under takes a number from 0 to 100, got ""\n');
  });

  it('--format xml lists the formats', async () => {
    const r = await cli(['audit', '--facts', FACTS, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('plumbline: unknown format "xml" (formats: pretty, json, junit, sarif, markdown, html, prometheus)\n');
    expectNoStackTrace(r.stderr);
  });

  it('-o into a directory that does not exist names the path', async () => {
    const r = await cli(['audit', '--facts', FACTS, '-o', '/nonexistent-dir/x.json', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^plumbline: cannot write \/nonexistent-dir\/x\.json: ENOENT/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expectNoStackTrace(r.stderr);
  });

  it('two formats for standard output', async () => {
    const r = await cli(['audit', '--facts', FACTS, '--format', 'pretty', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('plumbline: only one format can go to standard output (pretty, json); give the others a file: --format X=PATH\n');
    expectNoStackTrace(r.stderr);
  });

  it('more -o paths than formats', async () => {
    const r = await cli(['audit', '--facts', FACTS, '-o', join(tmp, 'one.txt'), '-o', join(tmp, 'two.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`plumbline: 1 -o path(s) left without a format (${join(tmp, 'two.txt')}); give each -o its own --format, or write --format X=PATH\n`);
    expect(existsSync(join(tmp, 'one.txt'))).toBe(false);
    expectNoStackTrace(r.stderr);
  });

  it('validate with no file', async () => {
    const r = await cli(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('plumbline: validate needs at least one policy file\n');
  });
});

// -------------------------------------------------------------------------------------------------------------

/** Each broken policy and exactly what validate (and audit -p) must say about it. */
const BROKEN: Array<{ file: string; lines: string[] }> = [
  { file: 'syntax-error.yaml', lines: ['7:15: invalid YAML: Nested mappings are not allowed in compact mappings'] },
  { file: 'unknown-key.yaml', lines: ['10:5: unknown key "remediaton" in check; did you mean "remediation"?'] },
  { file: 'two-selectors.yaml', lines: ['9:5: check has two selectors (listener and sysctl); a check reads exactly one fact'] },
  { file: 'undefined-var.yaml', lines: ['10:23: undefined variable ${cache_port}; defined: redis_port'] },
  {
    file: 'missing-extends.yaml',
    lines: [`7:5: extended policy "./no-such-base.yaml" not found: ${IN}/no-such-base.yaml`],
  },
];

function expectedIssues(file: string, lines: string[]): string {
  return lines.map((l) => `${IN}/${file}:${l}\n`).join('');
}

describe('validate and audit -p on broken policies', () => {
  it.each(BROKEN)('validate $file: exit 2, file:line:col: message', async ({ file, lines }) => {
    const r = await cli(['validate', `${IN}/${file}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(expectedIssues(file, lines));
    expectNoStackTrace(r.stderr);
  });

  it.each(BROKEN)('audit -p $file: exit 2 (never 3) with the same messages', async ({ file, lines }) => {
    const r = await cli(['audit', '-p', `${IN}/${file}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(expectedIssues(file, lines));
    expectNoStackTrace(r.stderr);
  });

  it('validate --format json: every problem as data, for editors and policy repositories; none for valid files', async () => {
    const r = await cli(['validate', '--format', 'json', ...BROKEN.map((b) => `${IN}/${b.file}`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const { problems } = JSON.parse(r.stdout) as { problems: Array<{ file: string; line: number; column: number; message: string }> };
    const expected = BROKEN.flatMap((b) =>
      b.lines.map((l) => {
        const [, line, column, message] = /^(\d+):(\d+): (.*)$/s.exec(l)!;
        return { file: `${IN}/${b.file}`, line: Number(line), column: Number(column), message, level: 'error' };
      }),
    );
    expect(problems).toEqual(expected);
    const ok = await cli(['validate', '--format', 'json', 'policies/baseline.yaml']);
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([0, { problems: [] }]);
  });

  it('validate --format sarif: SARIF 2.1.0 (the official schema) with each problem at its line', async () => {
    const r = await cli(['validate', '--format', 'sarif', ...BROKEN.map((b) => `${IN}/${b.file}`)]);
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: Array<{
        results: Array<{
          level: string;
          message: { text: string };
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
        }>;
      }>;
    };
    const { validate } = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(BROKEN.reduce((n, b) => n + b.lines.length, 0));
    const undef = results.find((x) => x.message.text.startsWith('undefined variable ${cache_port}'))!;
    expect(undef.level).toBe('error');
    expect(undef.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: `${IN}/undefined-var.yaml` }, region: { startLine: 10, startColumn: 23 } });
  });

  it('validate reports every broken file, not just the first', async () => {
    const r = await cli(['validate', ...BROKEN.map((b) => `${IN}/${b.file}`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(BROKEN.map((b) => expectedIssues(b.file, b.lines)).join(''));
  });

  it('a policy file that does not exist is a position too (1:1)', async () => {
    const r = await cli(['validate', `${IN}/no-such-policy.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${IN}/no-such-policy.yaml:1:1: cannot read: ENOENT: no such file or directory\n`);
    expectNoStackTrace(r.stderr);
  });

  it('a misspelt built-in given to -p: exit 2 at 1:1, no stack trace', async () => {
    const r = await cli(['audit', '-p', 'builtin:basline', '--facts', FACTS]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\S*basline\S*:1:1: /);
    expectNoStackTrace(r.stderr);
  });

  it('a misspelt built-in given to -p gets the did-you-mean that extends gets', async () => {
    const r = await cli(['audit', '-p', 'builtin:basline', '--facts', FACTS]);
    expect(r.stderr).toContain('unknown built-in policy "builtin:basline"; did you mean "builtin:baseline"?');
  });

  it('a valid policy extending builtin:baseline is ok, exit 0', async () => {
    const r = await cli(['validate', `${IN}/valid-extends.yaml`]);
    // 28 baseline checks, kernel.somaxconn overridden, kernel.tcp-keepalive added, kernel.fin-timeout disabled.
    expect(r).toEqual({ code: 0, stdout: `${IN}/valid-extends.yaml: ok (31 checks from 2 sources)\n`, stderr: '' });
  });

  it('valid and broken files together: ok lines on stdout, problems on stderr, exit 2', async () => {
    const r = await cli(['validate', `${IN}/valid-extends.yaml`, `${IN}/unknown-key.yaml`, 'builtin:baseline']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${IN}/valid-extends.yaml: ok (31 checks from 2 sources)\nbuiltin:baseline: ok (31 checks from 1 source)\n`);
    expect(r.stderr).toBe(expectedIssues('unknown-key.yaml', BROKEN[1]!.lines));
  });
});

// -------------------------------------------------------------------------------------------------------------

/** Policy files written for one test, under tmp; messages name them by the path given. */
function policyFile(name: string, text: string | Buffer): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

const HEAD = 'apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: t\n';

describe('bad values stop at validation: file:line:col, exit 2, no stack trace', () => {
  /** validate FILE and audit -p FILE both say exactly `lines` (each prefixed with the file) and exit 2. */
  async function expectRefused(file: string, lines: string[]): Promise<void> {
    for (const args of [
      ['validate', file],
      ['audit', '-p', file, '--facts', FACTS],
    ]) {
      const r = await cli(args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toBe(lines.map((l) => `${file}:${l}\n`).join(''));
      expectNoStackTrace(r.stderr);
    }
  }

  it('timeouts longer than a timer can wait, or 0', async () => {
    const max = 'must be at most 2147483647ms (about 24.8 days, the longest a timer can wait)';
    await expectRefused(policyFile('t-hours.yaml', `${HEAD}defaults:\n  timeout: 99999999h\n`), [`6:12: defaults.timeout ${max}; got "99999999h"`]);
    await expectRefused(policyFile('t-ms.yaml', `${HEAD}defaults:\n  timeout: 99999999999999\n`), [`6:12: defaults.timeout ${max}; got 99999999999999`]);
    await expectRefused(policyFile('t-days.yaml', `${HEAD}defaults:\n  timeout: 30d\n`), [
      '6:12: defaults.timeout must be a duration like "500ms", "2s", "1m" or "1h" (units ms, s, m, h), or a number of milliseconds; got "30d"',
    ]);
    await expectRefused(policyFile('t-zero.yaml', `${HEAD}checks:\n  - id: a\n    sysctl: net.core.somaxconn\n    expect: 1\n    timeout: 0s\n`), [
      '9:14: timeout must be at least 1ms; got "0s"',
    ]);
  });

  it('numbers that are not finite', async () => {
    await expectRefused(policyFile('inf.yaml', `${HEAD}defaults:\n  failUnder: 1e400\nvars:\n  a: .inf\n  b: .nan\n`), [
      '6:14: defaults.failUnder must be a finite number; YAML reads this as infinity (a number too large, or .inf)',
      '8:6: vars.a must be a finite number; YAML reads this as infinity (a number too large, or .inf)',
      '9:6: vars.b must be a finite number; YAML reads this as not a number (.nan)',
    ]);
  });

  it('10,000 levels of nesting: one message, once', async () => {
    const message = 'nesting is too deep: more than 64 levels of lists and maps (a policy needs a handful)';
    await expectRefused(policyFile('deep-flow.yaml', `${HEAD}vars:\n  a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`), [`6:68: ${message}`]);
    let deep = HEAD;
    for (let i = 0; i < 10_000; i++) deep += `${' '.repeat(i)}a:\n`;
    await expectRefused(policyFile('deep-block.yaml', deep), [`69:65: ${message}`]);
  });

  it('addresses in bind lists and allow-lists that are no addresses', async () => {
    const f = policyFile(
      'addresses.yaml',
      `${HEAD}checks:
  - id: a
    listener: { port: 80 }
    expect: { bind: [10.0.0.1, 10.0.0.0/33] }
  - id: b
    listeners: {}
    expect: { only: [22, "999.1.1.1:80", "[::1]:99999", "::1:5432"] }
`,
    );
    await expectRefused(f, [
      '8:32: expect.bind[1]: 10.0.0.0/33: /33 is longer than an IPv4 address (32 bits)',
      '11:26: expect.only[1]: "999.1.1.1" is not an IP address',
      '11:42: expect.only[2]: port 99999 is not 1-65535',
      '11:57: expect.only[3]: "::1:5432": an IPv6 address takes brackets before the port, like "[::1]:5432"',
    ]);
  });

  it('a file that is no policy: named with its problem, its contents never quoted', async () => {
    const secret = 'hunter2';
    const files = {
      dir: tmp,
      binary: policyFile('binary.yaml', Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0\0'), Buffer.from(`password: ${secret}\n`)])),
      latin1: policyFile(
        'latin1.yaml',
        Buffer.concat([Buffer.from(`${HEAD}metadata: { description: "caf`), Buffer.from([0xe9]), Buffer.from(` ${secret}" }\n`)]),
      ),
      json: policyFile('package.json', JSON.stringify({ name: secret, version: '1.0.0', scripts: { test: 'vitest' } }, null, 2)),
      script: policyFile('run.sh', `#!/bin/sh\nset -e\nPASSWORD="${secret}: yes" exec ./run }\n} ${secret} ]\n`),
      plain: policyFile('notes.txt', `remember ${secret}\nand more\n`),
    };
    const expected: Record<keyof typeof files, string[]> = {
      dir: ['1:1: cannot read: it is a directory, not a policy file'],
      binary: ['1:8: not a policy: binary data, not YAML text'],
      latin1: ['5:30: not UTF-8 text here (bytes in another encoding, or binary data); save the policy as UTF-8'],
      json: ['1:1: not a plumbline policy: it has none of the keys a policy has (apiVersion, kind, metadata, extends, vars, defaults, waivers, checks)'],
      script: [],
      plain: ['1:1: policy must be a map of apiVersion, kind, metadata and checks; this file reads as a string'],
    };
    for (const [k, f] of Object.entries(files) as [keyof typeof files, string][]) {
      const r = await cli(['validate', f]);
      expect({ k, code: r.code, stdout: r.stdout }).toEqual({ k, code: 2, stdout: '' });
      expect(r.stderr).not.toContain(secret);
      expectNoStackTrace(r.stderr);
      for (const line of r.stderr.trimEnd().split('\n')) expect(line.startsWith(`${f}:`)).toBe(true);
      if (expected[k].length) expect(r.stderr).toBe(expected[k].map((l) => `${f}:${l}\n`).join(''));
    }
  });
});

describe('audit --facts: reading a snapshot', () => {
  it('a missing file: exit 2 at file:1:1', async () => {
    const r = await cli(['audit', '--facts', `${IN}/no-such-facts.json`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`plumbline: ${IN}/no-such-facts.json: cannot read the facts snapshot: not found\n`);
    expectNoStackTrace(r.stderr);
  });

  it('invalid JSON (a missing comma): exit 2 at the line and column of the mistake', async () => {
    const r = await cli(['audit', '--facts', `${IN}/facts-missing-comma.json`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // Line 2 ends without a comma; the parser notices at the next token, "host" on line 3, column 3.
    expect(r.stderr).toMatch(new RegExp(`^plumbline: ${IN}/facts-missing-comma\\.json:3:3: not valid JSON: .+\\n$`));
    expect(r.stderr.split('\n')).toHaveLength(2);
    expectNoStackTrace(r.stderr);
  });

  it('invalid JSON (an unexpected token): exit 2 at its line and column, on one line', async () => {
    const r = await cli(['audit', '--facts', `${IN}/facts-unexpected-token.json`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^plumbline: ${IN}/facts-unexpected-token\\.json:3:11: not valid JSON: [^\\n]+\\n$`));
  });

  it('JSON that breaks schemas/facts.schema.json: exit 2, each JSON pointer with its line:col', async () => {
    const f = `${IN}/facts-bad-schema.json`;
    const r = await cli(['audit', '--facts', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `plumbline: ${f}:10:38: /sysctl/net.core.somaxconn/value must be string\n` +
        `${f}:12:66: /firewall/chains must be array\n` +
        'the facts snapshot does not match schemas/facts.schema.json\n',
    );
    expectNoStackTrace(r.stderr);
  });

  it('JSON that is not a facts snapshot at all', async () => {
    const r = await cli(['audit', '--facts', 'package.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'plumbline: package.json:1:1: not a plumbline facts snapshot; expected "schema": "plumbline/facts/v1", as "plumbline facts -o FILE" writes\n',
    );
  });

  it('a report, or a snapshot from a newer plumbline, is said to be one, as report says of a snapshot', async () => {
    const dir = scratch('notsnap');
    const report = join(dir, 'report.json');
    expect((await cli(['audit', '--facts', FACTS, '--format', `json=${report}`])).code).toBeLessThan(2);
    const r = await cli(['audit', '--facts', report]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      `plumbline: ${report}:1:1: not a plumbline facts snapshot (it is a host's report: render it again with "plumbline report FILE"); expected "schema": "plumbline/facts/v1", as "plumbline facts -o FILE" writes\n`,
    );
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, readFileSync(FACTS, 'utf8').replace('"plumbline/facts/v1"', '"plumbline/facts/v2"'));
    const n = await cli(['audit', '--facts', newer]);
    expect([n.code, n.stderr]).toEqual([
      2,
      `plumbline: ${newer}:1:1: the snapshot is from a newer plumbline (schema plumbline/facts/v2); this plumbline reads plumbline/facts/v1: upgrade plumbline to judge it\n`,
    ]);
  });

  it('a valid snapshot: exit 0 when the verdict is ready, 1 when not', async () => {
    const ready = await cli(['audit', '--facts', FACTS]);
    expect(ready.code).toBe(0);
    expect(ready.stderr).toBe('');
    expect(ready.stdout.trimEnd().split('\n').at(-1)).toBe('READY — score 93.8 meets the threshold 80 and no critical check failed');
    const notReady = await cli(['audit', '--facts', FACTS, '-p', `${IN}/critical-somaxconn.yaml`]);
    expect(notReady.code).toBe(1);
    expect(notReady.stdout.trimEnd().split('\n').at(-1)).toBe('NOT READY — critical check failed: kernel.somaxconn');
  });
});

// -------------------------------------------------------------------------------------------------------------

describe('the JSON report', () => {
  it('validates against schemas/report.schema.json and holds the verdict, counts and every result', async () => {
    const r = await cli(['audit', '--facts', FACTS, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = json(r);
    expect(reportErrors(report)).toEqual([]);
    expect(report.tool).toEqual({ name: 'plumbline', version: VERSION });
    expect(report.host.hostname).toBe('pl-capture');
    expect(report.score).toBe(93.8);
    expect(report.score).toBeGreaterThanOrEqual(0);
    expect(report.score).toBeLessThanOrEqual(100);
    expect(report.ready).toBe(true);
    expect(report.threshold).toBe(80);
    expect(report.counts).toEqual({ pass: 22, fail: 1, error: 0, skip: 8, waived: 0 });
    expect(report.results).toHaveLength(31);

    const baseline = readFileSync(join(ROOT, 'policies/baseline.yaml'), 'utf8').split('\n');
    for (const res of report.results) {
      for (const k of ['id', 'title', 'area', 'severity', 'status', 'expected', 'actual', 'message', 'remediation'] as const) {
        expect(typeof res[k], `${res.id}.${k}`).toBe('string');
      }
      expect(res.source.file).toBe('policies/baseline.yaml');
      // The position is the check's own `- id:` entry in the file that declared it.
      expect(baseline[res.source.line - 1]?.slice(res.source.column - 1), res.id).toBe(`id: ${res.id}`);
    }
    const somaxconn = result(report, 'kernel.somaxconn');
    expect(somaxconn).toMatchObject({ status: 'fail', severity: 'high', area: 'kernel', expected: '>= 4096', actual: '1024' });
    expect(report.results.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual(['kernel.somaxconn']);
  });

  it('--format json -o FILE writes the file and still prints the pretty report', async () => {
    const out = join(tmp, 'report.json');
    const r = await cli(['audit', '--facts', FACTS, '--format', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(reportErrors(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
    expect(r.stdout).toContain('Failures (1)');
    expect(r.stdout).toMatch(/^Score 93\.8% \(threshold 80\)/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^READY — /);
  });

  it('--format pretty --format json -o a.txt -o b.json writes both, each in its format', async () => {
    const a = join(tmp, 'a.txt');
    const b = join(tmp, 'b.json');
    const r = await cli(['audit', '--facts', FACTS, '--format', 'pretty', '--format', 'json', '-o', a, '-o', b]);
    expect(r.code).toBe(0);
    const pretty = readFileSync(a, 'utf8');
    expect(pretty).toMatch(/^plumbline \d+\.\d+\.\d+ · host pl-capture/);
    expect(pretty.trimEnd().split('\n').at(-1)).toMatch(/^READY — /);
    expect(reportErrors(JSON.parse(readFileSync(b, 'utf8')))).toEqual([]);
    // Everything went to files: the terminal still gets the verdict, the same text as a.txt.
    expect(r.stdout).toBe(pretty);
  });
});

// -------------------------------------------------------------------------------------------------------------

describe('colour', () => {
  const audit = (env: Record<string, string | undefined>, ...flags: string[]) => cli(['audit', '--facts', FACTS, ...flags], { env });

  it('FORCE_COLOR=1 or --color: ANSI escapes in the pretty report', async () => {
    expect((await audit({ FORCE_COLOR: '1' })).stdout).toMatch(ANSI);
    expect((await audit({}, '--color')).stdout).toMatch(ANSI);
  });

  it('NO_COLOR=1 or --no-color: none, even when colour is otherwise forced', async () => {
    expect((await audit({ NO_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await audit({}, '--no-color')).stdout).not.toMatch(ANSI);
    expect((await audit({ FORCE_COLOR: '1' }, '--no-color')).stdout).not.toMatch(ANSI);
    expect((await audit({ NO_COLOR: '1', FORCE_COLOR: '1' })).stdout).not.toMatch(ANSI);
    expect((await audit({ CI: 'true', NO_COLOR: '1' })).stdout).not.toMatch(ANSI);
  });

  it('nothing set and stdout not a terminal: no colour', async () => {
    const r = await audit({});
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('CI=true with stdout not a terminal: colour (CI logs render it)', async () => {
    expect((await audit({ CI: 'true' })).stdout).toMatch(ANSI);
  });

  it('CI=false is not CI: no colour when stdout is not a terminal', async () => {
    expect((await audit({ CI: 'false' })).stdout).not.toMatch(ANSI);
  });

  it('files written with -o never have colour, whatever forces it', async () => {
    const a = join(tmp, 'colour.txt');
    const b = join(tmp, 'colour.json');
    const r = await audit({ FORCE_COLOR: '1', CI: 'true' }, '--color', '--format', 'pretty', '--format', 'json', '-o', a, '-o', b);
    expect(r.code).toBe(0);
    expect(readFileSync(a, 'utf8')).not.toMatch(ANSI);
    expect(readFileSync(b, 'utf8')).not.toMatch(ANSI);
    // The summary on the terminal is still coloured.
    expect(r.stdout).toMatch(ANSI);
  });

  it('the JSON report on stdout never has colour', async () => {
    const r = await audit({ FORCE_COLOR: '1' }, '--color', '--format', 'json');
    expect(r.stdout).not.toMatch(ANSI);
    expect(reportErrors(JSON.parse(r.stdout))).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------------------

describe('environments: --vars FILE beside --var', () => {
  it("--var wins over --vars, later files over earlier, and they over the policy's own vars; a bad file is said at its line", async () => {
    const dir = scratch('vars');
    const policy = policyIn(dir, 'env', [
      'vars: { backlog: 1 }',
      'checks:',
      '  - { id: kernel.somaxconn, title: t, severity: high, sysctl: net.core.somaxconn, expect: { gte: "${backlog}" } }',
    ]);
    writeFileSync(join(dir, 'staging.yaml'), '# staging\nbacklog: 512\n');
    writeFileSync(join(dir, 'production.yaml'), 'backlog: 4096\n');
    const expected = async (...args: string[]): Promise<[string, string]> => {
      const r = await cli(['audit', '--facts', FACTS, '-p', policy, '--format', 'json', ...args]);
      expect(r.stderr).toBe('');
      const k = result(json(r), 'kernel.somaxconn');
      return [k.expected!, k.status];
    };
    expect(await expected()).toEqual(['>= 1', 'pass']);
    expect(await expected('--vars', join(dir, 'staging.yaml'))).toEqual(['>= 512', 'pass']);
    expect(await expected('--vars', join(dir, 'staging.yaml'), '--vars', join(dir, 'production.yaml'))).toEqual(['>= 4096', 'fail']);
    expect(await expected('--vars', join(dir, 'production.yaml'), '--var', 'backlog=100')).toEqual(['>= 100', 'pass']);
    writeFileSync(join(dir, 'typo.yaml'), 'backlog: 2\nbacklgo: 3\n');
    const typo = await cli(['audit', '--facts', FACTS, '-p', policy, '--vars', join(dir, 'typo.yaml')]);
    expect([typo.code, typo.stderr]).toEqual([
      2,
      `plumbline: ${join(dir, 'typo.yaml')}:2:1: backlgo: no policy declares or uses a var "backlgo"; did you mean "backlog"?\n`,
    ]);
    writeFileSync(join(dir, 'list.yaml'), 'backlog: [1, 2]\n');
    const list = await cli(['audit', '--facts', FACTS, '-p', policy, '--vars', join(dir, 'list.yaml')]);
    expect([list.code, list.stderr]).toEqual([
      2,
      `plumbline: ${join(dir, 'list.yaml')}:1:10: backlog must be a string, a number or true/false, as in a policy's vars\n`,
    ]);
  });
});

describe('waivers in a file: --waivers, --no-waivers, validate --waivers', () => {
  /** YYYY-MM-DD `days` from today (UTC), so the test never goes stale. */
  const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('waives by id, tag or glob with the result kept; run: false never connects; stale, expired and expiring are said; --no-waivers undoes it', async () => {
    const dir = scratch('waivers');
    // A real listener that counts the connections it gets: run: false must not make one.
    const { createServer } = await import('node:net');
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    try {
      const policy = policyIn(dir, 'waived', [
        'checks:',
        '  - { id: kernel.somaxconn, title: t, severity: critical, sysctl: net.core.somaxconn, expect: { gte: 999999999 }, tags: [tuning] }',
        '  - { id: kernel.syncookies, title: t, severity: high, sysctl: net.ipv4.tcp_syncookies, expect: { in: [0, 1, 2] } }',
        `  - { id: probe.app, title: t, severity: critical, tcp: { host: 127.0.0.1, port: ${port} }, expect: { connect: refused } }`,
      ]);
      const waivers = join(dir, 'waivers.yaml');
      writeFileSync(
        waivers,
        [
          'apiVersion: plumbline/v1',
          'kind: Waivers',
          'waivers:',
          '  - check: tuning',
          '    justification: the platform team raises it next sprint',
          '    owner: platform@example.com',
          `    expires: ${inDays(5)}`,
          '  - check: kernel.syncookies',
          '    justification: was needed once',
          '    owner: net',
          `    expires: ${inDays(90)}`,
          '  - check: kernel.nothere',
          '    justification: a typo',
          '    owner: me',
          `    expires: ${inDays(90)}`,
          '  - check: probe.*',
          '    justification: the app is moved this week',
          '    owner: app',
          `    expires: ${inDays(30)}`,
          '    run: false',
          '  - check: kernel.*',
          '    justification: long gone',
          '    owner: me',
          `    expires: ${inDays(-3)}`,
          '  - check: probe.app',
          '    justification: only on the db hosts',
          '    owner: db',
          `    expires: ${inDays(30)}`,
          '    hosts: [db-*]',
          '',
        ].join('\n'),
      );
      const junit = join(dir, 'r.xml');
      const prom = join(dir, 'r.prom');
      const r = await cli(['audit', '-p', policy, '--waivers', waivers, '--format', 'json', '--format', `junit=${junit}`, '--format', `prometheus=${prom}`]);
      expect(r.code, r.stderr).toBe(0);
      expect(connections).toBe(0);
      const report = json(r);
      expect(reportErrors(report)).toEqual([]);
      const soma = result(report, 'kernel.somaxconn');
      expect(soma.status).toBe('waived');
      // The result under the waiver is kept, with who answers for it and where it is written.
      expect(soma.waiver).toMatchObject({ status: 'fail', owner: 'platform@example.com', expires: inDays(5), source: { file: waivers, line: 4, column: 5 } });
      expect(soma.reason?.code).toBe('below');
      expect(report.facts?.sysctl?.['net.core.somaxconn']).toBeDefined();
      const app = result(report, 'probe.app');
      expect([app.status, app.waiver?.status, app.reason?.code]).toEqual(['waived', 'skip', 'not-run']);
      expect(report.facts?.probes).toBeUndefined();
      expect(result(report, 'kernel.syncookies').status).toBe('pass');
      const states = Object.fromEntries((report.waivers ?? []).map((u) => [`${u.source.line}`, u.state]));
      expect(states).toEqual({ '4': 'applied', '8': 'passing', '12': 'unmatched', '16': 'applied', '21': 'expired', '25': 'other-hosts' });
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `plumbline: ${waivers}:4:5: waiver for tuning (owner platform@example.com): expires in 5 days (${inDays(5)}): kernel.somaxconn will be judged again`,
        `plumbline: ${waivers}:8:5: waiver for kernel.syncookies (owner net): stale: kernel.syncookies passes without it; remove it`,
        `plumbline: ${waivers}:12:5: waiver for kernel.nothere (owner me): stale: "kernel.nothere" names no check of the policy (by id, tag or area)`,
        `plumbline: ${waivers}:21:5: waiver for kernel.* (owner me): expired on ${inDays(-3)} (3 days ago): it no longer waives kernel.somaxconn and kernel.syncookies`,
      ]);
      // JUnit: skipped, with the justification and owner; Prometheus: a waived series.
      expect(readFileSync(junit, 'utf8')).toContain(
        `<skipped message="waived until ${inDays(5)} (owner platform@example.com): the platform team raises it next sprint; the check itself is fail:`,
      );
      expect(readFileSync(prom, 'utf8')).toMatch(/^plumbline_check_status\{[^}]*id="kernel\.somaxconn"[^}]*status="waived"[^}]*\} 1$/m);

      // --no-waivers: judged as if nothing were waived, and the probe is made.
      const none = await cli(['audit', '-p', policy, '--no-waivers', '--format', 'json']);
      expect(none.code).toBe(1);
      expect(result(json(none), 'kernel.somaxconn').status).toBe('fail');
      expect(result(json(none), 'probe.app').status).toBe('fail');
      expect(connections).toBeGreaterThan(0);
      const both = await cli(['audit', '-p', policy, '--no-waivers', '--waivers', waivers]);
      expect([both.code, both.stderr]).toEqual([2, 'plumbline: --waivers and --no-waivers say opposite things: give one\n']);

      // validate: the file checked with the policy, its warnings at their lines; the file still valid.
      const v = await cli(['validate', '--waivers', waivers, '--format', 'json', policy]);
      expect(v.code).toBe(0);
      const problems = (JSON.parse(v.stdout) as { problems: Array<{ line: number; level: string; message: string }> }).problems;
      expect(problems.map((p) => [p.line, p.level])).toEqual([
        [4, 'warning'],
        [12, 'warning'],
        [21, 'warning'],
      ]);
    } finally {
      server.close();
    }
  });

  it('a broken waivers file: every problem at its file:line:col, exit 2; a waivers file given as a policy is named for what it is', async () => {
    const dir = scratch('waivers-bad');
    const policy = policyIn(dir, 'p', ['checks:', '  - { id: kernel.somaxconn, title: t, sysctl: net.core.somaxconn, expect: { gte: 1 } }']);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: plumbline/v1',
        'kind: Waiver',
        'waivers:',
        '  - check: kernel.somaxconn',
        '    justificaton: x',
        '    owner: me',
        "  - check: ''",
        '    justification: y',
        '    owner: 3',
        '    expires: 2026-02-30',
        '    hosts: web*',
        '    run: "no"',
        '',
      ].join('\n'),
    );
    const want = [
      `${bad}:2:7: kind must be "Waivers"`,
      `${bad}:4:5: waiver 1 needs justification`,
      `${bad}:4:5: waiver 1 needs expires (a date YYYY-MM-DD: every waiver ends)`,
      `${bad}:5:5: unknown key "justificaton" in waiver 1; did you mean "justification"?`,
      `${bad}:7:12: check must not be empty`,
      `${bad}:9:12: owner must be a string`,
      `${bad}:10:14: expires is not a real date: "2026-02-30"`,
      `${bad}:11:12: hosts must be a list`,
      `${bad}:12:10: run must be true or false`,
    ];
    const r = await cli(['audit', '-p', policy, '--waivers', bad]);
    expect([r.code, r.stderr.trimEnd().split('\n')]).toEqual([2, want]);
    const v = await cli(['validate', '--waivers', bad, policy]);
    expect([v.code, v.stderr.trimEnd().split('\n')]).toEqual([2, want]);
    const missing = await cli(['audit', '-p', policy, '--waivers', join(dir, 'none.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/none\.yaml:1:1: cannot read the waivers file: .*no such file/);
    writeFileSync(
      join(dir, 'w.yaml'),
      'apiVersion: plumbline/v1\nkind: Waivers\nwaivers:\n  - { check: a, justification: b, owner: c, expires: 2030-01-01 }\n',
    );
    const given = await cli(['validate', join(dir, 'w.yaml')]);
    expect([given.code, given.stderr]).toEqual([
      2,
      `${join(dir, 'w.yaml')}:2:7: a waivers file, not a policy: give it with --waivers FILE (audit and validate take it)\n`,
    ]);
  });
});

describe('selection: --only and --skip', () => {
  it('judges only the selected checks, collects only what they need (no family, no probe of the others), refuses a typo', async () => {
    const dir = scratch('select');
    const policy = policyIn(dir, 'select', [
      'checks:',
      '  - { id: kernel.somaxconn, title: t, severity: high, sysctl: net.core.somaxconn, expect: { gte: 1 }, tags: [tuning] }',
      '  - { id: kernel.syncookies, title: t, severity: high, sysctl: net.ipv4.tcp_syncookies, expect: { in: [0, 1, 2] } }',
      '  - { id: listen.any, title: t, severity: low, listeners: {}, expect: { user: { ne: nobody-at-all } } }',
      '  - { id: probe.loopback, title: t, severity: low, tcp: { host: 127.0.0.1, port: 1 }, expect: { connect: refused }, tags: [net] }',
    ]);
    const snapshot = async (...args: string[]): Promise<Record<string, unknown>> => {
      const r = await cli(['facts', '-p', policy, ...args]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const all = await snapshot();
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['sysctl', 'sockets', 'probes']));
    const one = await snapshot('--only', 'kernel.soma*');
    expect(Object.keys(one.sysctl as object)).toEqual(['net.core.somaxconn']);
    expect(one.sockets).toBeUndefined();
    expect(one.probes).toBeUndefined();
    const noNet = await snapshot('--skip', 'net', '--skip', 'listen.*');
    expect(noNet.probes).toBeUndefined();
    expect(noNet.sockets).toBeUndefined();
    expect(Object.keys(noNet.sysctl as object).sort()).toEqual(['net.core.somaxconn', 'net.ipv4.tcp_syncookies']);
    const ids = async (...args: string[]): Promise<string[]> =>
      (JSON.parse((await cli(['audit', '-p', policy, '--format', 'json', ...args])).stdout) as Report).results.map((x) => x.id);
    expect(await ids('--only', 'tuning')).toEqual(['kernel.somaxconn']);
    expect(await ids('--only', 'kernel', '--skip', 'kernel.syncookies')).toEqual(['kernel.somaxconn']);
    const typo = await cli(['audit', '-p', policy, '--only', 'kernl.*']);
    expect([typo.code, typo.stderr]).toEqual([2, 'plumbline: "kernl.*" matches no check of the policy select (by id, tag or area)\n']);
  });
});

describe('--quiet and --strict', () => {
  it('--quiet: the terminal report is what is wrong and the verdict line; a file keeps every check', async () => {
    const dir = scratch('quiet');
    const file = join(dir, 'r.json');
    const r = await cli(['audit', '--facts', 'fixtures/snapshots/bad.json', '--quiet', '--format', 'pretty', '--format', `json=${file}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Failures \(\d+\)\n/);
    expect(r.stdout).not.toMatch(/^plumbline /m);
    expect(r.stdout).not.toMatch(/^Score /m);
    expect(r.stdout).not.toContain('✓');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^NOT READY — /);
    const full = JSON.parse(readFileSync(file, 'utf8')) as { results: Array<{ status: string }> };
    expect(full.results.some((x) => x.status === 'pass')).toBe(true);
  });

  it('--strict: a sysctl this kernel lacks fails instead of being skipped, and says why; a typo gets a did-you-mean', async () => {
    const dir = scratch('strict');
    const policy = policyIn(dir, 'strict', ['checks:', '  - { id: kernel.typo, title: t, severity: high, sysctl: net.core.somaxconnn, expect: { gte: 1 } }']);
    const looseRun = await cli(['audit', '-p', policy, '--format', 'json']);
    const loose = result(json(looseRun), 'kernel.typo');
    expect([loose.status, loose.actual]).toEqual(['skip', '(absent)']);
    // One edit from a key this kernel has: a typo, said in the result and on standard error at its line.
    expect(loose.message).toBe('no such key in /proc/sys; did you mean net.core.somaxconn?');
    expect(looseRun.stderr).toBe(`plumbline: ${policy}:5:5: kernel.typo: no such key in /proc/sys; did you mean net.core.somaxconn?\n`);
    const r = await cli(['audit', '-p', policy, '--strict', '--format', 'json']);
    const strict = result(json(r), 'kernel.typo');
    expect(strict.status).toBe('fail');
    expect(strict.message).toContain('(--strict: a key absent on this host fails)');
    expect(r.code).toBe(1);
  });
});

describe('-p replaces the baseline; several -p merge', () => {
  const ids = async (policies: string[]): Promise<string[]> => {
    const r = await cli(['audit', '--facts', FACTS, ...policies.flatMap((p) => ['-p', p]), '--format', 'json']);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    return (JSON.parse(r.stdout) as { results: Array<{ id: string }> }).results.map((x) => x.id);
  };

  it('-p builtin:high-throughput alone judges the profile only, and with -p builtin:baseline both, as the README says', async () => {
    const alone = await ids(['builtin:high-throughput']);
    const both = await ids(['builtin:baseline', 'builtin:high-throughput']);
    expect(alone).toContain('throughput.somaxconn');
    expect(alone).not.toContain('kernel.somaxconn');
    expect(both).toEqual(expect.arrayContaining(['kernel.somaxconn', 'throughput.somaxconn']));
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(readme).toContain('`-p builtin:baseline -p builtin:high-throughput` judges both');
    expect(readme).not.toMatch(/high-throughput` adds/);
  });
});

describe('--fail-under', () => {
  it('flips the exit code on the same snapshot when no critical check fails', async () => {
    const at = async (t: string) => {
      const r = await cli(['audit', '--facts', FACTS, '--format', 'json', '--fail-under', t]);
      const report = json(r);
      expect(report.threshold).toBe(Number(t));
      expect(report.score).toBe(93.8);
      return { code: r.code, ready: report.ready, reason: report.verdictReason };
    };
    expect(await at('0')).toEqual({ code: 0, ready: true, reason: 'score 93.8 meets the threshold 0 and no critical check failed' });
    expect(await at('93.8')).toEqual({ code: 0, ready: true, reason: 'score 93.8 meets the threshold 93.8 and no critical check failed' });
    expect(await at('93.9')).toEqual({ code: 1, ready: false, reason: 'score 93.8 is below the threshold 93.9' });
    expect(await at('100')).toEqual({ code: 1, ready: false, reason: 'score 93.8 is below the threshold 100' });
  });

  it('a failed critical check keeps exit 1 even with --fail-under 0', async () => {
    const r = await cli(['audit', '--facts', FACTS, '-p', `${IN}/critical-somaxconn.yaml`, '--fail-under', '0', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = json(r);
    expect(reportErrors(report)).toEqual([]);
    expect(result(report, 'kernel.somaxconn')).toMatchObject({ severity: 'critical', status: 'fail' });
    expect(report.ready).toBe(false);
    expect(report.verdictReason).toBe('critical check failed: kernel.somaxconn');
  });
});

describe('waivers', () => {
  it('a waiver with a future expiry: status waived, the real status kept, out of the score', async () => {
    const r = await cli(['audit', '--facts', FACTS, '-p', `${IN}/waiver-future.yaml`, '--format', 'json', '--fail-under', '100']);
    const report = json(r);
    expect(reportErrors(report)).toEqual([]);
    const w = result(report, 'kernel.somaxconn');
    expect(w.status).toBe('waived');
    expect(w.waiver).toEqual({
      reason: 'INC-1234: raised in the next kernel rollout',
      status: 'fail',
      expires: '2099-12-31',
      source: { file: 'test/integration/inputs/waiver-future.yaml', line: 7, column: 5 },
    });
    expect(w.actual).toBe('1024');
    expect(report.counts).toEqual({ pass: 22, fail: 0, error: 0, skip: 8, waived: 1 });
    // The only failure is waived: what is left all passes, so even a threshold of 100 is met.
    expect(report.score).toBe(100);
    expect(report.ready).toBe(true);
    expect(r.code).toBe(0);
    const pretty = await cli(['audit', '--facts', FACTS, '-p', `${IN}/waiver-future.yaml`]);
    expect(pretty.stdout).toMatch(/~ kernel\.somaxconn\s+waived until 2099-12-31: INC-1234: raised in the next kernel rollout/);
  });

  it('an expired waiver no longer applies: the check fails again and says the waiver expired', async () => {
    const r = await cli(['audit', '--facts', FACTS, '-p', `${IN}/waiver-expired.yaml`, '--format', 'json', '--fail-under', '100']);
    const report = json(r);
    expect(reportErrors(report)).toEqual([]);
    const w = result(report, 'kernel.somaxconn');
    expect(w.status).toBe('fail');
    expect(w.waiver).toBeUndefined();
    expect(w.message).toBe('net.core.somaxconn is 1024, not >= 4096 (waiver expired on 2020-01-01: INC-1234: raised in the next kernel rollout)');
    expect(report.counts).toEqual({ pass: 22, fail: 1, error: 0, skip: 8, waived: 0 });
    expect(report.score).toBe(93.8);
    expect(r.code).toBe(1);
  });

  it('validate warns of a waiver expired or expiring within 14 days, at its line, and still says the policy is valid', async () => {
    const day = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const dir = scratch('waivers');
    const file = policyIn(dir, 'w', [
      'extends: [builtin:baseline]',
      'waivers:',
      `  - { check: kernel.somaxconn, reason: r1, expires: ${day(-3)} }`,
      `  - { check: kernel.syncookies, reason: r2, expires: ${day(5)} }`,
      `  - { check: kernel.syn-backlog, reason: r3, expires: ${day(60)} }`,
    ]);
    const r = await cli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^.*w\.yaml: ok /);
    expect(r.stderr).toBe(
      `${file}:6:5: warning: the waiver of kernel.somaxconn expired on ${day(-3)} (3 days ago); its check is judged again\n` +
        `${file}:7:5: warning: the waiver of kernel.syncookies expires on ${day(5)} (in 5 days)\n`,
    );
  });
});

// -------------------------------------------------------------------------------------------------------------
// Root only: a fresh snapshot from a live test host.

const why = netnsSkipReason();
if (why) console.log(`skipping live snapshot tests in cli.test.ts: ${why}`);

(why ? describe.skip : describe)('plumbline facts on a live test host (root, network namespaces)', () => {
  let host: TestHost;
  let sub = '';

  beforeAll(async () => {
    const spec: HostSpec = {
      name: 'cli-facts',
      sysctls: { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '1' },
      nft: 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    iif lo accept\n  }\n}\n',
      listeners: [{ address: '127.0.0.1', port: 6379, name: 'pl-redis', user: 'nobody', nofile: { soft: 20000, hard: 20000 } }],
    };
    // 198.19.10-99.0/24 for this file; other test files and runs use other subnets, but try a few in case.
    for (let attempt = 0; ; attempt++) {
      sub = `198.19.${10 + ((process.pid + attempt * 17) % 90)}`;
      try {
        host = await TestHost.create({ ...spec, veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` } });
        break;
      } catch (e) {
        if (attempt >= 4 || !/already used/.test((e as Error).message)) throw e;
      }
    }
  }, 60_000);

  afterAll(async () => {
    await host?.destroy();
  });

  const inHost = async (args: string[]): Promise<Run> => {
    const r = await host.exec(process.execPath, [CLI, ...args], { timeoutMs: 30_000, env: envWith({ NO_COLOR: '1' }) });
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };

  it('facts -o writes a snapshot that validates against schemas/facts.schema.json, and audits the same as live', async () => {
    const snap = join(tmp, 'live-facts.json');
    const f = await inHost(['facts', '-o', snap]);
    expect(f).toEqual({ code: 0, stdout: '', stderr: '' });
    const facts = JSON.parse(readFileSync(snap, 'utf8')) as Record<string, unknown>;
    expect(factsErrors(facts)).toEqual([]);
    for (const fam of ['sysctl', 'sockets', 'processes', 'netstat', 'interfaces', 'routes', 'firewall']) expect(facts, fam).toHaveProperty(fam);
    expect(facts.firewall).not.toHaveProperty('error');

    const offline = await cli(['audit', '--facts', snap, '--format', 'json']);
    const live = await inHost(['audit', '--format', 'json']);
    expect(reportErrors(json(offline))).toEqual([]);
    expect(reportErrors(json(live))).toEqual([]);
    expect(json(offline).results).toEqual(json(live).results);
    expect(offline.code).toBe(live.code);
    expect(result(json(offline), 'kernel.somaxconn')).toMatchObject({ status: 'fail', actual: '1024' });
    expect(result(json(offline), 'firewall.input').status).toBe('pass');
    // No forward chain in this ruleset: the kernel accepts forwarded packets.
    expect(result(json(offline), 'firewall.forward')).toMatchObject({ status: 'fail' });
    expect(result(json(offline), 'net.default-route').actual).toContain(`default via ${sub}.1`);
  });

  it('facts to standard output is the same JSON document as facts -o writes', async () => {
    const snap = join(tmp, 'stdout-vs-file.json');
    const [f, o] = [await inHost(['facts']), await inHost(['facts', '-o', snap])];
    expect(f.code).toBe(0);
    expect(f.stderr).toBe('');
    expect(o).toEqual({ code: 0, stdout: '', stderr: '' });
    // Two collections a moment apart: the same document but for when it was taken, how long it took, the
    // counters that move on their own (the kernel's IPv6 neighbour discovery sends packets on the veth), and how
    // many items the gather read (the machine's processes, which come and go on a busy machine), and the veth's
    // IPv6 link-local address among the host's own (its local route appears only once duplicate address
    // detection ends, which may fall between the two).
    const same = (text: string): Record<string, unknown> => {
      const d = JSON.parse(text) as {
        host: { collectedAt?: string; gathered?: { items?: number } };
        timings?: unknown;
        netstat?: unknown;
        sockets?: { tcpStates?: unknown };
        interfaces?: Record<string, { stats?: unknown }>;
        routes?: { local?: string[] };
      };
      if (d.routes?.local) d.routes.local = d.routes.local.filter((a) => !a.startsWith('fe80:'));
      delete d.host.collectedAt;
      delete d.host.gathered?.items;
      delete d.timings;
      delete d.netstat;
      if (d.sockets) delete d.sockets.tcpStates;
      for (const i of Object.values(d.interfaces ?? {})) delete i.stats;
      return d as Record<string, unknown>;
    };
    expect(factsErrors(JSON.parse(f.stdout))).toEqual([]);
    expect(same(f.stdout)).toEqual(same(readFileSync(snap, 'utf8')));
  });

  it('facts -o into a missing directory: exit 2 naming the path', async () => {
    const f = await inHost(['facts', '-o', '/nonexistent-dir/facts.json']);
    expect(f.code).toBe(2);
    expect(f.stdout).toBe('');
    expect(f.stderr).toMatch(/^plumbline: cannot write \/nonexistent-dir\/facts\.json: ENOENT/);
    expectNoStackTrace(f.stderr);
  });
});

/** A JSON report without the moment it was made, for comparing two runs. */
const untimed = (json: string) => ({ ...(JSON.parse(json) as Report), generatedAt: undefined });

describe('the launcher and standard output', () => {
  it('a reader that goes away early ends the run quietly, with the verdict as the exit code', async () => {
    const child = spawn(process.execPath, [CLI, 'audit', '--facts', FACTS], { cwd: ROOT, env: envWith(), stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our end of the pipe before the report is written: the write then fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  // The slow reader is a Python script; .ci/run installs python3, so under CI the test always runs.
  const hasPython = spawnSync('python3', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (!hasPython && process.env.CI !== 'true') console.log('skipping the non-blocking stdout test: python3 is not installed');
  it.skipIf(!hasPython && process.env.CI !== 'true')('a non-blocking standard output with a slow reader still gets the whole report, in order', async () => {
    // A parent that hands over a small pipe with O_NONBLOCK set and reads it slowly: the CLI meets EAGAIN.
    const script = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ',
      'p = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'out = b""',
      'deadline = time.time() + 30',
      'while time.time() < deadline:',
      '    time.sleep(0.002)',
      '    chunk = os.read(r, 1024)',
      '    if not chunk: break',
      '    out += chunk',
      'p.wait(timeout=30)',
      'sys.stdout.buffer.write(out)',
      'sys.exit(p.returncode)',
    ].join('\n');
    const args = ['audit', '--facts', FACTS, '--format', 'json'];
    const direct = await cli(args);
    const slow = await runTo('python3', ['-c', script, process.execPath, CLI, ...args]);
    expect(direct.stdout.length).toBeGreaterThan(8192);
    expect(slow.stderr).toBe('');
    expect(slow.code).toBe(direct.code);
    expect(untimed(slow.stdout)).toEqual(untimed(direct.stdout));
  });

  it('without dist/ (not built yet) the launcher says how to build and exits 3', async () => {
    const pkg = mkdtempSync(join(tmpdir(), 'pl-nodist-'));
    try {
      for (const p of ['bin', 'policies', 'package.json']) cpSync(join(ROOT, p), join(pkg, p), { recursive: true });
      const r = await cli(['audit'], { bin: join(pkg, 'bin', 'plumbline.js') });
      expect(r).toEqual({ code: 3, stdout: '', stderr: 'plumbline: the CLI is not built yet; run `npm ci` or `npm run build` first\n' });
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });
});
