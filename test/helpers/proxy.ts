// A loopback TCP proxy in front of a server, to drop or cut connections in tests:
//   const proxy = await startProxy(redis.port); … `redis://127.0.0.1:${proxy.port}` …
//   proxy.dropReplyWhen((chunk) => chunk.includes(id))  the connection carrying that reply is cut, the reply lost
//   proxy.cut() … proxy.restore()                      an outage: every connection cut, new ones refused
//   proxy.stall() … proxy.resume()                     connections stay open but nothing flows (a hung network)
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** The next server-to-client chunk that passes `test` is swallowed and its connection cut; resolves then. */
  dropReplyWhen(test: (chunk: Buffer) => boolean): Promise<void>;
  cut(): void;
  restore(): void;
  /** Stops forwarding both ways on every connection, new ones included, without closing any. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let stalled = false;
  let trap: { test: (chunk: Buffer) => boolean; sprung: () => void } | undefined;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (stalled) for (const socket of pair) socket.pause();
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (trap?.test(chunk)) {
        const { sprung } = trap;
        trap = undefined;
        end();
        sprung();
        return;
      }
      client.write(chunk);
    });
    for (const socket of pair) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const cut = () => {
    refusing = true;
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    dropReplyWhen: (test) => new Promise<void>((sprung) => { trap = { test, sprung }; }),
    cut,
    restore() {
      refusing = false;
    },
    stall() {
      stalled = true;
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    resume() {
      stalled = false;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    async close() {
      cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
