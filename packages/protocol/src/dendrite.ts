import { randomUUID } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { decodeAxonResponse } from './dendrite-decode.js';
import { isProtocolError, ProtocolError } from './errors.js';
import { NonceClock } from './nonce.js';
import { type DendriteFetch, pinnedFetch } from './pinned-fetch.js';
import { pythonFloatRepr } from './python-str.js';
import { type AxonTarget, buildSignedRequest } from './request.js';
import {
  checkResponseSignature,
  RESPONSE_SIGNATURE_HEADER,
  type ResponseSignatureStatus,
  responseBodyHash,
} from './response-signature.js';
import {
  createSynapse,
  DEFAULT_TIMEOUT_S,
  PingSynapseDefinition,
  type SynapseBase,
  type SynapseDefinition,
} from './synapse.js';
import { QueryForCapacitiesDefinition, QueryZkProofDefinition } from './synapses.js';
import { emptyTerminalInfo } from './terminal-info.js';
import { PROTOCOL_VERSION } from './version.js';
import type { Wallet } from './wallet/wallet.js';

/** Outcome of one call; failures are values (as in the SDK), never exceptions. */
export interface DendriteResponse<T extends SynapseBase> {
  /** The synapse as the axon returned it (on success), or as sent with error status filled in. */
  synapse: T;
  /** HTTP-style status: the axon's, or a synthetic one (408 timeout, 503 unreachable, 422 unparsable). */
  statusCode: number;
  statusMessage: string;
  /** Seconds from just before sending to the decoded answer (the SDK's `dendrite.process_time`). */
  processTimeS: number;
  /**
   * The axon's signature of this answer, checked against the hotkey called (`AxonTarget.hotkey`), this
   * request's nonce and uuid, the status and the exact body; null when no answer came back (timeout,
   * unreachable, TLS pin mismatch).
   */
  responseSignature: ResponseSignatureStatus | null;
  /** HTTP 200, axon status 200, and (unless `requireSignedResponses` is false) a valid response signature. */
  isSuccess: boolean;
}

export interface DendriteOptions {
  /** Stable per instance, like the SDK's uuid1; default random. */
  uuid?: string;
  /** Reported in `bt_header_dendrite_ip` (axons use the TCP peer instead). */
  externalIp?: string;
  version?: number;
  /** Extra synapse classes this dendrite may send (Omron's and the ping class are built in). */
  synapses?: readonly SynapseDefinition[];
  /** Plain-HTTP transport (default: global `fetch`); axons with an announced certificate always use a pinned TLS one. */
  fetch?: DendriteFetch;
  /**
   * Default true: an answer without a valid response signature is not a success (`isSuccess` false,
   * `responseSignature` says why). False only to talk to axons that do not sign, such as the Python SDK's.
   */
  requireSignedResponses?: boolean;
}

export interface CallOptions {
  timeoutS?: number;
  /** Aborting rejects the call with the signal's reason (a caller decision, not an axon failure). */
  signal?: AbortSignal;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);
const DISCONNECTED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function causeCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Calls axons like the SDK's `Dendrite.call`: signs with the hotkey, POSTs `/<SynapseName>` with
 * the `bt_header_*` headers, and decodes the answer with the SDK's error semantics.
 *
 * @example
 * const dendrite = new Dendrite(wallet);
 * const res = await dendrite.call(axon, createSynapse(QueryZkProofDefinition, { query_input }), { timeoutS: 60 });
 * if (res.isSuccess) decodeProofPayload(res.synapse.query_output);
 */
export class Dendrite {
  readonly uuid: string;
  readonly #signer: KeyringPair;
  readonly #clock = new NonceClock();
  readonly #definitions = new Map<string, SynapseDefinition>();
  readonly #opts: DendriteOptions;

  constructor(signer: KeyringPair | Wallet, opts: DendriteOptions = {}) {
    this.#signer = 'hotkey' in signer ? signer.hotkey : signer;
    this.uuid = opts.uuid ?? randomUUID();
    this.#opts = opts;
    const defs = [
      PingSynapseDefinition,
      QueryZkProofDefinition,
      QueryForCapacitiesDefinition,
      ...(opts.synapses ?? []),
    ];
    for (const def of defs) this.#definitions.set(def.name, def as SynapseDefinition);
  }

  /** The ss58 address requests are signed with. */
  get hotkey(): string {
    return this.#signer.address;
  }

  #definitionOf<T extends SynapseBase>(synapse: T): SynapseDefinition<T> {
    const def = synapse.name === null ? undefined : this.#definitions.get(synapse.name);
    if (!def)
      throw new ProtocolError('SYNAPSE_UNKNOWN', `no synapse definition for name ${String(synapse.name)}`);
    return def as unknown as SynapseDefinition<T>;
  }

  /** Sends `synapse` (its `name` picks the class) and resolves with the decoded outcome. */
  async call<T extends SynapseBase>(
    axon: AxonTarget,
    synapse: T,
    opts: CallOptions = {},
  ): Promise<DendriteResponse<T>> {
    const def = this.#definitionOf(synapse);
    const timeoutS = opts.timeoutS ?? DEFAULT_TIMEOUT_S;
    const nonce = this.#clock.next();
    const request = buildSignedRequest({
      definition: def,
      synapse: createSynapse(def, synapse),
      signer: this.#signer,
      target: axon,
      nonce,
      uuid: this.uuid,
      version: this.#opts.version ?? PROTOCOL_VERSION,
      externalIp: this.#opts.externalIp ?? '127.0.0.1',
      timeoutS,
    });
    const start = performance.now();
    const finish = (
      s: T,
      statusCode: number,
      statusMessage: string,
      responseSignature: ResponseSignatureStatus | null = null,
      httpOk = false,
    ): DendriteResponse<T> => {
      const processTimeS = (performance.now() - start) / 1000;
      const dendrite = {
        ...(s.dendrite ?? emptyTerminalInfo()),
        status_code: statusCode,
        status_message: statusMessage,
        process_time: processTimeS,
      };
      return {
        synapse: { ...s, dendrite },
        statusCode,
        statusMessage,
        processTimeS,
        responseSignature,
        isSuccess:
          statusCode === 200 &&
          httpOk &&
          (responseSignature === 'valid' || this.#opts.requireSignedResponses === false),
      };
    };
    const timeout = AbortSignal.timeout(Math.max(1, Math.round(timeoutS * 1000)));
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const send: DendriteFetch = axon.certificate
      ? pinnedFetch(axon.certificate)
      : (this.#opts.fetch ?? ((url, init) => fetch(url, init)));
    try {
      const res = await send(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal,
      });
      const decoded = await decodeAxonResponse(def, request.synapse, res);
      const responseSignature =
        decoded.body === undefined
          ? null
          : checkResponseSignature(res.headers.get(RESPONSE_SIGNATURE_HEADER), {
              nonce,
              dendriteHotkey: this.#signer.address,
              axonHotkey: axon.hotkey,
              uuid: this.uuid,
              status: res.status,
              bodyHash: responseBodyHash(decoded.body),
            });
      return finish(
        decoded.synapse,
        decoded.statusCode,
        decoded.statusMessage,
        responseSignature,
        res.status === 200,
      );
    } catch (err) {
      if (opts.signal?.aborted && !timeout.aborted) throw opts.signal.reason;
      if (timeout.aborted)
        return finish(request.synapse, 408, `Request timeout after ${pythonFloatRepr(timeoutS)} seconds`);
      // Someone other than the announced axon answered the TLS handshake (Cloudflare's code for it).
      if (isProtocolError(err, 'TLS_PIN_MISMATCH')) return finish(request.synapse, 526, err.message);
      const code = causeCode(err);
      if (code && UNREACHABLE.has(code)) {
        return finish(request.synapse, 503, `Service unavailable at ${axon.ip}:${axon.port}/${def.name}`);
      }
      if (code && DISCONNECTED.has(code))
        return finish(request.synapse, 503, `Service disconnected: ${code}`);
      return finish(request.synapse, 422, `Failed to parse response: ${(err as Error).message}`);
    }
  }
}
