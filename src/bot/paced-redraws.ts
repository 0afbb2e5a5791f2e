// How long after finding no card to redraw the deliverer's loop looks again; the loop comes round every
// poll (a second) when idle, so an asked redraw goes out within about a second either way.
export const REDRAW_LOOK_AGAIN_MS = 250;
// How long after a round that drew cards the next may run: with CARDS_PER_ROUND (card-redraws.ts), this
// sets the most cards redrawn a second.
export const REDRAW_ROUND_MS = 1_000;

/**
 * Runs `redraw` from the deliverer's loop, at most once every REDRAW_ROUND_MS, and after a round that found
 * nothing only once REDRAW_LOOK_AGAIN_MS have passed: under load the loop comes round after every card it
 * sends, and each round costs a transaction and the drawing of its cards.
 */
export function pacedRedraws(
  redraw: () => Promise<number>,
  now: () => number = () => performance.now(),
): { run(): Promise<number> } {
  let lookAgainAt = 0;
  return {
    async run() {
      if (now() < lookAgainAt) return 0;
      const taken = await redraw();
      lookAgainAt = now() + (taken > 0 ? REDRAW_ROUND_MS : REDRAW_LOOK_AGAIN_MS);
      return taken;
    },
  };
}
