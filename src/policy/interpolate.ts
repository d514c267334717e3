// `${name}` references in a check's strings, replaced by the merged vars (and the command line's).
import type { DataPath } from './data-path.js';
import type { Scalar } from './model.js';
import { isInterpolated } from './validate.js';
import { isObject } from '../lib/is-object.js';

export function definedList(names: string[]): string {
  return names.length ? `defined: ${names.join(', ')}` : 'no variables are defined';
}

// A name is an identifier, or dotted ones for a fleet host's own (host.name, host.vars.http_port).
/** What to say of an undefined name: a host's own var exists only in a fleet audit, and only if the host has it. */
function undefinedWhy(name: string, names: string[]): string {
  if (!name.startsWith('host.')) return definedList(names);
  const hostOnes = names.filter((n) => n.startsWith('host.'));
  if (hostOnes.length === 0)
    return "host.* vars are a fleet host's own, defined only when auditing over SSH (--target, --inventory); `plumbline validate --inventory FILE` checks the policy with each host's vars";
  return `this host has no such var (it has ${hostOnes.join(', ')}); give every host of the inventory one, e.g. in group_vars/all`;
}

const WHOLE_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}$/;
const LEADING_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/;
const REF = /\$\$\{|\$\{([^}]*)(\})?/g;
const ESCAPE_HINT = 'write $${ for a literal ${';

/**
 * `${name}` in every string of a check except its id and when.var. A string that is exactly `${name}` becomes
 * the variable's value with its type (a port stays a number); elsewhere the value is spliced in as text.
 * `leading` names, by the JSON of their data path, the strings that start with a var: a relative path there is
 * read from where that var was set, not from the policy that used it.
 */
export function interpolate(
  v: unknown,
  at: DataPath,
  vars: Record<string, Scalar>,
  report: (p: DataPath, message: string) => void,
): { value: unknown; changed: boolean; leading: Map<string, string> } {
  let changed = false;
  const leading = new Map<string, string>();
  const names = Object.keys(vars);
  const walk = (x: unknown, p: DataPath): unknown => {
    if (typeof x === 'string') {
      if (!x.includes('${') || !isInterpolated(p)) return x;
      changed = true;
      const lead = LEADING_REF.exec(x)?.[1];
      if (lead !== undefined && lead in vars) leading.set(JSON.stringify(p), lead);
      const whole = WHOLE_REF.exec(x);
      if (whole) {
        const name = whole[1]!;
        if (name in vars) return vars[name];
        report(p, `undefined variable \${${name}}; ${undefinedWhy(name, names)}`);
        return x;
      }
      return x.replace(REF, (m: string, name: string | undefined, close: string | undefined) => {
        if (m === '$${') return '${';
        if (close === undefined) {
          report(p, `unterminated variable reference "${m}"; ${ESCAPE_HINT}`);
          return m;
        }
        if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/.test(name ?? '')) {
          report(p, `invalid variable reference "${m}": names are letters, digits and _; ${ESCAPE_HINT}`);
          return m;
        }
        if (!(name! in vars)) {
          report(p, `undefined variable ${m}; ${undefinedWhy(name!, names)}`);
          return m;
        }
        return String(vars[name!]);
      });
    }
    if (Array.isArray(x)) return x.map((e, i) => walk(e, [...p, i]));
    if (isObject(x)) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(x)) out[k] = walk(e, [...p, k]);
      return out;
    }
    return x;
  };
  const value = walk(v, at);
  return { value, changed, leading };
}
