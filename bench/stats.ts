// The few statistics and formats the benchmarks print.

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The p-th percentile of values sorted ascending (nearest rank); 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** "1.23 s" from a second on, else milliseconds with `digits` decimals. */
export function formatMs(x: number, digits = 0): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(digits)} ms`;
}
