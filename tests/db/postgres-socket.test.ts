import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { namesSeveralHosts, openPostgresSocket } from '../../src/db/postgres-socket.ts';

/** A server that keeps what each connection sent, in order, and whether the connection ended. */
async function startRecordingServer(): Promise<{
  server: Server;
  port: number;
  received: () => Buffer;
  ended: Promise<void>;
}> {
  const chunks: Buffer[] = [];
  let resolveEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });
  const server = createServer((connection) => {
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.on('end', () => resolveEnded());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, received: () => Buffer.concat(chunks), ended };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the socket frontdesk opens for postgres.js', () => {
  let recording: Awaited<ReturnType<typeof startRecordingServer>>;
  let written: Buffer[];
  const originalWrite = Socket.prototype.write;

  beforeEach(async () => {
    recording = await startRecordingServer();
    written = [];
    // Counts the writes that reach Node's socket, which the held writes are bound to when it opens.
    Socket.prototype.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
      if (Buffer.isBuffer(chunk)) written.push(chunk);
      return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Socket['write'];
  });
  afterEach(async () => {
    Socket.prototype.write = originalWrite;
    recording.server.close();
  });

  const open = async () => {
    const socket = openPostgresSocket({ host: ['127.0.0.1'], port: [recording.port], path: false });
    await once(socket, 'connect');
    return socket;
  };

  it('writes a statement of 1 KB or more together with the COMMIT written behind it in the same turn', async () => {
    const socket = await open();
    const statement = Buffer.alloc(3_000, 'S');
    const commit = Buffer.from('COMMIT');
    // As postgres.js does: the large statement at once, the COMMIT from its setImmediate.
    expect(socket.write(statement)).toBe(true);
    setImmediate(() => socket.write(commit));
    await turn();
    await turn();
    expect(written).toEqual([Buffer.concat([statement, commit])]);
    socket.end();
    await recording.ended;
    expect(recording.received()).toEqual(Buffer.concat([statement, commit]));
  });

  it('writes a small write at once, and a large one alone by the next turn when nothing follows it', async () => {
    const socket = await open();
    socket.write(Buffer.from('small'));
    expect(written).toEqual([Buffer.from('small')]);
    const large = Buffer.alloc(1_024, 'L');
    socket.write(large);
    expect(written).toHaveLength(1);
    await turn();
    await turn();
    expect(written).toEqual([Buffer.from('small'), large]);
    socket.destroy();
  });

  it('never holds a write with a callback, and writes what it holds before it', async () => {
    const socket = await open();
    const large = Buffer.alloc(2_000, 'L');
    socket.write(large);
    await new Promise<void>((resolve) => socket.write(Buffer.from('copy'), () => resolve()));
    expect(written).toEqual([large, Buffer.from('copy')]);
    socket.destroy();
  });

  it('writes what it holds before the socket ends (postgres.js ends with its Terminate message)', async () => {
    const socket = await open();
    const large = Buffer.alloc(2_000, 'L');
    socket.write(large);
    socket.end(Buffer.from('X'));
    await recording.ended;
    expect(recording.received()).toEqual(Buffer.concat([large, Buffer.from('X')]));
  });

  it('drops what it holds once the socket is destroyed, without an error', async () => {
    const socket = await open();
    const errors: unknown[] = [];
    socket.on('error', (error) => errors.push(error));
    socket.write(Buffer.alloc(2_000, 'L'));
    socket.destroy();
    await turn();
    await turn();
    await turn();
    expect(written).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('connects to a Unix socket when postgres.js gives a path, and names the server for its errors', () => {
    const byPath = openPostgresSocket({ host: ['/nowhere'], port: [5432], path: '/nowhere/.s.PGSQL.5432' });
    byPath.on('error', () => {});
    byPath.destroy();
    const byHost = openPostgresSocket({ host: ['127.0.0.1'], port: [recording.port], path: false });
    expect(byHost).toMatchObject({ host: '127.0.0.1', port: recording.port });
    byHost.destroy();
  });
});

describe('namesSeveralHosts', () => {
  it('tells a URL of several servers from one of one server', () => {
    expect(namesSeveralHosts('postgres://u:p@db1:5432,db2:5432/app')).toBe(true);
    expect(namesSeveralHosts('postgres://u:p,q@db1:5432/app')).toBe(false);
    expect(namesSeveralHosts('postgres://postgres@127.0.0.1:5432/test?options=a,b')).toBe(false);
    expect(namesSeveralHosts('postgres://db1/app')).toBe(false);
  });
});
