// The expectation language's values and operators, shared by every check kind.

export type Scalar = string | number | boolean | null;

/** Operators of the expectation language, in the order messages list them. */
export const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'match', 'contains', 'exists', 'index'] as const;

/** Operators of the expectation language. A bare scalar means { eq: scalar }. */
export interface MatcherOps {
  eq?: Scalar | Scalar[];
  ne?: Scalar | Scalar[];
  gt?: number | string | number[];
  gte?: number | string | number[];
  lt?: number | string | number[];
  lte?: number | string | number[];
  between?: [number | string, number | string];
  in?: Scalar[];
  notIn?: Scalar[];
  match?: string;
  contains?: Scalar;
  exists?: boolean;
  /** Multi-value facts (ip_local_port_range): compare one element by index. */
  index?: number;
}
export type Matcher = Scalar | MatcherOps;
