// The GitHub Action end to end, as a runner starts it: `node <action.yml's runs.main>` with INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointing at files, in a workspace holding a team policy that extends
// the built-in baseline and the facts snapshots it judges. Asserts the outputs, the job summary, the
// annotations at the policy lines (workspace-relative, built-in checks at the user's `extends` line), the
// written reports and the exit status, on the Node this machine runs (the bundle targets 20 and 24).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, expectNoStackTrace, run } from '../helpers/run.js';
import type { Report } from '../../src/report/model.js';

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}
const ACTION = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const ENTRY = join(ROOT, ACTION.runs.main);

const POLICY = `apiVersion: plumbline/v1
kind: Policy
metadata:
  name: web-tier
extends:
  - builtin:baseline
checks:
  - id: web.somaxconn
    title: Listen backlog fits a traffic spike
    severity: critical
    sysctl: net.core.somaxconn
    expect: { gte: 4096 }
    remediation: sysctl -w net.core.somaxconn=4096
`;

let ws: string;

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'pl-action-'));
  mkdirSync(join(ws, 'ops/policies'), { recursive: true });
  writeFileSync(join(ws, 'ops/policies/web.yaml'), POLICY);
  writeFileSync(join(ws, 'ops/policies/broken.yaml'), `${POLICY.replace('severity: critical', 'severity: severe')}`);
  for (const h of ['good', 'bad']) copyFileSync(join(ROOT, `fixtures/snapshots/${h}.json`), join(ws, `ops/${h}.json`));
});

afterAll(() => rmSync(ws, { recursive: true, force: true }));

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  commands: { command: string; props: Record<string, string>; message: string }[];
}

/** `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes GITHUB_OUTPUT. */
function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** Workflow commands (`::error file=F,line=N::message`) from the log, with properties and message unescaped. */
function readCommands(log: string): ActionRun['commands'] {
  const unescape = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return [...log.matchAll(/^::(\w+)(?: ([^:]*))?::(.*)$/gm)].map((m) => ({
    command: m[1]!,
    props: Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))]),
    ),
    message: unescape(m[3]!),
  }));
}

async function action(inputs: Record<string, string>, name: string, extraEnv: Record<string, string> = {}): Promise<ActionRun> {
  const dir = join(ws, `.runner-${name}`);
  mkdirSync(dir, { recursive: true });
  const output = join(dir, 'output');
  const summary = join(dir, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    ...extraEnv,
  };
  // The runner sets every declared input, to its default when the workflow gives none.
  for (const [k, v] of Object.entries(ACTION.inputs)) env[`INPUT_${k.toUpperCase()}`] = v.default ?? '';
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await run(process.execPath, [ENTRY], { env, cwd: ws, timeoutMs: 120_000 });
  return { ...r, outputs: readOutputs(readFileSync(output, 'utf8')), summary: readFileSync(summary, 'utf8'), commands: readCommands(r.stdout) };
}

describe('action.yml', () => {
  it('runs on node24 from the committed bundle, which exists', () => {
    expect(ACTION.runs.using).toBe('node24');
    expect(existsSync(ENTRY)).toBe(true);
  });

  it('declares every input and output the entry reads and writes, and booleans have defaults', () => {
    const src = ['main.ts', 'fleet.ts'].map((f) => readFileSync(join(ROOT, 'src/action', f), 'utf8')).join('\n');
    const read = new Set([...src.matchAll(/(?:get(?:Multiline)?Input|files)\('([\w-]+)'/g)].map((m) => m[1]!));
    for (const k of ['json', 'sarif', 'html', 'junit', 'markdown']) read.add(k);
    expect([...read].sort()).toEqual(Object.keys(ACTION.inputs).sort());
    expect(ACTION.inputs['soft-fail']!.default).toBe('false');
    expect(ACTION.inputs.become!.default).toBe('false');
    expect(Object.keys(ACTION.outputs).sort()).toEqual(['failed', 'hosts', 'hosts-ready', 'html', 'json', 'junit', 'markdown', 'ready', 'sarif', 'score']);
  });
});

describe('a ready host', () => {
  it('passes the step and says so in the outputs and the summary', async () => {
    const r = await action({ facts: 'ops/good.json', json: 'out/report.json' }, 'ready');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ score: '100', ready: 'true', failed: '0', json: 'out/report.json' });
    expect(r.summary).toMatch(/READY/);
    expect(r.summary).not.toMatch(/NOT READY/);
    expect(r.commands.filter((c) => c.command === 'error')).toEqual([]);
    expect((JSON.parse(readFileSync(join(ws, 'out/report.json'), 'utf8')) as Report).ready).toBe(true);
  });
});

describe('the built-in baseline with no policy file of the repository', () => {
  it('places every finding at the workflow step that runs the action (the only line the repository has)', async () => {
    mkdirSync(join(ws, '.github/workflows'), { recursive: true });
    writeFileSync(
      join(ws, '.github/workflows/audit.yml'),
      'on: push\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v7\n      - uses: plumbline/plumbline@v1\n        with: { facts: ops/bad.json }\n',
    );
    const r = await action({ facts: 'ops/bad.json', sarif: 'wf.sarif' }, 'workflow', {
      GITHUB_WORKFLOW_REF: 'acme/web/.github/workflows/audit.yml@refs/heads/main',
      GITHUB_ACTION_REPOSITORY: 'plumbline/plumbline',
    });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(ws, 'wf.sarif'), 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    const places = new Set(
      sarif.runs[0]!.results.map((x) =>
        JSON.stringify([
          x.locations[0]!.physicalLocation.artifactLocation.uri,
          x.locations[0]!.physicalLocation.region.startLine,
          x.locations[0]!.physicalLocation.region.startColumn,
        ]),
      ),
    );
    expect([...places]).toEqual([JSON.stringify(['.github/workflows/audit.yml', 7, 7])]);
    expect(r.commands.some((c) => c.command === 'error' && c.props.file === '.github/workflows/audit.yml' && c.props.line === '7')).toBe(true);
  });
});

describe('a host that is not ready', () => {
  let r: ActionRun;
  beforeAll(async () => {
    r = await action(
      {
        'working-directory': 'ops',
        policy: 'policies/web.yaml',
        facts: 'bad.json',
        json: 'reports/r.json',
        sarif: 'reports/r.sarif',
        html: 'reports/r.html',
        junit: 'reports/r.xml',
        markdown: 'reports/r.md',
      },
      'not-ready',
    );
  }, 120_000);

  it('fails the step (exit 1) with one final error that gives the verdict', () => {
    expect(r.code).toBe(1);
    const last = r.commands.filter((c) => c.command === 'error').at(-1)!;
    expect(last.props).toEqual({});
    expect(last.message).toMatch(/^not ready: critical checks failed: .*web\.somaxconn.* \(score [\d.]+, threshold 80\)$/);
    expectNoStackTrace(r.stderr);
  });

  it("annotates the worst failures at their policy lines, from the workspace root, within GitHub's caps", () => {
    const report = JSON.parse(readFileSync(join(ws, 'ops/reports/r.json'), 'utf8')) as Report;
    const notes = r.commands.filter((c) => c.props.file !== undefined);
    for (const level of ['error', 'warning', 'notice']) expect(notes.filter((c) => c.command === level).length).toBeLessThanOrEqual(10);
    // The team's own check at its own line; a built-in one at the extends line that brought the baseline in.
    const own = notes.find((c) => c.props.title?.includes('web.somaxconn'))!;
    expect(own).toMatchObject({ command: 'error', props: { file: 'ops/policies/web.yaml', line: '8', col: '5' } });
    expect(own.message).toContain('fix: sysctl -w net.core.somaxconn=4096');
    const builtin = notes.find((c) => c.props.title?.includes('listen.redis'))!;
    expect(builtin.props).toMatchObject({ file: 'ops/policies/web.yaml', line: '6', col: '5' });
    // The worst first: every critical failure is annotated.
    for (const c of report.results.filter((x) => x.severity === 'critical' && x.status === 'fail'))
      expect(
        notes.some((n) => n.props.title?.includes(c.id)),
        c.id,
      ).toBe(true);
    // What was not annotated is counted in the summary.
    const findings = report.results.filter((x) => (x.status === 'fail' || x.status === 'error') && !x.impliedBy).length;
    const left = findings - notes.length;
    // This host fails more checks than GitHub shows: the summary counts the rest.
    expect(left).toBeGreaterThan(0);
    expect(r.summary).toContain(
      left === 1 ? '1 more failing or unverified check is not annotated' : `${left} more failing or unverified checks are not annotated`,
    );
  });

  it('writes the job summary from the markdown report, and every report the inputs asked for', () => {
    expect(r.summary).toMatch(/NOT READY/);
    expect(r.summary).toContain('web.somaxconn');
    expect(readFileSync(join(ws, 'ops/reports/r.md'), 'utf8').length).toBeGreaterThan(500);
    expect(r.summary.startsWith(readFileSync(join(ws, 'ops/reports/r.md'), 'utf8'))).toBe(true);
    const sarif = JSON.parse(readFileSync(join(ws, 'ops/reports/r.sarif'), 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    // Code scanning places results by the checkout's paths.
    expect(new Set(sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(new Set(['ops/policies/web.yaml']));
    expect(readFileSync(join(ws, 'ops/reports/r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(readFileSync(join(ws, 'ops/reports/r.xml'), 'utf8')).toMatch(/^<\?xml/);
  });

  it('sets the outputs: score, ready, failed and the written paths from the workspace root', () => {
    const report = JSON.parse(readFileSync(join(ws, 'ops/reports/r.json'), 'utf8')) as Report;
    expect(r.outputs).toEqual({
      score: String(report.score),
      ready: 'false',
      failed: String(report.counts.fail),
      json: 'ops/reports/r.json',
      sarif: 'ops/reports/r.sarif',
      html: 'ops/reports/r.html',
      junit: 'ops/reports/r.xml',
      markdown: 'ops/reports/r.md',
    });
  });

  it('soft-fail: the same verdict as a warning, and the step passes', async () => {
    const soft = await action({ 'working-directory': 'ops', policy: 'policies/web.yaml', facts: 'bad.json', 'soft-fail': 'true' }, 'soft');
    expect(soft.code).toBe(0);
    expect(soft.outputs.ready).toBe('false');
    expect(soft.commands.some((c) => c.command === 'warning' && /^not ready: .*soft-fail is set, so the step passes$/.test(c.message))).toBe(true);
  });

  it('vars-file sets policy vars per environment, and input vars wins over it', async () => {
    mkdirSync(join(ws, 'ops/env'), { recursive: true });
    writeFileSync(
      join(ws, 'ops/policies/env.yaml'),
      [
        'apiVersion: plumbline/v1',
        'kind: Policy',
        'metadata: { name: env }',
        'vars: { backlog: 1 }',
        'checks:',
        '  - { id: kernel.somaxconn, title: t, severity: critical, sysctl: net.core.somaxconn, expect: { gte: "${backlog}" } }',
        '',
      ].join('\n'),
    );
    writeFileSync(join(ws, 'ops/env/production.yaml'), 'backlog: 999999\n');
    const base = { 'working-directory': 'ops', policy: 'policies/env.yaml', facts: 'good.json', 'vars-file': 'env/production.yaml' };
    const prod = await action(base, 'vars-file');
    expect(prod.code).toBe(1);
    expect(prod.outputs.ready).toBe('false');
    const over = await action({ ...base, vars: 'backlog=1' }, 'vars-over');
    expect(over.code, over.stdout).toBe(0);
    expect(over.outputs.ready).toBe('true');
  });

  it('waivers: a waived finding is no annotation, a stale waiver is a warning at its line; "none" judges everything', async () => {
    writeFileSync(
      join(ws, 'ops/waivers.yaml'),
      [
        'apiVersion: plumbline/v1',
        'kind: Waivers',
        'waivers:',
        '  - check: kernel.somaxconn',
        '    justification: raised with the next kernel',
        '    owner: platform',
        '    expires: 2999-01-01',
        '  - check: kernel.nothere',
        '    justification: a typo',
        '    owner: me',
        '    expires: 2999-01-01',
        '',
      ].join('\n'),
    );
    const base = { 'working-directory': 'ops', facts: 'bad.json', json: 'waived/report.json' };
    const r = await action({ ...base, waivers: 'waivers.yaml' }, 'waivers');
    const report = JSON.parse(readFileSync(join(ws, 'ops/waived/report.json'), 'utf8')) as Report;
    const soma = report.results.find((x) => x.id === 'kernel.somaxconn')!;
    expect([soma.status, soma.waiver?.status, soma.waiver?.owner]).toEqual(['waived', 'fail', 'platform']);
    // Paths in the report are the repository's, as the annotations' are.
    expect(soma.waiver?.source?.file).toBe('ops/waivers.yaml');
    expect(r.commands.filter((c) => c.message.includes('kernel.somaxconn') && c.command === 'error')).toEqual([]);
    const stale = r.commands.filter((c) => c.props.title === 'plumbline: waiver');
    expect(stale).toEqual([
      {
        command: 'warning',
        props: { title: 'plumbline: waiver', file: 'ops/waivers.yaml', line: '8', col: '5' },
        message: 'waiver for kernel.nothere (owner me): stale: "kernel.nothere" names no check of the policy (by id, tag or area)',
      },
    ]);
    const none = await action({ ...base, waivers: 'none' }, 'no-waivers');
    expect(none.commands.some((c) => c.command === 'error' && c.props.title?.includes('kernel.somaxconn'))).toBe(true);
    const missing = await action({ ...base, waivers: 'nope.yaml' }, 'waivers-missing');
    expect(missing.code).toBe(1);
    expect(missing.commands.find((c) => c.command === 'error')?.message).toBe(`input waivers: nope.yaml does not exist (looked in ${join(ws, 'ops')})`);
  });

  it('only and skip choose the checks judged', async () => {
    const r = await action({ facts: 'ops/bad.json', only: 'kernel.*\nlisten.redis', skip: 'kernel.somaxconn', json: 'sel/report.json' }, 'select');
    const report = JSON.parse(readFileSync(join(ws, 'sel/report.json'), 'utf8')) as { results: Array<{ id: string }> };
    const ids = report.results.map((x) => x.id);
    expect(ids).toContain('listen.redis');
    expect(ids).toContain('kernel.syncookies');
    expect(ids).not.toContain('kernel.somaxconn');
    expect(ids.every((id) => id.startsWith('kernel.') || id === 'listen.redis')).toBe(true);
    expect(r.code).toBe(1);
  });

  it('fail-under 0 with no critical failure would pass: the threshold input is applied', async () => {
    const low = await action({ facts: 'ops/good.json', 'fail-under': '100' }, 'threshold');
    expect(low.code).toBe(0);
    expect(JSON.parse(JSON.stringify(low.outputs)).score).toBe('100');
  });
});

describe('wrong inputs fail the step with one clear ::error:: line, never a stack trace', () => {
  it.each([
    [{ 'fail-under': '150' }, 'input fail-under takes a number from 0 to 100, got "150"'],
    [{ 'fail-under': 'high' }, 'input fail-under takes a number from 0 to 100, got "high"'],
    [{ policy: 'policies/missing.yaml' }, `input policy: policies/missing.yaml does not exist (looked in ${'WS'})`],
    [{ 'soft-fail': 'maybe' }, 'input soft-fail takes true or false, got "maybe"'],
    [{ 'working-directory': 'nowhere' }, `input working-directory: ${'WS'}/nowhere is not a directory`],
    [{ facts: 'ops/policies/web.yaml' }, /^\S*ops\/policies\/web\.yaml:1:1: not valid JSON: /],
    [{ vars: 'tlsHost=a.example\nnonsense' }, 'input vars takes NAME=VALUE (a name of letters, digits and _), got "nonsense"'],
    [{ sarif: 'r/a.sarif', json: 'r/a.sarif' }, 'inputs json and sarif name the same file, r/a.sarif; give each report its own path'],
  ] as [Record<string, string>, string | RegExp][])('%j', async (inputs, message) => {
    const r = await action(inputs, 'bad-input');
    expect(r.code).toBe(1);
    const errors = r.commands.filter((c) => c.command === 'error');
    expect(errors, r.stdout).toHaveLength(1);
    if (typeof message === 'string') expect(errors[0]!.message).toBe(message.replace('WS', ws));
    else expect(errors[0]!.message).toMatch(message);
    expectNoStackTrace(r.stdout + r.stderr);
    // The summary page says it too: a reader there would otherwise see nothing.
    expect(r.summary).toMatch(/^## ⚠️ plumbline could not audit\n\n> /);
    // Escaped as markdown text (md-escape.ts): compare the words.
    const words = (t: string): string =>
      t
        .replace(/\\(.)/g, '$1')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    expect(words(r.summary)).toContain(errors[0]!.message.split('\n')[0]!);
  });

  it('a policy with a mistake: one error annotation at its line in the file', async () => {
    const r = await action({ policy: 'ops/policies/broken.yaml', facts: 'ops/good.json' }, 'broken');
    expect(r.code).toBe(1);
    const errors = r.commands.filter((c) => c.command === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.props).toMatchObject({ file: 'ops/policies/broken.yaml', line: '10' });
    expect(errors[0]!.message).toMatch(/^ops\/policies\/broken\.yaml:10:15: .*severe/);
    expectNoStackTrace(r.stdout + r.stderr);
  });
});
