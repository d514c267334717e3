// The `http` kind's probe: one request chain per URL, method, headers and CA serves every check of it.
import type { CheckOf } from '../../policy/model.js';
import type { PlanBuilder } from '../builder.js';
import { httpProbeKey } from '../probe-keys.js';
import { matcherKey } from '../../lib/match.js';
import type { Matcher } from '../../lib/match.js';

export function plan(c: CheckOf<'http'>, p: PlanBuilder): void {
  const s = c.selector.spec;
  // A check of its timings has the endpoint to itself.
  const timed = c.expect.timings !== undefined;
  // HSTS on an http:// URL is read where its redirects end over HTTPS (a browser ignores it over plain HTTP).
  const followForHsts = c.expect.hsts !== undefined && /^http:/i.test(s.url);
  const target = {
    kind: 'http' as const,
    key: httpProbeKey(s),
    url: s.url,
    method: (s.method ?? 'GET').toUpperCase(),
    ...(s.headers !== undefined ? { headers: s.headers } : {}),
    ...(s.ca !== undefined ? { ca: s.ca } : {}),
    followForHsts: false,
    timed: false,
    body: [] as Matcher[],
    keepHeaders: [] as string[],
    timeoutMs: p.timeoutMs,
  };
  const body = c.expect.body;
  const headers = Object.keys(c.expect.headers ?? {}).map((h) => h.toLowerCase());
  p.probe(target, (seen) => {
    seen.timed ||= timed;
    // One request chain serves every check of the URL: its first response stays as it was.
    seen.followForHsts ||= followForHsts;
    if (body !== undefined && !seen.body.some((m) => matcherKey(m) === matcherKey(body))) seen.body.push(body);
    seen.keepHeaders = [...new Set([...seen.keepHeaders, ...headers])].sort();
  });
}
