import { connect, type Socket } from 'node:net';

/** What postgres.js tells its `socket` option: the server it parsed from the URL (or PGHOST, PGPORT). */
export interface PostgresSocketOptions {
  host: readonly string[];
  port: readonly number[];
  /** the Unix socket when the host is a directory */
  path: string | false;
}

// postgres.js writes a pipeline out at once when it reaches this size, and the rest at the event loop's
// next check phase.
const WRITTEN_AT_ONCE_FROM_BYTES = 1024;

/**
 * Opens the socket postgres.js talks to one server through (its `socket` option), still connecting:
 * postgres.js then runs its own start-up, connect timeout and error handling on it as on its own.
 *
 * The one difference: a write of 1 KB or more waits for the next write or the next turn of the event
 * loop, whichever comes first. postgres.js writes such a statement (a card's JSON) at once, and the COMMIT
 * issued right behind it at the next check phase, so a transaction's end took two writes. Each write
 * here costs some 0.2 ms of the app's CPU (waking the server's process across cores); a filing's end is
 * now one. The order of writes is kept, a write with a callback is never held, and ending the socket
 * writes what is held first.
 */
export function openPostgresSocket(options: PostgresSocketOptions): Socket {
  const host = options.host[0] ?? 'localhost';
  const port = options.port[0] ?? 5432;
  const socket = options.path ? connect(options.path) : connect(port, host);
  // postgres.js names these in its connection errors.
  Object.assign(socket, { host, port });
  holdLargeWrites(socket);
  return socket;
}

function holdLargeWrites(socket: Socket): void {
  const write = socket.write.bind(socket) as (chunk: unknown, callback?: unknown) => boolean;
  const end = socket.end.bind(socket) as (...args: unknown[]) => Socket;
  let held: Buffer | undefined;
  const flush = (): boolean => {
    const chunk = held;
    held = undefined;
    if (!chunk || socket.destroyed) return true;
    return write(chunk);
  };
  socket.write = ((chunk: unknown, callback?: unknown) => {
    if (typeof callback === 'function' || !Buffer.isBuffer(chunk)) {
      flush();
      return write(chunk, callback);
    }
    if (held) {
      held = Buffer.concat([held, chunk]);
      return flush();
    }
    if (chunk.length < WRITTEN_AT_ONCE_FROM_BYTES) return write(chunk);
    held = chunk;
    // postgres.js writes what follows at this check phase, from a callback queued after this one would be.
    setImmediate(() => setImmediate(flush));
    return true;
  }) as Socket['write'];
  socket.end = ((...args: unknown[]) => {
    flush();
    return end(...args);
  }) as Socket['end'];
}

/** Whether a postgres URL names more than one server (`host1,host2`), which postgres.js tries in turn. */
export function namesSeveralHosts(url: string): boolean {
  const authority = url.slice(url.indexOf('://') + 3).split(/[/?]/)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1).includes(',');
}
