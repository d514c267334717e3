// A validated, interpolated check as written, turned into the Check model that plan and evaluate read: its
// kind's module reads the selector (kinds/registry.ts).
import * as path from 'node:path';
import { parseDuration } from './duration.js';
import { KINDS, SELECTORS } from './kinds/registry.js';
import type { SelectorName } from './kinds/registry.js';
import type { Check, Matcher, Severity, SourcePos } from './model.js';
import type { Ref } from './merge.js';
import { sourcePos } from './sources.js';
import { isObject } from '../lib/is-object.js';
import type { DataPath } from './data-path.js';
import type { SelectorPlace } from './kinds/kit.js';

/**
 * The Check for a validated, interpolated check. Shapes are trusted here because the schema passed: this is
 * where a check as written becomes its kind's types, once, so no evaluator needs to cast.
 */
export function buildCheck(c: Record<string, unknown>, source: SourcePos, ref: Ref, dirAt: (p: DataPath) => string): Check {
  const name = SELECTORS.find((k) => k in c)!;
  const check = {
    id: c.id as string,
    title: typeof c.title === 'string' ? c.title : (c.id as string),
    severity: (c.severity as Severity | undefined) ?? 'medium',
    area: KINDS[name].area,
    selector: selectorOf(name, c[name], { path: (field, value) => path.resolve(dirAt(['checks', ref.index, name, field]), value) }),
    expect: c.expect,
    tags: (c.tags as string[] | undefined) ?? [],
    refs: (c.refs as string[] | undefined) ?? [],
    source,
  } as Check;
  if (ref.source.anchor) check.anchor = ref.source.anchor;
  if (typeof c.rationale === 'string') check.rationale = c.rationale;
  if (typeof c.remediation === 'string') check.remediation = c.remediation;
  if (isObject(c.when)) check.when = { var: c.when.var as string, expect: c.when.expect as Matcher };
  const t = parseDuration(c.timeout);
  if (t !== undefined) check.timeout = t;
  if (c.expect !== undefined) check.expectSource = sourcePos(ref.source, ['checks', ref.index, 'expect']);
  return check;
}

function selectorOf(name: SelectorName, written: unknown, at: SelectorPlace): Check['selector'] {
  // The kinds' readers differ in what they take; the validated value is the one each expects.
  const read = KINDS[name].selector as (v: unknown, at: SelectorPlace) => Check['selector'];
  return read(written, at);
}
