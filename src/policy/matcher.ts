// The expectation language's values and operators, shared by every check kind (defined with their meaning in
// src/lib/match.ts, which the probes may also use).
export type { Matcher, MatcherOps, Scalar } from '../lib/match.js';
export { OPERATORS } from '../lib/match.js';
