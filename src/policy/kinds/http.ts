// The `http` check kind, policy side: an HTTP request from the auditing machine. Its selector and expectation as
// written (the schema editors and the validator read, from `schema`), its area, and its selector as plan and
// evaluate read it.
import type { Static } from 'typebox';
import type { Kit, SelectorPlace } from './kit.js';
import type { Matcher } from '../matcher.js';

function schema({ T, ref, raw, def }: Kit) {
  const httpSelector = def(
    'httpSelector',
    T.Object(
      {
        url: T.String({ minLength: 1, description: 'An http:// or https:// URL.' }),
        method: T.Optional(T.String({ minLength: 1, description: 'Request method (default GET).' })),
        headers: T.Optional(
          raw<Record<string, string>>({ type: 'object', description: 'Request headers, name to value.', additionalProperties: { type: 'string' } }),
        ),
        ca: T.Optional(
          T.String({
            minLength: 1,
            description:
              'A PEM file of trust anchors that replaces the system store for https; a relative path is read from the directory of the policy file that wrote it, or, when a var gave it, from where the var was set (the working directory for --var and --vars).',
          }),
        ),
      },
      { description: 'One HTTP request from the auditing machine; redirects are not followed.', additionalProperties: false },
    ),
  );
  const httpExpect = def(
    'httpExpect',
    T.Object(
      {
        status: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the status code.' })),
        redirectsTo: T.Optional(ref<Matcher>('matcher', { description: "Matcher for where a 3xx response's Location points, resolved against the URL." })),
        headers: T.Optional(
          raw<Record<string, Matcher>>({
            type: 'object',
            description: 'Matchers for response headers by name (case-insensitive); exists: false demands a header be absent.',
            minProperties: 1,
            additionalProperties: { $ref: '#/$defs/matcher' },
          }),
        ),
        hsts: T.Optional(
          T.Object(
            {
              maxAge: T.Optional(
                ref<Matcher>('matcher', { description: 'Matcher for max-age in seconds (absent when the header is missing or has no valid max-age).' }),
              ),
              includeSubDomains: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for includeSubDomains (true/false).' })),
              preload: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for preload (true/false).' })),
            },
            { description: 'Strict-Transport-Security, as browsers read it.', minProperties: 1, additionalProperties: false },
          ),
        ),
        body: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the start of the body (64 KiB), e.g. { match: "ok" }.' })),
        timings: T.Optional(
          T.Object(
            {
              dnsMs: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for resolving the name.' })),
              connectMs: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the TCP handshake.' })),
              tlsMs: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the TLS handshake (absent over http).' })),
              ttfbMs: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the time from sending the request to the first byte.' })),
              totalMs: T.Optional(ref<Matcher>('matcher', { description: 'Matcher for the whole exchange.' })),
            },
            { description: 'Matchers for each phase in milliseconds.', minProperties: 1, additionalProperties: false },
          ),
        ),
      },
      { description: 'What the response must be.', minProperties: 1, additionalProperties: false },
    ),
  );
  return {
    selector: httpSelector.ref(),
    expect: httpExpect.ref(),
  };
}

type Written = { [P in keyof ReturnType<typeof schema>]: Static<ReturnType<typeof schema>[P]> };

export const kind = {
  // Probes count towards their own area (see the tcp kind).
  area: 'probes',
  schema,
  selector: (v: Written['selector'], at: SelectorPlace) => {
    const spec: { url: string; method?: string; headers?: Record<string, string>; ca?: string } = { url: v.url };
    if (v.method !== undefined) spec.method = v.method;
    if (v.headers !== undefined) spec.headers = v.headers;
    // A trust-anchor file is read on the auditing machine: a relative path means where it was written (the
    // policy file's directory, as for `extends`; a var's, where the var was set), not wherever the audit runs.
    if (v.ca !== undefined) spec.ca = at.path('ca', v.ca);
    return { kind: 'http' as const, spec };
  },
};
