/** The nearest-rank percentile `p` (0–100) of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The middle value of `values`, in any order. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * The mean answer time in ms of a load that keeps `connections` requests in flight and is answered at
 * `requestsPerSecond` (Little's law). A p99 goal below it is out of reach at that rate, unless a few
 * answers take far longer than all the rest.
 */
export function meanWaitInClosedLoop(load: { connections: number; requestsPerSecond: number }): number {
  return (load.connections / load.requestsPerSecond) * 1000;
}
