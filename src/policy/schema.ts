// The policy language as one JSON Schema (schemas/policy.schema.json, written by the build): the document, the
// check with its common keys, the definitions every kind shares, and each kind's selector and expectation from
// its module (the registry, kinds/registry.ts). Built with the kit of kinds/kit.ts, so only the build runs it.
import type { Kit } from './kinds/kit.js';
import type { Matcher, Scalar } from './matcher.js';
import { SEVERITIES } from './model.js';
import { KINDS, SELECTORS } from './kinds/registry.js';

/** The definitions every kind may refer to by name (kit.ts: CommonDef). */
function commonDefs({ T, ref, raw }: Kit) {
  return {
    varRef: T.String({
      title: 'variable reference',
      pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*\\}$',
      patternErrorMessage: 'Expected a variable reference ${name}',
      description: "A variable reference `${name}` standing for the whole value; it takes the variable's type.",
    }),
    id: T.String({
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      patternErrorMessage: 'Expected lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
      description: 'Check id: lowercase letters, digits, ".", "_" and "-", e.g. kernel.somaxconn.',
    }),
    duration: T.Union(
      [
        T.String({
          pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$',
          patternErrorMessage: 'Expected a duration like "500ms", "2s", "1m" or "1h" (units ms, s, m, h), or a number of milliseconds',
        }),
        T.Integer({ exclusiveMinimum: 0, maximum: 2147483647 }),
      ],
      {
        description:
          'A duration: a string with a unit ("500ms", "2s", "1m", "1h") or an integer number of milliseconds; more than 0 and at most 2147483647ms (about 24.8 days), the longest a timer can wait.',
      },
    ),
    port: T.Union([T.Integer({ minimum: 1, maximum: 65535 }), ref<never>('varRef')], { description: 'A TCP/UDP port number, 1-65535.' }),
    addrPort: T.String({
      pattern:
        '^(\\*|[0-9.]+(/[0-9]{1,2})?|\\[[0-9A-Fa-f:.]+(/[0-9]{1,3})?\\]|\\$\\{[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*\\}):([1-9][0-9]{0,4}|\\$\\{[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*\\})$',
      patternErrorMessage: 'Expected a port number or "address:port" like "127.0.0.1:6379", "[::1]:5432", "127.0.0.0/8:6379", "[fd00::/8]:443" or "*:22"',
      description:
        'An address or network and a port: "127.0.0.1:6379", "[::1]:5432" (IPv6 in brackets, any spelling: "[0:0:0:0:0:0:0:1]:5432"), "127.0.0.0/8:6379" or "[fd00::/8]:443" for a network, "*:22" for any address. Addresses are compared as addresses: "[::ffff:127.0.0.1]:80" is 127.0.0.1. A wildcard listener (0.0.0.0, [::]) is covered only by its own wildcard, a /0 or "*".',
    }),
    scalar: raw<string | number | boolean | null>({ type: ['string', 'number', 'boolean', 'null'] }),
    eqValue: raw<string | number | boolean | null | Scalar[]>({
      type: ['string', 'number', 'boolean', 'null', 'array'],
      items: { $ref: '#/$defs/scalar' },
      description: 'A value; a list compares element-wise with a multi-value fact.',
    }),
    cmpValue: raw<number | string | (number | string)[]>({
      type: ['number', 'string', 'array'],
      items: { type: ['number', 'string'] },
      description: 'A number (numeric strings are converted); a list compares element-wise with a multi-value fact, e.g. [1024, 60000].',
    }),
    matcher: raw<Matcher>({
      description: 'An expectation: a bare value means eq; otherwise an object of operators, all of which must hold.',
      type: ['string', 'number', 'boolean', 'null', 'object'],
      minProperties: 1,
      additionalProperties: false,
      properties: {
        eq: { $ref: '#/$defs/eqValue', description: 'Equal to this value (numbers compare numerically).' },
        ne: { $ref: '#/$defs/eqValue', description: 'Not equal to this value.' },
        gt: { $ref: '#/$defs/cmpValue', description: 'Greater than.' },
        gte: { $ref: '#/$defs/cmpValue', description: 'Greater than or equal to.' },
        lt: { $ref: '#/$defs/cmpValue', description: 'Less than.' },
        lte: { $ref: '#/$defs/cmpValue', description: 'Less than or equal to.' },
        between: {
          type: 'array',
          description: 'Between lo and hi, inclusive: [lo, hi].',
          prefixItems: [
            { type: ['number', 'string'], description: 'Lower bound.' },
            { type: ['number', 'string'], description: 'Upper bound.' },
          ],
          items: false,
          minItems: 2,
          maxItems: 2,
        },
        in: { type: 'array', items: { $ref: '#/$defs/scalar' }, description: 'One of these values.' },
        notIn: { type: 'array', items: { $ref: '#/$defs/scalar' }, description: 'None of these values.' },
        match: { type: 'string', description: 'Matches this regular expression (JavaScript syntax, unanchored).' },
        contains: { $ref: '#/$defs/scalar', description: 'Contains this value (substring, or element of a multi-value fact).' },
        exists: { type: 'boolean', description: 'The fact is present (true) or absent (false).' },
        index: { type: 'integer', minimum: 0, description: 'For multi-value facts: compare only the element at this 0-based index.' },
      },
    }),
    when: T.Object(
      {
        var: T.String({
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          patternErrorMessage: 'Expected a variable name: letters, digits and _, not starting with a digit',
          description: 'Name of the variable (without ${}).',
        }),
        expect: ref<Matcher>('matcher', { description: 'Matcher for the variable value.' }),
      },
      { description: 'Run the check only when a policy variable matches; otherwise it is skipped.', additionalProperties: false },
    ),
    waiver: T.Object(
      {
        check: ref<string>('id', { description: 'Id of the waived check.' }),
        reason: T.String({ minLength: 1, description: 'Why the exception is acceptable; shown in reports.' }),
        expires: T.Optional(
          T.String({
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
            patternErrorMessage: 'Expected a date YYYY-MM-DD',
            description: 'Date (YYYY-MM-DD) after which the waiver no longer applies.',
          }),
        ),
      },
      { description: 'An accepted exception for one check.', additionalProperties: false },
    ),
  };
}

/** The policy document; every definition it refers to is added to the kit's `$defs` on the way. */
export function policySchema(kit: Kit) {
  const { T, ref, raw, def } = kit;
  for (const [name, s] of Object.entries(commonDefs(kit))) def(name, s);
  const kinds = SELECTORS.map((name) => [name, KINDS[name].schema(kit)] as const);
  const check = T.Object(
    {
      id: ref<string>('id', { description: 'Unique id, e.g. kernel.somaxconn. A check with the id of an inherited check replaces it.' }),
      title: T.Optional(T.String({ description: 'One-line summary of what must hold (defaults to the id).' })),
      severity: T.Optional(
        T.Enum([...SEVERITIES], {
          description: 'critical | high | medium | low | info (default medium). Weights the score; a failed critical check makes the host not ready.',
        }),
      ),
      rationale: T.Optional(T.String({ description: 'Why this matters in production.' })),
      remediation: T.Optional(T.String({ description: 'How to fix a failure.' })),
      tags: T.Optional(
        T.Array(T.String(), { description: "Free-form tags, kept with the check's result: shown as labels in the HTML report and as SARIF rule tags." }),
      ),
      refs: T.Optional(T.Array(T.String(), { description: 'References: URLs, benchmark ids, tickets.' })),
      timeout: T.Optional(
        T.Union([ref<string | number>('duration'), ref<never>('varRef')], {
          description:
            'How long collecting the facts this check needs may take (overrides defaults.timeout); a fact family shared by several checks gets the longest of their timeouts; a probe shared by several checks gets the longest of theirs. A duration ("500ms", "2s", "1m", "1h") or milliseconds, more than 0 and at most 2147483647ms (about 24.8 days), the longest a timer can wait.',
        }),
      ),
      when: T.Optional(ref<unknown>('when')),
      enabled: T.Optional(T.Boolean({ description: 'false removes an inherited check with this id.' })),
      expect: T.Optional(raw<unknown>({ description: 'The expectation; its shape depends on the fact selector.' })),
      ...Object.fromEntries(kinds.map(([name, s]) => [name, T.Optional(s.selector)])),
    },
    {
      description: `One check: an id, a severity, exactly one fact selector (${SELECTORS.join(', ')}) and an expectation.`,
      additionalProperties: false,
      allOf: [
        // expect is required unless the check only removes an inherited one.
        { if: { required: ['enabled'], properties: { enabled: { const: false } } }, else: { required: ['expect'] } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable.
        ...kinds.map(([name, s]) => ({ if: { required: [name] }, then: { properties: { expect: s.expect } } })),
      ],
    },
  );
  return T.Object(
    {
      apiVersion: raw<'plumbline/v1'>({ const: 'plumbline/v1', description: 'Version of the policy language. Always plumbline/v1.' }),
      kind: raw<'Policy'>({ const: 'Policy', description: 'Kind of document. Always Policy.' }),
      metadata: T.Object(
        {
          name: T.String({ minLength: 1, description: 'Name of the policy, shown in reports.' }),
          description: T.Optional(T.String({ description: 'What the policy is for; shown in reports.' })),
          labels: T.Optional(
            raw<Record<string, string>>({
              type: 'object',
              description: 'Free-form string labels (team, environment, ...).',
              additionalProperties: { type: 'string', description: 'Label value.' },
            }),
          ),
        },
        { description: 'Name and description of the policy.', additionalProperties: false },
      ),
      extends: T.Optional(
        T.Array(
          T.String({
            pattern: '^(builtin:[a-z0-9][a-z0-9._-]*|[^/].*)$',
            patternErrorMessage: 'Expected builtin:NAME or a path relative to this file',
            description: '`builtin:NAME` or a path relative to this file.',
          }),
          {
            description:
              'Policies this one builds on, applied first in the listed order; this file then overrides their checks by id. `builtin:NAME` names a built-in policy; other entries are paths relative to this file.',
          },
        ),
      ),
      vars: T.Optional(
        raw<Record<string, string | number | boolean>>({
          type: 'object',
          description:
            "Variables for `${name}` interpolation in check values. Later policies override earlier ones. A value that is exactly `${name}` takes the variable's type; `$${` writes a literal `${`.",
          propertyNames: {
            pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
            patternErrorMessage: 'Expected a variable name: letters, digits and _, not starting with a digit',
          },
          additionalProperties: { type: ['string', 'number', 'boolean'], description: 'A variable value: a string, number or boolean.' },
        }),
      ),
      defaults: T.Optional(
        T.Object(
          {
            timeout: T.Optional(
              ref<string | number>('duration', {
                description:
                  'How long collecting the facts a check needs may take, for checks without their own timeout (default 5s); a fact family shared by several checks gets the longest of their timeouts; a probe (tcp, dns, http, tls) gets it per probe, the longest of the checks sharing it. More than 0 and at most 2147483647ms (about 24.8 days), the longest a timer can wait.',
              }),
            ),
            failUnder: T.Optional(
              T.Number({ minimum: 0, maximum: 100, description: 'Score (0-100) below which the host is not ready (default 80). --fail-under overrides it.' }),
            ),
          },
          { description: 'Defaults for every check; later policies override earlier ones.', additionalProperties: false },
        ),
      ),
      waivers: T.Optional(
        T.Array(ref<unknown>('waiver'), {
          description: 'Accepted exceptions: a waived check still runs, but its result is reported as waived with the reason.',
        }),
      ),
      checks: T.Optional(
        T.Array(def('check', check).ref(), { description: 'The checks of this policy. A check with the id of an inherited check replaces it.' }),
      ),
    },
    {
      ...{
        title: 'plumbline policy',
        description:
          'A plumbline policy (v1): checks that a production Linux host must pass. Add `# yaml-language-server: $schema=<path to this file>` at the top of a policy for completion and validation in editors.',
      },
      additionalProperties: false,
    },
  );
}
