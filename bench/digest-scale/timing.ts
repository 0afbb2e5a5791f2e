import { performance } from 'node:perf_hooks';
import { percentile } from '../lib/statistics.ts';

/** Wall-clock milliseconds of repeated runs of one operation. */
export interface Timing {
  repetitions: number;
  p50: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** p50, p95, min, max and mean of `samples`, rounded to the microsecond. */
export function summarizeSamples(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    repetitions: samples.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(samples.reduce((sum, sample) => sum + sample, 0) / samples.length),
  };
}

/**
 * Times one operation on several subjects (the same practice with 1 and 5 years of history) fairly: each
 * is warmed up, then the subjects take turns in `rounds` blocks, the order flipping every round, so a
 * slow spell of the machine lands on all of them rather than on whichever ran last. `operation` gets the
 * subject and a running repetition number (to rotate who acts).
 */
export async function timeInterleaved<Subject>(
  subjects: readonly Subject[],
  operation: (subject: Subject, repetition: number) => Promise<unknown>,
  options: { warmup: number; repetitions: number; rounds: number },
): Promise<Timing[]> {
  const samples = subjects.map(() => [] as number[]);
  for (const subject of subjects) {
    for (let index = 0; index < options.warmup; index += 1) await operation(subject, index);
  }
  const perRound = Math.ceil(options.repetitions / options.rounds);
  for (let roundIndex = 0; roundIndex < options.rounds; roundIndex += 1) {
    const order = subjects.map((_, index) => index);
    if (roundIndex % 2 === 1) order.reverse();
    for (const subjectIndex of order) {
      const subject = subjects[subjectIndex] as Subject;
      const bucket = samples[subjectIndex] as number[];
      for (let index = 0; index < perRound && bucket.length < options.repetitions; index += 1) {
        const started = performance.now();
        await operation(subject, options.warmup + bucket.length);
        bucket.push(performance.now() - started);
      }
    }
  }
  return samples.map(summarizeSamples);
}
