import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { synapseToHeaders } from './headers.js';
import { toWireJson } from './json.js';
import { synapseBodyHash } from './request.js';
import type { SynapseBase, SynapseDefinition } from './synapse.js';
import { emptyTerminalInfo, type TerminalInfo } from './terminal-info.js';

/** The verified caller of a request; derived from signed headers, never from the body. */
export interface CallerInfo {
  hotkey: string;
  uuid: string;
  nonce: bigint;
  version: number | null;
  /** TCP peer address and port (not the self-reported header). */
  ip: string | null;
  port: number | null;
}

/** Hono context variables the axon middleware sets for handlers. */
export interface AxonVariables {
  /** The request synapse, parsed from the body and validated by its schema. */
  synapse: SynapseBase;
  caller: CallerInfo;
  synapseDefinition: SynapseDefinition;
  /** `performance.now()` when the request arrived, for `process_time`. */
  axonStartMs: number;
  /** The request's dendrite `TerminalInfo` as verified (echoed in responses). */
  axonRequestDendrite: TerminalInfo;
  /** Set when the middleware refused a request whose signed parts did not match, for the caller's metrics. */
  axonRefusal?: AxonRefusal;
}

/**
 * Why the middleware refused a request that was signed: `BODY_HASH_MISMATCH` (the body is not the one signed,
 * 401), `TIMEOUT_MISMATCH` (header and signed body disagree, 400), `NOT_VERIFIED` (bad signature or nonce, 401).
 */
export type AxonRefusal = 'BODY_HASH_MISMATCH' | 'TIMEOUT_MISMATCH' | 'NOT_VERIFIED';

export type AxonEnv = { Variables: AxonVariables };

/** Body text of the answers built here, so the middleware signs them without reading the stream back. */
const bodies = new WeakMap<Response, string>();

/** The body text of `res`: remembered when built by this module, read (consuming `res`) otherwise. */
export async function responseText(res: Response): Promise<{ text: string; consumed: boolean }> {
  const known = bodies.get(res);
  return known === undefined ? { text: await res.text(), consumed: true } : { text: known, consumed: false };
}

function jsonResponse(status: number, body: string, headers: Record<string, string>): Response {
  const res = new Response(body, { status, headers: { ...headers, 'content-type': 'application/json' } });
  bodies.set(res, body);
  return res;
}

function elapsedS(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/**
 * The error answer the SDK gives: `{"message": …}` with the HTTP status, plus the middleware
 * synapse's headers (`bt_header_axon_status_code`, `…_status_message`, `…_process_time`, …).
 */
export function axonErrorResponse(
  status: number,
  message: string,
  context: { definition: SynapseDefinition; synapse: SynapseBase; startMs: number } | null,
): Response {
  if (!context) return jsonResponse(status, JSON.stringify({ message }), {});
  const axon = {
    ...(context.synapse.axon ?? emptyTerminalInfo()),
    status_code: status,
    status_message: message,
    process_time: elapsedS(context.startMs),
  };
  const synapse = { ...context.synapse, axon };
  const headers = synapseToHeaders(context.definition, synapse, synapseBodyHash(context.definition, synapse));
  return jsonResponse(status, JSON.stringify({ message }), headers);
}

/** `Internal Server Error #<id>`: the SDK's message for anything unexpected; the id ties it to logs. */
export function internalErrorMessage(): { id: string; message: string } {
  const id = randomUUID();
  return { id, message: `Internal Server Error #${id}` };
}

/**
 * Answers a verified request with the (filled-in) synapse, as the SDK's `synapse_to_response`:
 * `axon.status_code` 200 / `"Success"` unless the handler set another, `process_time`, the whole
 * synapse as JSON, and `to_headers()` of it. Use it as the handler's return value.
 *
 * @example
 * app.post('/QueryZkProof', (c) => {
 *   const synapse = c.get('synapse') as QueryZkProofSynapse;
 *   return axonResponse(c, { ...synapse, query_output: encodeProofPayload(payload) });
 * });
 */
export function axonResponse<T extends SynapseBase>(c: Context<AxonEnv>, synapse: T): Response {
  const definition = c.get('synapseDefinition') as unknown as SynapseDefinition<T>;
  const axonIn = synapse.axon ?? emptyTerminalInfo();
  const status = axonIn.status_code ?? 200;
  const axon: TerminalInfo = {
    ...axonIn,
    status_code: status,
    status_message: axonIn.status_message || (status === 200 ? 'Success' : null),
    process_time: elapsedS(c.get('axonStartMs')),
  };
  const out: T = { ...synapse, name: definition.name, axon, dendrite: c.get('axonRequestDendrite') };
  const body = toWireJson(out);
  const headers = synapseToHeaders(
    definition,
    out,
    synapseBodyHash(definition, out),
    Buffer.byteLength(body),
  );
  return jsonResponse(status, body, headers);
}
