// The HTML renderer: golden files over every fixture report (the 5,000-check one by digest and structure, as
// its file would be megabytes; each page without the fixed stylesheet and script, which must be the renderer's
// own as they are), and what a golden file cannot say by itself: one self-contained file that
// loads nothing, one script (the one its policy allows), hostile text only escaped, every check once, the order
// a reader meets things in, the facts appendix, and that the report is only read. The page itself, filter
// and print included, is driven in Chromium by test/integration/html-chromium.test.ts.
//
//   UPDATE_GOLDEN=1 npx vitest run test/unit/report/html.test.ts   # rewrite, then read the diff
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { golden, expectPureRender, htmlParts } from '../../helpers/golden.js';
import { fixtureReport, fixtureReports, REPORT_NAMES, type ReportName } from '../../helpers/reports.js';
import { icmpOf, lowerLayersReport } from '../../helpers/lower-layers.js';
import { renderHtml } from '../../../src/report/html.js';
import { CSS } from '../../../src/report/html/style.js';
import { SCRIPT } from '../../../src/report/html/script.js';
import type { Report } from '../../../src/report/model.js';
import type { FactsSnapshot } from '../../../src/facts/model.js';

const GOLDEN = fileURLToPath(new URL('./golden/html/', import.meta.url));
let reports: Map<ReportName, Report>;

beforeAll(async () => {
  reports = await fixtureReports();
});

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const count = (s: string, re: RegExp): number => [...s.matchAll(re)].length;
/** The document's elements of class `r`: one per check shown. */
const rows = (html: string): string[] => [...html.matchAll(/<(article|tr) class="r [^"]*"[^>]*>/g)].map((m) => m[0]);

/** Structure of the large report, golden instead of its megabytes. */
function outline(html: string): string {
  const r = rows(html);
  const by = (attr: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const x of r) {
      const v = x.match(new RegExp(`${attr}="([^"]*)"`))![1]!;
      out[v] = (out[v] ?? 0) + 1;
    }
    return out;
  };
  return (
    JSON.stringify(
      {
        bytes: Buffer.byteLength(html, 'utf8'),
        sha256: sha(html),
        rows: r.length,
        status: by('data-s'),
        severity: by('data-v'),
        sections: [...html.matchAll(/<section class="[^"]*" id="([^"]+)"/g)].map((m) => m[1]),
        facts: [...html.matchAll(/<section class="fam" id="([^"]+)"/g)].map((m) => m[1]),
      },
      null,
      2,
    ) + '\n'
  );
}

describe.each(REPORT_NAMES)('%s', (name) => {
  it(name === 'large' ? 'matches the golden digest and structure' : 'matches the golden file, and carries the one fixed stylesheet and script', () => {
    const html = renderHtml(reports.get(name)!);
    const { page, style, script } = htmlParts(html);
    // Every report carries the renderer's one fixed stylesheet and script, as they are (what they do is driven in
    // Chromium); the page's golden is the rest.
    expect(style).toBe(CSS);
    expect(script).toBe(SCRIPT);
    if (name === 'large') golden(`${GOLDEN}large.outline.json`, outline(html));
    else golden(`${GOLDEN}${name}.html`, page);
  });

  it('does not change the report and renders the same twice', async () => {
    expectPureRender(renderHtml, await fixtureReport(name));
  });

  it('is one self-contained file: nothing to load, one script, allowed by hash', () => {
    const html = renderHtml(reports.get(name)!);
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(iframe|object|embed|img|base|form[^>]*action)\b/i);
    for (const m of html.matchAll(/\shref="([^"]*)"/g)) expect(m[1]).toMatch(/^#[A-Za-z0-9._:-]+$/);
    // An address the report holds (a ref) is text in an inert <a> without href, never something to follow.
    const stripped = html.replace(/<a class="ref">[^<]*<\/a>/g, '');
    expect(stripped).not.toMatch(/https?:\/\//i);
    expect(count(html, /<script\b/gi)).toBe(1);
    const script = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
    // No inline event handlers, which the policy would block and escaping must never produce.
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('shows every check once, with a unique id, and every status and area the filter needs', () => {
    const report = reports.get(name)!;
    const html = renderHtml(report);
    const r = rows(html);
    expect(r.length).toBe(report.results.filter((x) => x.impliedBy === undefined).length);
    for (const s of ['fail', 'error', 'waived', 'skip', 'pass'] as const) expect(r.filter((x) => x.includes(`data-s="${s}"`)).length).toBe(report.counts[s]);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // Every in-page link lands somewhere.
    for (const m of html.matchAll(/\shref="#([^"]+)"/g)) expect(ids).toContain(m[1]);
  });
});

describe('order and content', () => {
  it('verdict and score first, then where to start, the filter, failures, errors, waived, skipped, passed, facts', () => {
    const report = reports.get('errors-waived-causes')!;
    const html = renderHtml(report);
    const marks = [
      '<div class="pill">✗ NOT READY</div>',
      `<div class="num">${report.score}<small>%</small></div>`,
      'class="areas"',
      'id="root-causes"',
      'id="filters"',
      'id="failures"',
      'id="errors"',
      'id="waived"',
      'id="skipped"',
      'id="passed"',
      'id="facts"',
    ];
    const at = marks.map((m) => html.indexOf(m));
    expect(
      at.every((i) => i > 0),
      String(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain(`<p class="vreason">${report.verdictReason}</p>`);
    expect(renderHtml(reports.get('ready')!)).toContain('<div class="pill">✓ READY</div>');
  });

  it('failures run worst first with expected, actual, message and fix; a symptom links to its cause', () => {
    const report = reports.get('errors-waived-causes')!;
    const html = renderHtml(report);
    const failures = html.slice(html.indexOf('id="failures"'), html.indexOf('id="errors"'));
    const sev = [...failures.matchAll(/<article class="r card[^"]*" id="[^"]+" data-s="fail" data-a="[^"]*" data-v="([a-z]+)">/g)].map((m) => m[1]!);
    expect(sev.length).toBe(report.counts.fail);
    const own = sev.slice(0, report.counts.fail - report.results.filter((r) => r.cause).length);
    const rank = ['critical', 'high', 'medium', 'low', 'info'];
    expect([...own].sort((a, b) => rank.indexOf(a) - rank.indexOf(b))).toEqual(own);
    expect(failures).toContain('<div class="lbl">Expected</div><div class="val"><span class="txt">&gt;= 4096</span>');
    expect(failures).toContain('<div class="lbl">Fix</div><pre>sysctl -w net.core.somaxconn=65535</pre>');
    const cause = report.rootCauses[0]!;
    expect(failures).toContain(`<p class="because">← fails because <a class="cid" href="#c-${cause.id}">${cause.id}</a> failed first`);
    expect(failures).toContain(`<span class="tag rootc">root cause</span> explains 1 failing check: <a class="cid" href="#c-${cause.explains[0]}">`);
  });

  it('waivers show their reason, expiry and the status they keep', () => {
    const html = renderHtml(reports.get('errors-waived-causes')!);
    expect(html).toMatch(
      /data-s="waived"[^>]*>.*?<td>Fail<\/td><td><span class="txt">Egress filtering is done by the upstream proxy<\/span><\/td><td><time>2027-06-30<\/time><\/td>/,
    );
  });
});

describe('escaping', () => {
  const html = (): string => renderHtml(reports.get('hostile')!);

  it("hostile text appears only escaped, and the one script is the renderer's", () => {
    const text = html();
    expect(count(text, /<script\b/gi)).toBe(1);
    expect(text).not.toContain('alert("x")');
    expect(text).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; | `rm -rf` \n second line &quot;quoted&quot; &#39;single&#39; &amp; red ␇ \\ end &lt;U+202E&gt;exe.txt&lt;U+202C&gt; z&lt;U+200B&gt;w &lt;U+0090&gt; \n\ufffd',
    );
    // In the title and the heading too, where a host name goes.
    expect(text).toMatch(/<title>NOT READY · host &lt;script&gt;/);
    expect(text).toMatch(/<h1>host &lt;script&gt;/);
  });

  it('sanitises text, in the facts as well: terminal escapes gone, every other control or invisible character shown', () => {
    const report = structuredClone(reports.get('hostile')!);
    report.facts!.sysctl!['kernel.\x1b[31mevil'] = { value: '<img src=x onerror=alert(1)>\x07\u202e' };
    const text = renderHtml(report);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]/);
    // The last token is long enough to be marked breakable: escaped inside its mark all the same.
    expect(text).toContain('&lt;img src=x <span class="tok">onerror=alert(1)&gt;␇&lt;U+202E&gt;</span>');
    expect(text).toContain('<code>kernel.evil</code>');
    expect(text).not.toContain('<img');
  });

  it('a data attribute cannot be broken out of', () => {
    const report = structuredClone(reports.get('not-ready')!);
    report.results[0]!.area = 'x" onmouseover="alert(1)';
    const text = renderHtml(report);
    expect(text).toContain('data-a="x&quot; onmouseover=&quot;alert(1)"');
    expect(text).not.toMatch(/\sonmouseover="/);
  });
});

describe('facts appendix', () => {
  it('a section per family, the common ones as tables', () => {
    const html = renderHtml(reports.get('not-ready')!);
    for (const f of ['host', 'sysctl', 'sockets', 'processes', 'netstat', 'interfaces', 'routes', 'firewall', 'ipv6', 'tlsListeners', 'timings'])
      expect(html).toContain(`<section class="fam" id="f-${f}">`);
    expect(html).toMatch(/<td><code>net\.core\.somaxconn<\/code><\/td><td><code>128<\/code><\/td>/);
    expect(html).toContain('<code>0.0.0.0:6379</code>');
    expect(html).toContain('<h4>Limits (soft / hard)</h4>');
  });

  it('says so when the report carries no facts', () => {
    const report = structuredClone(reports.get('not-ready')!);
    delete report.facts;
    expect(renderHtml(report)).toContain('This report carries no facts snapshot');
  });

  it('renders families it does not special-case, and failed families, without dropping a value', () => {
    const report = structuredClone(reports.get('not-ready')!);
    const facts = report.facts as FactsSnapshot & Record<string, unknown>;
    facts.probes = {
      'tcp db.internal:5432': {
        host: 'db.internal',
        port: 5432,
        addresses: [{ address: '10.0.0.5', family: 4, connect: 'open', attempts: 3, succeeded: 3, latency: { count: 3, p50Ms: 1.2, p95Ms: 2.5, maxMs: 2.5 } }],
      },
      'dns gone.example A': { error: 'deadline passed' },
    };
    facts.firewall = { error: 'nft: permission denied' };
    facts.futureFamily = { nested: { deeper: ['one', 'two'], flag: true } };
    const html = renderHtml(report);
    expect(html).toContain('tcp db.internal:5432');
    expect(html).toContain('10.0.0.5');
    expect(html).toContain('2.5');
    expect(html).toContain('deadline passed');
    expect(html).toMatch(/<section class="fam" id="f-firewall">.*?Could not be collected<\/span> nft: permission denied/);
    expect(html).toMatch(/<section class="fam" id="f-futureFamily">.*?<dt>deeper<\/dt><dd>one, two<\/dd><dt>flag<\/dt><dd>yes<\/dd>/);
  });
});

describe('scale', () => {
  it('renders 5,000 checks in linear time', () => {
    const report = reports.get('large')!;
    const t0 = performance.now();
    const html = renderHtml(report);
    const ms = performance.now() - t0;
    expect(rows(html).length).toBe(5000);
    // A hang guard, not a benchmark: quadratic work on 5,000 rows would take far longer.
    expect(ms).toBeLessThan(5000);
  });
});

describe('the lower layers in the facts appendix', () => {
  /** The rows of the appendix section of one family, each as its cells' text. */
  const rows = (html: string, family: string): string[][] => {
    const section = html.slice(html.indexOf(`<section class="fam" id="f-${family}">`));
    return [...section.slice(0, section.indexOf('</section>')).matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<t[dh]>(.*?)<\/t[dh]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/\u200b|<wbr>/g, '')),
    );
  };

  it('the neighbour table (address, device, link-layer address, state, router) and the links that resolve none, with what /proc/net/arp cannot say', async () => {
    const html = renderHtml(await lowerLayersReport(await fixtureReport('ready')));
    const section = html.slice(html.indexOf('<section class="fam" id="f-neighbours">'));
    expect(section).toMatch(/^<section class="fam" id="f-neighbours"><h3>Neighbours \(ARP and NDP\)/);
    expect(section).toContain(
      'Read from <b>/proc/net/arp (IPv4 only; of each entry only whether it is permanent, resolved or not)</b>. IPv6 neighbours are unknown',
    );
    expect(rows(html, 'neighbours')).toEqual([
      ['Family', 'Address', 'Device', 'Link-layer address', 'State', 'Router'],
      ['IPv4', '198.19.80.10', 'veth0', '—', 'UNRESOLVED', ''],
      ['IPv4', '198.19.80.9', 'veth0', '—', 'UNRESOLVED', ''],
      ['IPv4', '198.19.80.5', 'veth0', '02:00:00:00:00:05', 'PERMANENT', ''],
      ['IPv4', '198.19.80.1', 'veth0', '72:f8:d5:3f:77:6c', 'COMPLETE', ''],
      ['Link', 'Flags'],
      ['tun7', 'POINTOPOINT, NOARP'],
    ]);
  });

  it('each ping with its counts, round trips and ICMP errors, each path MTU probe, and each tracepath', async () => {
    const html = renderHtml(await lowerLayersReport(await fixtureReport('ready')));
    const r = rows(html, 'icmp');
    expect(r[0]).toEqual(['Probe', 'Address', 'Sent', 'Received', 'Loss', 'rtt p50', 'rtt p95', 'rtt max', 'ICMP errors']);
    const by = (probe: string) => r.find((x) => x[0] === probe);
    expect(by('198.19.204.9 count=2 size=56 interval=200ms')).toEqual([
      '198.19.204.9 count=2 size=56 interval=200ms',
      '198.19.204.9',
      '2',
      '0',
      '100%',
      '—',
      '—',
      '—',
      'Destination Host Unreachable from 198.19.204.1 ×2',
    ]);
    expect(by('198.19.204.5 count=2 size=1472 interval=200ms df')!.slice(2)).toEqual(['2', '0', '100%', '—', '—', '—', 'path MTU 1400 (known to this host)']);
    expect(by('127.0.0.1 count=3 size=56 interval=10ms')!.slice(2, 5)).toEqual(['3', '3', '0%']);
    expect(by('127.0.0.1 count=3 size=56 interval=10ms')![5]).toMatch(/^\d+(\.\d+)? ms$/);
    expect(r).toContainEqual(['Host', 'Path MTU', 'Reached', 'Other']);
    expect(r).toContainEqual(['198.19.204.5', '1400', 'yes', '']);
  });

  it('a ping that sent nothing says why', async () => {
    const report = await fixtureReport('ready');
    // The bad host's pings: it has no route there.
    const bad: Report = { ...report, facts: { ...report.facts!, icmp: icmpOf('bad') } };
    expect(rows(renderHtml(bad), 'icmp')).toContainEqual([
      '198.19.204.9 count=2 size=56 interval=200ms',
      '—',
      '',
      '',
      '',
      '',
      '',
      '',
      'nothing sent: connect: Network is unreachable',
    ]);
  });
});
