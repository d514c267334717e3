// The reporting commands as a user runs them: several formats from one audit, files written whole or not at
// all, `plumbline report` re-rendering a saved report in every format (the same bytes audit wrote), `plumbline
// diff` exiting 1 on a regression, and every kind of bad report file getting one message and exit 2.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, expectNoStackTrace, plumbline } from '../helpers/run.js';
import { fixtureReport } from '../helpers/reports.js';
import { renderJson } from '../../src/report/json.js';
import type { Report } from '../../src/report/model.js';
import type { ReportDiff } from '../../src/report/diff.js';
import { fixtureFleet } from '../helpers/fleets.js';
import { loadFleetRenderer } from '../../src/report/registry.js';
import { renderFleetJson } from '../../src/report/fleet/json.js';
import type { FleetReport } from '../../src/report/fleet/model.js';
import type { FleetDiff } from '../../src/report/fleet/diff.js';

const FORMATS = ['pretty', 'json', 'junit', 'sarif', 'markdown', 'html', 'prometheus'] as const;
let tmp: string;
const at = (name: string): string => join(tmp, name);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'pl-report-cli-'));
  for (const host of ['good', 'bad', 'edge']) {
    const r = await plumbline(['audit', '--facts', `fixtures/snapshots/${host}.json`, '--format', `json=${at(`${host}.json`)}`]);
    expect(r.code, r.stderr).toBe(host === 'good' ? 0 : 1);
  }
  await plumbline([
    'audit',
    '--facts',
    'fixtures/snapshots/edge.json',
    '-p',
    'fixtures/snapshots/all-selectors.yaml',
    '--format',
    `json=${at('edge-all.json')}`,
  ]);
  writeFileSync(at('large.json'), renderJson(await fixtureReport('large')));
  writeFileSync(at('hostile.json'), renderJson(await fixtureReport('hostile')));
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('audit writes several formats in one run', () => {
  it('--format pretty --format sarif=F --format html=F --format json=F: pretty on stdout, each file in its format', async () => {
    const r = await plumbline([
      'audit',
      '--facts',
      'fixtures/snapshots/bad.json',
      '--format',
      'pretty',
      '--format',
      `sarif=${at('m.sarif')}`,
      '--format',
      `html=${at('m.html')}`,
      '--format',
      `json=${at('m.json')}`,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/NOT READY — /);
    expect((JSON.parse(readFileSync(at('m.sarif'), 'utf8')) as { version: string }).version).toBe('2.1.0');
    expect(readFileSync(at('m.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect((JSON.parse(readFileSync(at('m.json'), 'utf8')) as Report).schema).toBe('plumbline/report/v1');
  });

  it('-o FILE goes, in order, to the formats named without =FILE: --format sarif=F --format json -o F --format pretty', async () => {
    const r = await plumbline([
      'audit',
      '--facts',
      'fixtures/snapshots/bad.json',
      '--format',
      `sarif=${at('o.sarif')}`,
      '--format',
      'json',
      '-o',
      at('o.json'),
      '--format',
      'pretty',
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/NOT READY — /);
    expect((JSON.parse(readFileSync(at('o.json'), 'utf8')) as Report).ready).toBe(false);
  });

  it('every format to a file still prints the verdict for the person at the terminal', async () => {
    const r = await plumbline([
      'audit',
      '--facts',
      'fixtures/snapshots/good.json',
      ...FORMATS.filter((f) => f !== 'pretty').flatMap((f) => ['--format', `${f}=${at(`all.${f}`)}`]),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nREADY — /);
    for (const f of FORMATS.filter((x) => x !== 'pretty')) expect(statSync(at(`all.${f}`)).size, f).toBeGreaterThan(100);
  });

  it('-o FILE with no --format: the extension picks the format, on audit and report alike', async () => {
    const a = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', '-o', at('x.html')]);
    expect(a.code, a.stderr).toBe(0);
    expect(readFileSync(at('x.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    const r = await plumbline(['report', at('good.json'), '-o', at('y.sarif')]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(at('y.sarif'), 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('a directory or a place no file can be made names the path once, with the reason', async () => {
    const d = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', '--format', `html=${tmp}`]);
    expect(d).toMatchObject({ code: 2, stdout: '', stderr: `plumbline: cannot write ${tmp}: it is a directory; name a file in it\n` });
    const p = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', '--format', 'html=/proc/x.html']);
    expect(p).toMatchObject({ code: 2, stdout: '', stderr: 'plumbline: cannot write /proc/x.html: ENOENT: no file can be created in /proc\n' });
  });

  it('a special file such as /dev/null is written to, never replaced', async () => {
    const r = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', '--format', 'json=/dev/null']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('/dev/stdout is standard output: that format alone goes there, into a pipe or a redirected file', async () => {
    for (const args of [
      ['--format', 'json=/dev/stdout'],
      ['-o', '/dev/stdout', '--format', 'json'],
    ]) {
      const piped = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', ...args]);
      expect(piped.code, piped.stderr).toBe(0);
      expect((JSON.parse(piped.stdout) as Report).ready).toBe(true);
    }
    // Standard output redirected to a file: written into that file (the shell's), not renamed over it.
    const out = at('redirected.json');
    writeFileSync(out, '');
    const inode = statSync(out).ino;
    const fd = openSync(out, 'w');
    try {
      const r = spawnSync('node', [CLI, 'audit', '--facts', 'fixtures/snapshots/good.json', '--format', 'json=/dev/stdout'], { stdio: ['ignore', fd, 'pipe'] });
      expect(r.status, r.stderr.toString()).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(statSync(out).ino).toBe(inode);
    expect((JSON.parse(readFileSync(out, 'utf8')) as Report).ready).toBe(true);
  });

  it('a symlink stays a symlink: the file it points at gets the report', async () => {
    writeFileSync(at('real.json'), 'old');
    symlinkSync(at('real.json'), at('link.json'));
    const r = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', '--format', `json=${at('link.json')}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(at('link.json')).isSymbolicLink()).toBe(true);
    expect((JSON.parse(readFileSync(at('real.json'), 'utf8')) as Report).ready).toBe(true);
  });

  it.each([
    [
      ['--format', 'sarf=x.sarif'],
      'plumbline: unknown format "sarf"; did you mean "sarif"? (formats: pretty, json, junit, sarif, markdown, html, prometheus)\n',
    ],
    [['--format', 'html='], 'plumbline: --format html= names no file; write --format html=PATH, or --format html for standard output\n'],
    [['--format', 'json=same', '--format', 'html=same'], 'plumbline: same is named for both json and html; give each format its own file\n'],
    [
      ['--format', 'json', '--format', 'markdown'],
      'plumbline: only one format can go to standard output (json, markdown); give the others a file: --format X=PATH\n',
    ],
  ])('%j is a usage error (exit 2, one line, nothing written)', async (args, message) => {
    const r = await plumbline(['audit', '--facts', 'fixtures/snapshots/good.json', ...args], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
    expect(r.stdout).toBe('');
    expect(existsSync(join(tmp, 'same')) || existsSync(join(tmp, 'x.sarif'))).toBe(false);
  });

  it('the kernel sees it: the report is written to a temporary file beside it, then renamed over it (strace)', async () => {
    const probe = spawnSync('strace', ['-V'], { stdio: 'ignore' });
    if (probe.error) {
      // .ci/run installs strace: under CI its absence fails the test.
      if (process.env.CI === 'true') throw new Error('strace is not installed (.ci/run installs it)');
      console.log('skipping the strace check of atomic writes: strace is not installed');
      return;
    }
    const dir = mkdtempSync(join(tmp, 'strace-'));
    writeFileSync(join(dir, 'r.html'), 'OLD');
    const r = spawnSync(
      'strace',
      [
        '-f',
        '-qq',
        '-e',
        'trace=openat,open,creat,truncate,rename,renameat,renameat2',
        process.execPath,
        CLI,
        'report',
        at('good.json'),
        '--format',
        `html=${join(dir, 'r.html')}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const calls = r.stderr.split('\n').filter((l) => l.includes(dir));
    // Opened for writing: only the temporary file, created exclusively; the report itself only as a rename's target.
    const writes = calls.filter((l) => /open(at)?\(|creat\(|truncate\(/.test(l) && /O_WRONLY|O_RDWR|creat\(|truncate\(/.test(l));
    expect(writes, calls.join('\n')).toHaveLength(1);
    expect(writes[0]).toMatch(new RegExp(`"${dir}/\\.r\\.html\\.\\d+\\.tmp", O_WRONLY\\|O_CREAT\\|O_EXCL`));
    expect(calls.filter((l) => /rename/.test(l))).toEqual([
      expect.stringMatching(new RegExp(`rename(at2?)?\\(.*"${dir}/\\.r\\.html\\.\\d+\\.tmp", .*"${dir}/r\\.html".*= 0$`)),
    ]);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/<\/html>\s*$/);
    expect(readdirSync(dir)).toEqual(['r.html']);
  });

  it('a run killed while writing leaves the old file or the whole new one, never a part', async () => {
    const out = at('killed.html');
    writeFileSync(out, 'OLD');
    // Kill at spread-out moments of a render that takes a while (the 5,000-check report as HTML).
    let killed = 0;
    for (const delay of [60, 120, 180, 240, 300, 400, 500, 700, 900, 1200]) {
      const child = spawn(process.execPath, [CLI, 'report', at('large.json'), '--format', `html=${out}`], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      if ((await exited) === 'SIGKILL') killed++;
      clearTimeout(timer);
      const text = readFileSync(out, 'utf8');
      const whole = text === 'OLD' || text.trimEnd().endsWith('</html>');
      expect(whole, `after a kill at ${delay} ms the file holds ${text.length} characters ending ${JSON.stringify(text.slice(-40))}`).toBe(true);
    }
    // Some runs were really cut short (the others finished first).
    expect(killed).toBeGreaterThan(0);
    // The temporary files a killed run leaves are beside the report, named for it, never the report itself.
    for (const f of readdirSync(tmp).filter((n) => n.startsWith('.killed.html.'))) expect(f).toMatch(/^\.killed\.html\.\d+\.tmp$/);
  }, 60_000);
});

describe('plumbline report re-renders a saved report', () => {
  it.each(FORMATS)('%s: the same bytes audit wrote for the same run', async (format) => {
    const direct = await plumbline([
      'audit',
      '--facts',
      'fixtures/snapshots/edge.json',
      '--format',
      `json=${at(`direct-${format}.json`)}`,
      '--format',
      `${format}=${at(`direct.${format}`)}`,
    ]);
    expect(direct.code, direct.stderr).toBe(1);
    const again = await plumbline(['report', at(`direct-${format}.json`), '--format', `${format}=${at(`again.${format}`)}`]);
    expect(again.code, again.stderr).toBe(1);
    expect(readFileSync(at(`again.${format}`), 'utf8')).toBe(readFileSync(at(`direct.${format}`), 'utf8'));
  });

  it('exits by the saved verdict: 0 for a ready report, 1 for a not-ready one', async () => {
    expect((await plumbline(['report', at('good.json'), '--format', 'json=/dev/null'])).code).toBe(0);
    expect((await plumbline(['report', at('bad.json'), '--format', 'json=/dev/null'])).code).toBe(1);
  });

  it('a report full of markup, terminal escapes and invisible characters prints none of them raw on the terminal', async () => {
    const r = await plumbline(['report', at('hostile.json'), '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
    // The escape sequence dropped whole, the bell as its picture, the rest as code points.
    expect(r.stdout).toContain('& red ␇ \\ end <U+202E>exe.txt<U+202C> z<U+200B>w <U+0090> \ufffd');
  });
});

describe('a file that is not a report plumbline can read: exit 2, one message, no stack trace', () => {
  const cases: [string, (good: string) => string, RegExp][] = [
    ['not JSON', () => '{"schema": "plumbline/report/v1",\n  "score": oops }\n', /^plumbline: \S+:2:12: not valid JSON: Unexpected token 'o'\n$/],
    ['truncated', (g) => g.slice(0, Math.floor(g.length / 2)), /^plumbline: \S+:\d+:\d+: the report ends early: the file is truncated\n$/],
    ['empty', () => '', /^plumbline: \S+:1:1: the report is empty\n$/],
    [
      'a facts snapshot',
      () => readFileSync('fixtures/snapshots/good.json', 'utf8'),
      /^plumbline: \S+:1:1: not a plumbline report \(it is a facts snapshot: judge it with "plumbline audit --facts FILE"\); expected "schema": "plumbline\/report\/v1"/,
    ],
    [
      'another JSON document',
      () => '{"name": "package"}',
      /^plumbline: \S+:1:1: not a plumbline report; expected "schema": "plumbline\/report\/v1" or "plumbline\/fleet-report\/v1", as "plumbline audit --format json=FILE" writes\n$/,
    ],
    [
      'a newer schema',
      (g) => g.replace('"plumbline/report/v1"', '"plumbline/report/v2"'),
      /^plumbline: \S+:1:1: the report is from a newer plumbline \(schema plumbline\/report\/v2\); this plumbline reads plumbline\/report\/v1: upgrade plumbline to read it\n$/,
    ],
    [
      'a wrong field',
      (g) => g.replace('"ready": true', '"ready": "yes"'),
      /^plumbline: \S+:\d+:\d+: \/ready must be boolean\nthe report does not match schemas\/report.schema.json\n$/,
    ],
    [
      'broken facts inside',
      (g) => g.replace(/"sysctl": \{/, '"sysctl": "none", "was": {'),
      /^plumbline: \S+:\d+:\d+: \/facts\/sysctl must be object\nthe report's facts do not match schemas\/facts.schema.json\n$/,
    ],
  ];
  it.each(cases)('%s', async (_name, make, message) => {
    const file = at(`bad-${_name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, make(readFileSync(at('good.json'), 'utf8')));
    for (const args of [
      ['report', file],
      ['diff', file, at('good.json')],
    ]) {
      const r = await plumbline(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expectNoStackTrace(r.stderr);
    }
  });

  it('a missing file and a directory', async () => {
    const missing = await plumbline(['report', at('nope.json')]);
    expect(missing).toMatchObject({ code: 2, stderr: `plumbline: ${at('nope.json')}: cannot read the report: not found\n` });
    const dir = await plumbline(['report', tmp]);
    expect(dir).toMatchObject({ code: 2, stderr: `plumbline: ${tmp}: cannot read the report: it is a directory\n` });
  });
});

describe('plumbline diff', () => {
  const diffJson = async (a: string, b: string): Promise<{ code: number; d: ReportDiff }> => {
    const r = await plumbline(['diff', at(a), at(b), '--format', 'json']);
    return { code: r.code, d: JSON.parse(r.stdout) as ReportDiff };
  };

  it('good → bad is a regression: exit 1, the newly failing checks worst first, the score drop', async () => {
    const good = JSON.parse(readFileSync(at('good.json'), 'utf8')) as Report;
    const bad = JSON.parse(readFileSync(at('bad.json'), 'utf8')) as Report;
    const { code, d } = await diffJson('good.json', 'bad.json');
    expect(code).toBe(1);
    expect(d.regression).toBe(true);
    const expected = bad.results
      .filter(
        (r) =>
          (r.status === 'fail' || r.status === 'error') && ['pass', 'skip', 'waived'].includes(good.results.find((g) => g.id === r.id)?.status ?? 'absent'),
      )
      .map((r) => r.id);
    expect(d.newlyFailing.map((e) => e.id).sort()).toEqual(expected.sort());
    expect(d.newlyFailing[0]!.severity).toBe('critical');
    expect(d.scoreChange).toBeCloseTo(bad.score - good.score, 1);
    expect(d.reason).toMatch(/^\d+ checks newly failing; the verdict went from ready to not ready$/);
    const pretty = await plumbline(['diff', at('good.json'), at('bad.json'), '--no-color']);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toContain(`Newly failing (${expected.length})`);
    expect(pretty.stdout).toMatch(/\nREGRESSION — \d+ checks newly failing/);
  });

  it('bad → good is none: exit 0, the newly passing checks', async () => {
    const { code, d } = await diffJson('bad.json', 'good.json');
    expect(code).toBe(0);
    expect(d.regression).toBe(false);
    expect(d.newlyPassing.length).toBeGreaterThan(0);
    expect(d.newlyFailing).toEqual([]);
  });

  it('another host or policy is compared, but said: a doubtful pair never passes silently', async () => {
    const other = JSON.parse(readFileSync(at('edge.json'), 'utf8')) as Report;
    other.host.hostname = 'db-07';
    writeFileSync(at('edge-db07.json'), JSON.stringify(other));
    const r = await plumbline(['diff', at('edge.json'), at('edge-db07.json'), '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`note  the reports are of different hosts (${other.facts!.host.hostname} → db-07)`);
    const md = await plumbline(['diff', at('edge.json'), at('edge-all.json'), '--format', 'markdown']);
    expect(md.stdout).toMatch(/> \*\*Note:\*\* the reports judge different policies \(baseline: /);
  });

  it('a report against itself: no change, exit 0', async () => {
    const r = await plumbline(['diff', at('edge.json'), at('edge.json'), '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No check changed status.');
    expect(r.stdout).toContain('(±0)');
  });

  it('new and removed checks: a different policy on the same host', async () => {
    const other = at('edge-all.json');
    const { d } = await diffJson('edge.json', 'edge-all.json');
    const a = (JSON.parse(readFileSync(at('edge.json'), 'utf8')) as Report).results.map((r) => r.id);
    const b = (JSON.parse(readFileSync(other, 'utf8')) as Report).results.filter((r) => !r.impliedBy).map((r) => r.id);
    expect(d.added.map((e) => e.id).sort()).toEqual(b.filter((id) => !a.includes(id)).sort());
    expect(d.removed.map((e) => e.id).sort()).toEqual(a.filter((id) => !b.includes(id)).sort());
  });

  it('markdown: a table per section, report text escaped', async () => {
    const r = await plumbline(['diff', at('good.json'), at('hostile.json'), '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### plumbline diff: ❌ regression\n/);
    expect(r.stdout).not.toContain('<script>');
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    // Every table row keeps its four cells: no pipe from the report text splits one.
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| |'))) {
      expect(line.replace(/\\\|/g, '').split('|').length - 2, line).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('a report is never written over a file the run reads', () => {
  const copy = (from: string, name: string): string => {
    writeFileSync(at(name), readFileSync(from));
    return at(name);
  };

  it('audit --facts F --format json=F, -p P -o P (and through a symlink), report R -o R, diff A B -o A: exit 2 naming both, the input unchanged', async () => {
    const facts = copy('fixtures/snapshots/good.json', 'in-facts.json');
    const policy = copy('fixtures/snapshots/all-selectors.yaml', 'in-policy.yaml');
    symlinkSync(policy, at('in-policy-link.yaml'));
    const saved = copy(at('good.json'), 'in-report.json');
    const cases: Array<[string[], string, string]> = [
      [['audit', '--facts', facts, '--format', `json=${facts}`], facts, 'the --facts snapshot'],
      [['audit', '--facts', facts, '-p', policy, '--format', 'json', '-o', policy], policy, 'the policy'],
      [['audit', '--facts', facts, '-p', at('in-policy-link.yaml'), '--format', `markdown=${policy}`], policy, 'the policy'],
      [['report', saved, '--format', `sarif=${saved}`], saved, 'the saved report'],
      [['diff', saved, at('bad.json'), '-o', saved], saved, 'the older report'],
    ];
    for (const [args, input, what] of cases) {
      const before = readFileSync(input);
      const r = await plumbline(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`would be written over ${input}, which is ${what}`);
      expectNoStackTrace(r.stderr);
      expect(readFileSync(input).equals(before), args.join(' ')).toBe(true);
    }
  });
});

describe('a run that judged nothing is not ready', () => {
  it('a policy whose only check names a misspelt sysctl: skipped, and NOT READY with the reason', async () => {
    writeFileSync(
      at('misspelt.yaml'),
      'apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: misspelt }\nchecks:\n  - { id: somaxconn, title: t, severity: high, sysctl: net.core.somaxconnn, expect: { gte: 4096 } }\n',
    );
    // On this host, where the key does not exist: the sysctl family reads /proc/sys and finds it absent.
    const r = await plumbline(['audit', '-p', at('misspelt.yaml')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/NOT READY — no check could be judged: 1 skipped/);
  });
});

describe('fleet reports: report re-renders them, diff compares them host by host', () => {
  const fleets = new Map<string, FleetReport>();
  beforeAll(async () => {
    for (const name of ['mixed', 'ready', 'hostile'] as const) {
      fleets.set(name, await fixtureFleet(name));
      writeFileSync(at(`fleet-${name}.json`), renderFleetJson(fleets.get(name)!));
    }
  });

  it.each(FORMATS)('report FLEET.json --format %s: what the fleet renderer makes of the fleet the builder made', async (format) => {
    const r = await plumbline(['report', at('fleet-mixed.json'), '--format', `${format}=${at(`fleet-again.${format}`)}`]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const expected = (await loadFleetRenderer(format))(fleets.get('mixed')!, { color: false });
    expect(readFileSync(at(`fleet-again.${format}`), 'utf8')).toBe(expected);
  });

  it('exits 0 when every host is ready, 1 when one is not or was not audited; pretty on the terminal by default', async () => {
    expect((await plumbline(['report', at('fleet-ready.json'), '--format', 'json=/dev/null'])).code).toBe(0);
    const r = await plumbline(['report', at('fleet-mixed.json'), '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^HOST +VERDICT +SCORE +CRITICAL +FAULT$/m);
    expect(r.stdout).toMatch(/^web-10 +NOT AUDITED +— +— +host key not the known one$/m);
    expect(r.stdout).toMatch(
      /\nNOT READY — 2 of 6 hosts ready; not ready: db-01, web-02; not audited: db-02 \(unreachable\), web-10 \(host key not the known one\)\n$/,
    );
    const hostile = await plumbline(['report', at('fleet-hostile.json'), '--no-color']);
    expect(hostile.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
  });

  it('diff of two fleets: ready → mixed is a regression (exit 1) naming the hosts that got worse; the same fleet twice is none', async () => {
    const r = await plumbline(['diff', at('fleet-ready.json'), at('fleet-mixed.json'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const d = JSON.parse(r.stdout) as FleetDiff;
    expect(d.schema).toBe('plumbline/fleet-diff/v1');
    expect(d.regression).toBe(true);
    const mixed = fleets.get('mixed')!;
    // web-01 is ready in both; every other host of mixed is new (worse unless ready), web-02 went from ready to not ready.
    expect(d.hosts.map((h) => h.name)).toEqual(mixed.hosts.map((h) => h.name).filter((n) => n !== 'web-01'));
    expect(d.hosts.find((h) => h.name === 'web-02')).toMatchObject({ events: ['became-not-ready'], regression: true });
    expect(d.hosts.find((h) => h.name === 'web-10')).toMatchObject({ events: ['added'], after: { state: 'unaudited', fault: 'hostkey' }, regression: true });
    const pretty = await plumbline(['diff', at('fleet-ready.json'), at('fleet-mixed.json'), '--no-color']);
    expect(pretty.code).toBe(1);
    expect(pretty.stdout).toMatch(/\nREGRESSION — 4 hosts got worse: db-01, db-02, web-02, web-10; the fleet went from ready to not ready\n$/);
    const same = await plumbline(['diff', at('fleet-mixed.json'), at('fleet-mixed.json'), '--format', 'markdown']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^### plumbline fleet diff: ✅ no regression\n/);
  });

  it('a fleet report beside a host report: exit 2, one message naming which is which', async () => {
    for (const [a, b, what] of [
      ['fleet-mixed.json', 'good.json', "is a fleet report and ${B} is a host's report"],
      ['good.json', 'fleet-mixed.json', "is a host's report and ${B} is a fleet report"],
    ] as const) {
      const r = await plumbline(['diff', at(a), at(b)]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`plumbline: ${at(a)} ${what.replace('${B}', at(b))}: diff compares two of one kind (two host reports, or two fleet reports)\n`);
      expectNoStackTrace(r.stderr);
    }
  });

  it('a fleet report that is wrong: file:line:col, exit 2', async () => {
    const text = readFileSync(at('fleet-mixed.json'), 'utf8');
    const twice = JSON.parse(text) as FleetReport;
    twice.hosts[1]!.name = twice.hosts[0]!.name;
    writeFileSync(at('fleet-twice.json'), JSON.stringify(twice, null, 2));
    const r = await plumbline(['report', at('fleet-twice.json')]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^plumbline: \S+fleet-twice\.json:\d+:\d+: host "db-01" appears twice; a fleet report holds each host once\n$/);
    // An unaudited host without its fault, and a host report inside that is broken.
    const noFault = JSON.parse(text) as FleetReport;
    delete noFault.hosts[1]!.fault;
    writeFileSync(at('fleet-nofault.json'), JSON.stringify(noFault, null, 2));
    const n = await plumbline(['report', at('fleet-nofault.json')]);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/^plumbline: \S+:\d+:\d+: \/hosts\/1 must have required property 'fault'\n/m);
    expect(n.stderr).toMatch(/the fleet report does not match schemas\/fleet-report.schema.json\n$/);
    const badHost = JSON.parse(text) as { hosts: { report?: { ready: unknown } }[] };
    badHost.hosts[0]!.report!.ready = 'yes';
    writeFileSync(at('fleet-badhost.json'), JSON.stringify(badHost, null, 2));
    const b = await plumbline(['diff', at('fleet-badhost.json'), at('fleet-mixed.json')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^plumbline: \S+:\d+:\d+: \/hosts\/0\/report\/ready must be boolean\n/);
    writeFileSync(at('fleet-v2.json'), text.replace('plumbline/fleet-report/v1', 'plumbline/fleet-report/v2'));
    const newer = await plumbline(['report', at('fleet-v2.json')]);
    expect(newer.stderr).toBe(
      `plumbline: ${at('fleet-v2.json')}:1:1: the report is from a newer plumbline (schema plumbline/fleet-report/v2); this plumbline reads plumbline/fleet-report/v1: upgrade plumbline to read it\n`,
    );
    for (const x of [r, n, b, newer]) expectNoStackTrace(x.stderr);
  });
});
