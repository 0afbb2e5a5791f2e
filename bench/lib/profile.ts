import type { Profiler } from 'node:inspector';

/** Where a filing's CPU time goes, by the code that spent it. */
export interface ProfileShare {
  category: string;
  ms: number;
  share: number;
}

const PGLITE = 'PGlite (WASM PostgreSQL in process)';
const DRIVER = 'PostgreSQL driver (postgres.js)';
// A sample in a socket's write system call is mostly not the caller's own work: on loopback the kernel runs
// the receiver's TCP input and wakes its process right there, and on two cores the woken process often
// takes this one, the wait counting as the write's time. Kept apart, so the driver's row is its JavaScript.
const SOCKET_WRITES = new Set(['writeBuffer', 'writev', 'writeUtf8String', 'writeLatin1String']);
const DATABASE_WRITES = 'writes to PostgreSQL (system calls; the server woken)';
const OTHER_WRITES = 'other socket writes (HTTP answers, Slack calls)';

// First match wins; node's own modules are charged to the nearest caller that is not node's (below). The app
// runs compiled from build/ (`npm start`), or from src/ with tsx.
const CATEGORIES: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'command parsing (chrono-node, dates, input)',
    /chrono-node|(?:src|build)\/handlers\/kernel\/input\.[jt]s|(?:src|build)\/domain\/dates\.[jt]s/,
  ],
  ['Block Kit rendering', /(?:src|build)\/bot\/slack\/render\.[jt]s/],
  [
    'outbox deliverer',
    /(?:src|build)\/bot\/outbox-deliverer\.[jt]s|(?:src|build)\/bot\/slack\/sender\.[jt]s/,
  ],
  ['handlers and domain rules', /(?:src|build)\/(handlers|domain)\//],
  // The socket frontdesk opens for postgres.js is the driver's; the system calls it makes are counted apart.
  [DRIVER, /node_modules\/postgres\/|(?:src|build)\/db\/postgres-socket\.[jt]s/],
  ['repositories and dispatcher glue', /(?:src|build)\/(db|bot|config)\//],
  ['SQL building and row mapping (drizzle)', /drizzle-orm/],
  [PGLITE, /@electric-sql\/pglite/],
  [
    'Slack Web API client (posting cards)',
    /@slack\/web-api|axios|form-data|follow-redirects|proxy-from-env|undici/,
  ],
  ['Bolt: request parsing, signature, ack', /@slack\/bolt|raw-body|tsscmp|@slack\/oauth/],
  ['zod validation', /node_modules\/zod\//],
  ['logging (pino)', /pino|sonic-boom|thread-stream/],
  ['luxon', /luxon/],
  ['other packages', /node_modules\//],
];

function isNodeInternal(url: string): boolean {
  return url === '' || url.startsWith('node:');
}

/**
 * Self time per category from a V8 CPU profile. Samples in node's own code (http, net, crypto, streams)
 * count towards the nearest library or app frame that called them; what is left is the event loop itself.
 */
export function summariseProfile(profile: Profiler.Profile): ProfileShare[] {
  const parents = new Map<number, number>();
  const nodes = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) {
    nodes.set(node.id, node);
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const categoryOf = new Map<number, string>();
  /** The nearest frame above `id` that is neither WebAssembly nor node's own code. */
  function findCaller(id: number): number | undefined {
    for (let parent = parents.get(id); parent !== undefined; parent = parents.get(parent)) {
      const url = nodes.get(parent)?.callFrame.url ?? '';
      if (!url.startsWith('wasm://') && !isNodeInternal(url)) return parent;
    }
    return undefined;
  }
  function categorise(id: number): string {
    const cached = categoryOf.get(id);
    if (cached) return cached;
    const node = nodes.get(id);
    const { functionName, url } = node?.callFrame ?? { functionName: '', url: '' };
    let category: string;
    if (functionName === '(garbage collector)') category = 'garbage collection';
    else if (functionName === '(idle)') category = 'idle';
    else if (functionName === '(program)') category = 'V8 and native code (program)';
    else if (url === '' && SOCKET_WRITES.has(functionName)) {
      const parent = parents.get(id);
      category = parent !== undefined && categorise(parent) === DRIVER ? DATABASE_WRITES : OTHER_WRITES;
    } else if (isNodeInternal(url)) {
      const parent = parents.get(id);
      category = parent === undefined ? 'Node.js event loop, sockets, timers' : categorise(parent);
    } else if (url.startsWith('wasm://')) {
      // PGlite's PostgreSQL and undici's HTTP parser are both WebAssembly: charged to the package calling it.
      const caller = findCaller(id);
      category = caller === undefined ? PGLITE : categorise(caller);
    } else {
      category = CATEGORIES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';
    }
    categoryOf.set(id, category);
    return category;
  }
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index += 1) {
    const category = categorise(samples[index] as number);
    totals.set(category, (totals.get(category) ?? 0) + (deltas[index] ?? 0) / 1000);
  }
  const busy = [...totals].filter(([category]) => category !== 'idle').reduce((sum, [, ms]) => sum + ms, 0);
  return [...totals]
    .map(([category, ms]) => ({ category, ms, share: category === 'idle' ? 0 : ms / busy }))
    .sort((a, b) => b.ms - a.ms);
}
