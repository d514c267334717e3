// The captured policy as a file a person reviews: the policy's keys in a policy's order, each check with the
// comment that says where its values came from, each part under its heading, what was left out at the top.
import type { CapturedPolicy } from './capture.js';
import { yamlLib } from '../lib/yaml-lib.js';

export interface CaptureHeader {
  name: string;
  hostname: string;
  kernel: string;
  collectedAt: string;
  transport: string;
  version: string;
}

export function capturedYaml(p: CapturedPolicy, h: CaptureHeader): string {
  const { Document, isMap, isSeq } = yamlLib();
  const checks = p.sections.flatMap((s) =>
    s.checks.map((c) => ({
      id: c.id,
      title: c.title,
      severity: c.severity,
      [c.selector[0]]: c.selector[1],
      expect: c.expect,
      ...(c.tags?.length ? { tags: c.tags } : {}),
      ...(c.remediation !== undefined ? { remediation: c.remediation } : {}),
    })),
  );
  const doc = new Document({
    apiVersion: 'plumbline/v1',
    kind: 'Policy',
    metadata: { name: h.name, description: `Captured from ${h.hostname} on ${h.collectedAt.slice(0, 10)}` },
    checks,
  });
  const head = [
    ` yaml-language-server: $schema=https://plumbline.dev/schemas/policy.schema.json`,
    ` Captured by plumbline ${h.version} init --from-host from ${h.hostname} (kernel ${h.kernel}, read ${h.transport}) at ${h.collectedAt}.`,
    ' Every value is what that host had: review it before it becomes the bar for other hosts.',
    " Sysctls keep the baseline's threshold where the host meets it, and the host's value where it does not.",
  ];
  if (p.leftOut.length) head.push('', ' Left out:', ...p.leftOut.map((l) => `   - ${l}`));
  doc.commentBefore = head.join('\n');
  const seq = doc.get('checks');
  if (isSeq(seq)) {
    let i = 0;
    for (const s of p.sections) {
      s.checks.forEach((c, j) => {
        const node = seq.items[i++];
        if (!isMap(node)) return;
        node.commentBefore = `${j === 0 ? ` --- ${s.title} ---\n` : ''} ${c.comment}`;
        // Short maps and lists on one line, as people write policies.
        for (const key of [c.selector[0], 'expect', 'tags']) {
          const v = node.get(key, true);
          if ((isMap(v) || isSeq(v)) && JSON.stringify(v.toJSON()).length <= 100) v.flow = true;
        }
      });
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
