import type { Server, ServerResponse } from 'node:http';
import { setImmediate as afterPoll, setTimeout as sleep } from 'node:timers/promises';

export interface HttpStopOptions {
  /** how long, at least, the server goes on taking in requests already sent when the stop begins */
  takeInMs: number;
  /** how long from the stop requests in progress may run on before their connections are cut */
  drainMs: number;
}

/**
 * Stopping an HTTP server without dropping a request that was sent before the stop. A request Slack has
 * sent can still wait in the accept queue, or unread on its socket, when SIGTERM comes: Node counts such a
 * socket as idle, and `server.close()` would reset it and lose a filing the person saw go out. So the
 * server first takes in what is already there, then closes; every answer from the stop on says
 * `Connection: close`, so kept-alive connections end with their last answer instead of holding the stop.
 *
 * A timer alone does not show that everything sent was taken in: a filing on PGlite holds the event loop
 * for a while, and the timer then fires before the sockets are looked at again. So the take-in ends only
 * after a turn of the loop (a poll for sockets, then setImmediate) that brought no new connection and no
 * new request: a connection accepted in one turn is read in the next.
 */
export function createHttpStop(server: Server, options: HttpStopOptions) {
  const inProgress = new Set<ServerResponse>();
  let stopping = false;
  let arrivals = 0;
  server.on('connection', () => {
    arrivals += 1;
  });

  const closeAfterAnswer = (response: ServerResponse) => {
    if (!response.headersSent) {
      response.shouldKeepAlive = false;
      return;
    }
    // The headers promised keep-alive already; the socket is ended once this answer is out.
    const { socket } = response;
    response.once('finish', () => socket?.end());
  };

  return {
    /** Call first thing for every request. */
    track(response: ServerResponse): void {
      arrivals += 1;
      if (stopping) closeAfterAnswer(response);
      inProgress.add(response);
      response.once('close', () => inProgress.delete(response));
    },
    /** Resolves once the server is closed and every request taken in has been answered (or cut at drainMs). */
    async stop(): Promise<void> {
      stopping = true;
      const cutAt = performance.now() + options.drainMs;
      for (const response of inProgress) closeAfterAnswer(response);
      await sleep(options.takeInMs);
      // Bounded, so a steady stream of new connections cannot hold the stop past the drain.
      for (let seen = -1; seen !== arrivals && performance.now() < cutAt; ) {
        seen = arrivals;
        await afterPoll();
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const cut = setTimeout(() => server.closeAllConnections(), Math.max(0, cutAt - performance.now()));
      await closed;
      clearTimeout(cut);
    },
  };
}
