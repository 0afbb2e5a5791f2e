import { describe, expect, it } from 'vitest';
import { meanWaitInClosedLoop, median, percentile } from '../../bench/lib/statistics.ts';

describe("the bench's statistics", () => {
  it('takes the nearest-rank percentile of sorted values', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('finds the median of values in any order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it("gives a closed loop's mean answer time from its connections and rate (Little's law)", () => {
    // 50 requests always in flight, 288 answered a second: each waits 50 / 288 s on average.
    expect(meanWaitInClosedLoop({ connections: 50, requestsPerSecond: 288 })).toBeCloseTo(173.6, 1);
    expect(meanWaitInClosedLoop({ connections: 10, requestsPerSecond: 1000 })).toBe(10);
  });
});
