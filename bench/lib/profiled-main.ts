/**
 * `src/main.ts` with a CPU profiler its parent can start and stop over IPC ('profile:start', then
 * 'profile:stop' → the profile is written to PROFILE_PATH and 'profile:written' is sent back), so a
 * profile covers the load and not the start-up.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

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
    }
  })();
});

await import('../../src/main.ts');
