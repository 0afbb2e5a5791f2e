import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 that a test can cut, as a lost network or a stopped server would. */
export interface TcpProxy {
  /** the port the proxy listens on; it stays the same across close() and reopen() */
  port: number;
  /** Destroys every open connection (both sides) and stops listening, so new connections are refused. */
  close(): Promise<void>;
  /** Listens again on the same port and forwards new connections as before. */
  reopen(): Promise<void>;
}

/** Forwards connections on a free local port to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  function listen(port: number): Promise<Server> {
    const server = createServer((client) => {
      const upstream = createConnection(target);
      track(client);
      track(upstream);
      // Either side failing ends both, as a real network failure would look to the other end.
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
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
  };
}
