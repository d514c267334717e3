// What a check kind's schema is written with: TypeBox's builders and three helpers. The build hands the kit to
// every kind's `schema` (scripts/policy-schema.ts) and writes the result to schemas/policy.schema.json, from
// which the validator is generated; at run time nothing calls `schema` and nothing loads TypeBox, so this
// module is types only. The types of selectors and expectations are `Static<>` of what `schema` returns.
import type { Static, TSchema, TUnsafe } from 'typebox';
import type * as TypeBox from 'typebox';

/** A definition of the policy schema's `$defs`, used through `$ref` nodes of its own type. */
interface Def<S extends TSchema> {
  ref(options?: Record<string, unknown>): TUnsafe<Static<S>>;
}

/** The definitions every kind may refer to by name (src/policy/schema.ts). */
export type CommonDef = 'varRef' | 'id' | 'duration' | 'port' | 'addrPort' | 'scalar' | 'eqValue' | 'cmpValue' | 'matcher' | 'when' | 'waiver';

export interface Kit {
  T: typeof TypeBox.Type;
  /** A `$ref` to a common definition, typed as the value it holds once `${var}`s are replaced. */
  ref<X>(name: CommonDef, options?: Record<string, unknown>): TUnsafe<X>;
  /** JSON Schema that TypeBox's builders would spell otherwise (several `type`s, `const` alone, maps), with its type. */
  raw<X>(schema: Record<string, unknown>): TUnsafe<X>;
  /** Adds a named definition to `$defs` (once; a second identical one is the same). */
  def<S extends TSchema>(name: string, schema: S): Def<S>;
}

/** What a kind adds to the check: its selector (the property named for the kind) and its `expect`. */
interface KindSchema {
  selector: TSchema;
  expect: TSchema;
}

/** A check kind as the policy stage knows it (kinds/registry.ts lists them). */
export interface PolicyKind {
  /** The area its checks count towards in the sub-scores. */
  area: string;
  /** Its selector and expectation, for the policy schema (run by the build only). */
  schema(kit: Kit): KindSchema;
  /** Its selector as plan and evaluate read it, from the validated value. */
  selector(written: never, at: SelectorPlace): { kind: string };
}

/** Where a selector was written, for the paths it holds. */
export interface SelectorPlace {
  /**
   * A path of the auditing machine that the selector's `field` holds, made absolute: a relative path is read from
   * the directory of the policy file that wrote it, or, where a var gave it (`ca: "${tlsCa}"`), from where the
   * var was set: its policy file's directory, or the working directory for a var given to the run (`--var`,
   * `--vars`, the Action's inputs).
   */
  path(field: string, value: string): string;
}
