import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { AxonTls } from './axon-tls.js';

/** First byte of a TLS record carrying a handshake (ClientHello). */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing is closed after this long, before it is given to either server. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

export interface AxonListener {
  /** The listening server (its `address()` is the axon's). */
  server: NetServer | HttpServer;
  /** Stops accepting and closes idle keep-alive connections; resolves once every connection has ended. */
  close(): Promise<void>;
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * Connection bookkeeping for HTTP servers that are handed sockets rather than listening themselves (Node tracks
 * connections, and so `closeIdleConnections`, only for listening servers). Returns a function that ends idle
 * keep-alive connections now and busy ones as soon as their answer is written.
 */
function trackConnections(
  server: HttpServer,
  connectionEvent: 'connection' | 'secureConnection',
): () => void {
  const inFlight = new Map<Socket, number>();
  let closing = false;
  server.on(connectionEvent, (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      if (inFlight.has(socket)) inFlight.set(socket, left);
      if (closing && left === 0) socket.end();
    });
  });
  return () => {
    closing = true;
    for (const [socket, n] of inFlight) if (n === 0) socket.end();
  };
}

function closeServer(server: NetServer, endIdle: (() => void)[]): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until they time out.
    for (const end of endIdle) end();
  });
}

/**
 * Listens for the axon. Without TLS: plain HTTP. With TLS: HTTPS, and unless `tlsOnly`, plain HTTP on the same
 * port too, told apart by the first byte (a TLS handshake starts with 0x16, an HTTP request with a letter): our
 * validators pin the announced certificate and use TLS, while SDK validators, which only speak HTTP, can still
 * reach the miner. Every request is signature-checked either way; TLS adds confidentiality and the pinned
 * server identity.
 */
export function listenAxon(opts: {
  fetch: Fetch;
  hostname: string;
  port: number;
  tls: AxonTls | null;
  tlsOnly: boolean;
}): Promise<AxonListener> {
  const plain = () => createAdaptorServer({ fetch: opts.fetch }) as HttpServer;
  const secure = (tls: AxonTls) =>
    createAdaptorServer({
      fetch: opts.fetch,
      createServer: createHttpsServer,
      serverOptions: { cert: tls.cert, key: tls.key, ALPNProtocols: ['http/1.1'] },
    }) as unknown as HttpServer;
  let server: NetServer | HttpServer;
  let endIdle: (() => void)[];
  if (!opts.tls || opts.tlsOnly) {
    const only = opts.tls ? secure(opts.tls) : plain();
    server = only;
    endIdle = [() => only.closeIdleConnections()];
  } else {
    const https = secure(opts.tls);
    const http = plain();
    endIdle = [trackConnections(https, 'secureConnection'), trackConnections(http, 'connection')];
    server = createNetServer((socket: Socket) => {
      socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
      socket.once('readable', () => {
        const first = socket.read(1) as Buffer | null;
        if (!first) {
          socket.destroy();
          return;
        }
        socket.setTimeout(0);
        socket.unshift(first);
        (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      });
    });
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.hostname, () => {
      server.off('error', reject);
      resolve({ server, close: () => closeServer(server, endIdle) });
    });
  });
}
