import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 that a test can cut or stall, as a lost network or a stopped server would. */
export interface TcpProxy {
  /** the port the proxy listens on; it stays the same across close() and reopen() */
  port: number;
  /** Destroys every open connection (both sides) and stops listening, so new connections are refused. */
  close(): Promise<void>;
  /** Listens again on the same port and forwards new connections as before. */
  reopen(): Promise<void>;
  /**
   * Stops forwarding without closing anything, as a server or network that stops answering: every
   * connection, open or new, stays up, and what either side sends waits unread until resume().
   */
  stall(): void;
  /** Forwards again, delivering first what was held back while stalled. */
  resume(): void;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

function forward({ client, upstream }: Pair): void {
  client.pipe(upstream);
  upstream.pipe(client);
}

function hold({ client, upstream }: Pair): void {
  client.unpipe(upstream);
  upstream.unpipe(client);
  // Not reading leaves the bytes in the kernel's buffers, so the sender sees a peer that never answers.
  client.pause();
  upstream.pause();
}

/** Forwards connections on a free local port to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const pairs = new Set<Pair>();
  let stalled = false;

  function listen(port: number): Promise<Server> {
    const server = createServer((client) => {
      const upstream = createConnection(target);
      track(client);
      track(upstream);
      // Either side failing ends both, as a real network failure would look to the other end.
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      const pair = { client, upstream };
      pairs.add(pair);
      client.on('close', () => pairs.delete(pair));
      if (stalled) hold(pair);
      else forward(pair);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  }

  let server: Server | undefined = await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    async close() {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async reopen() {
      server ??= await listen(port);
    },
    stall() {
      if (stalled) return;
      stalled = true;
      for (const pair of pairs) hold(pair);
    },
    resume() {
      // Piping a pair twice would send each byte twice.
      if (!stalled) return;
      stalled = false;
      for (const pair of pairs) forward(pair);
    },
  };
}
