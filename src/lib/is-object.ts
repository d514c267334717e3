/** A plain map (not null, not a list): what a YAML or JSON mapping becomes. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
