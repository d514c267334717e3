// Nearest-rank percentiles, as ping and latency tools report them: a sample that was really seen, never an
// interpolation between two.

/** Nearest-rank percentile of values (any order); undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
