import { describe, expect, it } from 'vitest';
import { pacedRedraws, REDRAW_LOOK_AGAIN_MS, REDRAW_ROUND_MS } from '../../src/bot/paced-redraws.ts';

describe('paced redraw rounds', () => {
  function roundsOf(taken: number[]) {
    let clock = 0;
    const ran: number[] = [];
    const rounds = pacedRedraws(
      async () => {
        ran.push(clock);
        return taken.shift() ?? 0;
      },
      () => clock,
    );
    return {
      ran,
      at: async (ms: number) => {
        clock = ms;
        return rounds.run();
      },
    };
  }

  it('runs the first round at once and the next one that drew cards no sooner than a round later', async () => {
    const rounds = roundsOf([20, 20, 3]);
    expect(await rounds.at(0)).toBe(20);
    expect(await rounds.at(10)).toBe(0);
    expect(await rounds.at(REDRAW_ROUND_MS - 1)).toBe(0);
    expect(await rounds.at(REDRAW_ROUND_MS)).toBe(20);
    expect(await rounds.at(2 * REDRAW_ROUND_MS)).toBe(3);
    expect(rounds.ran).toEqual([0, REDRAW_ROUND_MS, 2 * REDRAW_ROUND_MS]);
  });

  it('looks again soon after a round that found nothing', async () => {
    const rounds = roundsOf([0, 5]);
    expect(await rounds.at(0)).toBe(0);
    expect(await rounds.at(REDRAW_LOOK_AGAIN_MS - 1)).toBe(0);
    expect(await rounds.at(REDRAW_LOOK_AGAIN_MS)).toBe(5);
    expect(rounds.ran).toEqual([0, REDRAW_LOOK_AGAIN_MS]);
  });
});
