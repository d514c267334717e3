// `plumbline init`: a policy to start from. With --from-host, one that captures a host known to be right (goss's
// autoadd): read once, judged with the baseline, each part written as the checks that hold it (src/capture/).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capturePlanChecks, capturePolicy } from '../../capture/capture.js';
import { capturedYaml } from '../../capture/write.js';
import { evaluate } from '../../evaluate/evaluate.js';
import type { FactsSnapshot } from '../../facts/model.js';
import type { ResolvedPolicy } from '../../policy/model.js';
import { collectHost } from '../collect-host.js';
import { EXIT, UsageError } from '../errors.js';
import { COLLECT_OPTIONS, COLLECT_USAGE, loadPolicies, parseCollectOptions, parseCommandLine } from '../options.js';
import type { CollectChoices } from '../options.js';
import { writeFileAtomic } from '../outputs.js';
import { version } from '../paths.js';
import { writeErr, writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline init [-o FILE] [--force] [--name NAME]
       plumbline init --from-host [--target ssh://[user@]host[:port]] [-o FILE] [--force] [--name NAME]

Write a policy to start from: one that extends the built-in baseline, or with --from-host one that captures a
host known to be right, so that every other host (and this one, later) is held to it.

      --from-host       read this host (or --target) and write the checks that hold it as it is: the
                        baseline's sysctls (its threshold where the host meets it, the host's value where
                        not), every listener as an allow-list and each port's bind and owner, the open-file
                        limits of listening services, the firewall's default verdicts, and the versions and
                        certificate window of its TLS listeners (on the usual TLS ports); each check says in a
                        comment where its values came from
      --target ssh://[user@]host[:port]
                        capture that host over SSH (the system's ssh client and configuration)
      --ssh-config FILE ssh's configuration file for --target (ssh -F)
      --accept-new-host-keys
                        trust a host key seen for the first time (known_hosts still refuses a changed one)
  -o, --output FILE     write the policy there (default: standard output); an existing file is kept
                        unless --force
      --force           write over an existing file
      --name NAME       the policy's metadata.name (default: captured-HOSTNAME, or my-policy)
${COLLECT_USAGE}  -h, --help            this help

Exit codes: 0 written · 2 usage error (a file that exists without --force) · 3 the host could not be read.
`;

const STARTER = (name: string): string => `# yaml-language-server: $schema=https://plumbline.dev/schemas/policy.schema.json
# A policy of your own on top of the built-in baseline: later checks with the same id override the baseline's.
# "plumbline validate THIS_FILE" checks it; "plumbline audit -p THIS_FILE" judges this host with it.
apiVersion: plumbline/v1
kind: Policy
metadata:
  name: ${name}
extends: [builtin:baseline]
vars: {}
checks:
  # A check of your own (a new id: a baseline id here would replace the baseline's check, tags and fix included).
  - id: app.listen-backlog
    title: The listen backlog takes the app's bursts
    severity: high
    sysctl: net.core.somaxconn
    expect: { gte: 8192 }
    remediation: Set net.core.somaxconn=65535 in /etc/sysctl.d/ and run sysctl --system
`;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The host's facts for a capture: this machine, or one host over SSH. */
async function readHost(plan: ResolvedPolicy, values: Record<string, unknown>, collect: CollectChoices): Promise<FactsSnapshot> {
  const targets = (values.target as string[] | undefined) ?? [];
  if (targets.length === 0) return collectHost(plan, collect, values['no-progress'] !== true && process.stderr.isTTY === true && !process.env.CI);
  if (targets.length > 1) throw new UsageError('init --from-host captures one host: give one --target');
  const { fleetHosts } = await import('../fleet-options.js');
  const { SshTransport } = await import('../../transport/ssh/ssh.js');
  const { collectOverSsh } = await import('../../fleet/run.js');
  const [host] = await fleetHosts({ target: targets });
  const deadline = collect.deadlineMs ?? 120_000;
  const controlDir = mkdtempSync(join(tmpdir(), 'plumbline-ssh-'));
  const transport = new SshTransport(host!.target!, {
    controlDir,
    ...(values['ssh-config'] !== undefined ? { configFile: values['ssh-config'] as string } : {}),
    acceptNewHostKeys: values['accept-new-host-keys'] === true,
    connectTimeoutMs: 10_000,
    ...(process.env.PLUMBLINE_SSH ? { program: process.env.PLUMBLINE_SSH } : {}),
  });
  try {
    const { facts, fault } = await collectOverSsh(transport, plan, deadline, collect);
    // A capture of half a host would write a policy that holds half of it: refused.
    if (fault) throw new Error(`${transport.name}: ${fault.class}: ${fault.detail}`);
    return facts;
  } finally {
    await transport.close().catch(() => {});
    rmSync(controlDir, { recursive: true, force: true });
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      allowPositionals: false,
      options: {
        ...COLLECT_OPTIONS,
        'from-host': { type: 'boolean' },
        target: { type: 'string', multiple: true },
        'ssh-config': { type: 'string' },
        'accept-new-host-keys': { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    'init',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (values.name !== undefined && !NAME.test(values.name)) throw new UsageError(`--name takes letters, digits, ".", "_" and "-", got "${values.name}"`);
  const capturing = ['target', 'ssh-config', 'accept-new-host-keys', 'deadline', 'concurrency', 'allow-target', 'no-progress'] as const;
  const stray = capturing.filter((k) => values[k as keyof typeof values] !== undefined);
  if (!values['from-host'] && stray.length)
    throw new UsageError(
      `${stray.map((k) => `--${k}`).join(', ')} ${stray.length === 1 ? 'says how to capture a host: it goes' : 'say how to capture a host: they go'} with --from-host`,
    );
  const out = values.output;
  // Never over a file someone wrote: a captured policy replaces nothing unless asked.
  if (out !== undefined && out !== '-' && existsSync(out) && !values.force) throw new UsageError(`${out} exists; --force writes over it`);
  let text: string;
  if (!values['from-host']) text = STARTER(values.name ?? 'my-policy');
  else {
    const collect = parseCollectOptions(values);
    const baseline = await loadPolicies(undefined);
    const facts = await readHost({ ...baseline, checks: capturePlanChecks(baseline) }, values, collect);
    const captured = capturePolicy(facts, baseline, evaluate(baseline, facts, new Date()));
    const h = facts.host;
    const name = values.name ?? `captured-${h.hostname.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
    text = capturedYaml(captured, { name, hostname: h.hostname, kernel: h.kernel, collectedAt: h.collectedAt, transport: h.transport, version: version() });
    const n = captured.sections.reduce((k, s) => k + s.checks.length, 0);
    // What could not be read is in the file's header; said here too, where the person running it looks.
    for (const l of captured.leftOut) writeErr(`plumbline: left out: ${l}\n`);
    if (out === undefined || out === '-') writeOut(text);
    else {
      writeFileAtomic(out, text);
      writeErr(`plumbline: captured ${n} checks from ${h.hostname} into ${out}; review it, then: plumbline validate ${out}\n`);
    }
    return EXIT.ready;
  }
  if (out === undefined || out === '-') writeOut(text);
  else writeFileAtomic(out, text);
  return EXIT.ready;
}
