// A ping or tracepath run captured by fixtures/icmp/capture.sh: stdout, a line "--- stderr", stderr, "--- exit N".
import type { RunAnswer } from '../../src/transport/types.js';
import { fixtureReader } from './replay.js';

export const icmpFixture = fixtureReader('icmp');

export function capturedRun(name: string): RunAnswer {
  const [stdout, rest] = icmpFixture(`${name}.out`).split('--- stderr\n') as [string, string];
  const m = /^([\s\S]*)--- exit (\d+)\n$/.exec(rest);
  if (!m) throw new Error(`fixtures/icmp/${name}.out: no exit line`);
  return { stdout, stderr: m[1]!, exitCode: Number(m[2]) };
}
