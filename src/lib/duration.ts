// A duration as a report says it: whole seconds as seconds ("2 s"), the rest in milliseconds ("750 ms").

export function durationText(ms: number): string {
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000} s`;
  return `${Math.round(ms)} ms`;
}
