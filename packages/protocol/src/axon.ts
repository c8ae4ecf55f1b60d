import { randomUUID } from 'node:crypto';
import { isOmronError } from '@omron/core';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Context, MiddlewareHandler } from 'hono';
import { type Fail, readSynapseBody } from './axon-body.js';
import {
  type AxonEnv,
  axonErrorResponse,
  axonResponse,
  type CallerInfo,
  internalErrorMessage,
  responseText,
} from './axon-response.js';
import { callerFromHeaders, verifyCaller } from './axon-verify.js';
import { ProtocolError } from './errors.js';
import { type ParsedSynapseHeaders, parseSynapseHeaders } from './headers.js';
import { nowNs } from './nonce.js';
import { NonceGuard } from './nonce-guard.js';
import { PriorityGate } from './priority-gate.js';
import { pythonFloatRepr, pythonRepr } from './python-str.js';
import { RESPONSE_SIGNATURE_HEADER, responseBodyHash, signResponse } from './response-signature.js';
import {
  DEFAULT_TIMEOUT_S,
  PingSynapseDefinition,
  type SynapseDefinition,
  unsignedRequestFields,
} from './synapse.js';
import { QueryForCapacitiesDefinition, QueryZkProofDefinition } from './synapses.js';
import { PROTOCOL_VERSION } from './version.js';

/** What blacklist and priority hooks see: header identity, not yet signature-verified for blacklist. */
export interface AxonRequestInfo {
  synapseName: string;
  caller: CallerInfo;
  timeoutS: number | null;
  headers: ParsedSynapseHeaders;
}

export type BlacklistResult = { blocked: boolean; reason?: string };

export interface AxonOptions {
  /** The axon's own hotkey: requests must be signed for this address. */
  hotkey: KeyringPair;
  /** Synapse classes served; the base `Synapse` ping route is always added. Default: Omron's two. */
  synapses?: readonly SynapseDefinition[];
  /** Runs before signature verification, like the SDK; block unknown or unstaked callers here. */
  blacklist?: (req: AxonRequestInfo) => BlacklistResult | Promise<BlacklistResult>;
  /** Higher runs first when more than `maxConcurrent` requests wait. */
  priority?: (req: AxonRequestInfo) => number | Promise<number>;
  /** Concurrent handlers (default 10, the SDK's `max_workers`). */
  maxConcurrent?: number;
  nonceGuard?: NonceGuard;
  /**
   * Default true. False answers like the SDK's axon, unsigned: dendrites that require signed answers (ours, by
   * default) then refuse every answer. Only for measuring the cost of signing.
   */
  signResponses?: boolean;
  /** Called with unexpected errors (hooks or handlers throwing); the caller only gets an id. */
  onError?: (err: unknown, errorId: string) => void;
}

function peerOf(c: Context): { ip: string | null; port: number | null } {
  const env = (c.env ?? {}) as { incoming?: { socket?: { remoteAddress?: string; remotePort?: number } } };
  const socket = env.incoming?.socket;
  return { ip: socket?.remoteAddress ?? null, port: socket?.remotePort ?? null };
}

/**
 * Hono middleware that turns an app into a Bittensor axon, in the SDK's order:
 * route lookup (404) → headers (400) → blacklist (403) → nonce + signature (401) →
 * priority (408) → body size (413), JSON and schema (400), body hash (401) → your handler. Every answer to a
 * verified request is signed by the axon's hotkey over the request's nonce, uuid and caller and the exact body
 * (`bt_header_axon_signature`, see `responseSignatureMessage`), whichever handler produced it.
 *
 * Handlers read `c.get('synapse')` (the request synapse) and `c.get('caller')` (verified identity)
 * and answer with {@link axonResponse}. Errors are `{"message": …}` JSON, as Python dendrites expect.
 *
 * @example
 * const app = new Hono<AxonEnv>();
 * app.use('*', axonMiddleware({ hotkey: wallet.hotkey, blacklist: (r) => ({ blocked: !known(r.caller.hotkey) }) }));
 * app.post('/QueryForCapacities', (c) => axonResponse(c, { ...c.get('synapse'), capacities: { lstm: 400 } }));
 */
export function axonMiddleware(opts: AxonOptions): MiddlewareHandler<AxonEnv> {
  const served = [
    PingSynapseDefinition,
    ...(opts.synapses ?? [QueryZkProofDefinition, QueryForCapacitiesDefinition]),
  ];
  const definitions = new Map<string, SynapseDefinition>(served.map((d) => [d.name, d as SynapseDefinition]));
  for (const def of definitions.values()) {
    const unsigned = unsignedRequestFields(def);
    if (unsigned.length > 0) {
      throw new ProtocolError(
        'SYNAPSE_INVALID',
        `${def.name} request fields ${unsigned.join(', ')} are not in requiredHashFields: the signature would not cover them (list answer fields in responseFields)`,
      );
    }
  }
  const guard = opts.nonceGuard ?? new NonceGuard();
  const gate = new PriorityGate(opts.maxConcurrent ?? 10);
  const axonUuid = randomUUID();
  const internalError = (err: unknown, fail: Fail) => {
    const { id, message } = internalErrorMessage();
    opts.onError?.(err, id);
    return fail(500, message);
  };

  return async (c, next) => {
    const startMs = performance.now();
    const name = c.req.path.split('/')[1] ?? '';
    const def = definitions.get(name);
    if (!def) {
      const available = pythonRepr([...definitions.keys()]);
      return axonErrorResponse(
        404,
        `Synapse name '${name}' not found. Available synapses ${available}`,
        null,
      );
    }
    let headers: ParsedSynapseHeaders;
    try {
      headers = parseSynapseHeaders(c.req.raw.headers);
    } catch {
      return axonErrorResponse(
        400,
        `Improperly formatted request. Could not parse headers into synapse of type ${name}.`,
        null,
      );
    }
    const peer = peerOf(c);
    const dendrite = { ...headers.dendrite, ...peer };
    // The SDK signs `{axon_nonce}.{dendrite}.{axon}.{axon_uuid}` here for every request, answer or not; we sign
    // the answer itself once the request is verified (see `signed` below).
    const axon = {
      ...headers.axon,
      version: PROTOCOL_VERSION,
      uuid: axonUuid,
      nonce: nowNs(),
      signature: null,
    };
    const fromHeaders = def.schema.safeParse({
      ...headers.inputObjects,
      timeout: headers.timeout,
      axon,
      dendrite,
    });
    if (!fromHeaders.success) {
      return axonErrorResponse(
        400,
        `Improperly formatted request. Could not parse headers into synapse of type ${name}.`,
        null,
      );
    }
    const requestSynapse = fromHeaders.data;
    const fail: Fail = (status, message) =>
      axonErrorResponse(status, message, { definition: def, synapse: requestSynapse, startMs });

    const caller = callerFromHeaders(headers, peer);
    if (typeof caller === 'string') return fail(401, caller);
    const info: AxonRequestInfo = { synapseName: name, caller, timeoutS: headers.timeout, headers };

    try {
      const verdict = opts.blacklist ? await opts.blacklist(info) : { blocked: false };
      if (verdict.blocked) return fail(403, `Forbidden. Key is blacklisted: ${verdict.reason ?? ''}.`);
    } catch (err) {
      return internalError(err, fail);
    }

    const refusal = verifyCaller(caller, headers, opts.hotkey.address, guard);
    if (refusal) {
      c.set('axonRefusal', 'NOT_VERIFIED');
      return fail(401, refusal);
    }

    // From here the request is verified: every answer, error or not, is signed over this request's nonce and
    // uuid, the caller and the exact body, so nobody on the path can change it or replay an earlier one.
    const signed = async (res: Response): Promise<Response> => {
      if (opts.signResponses === false) return res;
      const { text, consumed } = await responseText(res);
      const signature = signResponse(opts.hotkey, {
        nonce: caller.nonce,
        dendriteHotkey: caller.hotkey,
        uuid: caller.uuid,
        status: res.status,
        bodyHash: responseBodyHash(text),
      });
      // Answers built by axonResponse/axonErrorResponse keep their body; others (a handler's own c.json) are rebuilt.
      const out = consumed ? new Response(text, { status: res.status, headers: res.headers }) : res;
      out.headers.set(RESPONSE_SIGNATURE_HEADER, signature);
      return out;
    };
    const failSigned = (status: number, message: string) => signed(fail(status, message));

    let priority = 0;
    try {
      priority = opts.priority ? await opts.priority(info) : 0;
    } catch (err) {
      return signed(internalError(err, fail));
    }
    const timeoutS = headers.timeout ?? DEFAULT_TIMEOUT_S;
    const release = await gate.acquire(priority, Math.max(0, timeoutS * 1000));
    if (!release) return failSigned(408, `Response timeout after: ${pythonFloatRepr(timeoutS)}s`);
    try {
      const body = await readSynapseBody(c, def, headers.computedBodyHash, fail);
      if (body instanceof Response) return await signed(body);
      // `timeout` is signed through the body hash; the header copy (used above for the slot wait) must agree.
      if (headers.timeout !== null && body.timeout !== headers.timeout) {
        c.set('axonRefusal', 'TIMEOUT_MISMATCH');
        return await failSigned(
          400,
          `timeout header ${headers.timeout} differs from the body's ${body.timeout}`,
        );
      }
      // Handlers see the verified identity, never the unsigned terminal info of the body.
      const synapse = { ...body, dendrite, axon };
      c.set('synapse', synapse);
      c.set('caller', caller);
      c.set('synapseDefinition', def);
      c.set('axonStartMs', startMs);
      c.set('axonRequestDendrite', dendrite);
      if (def === definitions.get(PingSynapseDefinition.name)) return await signed(axonResponse(c, synapse));
      await next();
      let response = c.res;
      if (c.error) {
        // The same rule as `honoOnError`, in the SDK's `{ message }` form: an error with HTTP meaning answers its
        // own status and message, anything else is an internal error with an id for the logs.
        const known = isOmronError(c.error) ? c.error.httpStatus : undefined;
        response = known === undefined ? internalError(c.error, fail) : fail(known, c.error.message);
      } else if (!c.res.headers.get('content-type')?.includes('application/json')) {
        // Python dendrites report non-JSON bodies as 422 and lose the real status.
        const status = c.res.status === 200 ? 500 : c.res.status;
        response = fail(
          status,
          c.res.status === 404 ? `No handler for synapse ${name}` : c.res.statusText || 'Error',
        );
      }
      c.res = undefined;
      c.res = await signed(response);
    } finally {
      release();
    }
  };
}
