// The SSH transport's remote program, run by a real shell through a stand-in for ssh (test/helpers/fake-ssh.sh):
// its answers must be the local transport's, byte for byte, whatever the files and names hold.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../../src/transport/local.js';
import { encodeBatch, program } from '../../../src/transport/ssh/program.js';
import { SshTransport } from '../../../src/transport/ssh/ssh.js';
import type { RawAnswer, RawMaterial, RawRequest } from '../../../src/transport/types.js';

const FAKE_SSH = new URL('../../helpers/fake-ssh.sh', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pl-ssh-program-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function transport(extra: { program?: string; env?: string } = {}): SshTransport {
  return new SshTransport({ host: 'fake-host' }, { controlDir: dir, connectTimeoutMs: 5000, program: extra.program ?? FAKE_SSH });
}

// Bytes no framing by lines or separators survives: NUL, lone CR, a line like a frame header, the marker's shape.
const NASTY = Buffer.concat([
  Buffer.from('first\nR - 3 4\n\nplumbline-0000\n\x00\x01\x02\r\n'),
  Buffer.from([0xc3, 0xa9, 0xe2, 0x82, 0xac]),
  Buffer.from('\nno newline at the end'),
]);

function fixtureTree(): string {
  const root = join(dir, 'tree');
  mkdirSync(join(root, 'a', 'sub'), { recursive: true });
  mkdirSync(join(root, 'b'), { recursive: true });
  mkdirSync(join(root, 'locked'), { recursive: true });
  writeFileSync(join(root, 'a', 'nasty'), NASTY);
  writeFileSync(join(root, 'a', 'empty'), '');
  writeFileSync(join(root, 'b', 'nasty'), 'b\n');
  writeFileSync(join(root, 'a', '.hidden'), 'h');
  writeFileSync(join(root, 'a', 'name with spaces;$(touch INJECTED)`touch INJECTED2`'), 'odd name\n');
  writeFileSync(join(root, 'a', 'it\'s "quoted"'), 'quotes\n');
  symlinkSync('socket:[12345]', join(root, 'a', 'sock'));
  symlinkSync('/does/not/exist', join(root, 'b', 'dangling'));
  writeFileSync(join(root, 'locked', 'secret'), 's');
  // Processes as /proc shows them: 1 and 3 hold a socket (3 among other fds), 2 holds a pipe, 4 has no fds.
  const proc = (pid: string, fds: Record<string, string>): void => {
    mkdirSync(join(root, 'proc', pid, 'fd'), { recursive: true });
    writeFileSync(join(root, 'proc', pid, 'comm'), `p${pid}\n`);
    symlinkSync(`/usr/bin/p${pid}`, join(root, 'proc', pid, 'exe'));
    for (const [fd, target] of Object.entries(fds)) symlinkSync(target, join(root, 'proc', pid, 'fd', fd));
  };
  proc('1', { '0': '/dev/null', '3': 'socket:[100]' });
  proc('2', { '0': 'pipe:[200]' });
  proc('3', { '0': '/dev/null', '1': 'pipe:[300]', '7': 'socket:[301]' });
  proc('4', {});
  return root;
}

const root = fixtureTree();

const BATCH: RawRequest[] = [
  { op: 'read', path: `${root}/a/nasty` },
  { op: 'read', path: `${root}/a/empty` },
  { op: 'read', path: `${root}/a/missing` },
  { op: 'read', path: `${root}/a` },
  { op: 'read', path: `${root}/a/name with spaces;$(touch INJECTED)\`touch INJECTED2\`` },
  { op: 'read', path: `${root}/a/it's "quoted"` },
  { op: 'list', path: `${root}/a` },
  { op: 'list', path: `${root}/nowhere` },
  { op: 'list', path: `${root}/a/nasty` },
  { op: 'link', path: `${root}/a/sock` },
  { op: 'glob', pattern: `${root}/*/nasty`, take: 'read' },
  { op: 'glob', pattern: `${root}/*/*`, take: 'link' },
  { op: 'glob', pattern: `${root}/[ab]/nasty`, take: 'read', where: { links: 's*', startsWith: 'socket:' } },
  // The per-process globs of the sockets family: read only under the processes holding a socket (a second
  // filtered glob after the first, whose pattern the shell must not expand).
  { op: 'glob', pattern: `${root}/proc/[0-9]*/comm`, take: 'read', where: { links: 'fd/*', startsWith: 'socket:' } },
  { op: 'glob', pattern: `${root}/proc/[0-9]*/exe`, take: 'link', where: { links: 'fd/*', startsWith: 'socket:' } },
  { op: 'glob', pattern: `${root}/proc/[0-9]*/fd/*`, take: 'link' },
  { op: 'read', path: '/proc/sys/kernel/ostype' },
  { op: 'glob', pattern: '/sys/class/net/*/mtu', take: 'read' },
  { op: 'run', argv: ['sh', '-c', 'printf "out\\0with nul\\n"; printf "err;$(echo no)\\n" >&2; exit 3'], timeoutMs: 5000 },
  { op: 'run', argv: ['printf', '%s', '$(touch INJECTED3); `touch INJECTED4`'], timeoutMs: 5000 },
  { op: 'run', argv: ['plumbline-no-such-program'], timeoutMs: 5000 },
  { op: 'run', argv: ['true'], timeoutMs: 5000 },
];

describe('the remote program, in a real shell', () => {
  let local: RawMaterial;
  let remote: RawMaterial;
  const heard: string[] = [];

  /** The remote answers are the local ones: the same keys, and each answer the same (errors by errno). */
  function expectLocalAnswers(got: RawMaterial): void {
    expect(Object.keys(got).sort()).toEqual(Object.keys(local).sort());
    // Errors carry the same errno; their words are each transport's own.
    const errnoOnly = (a: unknown): RawAnswer =>
      JSON.parse(JSON.stringify(a, (_k, v) => (v && typeof v === 'object' && 'error' in v && 'message' in v ? { error: v.error } : v)));
    for (const key of Object.keys(local)) {
      const l = errnoOnly(local[key]);
      const r = errnoOnly(got[key]);
      // A directory's names come in no promised order (readdir's locally, the shell's sorted one remotely).
      if ('names' in l && 'names' in r) expect({ key, names: [...r.names].sort() }).toEqual({ key, names: [...l.names].sort() });
      else expect({ key, answer: r }).toEqual({ key, answer: l });
    }
  }

  it('answers a batch as the local transport does', async () => {
    local = await new LocalTransport().gather(BATCH);
    const t = transport();
    remote = await t.gather(BATCH, (key) => heard.push(key));
    expect(t.fault).toBeUndefined();
    expectLocalAnswers(remote);
  });

  // A host's sh is dash (Debian, Ubuntu), bash (RHEL, Fedora, Arch, SUSE) or busybox's ash (Alpine): the same
  // program in each gives the same answers.
  const shells = [
    ['bash', '/bin/bash'],
    ["busybox's ash", '/bin/busybox sh'],
  ].map(([name, cmd]) => ({ name: name!, cmd: cmd!, missing: !existsSync(cmd!.split(' ')[0]!) && process.env.CI !== 'true' }));
  for (const s of shells.filter((x) => x.missing))
    console.log(`ssh-program.test: skipping ${s.name}: ${s.cmd.split(' ')[0]} is not installed (CI installs it)`);
  it.each(shells.filter((x) => !x.missing).map((x) => [x.name, x.cmd]))("answers it the same when the host's sh is %s", async (_, cmd) => {
    const wrapper = join(dir, `ssh-with-${cmd!.replace(/\W+/g, '-')}`);
    writeFileSync(wrapper, `#!/bin/sh\nPLUMBLINE_TEST_SH='${cmd}' exec ${FAKE_SSH} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const t = transport({ program: wrapper });
    const got = await t.gather(BATCH);
    expect(t.fault).toBeUndefined();
    expectLocalAnswers(got);
  });

  it('carries every byte of a file, and names with spaces, quotes and shell syntax as plain data', () => {
    expect(remote[`read ${root}/a/nasty`]).toEqual({ text: NASTY.toString('utf8') });
    expect(remote[`read ${root}/a/name with spaces;$(touch INJECTED)\`touch INJECTED2\``]).toEqual({ text: 'odd name\n' });
    const run = remote[`run ${JSON.stringify(['sh', '-c', 'printf "out\\0with nul\\n"; printf "err;$(echo no)\\n" >&2; exit 3'])}`];
    expect(run).toEqual({ stdout: 'out\0with nul\n', stderr: 'err;no\n', exitCode: 3 });
    for (const f of ['INJECTED', 'INJECTED2', 'INJECTED3', 'INJECTED4'])
      expect(existsSync(join(process.cwd(), f)) || existsSync(join(root, 'a', f))).toBe(false);
  });

  it('reads under the processes that hold a socket only', () => {
    // The program itself leaves the others alone (locally they are skipped before any read, so the answers
    // alone could not tell).
    const filtered = BATCH.filter((r) => r.op === 'glob' && r.pattern.startsWith(`${root}/proc/`));
    const { args } = encodeBatch(filtered, 'plumbline-test-nonce');
    const out = spawnSync('sh', ['-s', '--', ...args], { input: program, encoding: 'latin1' }).stdout;
    expect(out).toContain(`${root}/proc/1/comm`);
    expect(out).toContain(`${root}/proc/3/comm`);
    expect(out).not.toContain(`${root}/proc/2/comm`);
    expect(out).not.toContain(`${root}/proc/4/comm`);
    expect(out).not.toContain(`${root}/proc/2/exe`);
    expect(remote[`glob-read ${root}/proc/[0-9]*/comm where fd/* -> socket:*`]).toEqual({
      found: { [`${root}/proc/1/comm`]: 'p1\n', [`${root}/proc/3/comm`]: 'p3\n' },
      unlisted: {},
    });
    expect(remote[`glob-link ${root}/proc/[0-9]*/exe where fd/* -> socket:*`]).toEqual({
      found: { [`${root}/proc/1/exe`]: '/usr/bin/p1', [`${root}/proc/3/exe`]: '/usr/bin/p3' },
      unlisted: {},
    });
  });

  it('tells each answer as it comes, every one once', () => {
    expect([...heard].sort()).toEqual(Object.keys(remote).sort());
  });

  // busybox's awk reads up to a NUL byte only: the program finds that out and reads through od instead.
  it.skipIf(!existsSync('/bin/busybox') && process.env.CI !== 'true')('gives the same answers where awk cannot carry every byte (busybox awk)', async () => {
    const bin = join(dir, 'busybox-awk');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'awk'), '#!/bin/sh\nexec /bin/busybox awk "$@"\n');
    chmodSync(join(bin, 'awk'), 0o755);
    const wrapper = join(dir, 'busybox-ssh.sh');
    writeFileSync(wrapper, `#!/bin/sh\nPATH=${bin}:$PATH exec ${FAKE_SSH} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const t = transport({ program: wrapper });
    const m = await t.gather(BATCH);
    expect(t.fault).toBeUndefined();
    expect(m[`read ${root}/a/nasty`]).toEqual({ text: NASTY.toString('utf8') });
    expect(m[`run ${JSON.stringify(['sh', '-c', 'printf "out\\0with nul\\n"; printf "err;$(echo no)\\n" >&2; exit 3'])}`]).toEqual({
      stdout: 'out\0with nul\n',
      stderr: 'err;no\n',
      exitCode: 3,
    });
    expect(Object.keys(m).sort()).toEqual(Object.keys(local).sort());
  });

  it('takes a batch too large for a command line on its standard input, once it has begun', async () => {
    // Thousands of reads, as a policy of thousands of sysctl checks asks.
    const many: RawRequest[] = Array.from({ length: 3000 }, (_, i) => ({ op: 'read', path: `${root}/a/missing-${i}-${'x'.repeat(40)}` }));
    many.push({ op: 'read', path: `${root}/a/nasty` }, { op: 'run', argv: ['true'], timeoutMs: 5000 });
    const t = transport();
    const m = await t.gather(many);
    expect(t.fault).toBeUndefined();
    expect(Object.keys(m)).toHaveLength(many.length);
    expect(m[`read ${root}/a/nasty`]).toEqual({ text: NASTY.toString('utf8') });
    expect(m[`read ${root}/a/missing-2999-${'x'.repeat(40)}`]).toMatchObject({ error: 'ENOENT' });
  });

  it('answers the first batch on the master itself, and a later batch beside it while the master stays', async () => {
    const log = join(dir, 'masters.log');
    const counting = join(dir, 'counting-ssh.sh');
    writeFileSync(counting, `#!/bin/sh\nfor a; do case $a in ControlMaster=*) echo "$a" >> ${log} ;; esac; done\nexec ${FAKE_SSH} "$@"\n`);
    chmodSync(counting, 0o755);
    const t = transport({ program: counting });
    try {
      const first = await t.gather(BATCH);
      // The master's session is still open (its shell waits on its input), and the next batch rides beside it.
      const second = await t.gather(BATCH);
      expect(t.fault).toBeUndefined();
      expect(Object.keys(first).sort()).toEqual(Object.keys(await new LocalTransport().gather(BATCH)).sort());
      expect(first[`read ${root}/a/nasty`]).toEqual({ text: NASTY.toString('utf8') });
      expect(second).toEqual(first);
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['ControlMaster=yes', 'ControlMaster=no']);
    } finally {
      await t.close();
    }
  });

  it('a later batch that cannot begin (its connection gone) leaves the host partial, judged on the first', async () => {
    // The session beside the master fails as ssh does when the master has just ended and it may not connect on
    // its own (ProxyCommand=false): before the program begins.
    const failing = join(dir, 'second-fails-ssh.sh');
    writeFileSync(
      failing,
      `#!/bin/sh\nfor a; do case $a in ControlMaster=no) echo 'kex_exchange_identification: Connection closed by remote host' >&2; exit 255 ;; esac; done\nexec ${FAKE_SSH} "$@"\n`,
    );
    chmodSync(failing, 0o755);
    const t = transport({ program: failing });
    try {
      const first = await t.gather(BATCH);
      expect(t.fault).toBeUndefined();
      const second = await t.gather(BATCH);
      expect(t.fault).toEqual({ class: 'partial', detail: 'kex_exchange_identification: Connection closed by remote host' });
      expect(first[`read ${root}/a/nasty`]).toEqual({ text: NASTY.toString('utf8') });
      expect(second[`read ${root}/a/nasty`]).toMatchObject({ error: 'EPIPE' });
    } finally {
      await t.close();
    }
  });

  it('skips whatever a login prints before the program starts', async () => {
    const banner = join(dir, 'banner-ssh.sh');
    writeFileSync(banner, `#!/bin/sh\nprintf 'Welcome!\\nR - 3 4\\nZ - 0 0\\n'\nexec ${FAKE_SSH} "$@"\n`);
    chmodSync(banner, 0o755);
    const t = transport({ program: banner });
    const m = await t.gather(BATCH.slice(0, 2));
    expect(t.fault).toBeUndefined();
    expect(m[`read ${root}/a/nasty`]).toEqual({ text: NASTY.toString('utf8') });
  });

  it('an answer cut off half-way is partial: what came is kept, the rest is an error, and nothing more is asked', async () => {
    const cut = join(dir, 'cut-ssh');
    const calls = join(dir, 'cut-calls.log');
    // The connection drops: the first 300 bytes come through, then ssh ends (and the remote program with it).
    writeFileSync(
      cut,
      `#!${process.execPath}
require('node:fs').appendFileSync(${JSON.stringify(calls)}, 'ssh\\n');
const c = require('node:child_process').spawn(${JSON.stringify(FAKE_SSH)}, process.argv.slice(2), { stdio: ['inherit', 'pipe', 'inherit'] });
let sent = 0;
c.stdout.on('data', (d) => {
  const part = d.subarray(0, 300 - sent);
  sent += part.length;
  if (sent < 300) return process.stdout.write(part);
  c.kill('SIGKILL');
  process.stdout.write(part, () => process.exit(255));
});
`,
    );
    chmodSync(cut, 0o755);
    const t = transport({ program: cut });
    const m = await t.gather(BATCH);
    expect(t.fault?.class).toBe('partial');
    const failed = Object.values(m).filter((a) => 'error' in a && a.error === 'EPIPE');
    expect(failed.length).toBeGreaterThan(0);
    expect(Object.keys(m).sort()).toEqual(Object.keys(local).sort());
    // A later batch (a family's second step) would not ride on the master, which is gone: ssh would log in anew
    // to a host that has just dropped the first connection. It is answered with the fault instead.
    const second = await t.gather(BATCH);
    expect(Object.keys(second).sort()).toEqual(Object.keys(local).sort());
    for (const a of Object.values(second)) expect(a).toMatchObject({ error: 'EHOSTUNREACH', message: expect.stringContaining('partial') });
    expect(t.fault?.class).toBe('partial');
    expect(readFileSync(calls, 'utf8')).toBe('ssh\n');
  });
});
