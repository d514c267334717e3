// `plumbline diagnose TARGET`: why can't this host reach that service? No policy: checks of the existing kinds
// for the target, judged bottom-up (src/diagnose/), from this host or one reached over SSH.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTarget, refusedTarget } from '../../diagnose/target.js';
import { say } from '../../report/reasons.js';
import { DIAGNOSE_FORMATS, loadDiagnosisRenderer } from '../../diagnose/registry.js';
import { diagnosisExitCode } from '../../diagnose/layers.js';
import type { Plan } from '../../plan/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { runDiagnosis } from '../diagnose-run.js';
import { CannotRunError, EXIT, UsageError } from '../errors.js';
import { durationOption, parseAllowTargets, parseCommandLine, useColor } from '../options.js';
import { writeOut } from '../stdio.js';

export const USAGE = `Usage: plumbline diagnose TARGET [--target ssh://[user@]host[:port] [--ssh-config FILE] [--accept-new-host-keys]]
                          [--format pretty|json|markdown] [--tls] [--timeout DURATION] [--allow-target CIDR]...
                          [--color|--no-color]

Why can't this host reach that service? Judge the way to TARGET bottom-up, as the field troubleshoots it:
the egress link (up, carrier, errors and drops), the next hop's neighbour entry (ARP/NDP), the route the
kernel picks, ICMP to the gateway and the target (loss, and latency on the local network), a full-size
don't-fragment probe (the path MTU), DNS, a TCP connect, TLS, HTTP; judging stops at the first layer that
fails, and says what that most often means.
TCP states (SYN_SENT and CLOSE_WAIT piling up) are judged beside. No policy is needed.

TARGET is a host name, an IP address, host:port, [IPv6]:port or a URL (http:// or https://). A port gets
a TCP connect; port 443, an https:// URL or --tls a TLS handshake; a URL, or port 80, 443 or 8080, an HTTP
request (a status under 500 answers). An IP address skips DNS.

Link, neighbour, route, TCP states, ICMP and the path MTU are read or sent on the audited host (this one, or
--target: its own ping); DNS, TCP, TLS and HTTP are probed from this machine, as plumbline's live probes
always are.

Options:
      --target ssh://[user@]host[:port]
                        read the lower layers on that host over SSH (the system's ssh client and config)
      --ssh-config FILE ssh's configuration file for --target (ssh -F)
      --accept-new-host-keys
                        trust a host key seen for the first time (known_hosts still refuses a changed one)
      --format FORMAT   pretty (default), json or markdown, on standard output
      --tls             the port speaks TLS though it is none of the usual ones
      --timeout DURATION
                        how long each probe and read may take ("5s", the default; "800ms")
      --allow-target CIDR
                        let the probes connect to this network (repeatable): link-local and cloud metadata
                        addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) are refused otherwise
      --color, --no-color
  -h, --help            this help

Exit codes: 0 the target answers (warnings are shown, such as filtered ICMP) · 1 it cannot be reached, or
answers wrongly · 2 usage error · 3 the diagnosis could not run.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string', multiple: true },
        'ssh-config': { type: 'string' },
        'accept-new-host-keys': { type: 'boolean' },
        format: { type: 'string' },
        tls: { type: 'boolean' },
        timeout: { type: 'string' },
        'allow-target': { type: 'string', multiple: true },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    'diagnose',
  );
  if (values.help) {
    writeOut(USAGE);
    return EXIT.ready;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `diagnose takes one target (a host, host:port or URL), got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}\nRun "plumbline diagnose --help" for every option.`,
    );
  const target = parseTarget(positionals[0]!, { tls: values.tls === true });
  if ('why' in target) throw new UsageError(`diagnose: ${target.why}`);
  const format = values.format ?? 'pretty';
  if (!DIAGNOSE_FORMATS.includes(format)) throw new UsageError(`--format takes ${DIAGNOSE_FORMATS.join(', ')}, got "${format}"`);
  const timeoutMs = values.timeout !== undefined ? durationOption('--timeout', values.timeout) : 5_000;
  const allowTargets = values['allow-target'] !== undefined ? parseAllowTargets(values['allow-target']) : undefined;
  const ssh = values.target ?? [];
  if (ssh.length > 1) throw new UsageError('diagnose reads one host: give one --target');
  const sshOnly = (['ssh-config', 'accept-new-host-keys'] as const).filter((k) => values[k] !== undefined);
  if (ssh.length === 0 && sshOnly.length) throw new UsageError(`--${sshOnly[0]} goes with --target`);
  // Refused here too, before an SSH connection is opened for it.
  const refused = refusedTarget(target, [], allowTargets ?? []);
  if (refused) throw new UsageError(`diagnose: ${say(refused)}`);
  const render = await loadDiagnosisRenderer(format);
  const choices = { timeoutMs, ...(allowTargets ? { allowTargets } : {}) };
  const diagnosis = await (ssh.length === 0
    ? runDiagnosis(target, choices)
    : overSsh(ssh[0]!, values, async (gather) => runDiagnosis(target, { ...choices, gather }), allowTargets)
  ).catch((err: unknown) => {
    // A usage error stays one (a refused target); anything else is the diagnosis that could not run.
    throw err instanceof UsageError ? err : new CannotRunError('the diagnosis', err);
  });
  writeOut(render(diagnosis, { color: format === 'pretty' && useColor(values) }));
  return diagnosisExitCode(diagnosis);
}

type Gather = (p: Plan, deadlineMs: number) => Promise<FactsSnapshot>;

/** The audited host over SSH, as `init --from-host` reaches one: the fleet's transport, closed at the end. */
async function overSsh<T>(
  given: string,
  values: { 'ssh-config'?: string | undefined; 'accept-new-host-keys'?: boolean | undefined },
  work: (gather: Gather) => Promise<T>,
  allowTargets: string[] | undefined,
): Promise<T> {
  const { fleetHosts } = await import('../fleet-options.js');
  const { SshTransport } = await import('../../transport/ssh/ssh.js');
  const { collectPlanOverSsh } = await import('../../fleet/run.js');
  const [host] = await fleetHosts({ target: [given] });
  const controlDir = mkdtempSync(join(tmpdir(), 'plumbline-ssh-'));
  const transport = new SshTransport(host!.target!, {
    controlDir,
    ...(values['ssh-config'] !== undefined ? { configFile: values['ssh-config'] } : {}),
    acceptNewHostKeys: values['accept-new-host-keys'] === true,
    connectTimeoutMs: 10_000,
    ...(process.env.PLUMBLINE_SSH ? { program: process.env.PLUMBLINE_SSH } : {}),
  });
  try {
    return await work(async (p, deadlineMs) => {
      const { facts, fault } = await collectPlanOverSsh(transport, p, deadlineMs, allowTargets ? { allowTargets } : {});
      // A host that could not be read at all has no lower layers to judge: said, not guessed.
      if (fault && fault.class !== 'partial') throw new Error(`${transport.name}: ${fault.class}: ${fault.detail}`);
      return facts;
    });
  } finally {
    await transport.close().catch(() => {});
    rmSync(controlDir, { recursive: true, force: true });
  }
}
