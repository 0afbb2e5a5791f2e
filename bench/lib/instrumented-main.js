/**
 * The compiled app (`build/main.js`, as `npm start` runs it) with instruments its parent drives over IPC:
 * - 'profile:start', then 'profile:stop': a CPU profile of just that stretch (not the start-up) is written
 *   to PROFILE_PATH, answered by 'profile:started' and 'profile:written';
 * - 'memory': answered with `{ rssMb, heapAfterGcMb }`, resident memory, then the live heap after a full
 *   collection, which tells a leak from a heap the collector has simply not shrunk yet.
 *
 * Plain JavaScript, so the app runs without a TypeScript loader here too.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The app runs with npm start's flags, which do not expose gc(); this exposes it to a fresh context only.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

process.on('message', (message) => {
  void (async () => {
    if (message === 'profile:start') {
      await session.post('Profiler.start');
      process.send?.('profile:started');
    } else if (message === 'profile:stop') {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(process.env.PROFILE_PATH ?? 'frontdesk.cpuprofile', JSON.stringify(profile));
      process.send?.('profile:written');
    } else if (message === 'memory') {
      const rssMb = process.memoryUsage().rss / 2 ** 20;
      collectGarbage();
      process.send?.({ rssMb, heapAfterGcMb: process.memoryUsage().heapUsed / 2 ** 20 });
    }
  })();
});

await import('../../build/main.js');
