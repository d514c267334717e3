// The `icmp` kind's reading of the facts for the HTML appendix (the `mtu` kind reads the same family): each
// ping with its counts, round trips and the ICMP errors that came back instead, and each tracepath.
import type { IcmpFact, PingFact } from '../../../facts/model.js';
import { percentile } from '../../../lib/percentile.js';
import { h, hWrap } from '../escape.js';
import { grid, rest, scalar } from '../fact-html.js';
import type { FactReading } from '../fact-html.js';

const ms = (v: number | undefined): string => (v === undefined ? scalar(undefined) : `${v} ms`);

function pingRow(key: string, p: PingFact): string[] {
  const probe = `<code>${hWrap(key.replace(/^ping /, ''))}</code>`;
  if (p.outcome === 'refused')
    return [probe, `<code>${hWrap(p.address)}</code>`, '', '', '', '', '', '', `not sent: in ${h(p.network)}, which the probes refuse`];
  if (p.outcome !== 'sent')
    return [probe, scalar(undefined), '', '', '', '', '', '', `${p.outcome === 'not-sent' ? 'nothing sent' : 'cannot send'}: ${h(p.message)}`];
  const errors = [
    ...(p.unreachable ?? []).map((u) => `${h(u.text)} from <code>${hWrap(u.from)}</code>${u.count > 1 ? ` ×${u.count}` : ''}`),
    ...(p.mtu ? [`path MTU ${p.mtu.mtu} ${p.mtu.from !== undefined ? `from <code>${hWrap(p.mtu.from)}</code>` : '(known to this host)'}`] : []),
  ];
  return [
    probe,
    p.address !== undefined ? `<code>${hWrap(p.address)}</code>` : scalar(undefined),
    String(p.transmitted),
    String(p.received),
    `${p.lossPercent}%`,
    ms(percentile(p.rttMs, 50)),
    ms(percentile(p.rttMs, 95)),
    ms(p.rttMs.length ? Math.max(...p.rttMs) : undefined),
    errors.length ? errors.join('; ') : p.errors ? `${p.errors}` : '',
  ];
}

function icmp(v: IcmpFact): string {
  const pings = Object.entries(v.pings);
  let out = `<h4>Pings (${pings.length})</h4>${
    pings.length
      ? grid(
          ['Probe', 'Address', 'Sent', 'Received', 'Loss', 'rtt p50', 'rtt p95', 'rtt max', 'ICMP errors'],
          pings.map(([k, p]) => pingRow(k, p)),
        )
      : '<p class="dim">No pings.</p>'
  }`;
  const paths = Object.entries(v.tracepaths);
  if (paths.length) {
    const rows = paths.map(([host, t]) =>
      'error' in t
        ? [`<code>${hWrap(host)}</code>`, scalar(undefined), '', `could not run: ${h(t.error)}`]
        : [
            `<code>${hWrap(host)}</code>`,
            t.pmtu !== undefined ? String(t.pmtu) : scalar(undefined),
            t.reached ? 'yes' : 'no',
            t.silentFrom !== undefined ? `silent from hop ${t.silentFrom}` : '',
          ],
    );
    out += `<h4>Tracepath (${paths.length})</h4>${grid(['Host', 'Path MTU', 'Reached', 'Other'], rows)}`;
  }
  return out + rest({ ...v, pings: undefined, tracepaths: undefined });
}

export const reading: FactReading = { family: 'icmp', render: icmp };
