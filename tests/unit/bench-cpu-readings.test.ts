import { describe, expect, it } from 'vitest';
import { parseMachineTicks, readMainThreadSchedule } from '../../bench/lib/processes.ts';

describe("the bench's reading of the machine's CPU time", () => {
  it('counts user, nice, system, irq, softirq and steal as busy, and idle and iowait as not', () => {
    const procStat = [
      'cpu  55872 3 7267 881185 666 5 1450 47 11 0',
      'cpu0 27936 1 3633 440592 333 2 725 23 5 0',
      'intr 123456 0 0',
    ].join('\n');
    expect(parseMachineTicks(procStat)).toEqual({
      busy: 55872 + 3 + 7267 + 5 + 1450 + 47,
      total: 55872 + 3 + 7267 + 5 + 1450 + 47 + 881185 + 666,
    });
  });

  it('reads the all-cores line, not the first core', () => {
    const procStat = 'cpu0 1 0 1 8 0 0 0 0\ncpu  4 0 2 10 0 0 0 0\n';
    expect(parseMachineTicks(procStat)).toEqual({ busy: 6, total: 16 });
  });

  it('refuses a file without the cpu line', () => {
    expect(() => parseMachineTicks('intr 1 2 3\n')).toThrow(/no cpu line/);
  });
});

describe("the bench's reading of a main thread's schedule", () => {
  it("counts this thread's running time as it spends CPU", () => {
    const before = readMainThreadSchedule(process.pid);
    expect(before).toBeDefined();
    // Spends 50 ms of this thread's CPU, however long the machine takes to give it.
    const spent = process.cpuUsage();
    while (process.cpuUsage(spent).user < 50_000) Math.sqrt(Math.random());
    const after = readMainThreadSchedule(process.pid);
    expect((after?.runMs ?? 0) - (before?.runMs ?? 0)).toBeGreaterThanOrEqual(40);
    expect(after?.waitMs ?? -1).toBeGreaterThanOrEqual(before?.waitMs ?? 0);
  });

  it('is undefined for a process that does not exist', () => {
    expect(readMainThreadSchedule(2 ** 30)).toBeUndefined();
  });
});
