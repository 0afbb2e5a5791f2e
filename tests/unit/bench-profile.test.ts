import type { Profiler } from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { summariseProfile } from '../../bench/lib/profile.ts';

function frame(id: number, url: string, children: number[] = [], functionName = 'f'): Profiler.ProfileNode {
  return { id, callFrame: { functionName, scriptId: '0', url, lineNumber: 0, columnNumber: 0 }, children };
}

/** Milliseconds per category when each of `samples` (node ids) took 1 ms. */
function sharesOf(nodes: Profiler.ProfileNode[], samples: number[]): Record<string, number> {
  const profile: Profiler.Profile = {
    nodes,
    startTime: 0,
    endTime: samples.length * 1_000,
    samples,
    timeDeltas: samples.map(() => 1_000),
  };
  return Object.fromEntries(summariseProfile(profile).map((share) => [share.category, share.ms]));
}

describe("the bench's profile summary", () => {
  it("charges PGlite's WebAssembly and its JavaScript to PGlite, and node's own code to its caller", () => {
    const shares = sharesOf(
      [
        frame(1, '', [2, 3, 4], '(root)'),
        frame(2, 'wasm://wasm/022a9842'),
        frame(3, 'file:///app/node_modules/@electric-sql/pglite/dist/chunk-Y6PULSM7.js'),
        frame(4, 'file:///app/node_modules/drizzle-orm/pglite/session.js', [5]),
        frame(5, 'node:internal/util'),
      ],
      [2, 2, 3, 5],
    );
    expect(shares).toEqual({
      'PGlite (WASM PostgreSQL in process)': 3,
      'SQL building and row mapping (drizzle)': 1,
    });
  });

  it("charges undici's WebAssembly HTTP parser to the Slack client that calls it, not to PGlite", () => {
    const shares = sharesOf(
      [
        frame(1, '', [2, 5], '(root)'),
        frame(2, 'file:///app/node_modules/undici/lib/dispatcher/client-h1.js', [3]),
        frame(3, 'node:internal/process/task_queues', [4]),
        frame(4, 'wasm://wasm/00a6b3ee'),
        frame(5, 'file:///app/node_modules/@electric-sql/pglite/dist/index.js', [6]),
        frame(6, 'wasm://wasm/022a9842'),
      ],
      [4, 4, 2, 6],
    );
    expect(shares).toEqual({
      'Slack Web API client (posting cards)': 3,
      'PGlite (WASM PostgreSQL in process)': 1,
    });
  });

  it('charges the app by its files, compiled (build/, as npm start runs it) or from src/', () => {
    const shares = sharesOf(
      [
        frame(1, '', [2, 3, 4, 5], '(root)'),
        frame(2, 'file:///app/build/handlers/time-off/intake.js'),
        frame(3, 'file:///app/src/domain/coverage.ts'),
        frame(4, 'file:///app/build/db/postgres-socket.js'),
        frame(5, 'file:///app/build/bot/outbox-deliverer.js'),
      ],
      [2, 3, 4, 5, 5],
    );
    expect(shares).toEqual({
      'handlers and domain rules': 2,
      'PostgreSQL driver (postgres.js)': 1,
      'outbox deliverer': 2,
    });
  });

  it("keeps socket writes apart from their caller's JavaScript: to PostgreSQL, and everything else", () => {
    const shares = sharesOf(
      [
        frame(1, '', [2, 6], '(root)'),
        frame(2, 'file:///app/node_modules/postgres/src/connection.js', [3]),
        frame(3, 'file:///app/build/db/postgres-socket.js', [4]),
        frame(4, 'node:internal/stream_base_commons', [5], 'handleWriteReq'),
        frame(5, '', [], 'writeBuffer'),
        frame(6, 'file:///app/node_modules/@slack/bolt/dist/receivers/HTTPModuleFunctions.js', [7]),
        frame(7, 'node:net', [8], 'Socket._writev'),
        frame(8, '', [], 'writev'),
      ],
      [5, 5, 5, 2, 3, 8, 7],
    );
    expect(shares).toEqual({
      'writes to PostgreSQL (system calls; the server woken)': 3,
      'PostgreSQL driver (postgres.js)': 2,
      'other socket writes (HTTP answers, Slack calls)': 1,
      'Bolt: request parsing, signature, ack': 1,
    });
  });
});
