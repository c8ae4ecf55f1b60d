import { request } from 'node:http';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { connect, type TLSSocket } from 'node:tls';
import { type AxonCertificate, axonCertificateOf, sameAxonCertificate } from './axon-certificate.js';
import { ProtocolError } from './errors.js';

/** The part of `fetch` the dendrite uses. */
export type DendriteFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<Response>;

/**
 * Opens a TLS connection and keeps it only if the server's certificate carries the pinned key. The chain,
 * not a certificate authority, vouches for the key, so chain validation is off and the key comparison is the
 * check; the TLS handshake proves the server holds the matching private key.
 */
function connectPinned(
  host: string,
  port: number,
  pin: AxonCertificate,
  signal: AbortSignal,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const onAbort = () => socket.destroy(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      const peer = socket.getPeerX509Certificate();
      let announced = false;
      try {
        announced = peer !== undefined && sameAxonCertificate(axonCertificateOf(peer), pin);
      } catch {
        announced = false;
      }
      if (!announced) {
        socket.destroy();
        reject(
          new ProtocolError(
            'TLS_PIN_MISMATCH',
            `the TLS certificate of ${host}:${port} does not carry the key announced on chain`,
          ),
        );
        return;
      }
      resolve(socket);
    });
  });
}

/**
 * A `fetch` for `https://` axons that announced a certificate key with `serve_axon_tls`: the connection is
 * refused (`TLS_PIN_MISMATCH`) unless the server's certificate carries exactly that key.
 */
export function pinnedFetch(pin: AxonCertificate): DendriteFetch {
  return async (url, init) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const socket = await connectPinned(host, Number(target.port || 443), pin, init.signal);
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        {
          createConnection: () => socket,
          method: init.method,
          path: `${target.pathname}${target.search}`,
          headers: { ...init.headers, host: target.host },
          signal: init.signal,
        },
        (res) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
          }
          const status = res.statusCode ?? 502;
          const noBody = status === 204 || status === 304;
          if (noBody) res.resume();
          resolve(
            new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              headers,
            }),
          );
        },
      );
      req.once('error', (err) => {
        socket.destroy();
        reject(err);
      });
      req.end(init.body);
    });
  };
}
