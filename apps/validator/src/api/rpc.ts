import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { InferProgress } from '@omron/client';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError, apiErrorEnvelope } from './api-error.js';
import { type CircuitCatalog, circuitInfo } from './catalog.js';
import type { ApiGate } from './gate.js';
import type { OrganicRouter } from './organic.js';
import { MAX_BODY_BYTES } from './routes.js';

export const RPC_PATH = '/v1/rpc';

/** JSON-RPC 2.0 error codes: the standard ones, and one server error carrying the API's code in `data.code`. */
const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const API_ERROR = -32000;

type Id = string | number | null;

class MethodNotFound extends Error {}

function rpcError(id: Id, err: unknown) {
  if (err instanceof MethodNotFound) {
    return { jsonrpc: '2.0', id, error: { code: METHOD_NOT_FOUND, message: err.message } };
  }
  if (err instanceof ApiError) {
    const code = err.code === 'INVALID_INPUT' || err.code === 'UNKNOWN_CIRCUIT' ? INVALID_PARAMS : API_ERROR;
    return {
      jsonrpc: '2.0',
      id,
      error: { code, message: err.message, data: { code: err.code, status: err.status } },
    };
  }
  return {
    jsonrpc: '2.0',
    id,
    error: { code: API_ERROR, message: 'internal error', data: { code: 'INTERNAL' } },
  };
}

function refuseUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(apiErrorEnvelope(err.toJSON()));
  socket.end(
    `HTTP/1.1 ${err.status} ${err.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * WebSocket JSON-RPC 2.0 at `/v1/rpc`: methods `circuits` and `infer` (`{ circuit, inputs }`), with `progress`
 * notifications (`{ id, stage, uid?, attempt?, reason? }`) for each `infer` in flight. The upgrade request is
 * authenticated like any request (a signed `GET /v1/rpc`); each call then spends a rate-limit token of the
 * connection's key, and each `infer` an in-flight slot.
 */
export class RpcEndpoint {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });

  constructor(private readonly deps: { catalog: CircuitCatalog; router: OrganicRouter; gate: ApiGate }) {}

  /** Handles a server's `upgrade` event; other paths are left alone (destroyed). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== RPC_PATH) {
      refuseUpgrade(socket, new ApiError('NOT_FOUND', `no WebSocket endpoint at ${url.pathname}`));
      return;
    }
    let key: string;
    try {
      key = this.deps.gate.admit({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        headers: { get: (name) => [req.headers[name]].flat()[0] },
        body: '',
        remoteAddress: req.socket.remoteAddress ?? 'unknown',
      });
    } catch (err) {
      refuseUpgrade(socket, err instanceof ApiError ? err : new ApiError('INTERNAL', 'internal error'));
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#serve(ws, key));
  }

  #serve(ws: WebSocket, key: string): void {
    const closed = new AbortController();
    ws.on('close', () => closed.abort(new Error('connection closed')));
    const send = (msg: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    ws.on('message', (data) => {
      let msg: { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown };
      try {
        msg = JSON.parse(String(data));
      } catch {
        send({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'not JSON' } });
        return;
      }
      const id: Id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : null;
      if (msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') {
        send({ jsonrpc: '2.0', id, error: { code: INVALID_REQUEST, message: 'not a JSON-RPC 2.0 request' } });
        return;
      }
      this.#call(msg.method, msg.params, id, key, closed.signal, send).then(
        (result) => id !== null && send({ jsonrpc: '2.0', id, result }),
        (err) => id !== null && send(rpcError(id, err)),
      );
    });
  }

  async #call(
    method: string,
    params: unknown,
    id: Id,
    key: string,
    signal: AbortSignal,
    send: (msg: unknown) => void,
  ): Promise<unknown> {
    const { catalog, router, gate } = this.deps;
    gate.take(key); // every call counts against the connection key's rate limit
    if (method === 'circuits') return catalog.circuits.map((c) => circuitInfo(c));
    if (method !== 'infer') {
      throw new MethodNotFound(`no method ${method.slice(0, 40)}; methods: circuits, infer`);
    }
    const p = (params ?? {}) as { circuit?: unknown; inputs?: unknown };
    const circuit = catalog.get(p.circuit);
    const inputs = catalog.parseInputs(circuit, p.inputs);
    const release = gate.enter(key);
    try {
      return await router.infer(circuit, inputs, {
        signal,
        onProgress: (event) => {
          if (id !== null)
            send({ jsonrpc: '2.0', method: 'progress', params: { id, ...event } satisfies InferProgress });
        },
      });
    } finally {
      release();
    }
  }

  close(): void {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }
}
