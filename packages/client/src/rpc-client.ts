import WebSocket from 'ws';
import { apiError, OmronClientError } from './errors.js';
import type { InferProgress } from './types.js';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: ((p: InferProgress) => void) | undefined;
}

/** One JSON-RPC 2.0 connection to `/v1/rpc`: calls by id, `progress` notifications routed to their call. */
export class RpcConnection {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.#onMessage(String(data)));
    socket.on('close', () => {
      for (const p of this.#pending.values())
        p.reject(new OmronClientError('NETWORK', 'the connection closed'));
      this.#pending.clear();
    });
  }

  /** Connects; a refused upgrade rejects with the API's error code (401, 403, …). */
  static open(url: string, headers: Record<string, string>): Promise<RpcConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new RpcConnection(socket)));
      socket.once('unexpected-response', (_req, res) => {
        let raw = '';
        res.on('data', (chunk: Buffer) => {
          raw += chunk.toString();
        });
        res.on('end', () => {
          let code = 'BAD_RESPONSE';
          let message = `upgrade refused: HTTP ${res.statusCode}`;
          try {
            const body = JSON.parse(raw) as { error?: { code?: string; message?: string } };
            code = body.error?.code ?? code;
            message = body.error?.message ?? message;
          } catch {
            // keep the generic message
          }
          reject(apiError(code, message, res.statusCode));
        });
      });
      socket.once('error', (err) =>
        reject(new OmronClientError('NETWORK', err.message, undefined, { cause: err })),
      );
    });
  }

  #onMessage(text: string): void {
    let msg: {
      id?: number;
      method?: string;
      params?: InferProgress;
      result?: unknown;
      error?: { code: number; message: string; data?: { code?: string } };
    };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.method === 'progress' && msg.params) {
      this.#pending.get(Number(msg.params.id))?.onProgress?.(msg.params);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const pending = this.#pending.get(msg.id);
    if (!pending) return;
    this.#pending.delete(msg.id);
    if (msg.error) {
      pending.reject(apiError(msg.error.data?.code ?? String(msg.error.code), msg.error.message));
    } else pending.resolve(msg.result);
  }

  /** Calls `method`; `onProgress` receives the call's notifications. */
  call<T>(method: string, params?: unknown, onProgress?: (p: InferProgress) => void): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.socket.send(
        JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }),
      );
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
