// The Check model: what a resolved policy hands to plan and evaluate.
// Plain, serialisable data; every check remembers the line that declared it.
import { KINDS } from './kinds/registry.js';
import type { ExpectOf, SelectorName, SelectorOf } from './kinds/registry.js';
import type { Matcher, Scalar } from './matcher.js';

/** @public (the schema test holds the schema to it) */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export { SELECTORS } from './kinds/registry.js';
export type { ExpectOf, SelectorName } from './kinds/registry.js';

export function isSelector(k: string): k is SelectorName {
  return Object.hasOwn(KINDS, k);
}

export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export type { Matcher, MatcherOps, Scalar } from './matcher.js';
export { OPERATORS } from './matcher.js';

export type LimitsSelector = SelectorOf<'limits'>['spec'];
export type ListenerSelector = SelectorOf<'listener'>['spec'];
export type FirewallSelector = SelectorOf<'firewall'>['spec'];
export type TcpSelector = SelectorOf<'tcp'>['spec'];
export type DnsSelector = SelectorOf<'dns'>['spec'];
export type HttpSelector = SelectorOf<'http'>['spec'];
export type TlsSelector = SelectorOf<'tls'>['spec'];
export type CertificateSelector = SelectorOf<'certificate'>['spec'];

/** A check whose applicability depends on a policy variable (e.g. "only if this host does not route"). */
interface WhenClause {
  var: string;
  expect: Matcher;
}

export interface Waiver {
  reason: string;
  /** ISO date (YYYY-MM-DD); after it the waiver no longer applies. */
  expires?: string;
  /** Who answers for it (a waivers file's waivers always say). */
  owner?: string;
  /** false: the check is not collected, only reported as waived (a waivers file's `run: false`). */
  run?: false;
  source: SourcePos;
}

interface CheckBase {
  id: string;
  title: string;
  severity: Severity;
  area: string;
  rationale?: string;
  remediation?: string;
  tags: string[];
  refs: string[];
  when?: WhenClause;
  timeout?: number;
  waiver?: Waiver;
  source: SourcePos;
  /** For a check of a built-in policy: the user's `extends` entry that brought it in (where a finding is shown). */
  anchor?: SourcePos;
  /** Position of each expect key, so findings can point at the exact line. */
  expectSource?: SourcePos;
  /** Made by plumbline, not the policy: a lower check (DNS, TCP) the listed checks stand on. Not scored. */
  impliedBy?: string[];
}

/** A check of one kind: its selector and its expectation (as written, after ${var} interpolation) typed by the kind. */
export type CheckOf<K extends SelectorName> = CheckBase & { selector: SelectorOf<K>; expect: ExpectOf<K> };
export type Check = { [K in SelectorName]: CheckOf<K> }[SelectorName];

export interface ResolvedPolicy {
  name: string;
  description?: string;
  /** Files (or builtin:NAME) merged into this policy, in the order they were applied. */
  sources: string[];
  vars: Record<string, Scalar>;
  defaults: { timeout: number; failUnder: number };
  checks: Check[];
}

/** A problem in a policy file, always with a position a user can jump to. */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The vars whose values made the value at fault, when a var's value (not the file) is what is wrong. */
  vars?: string[];
  /** With `vars`: what is wrong with the value, without the reference it came from. */
  valueProblem?: string;
}

export class PolicyError extends Error {
  constructor(public readonly issues: PolicyIssue[]) {
    super(issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n'));
    this.name = 'PolicyError';
  }
}

/** A `--var` that no policy declares or uses: the command line's mistake, not a file's. */
export class VarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VarError';
  }
}
