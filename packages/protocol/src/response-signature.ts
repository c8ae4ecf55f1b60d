import type { KeyringPair } from '@polkadot/keyring/types';
import { sha3Hex } from './body-hash.js';
import { signMessage, verifyMessage } from './signature.js';

/**
 * Header that carries the axon's signature of its answer. The SDK's axon already fills
 * `bt_header_axon_signature` (with a signature that covers neither the answer nor the request); we put
 * the response signature there, so Python dendrites still parse it as `synapse.axon.signature`.
 */
export const RESPONSE_SIGNATURE_HEADER = 'bt_header_axon_signature';

/** Domain tag: a response signature can never be mistaken for a request signature by the same key. */
const DOMAIN = 'omron.response.v1';

/** What an axon signs about one answer: the request it answers (nonce, uuid, both hotkeys) and the answer. */
export interface ResponseSignatureFields {
  /** The request's `bt_header_dendrite_nonce`. */
  nonce: bigint;
  /** The caller (validator) hotkey. */
  dendriteHotkey: string;
  /** The answering axon's hotkey: the one the dendrite meant to call. */
  axonHotkey: string;
  /** The request's `bt_header_dendrite_uuid`. */
  uuid: string;
  /** HTTP status of the answer. */
  status: number;
  /** {@link responseBodyHash} of the exact body text. */
  bodyHash: string;
}

/** `"omron.response.v1.{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{status}.{sha3(body)}"` */
export function responseSignatureMessage(f: ResponseSignatureFields): string {
  return `${DOMAIN}.${f.nonce}.${f.dendriteHotkey}.${f.axonHotkey}.${f.uuid}.${f.status}.${f.bodyHash}`;
}

/** SHA3-256 hex of the body as sent: covers `query_output` and every other field of the answer. */
export function responseBodyHash(body: string): string {
  return sha3Hex(body);
}

export function signResponse(pair: KeyringPair, fields: Omit<ResponseSignatureFields, 'axonHotkey'>): string {
  return signMessage(pair, responseSignatureMessage({ ...fields, axonHotkey: pair.address }));
}

/**
 * How a dendrite judged an answer's signature: `valid` (by the hotkey it called, over this request and this
 * body), `missing` (no signature header, e.g. an SDK axon's success answer), or `invalid` (anything else:
 * another hotkey, another request, a changed body or status).
 */
export type ResponseSignatureStatus = 'valid' | 'missing' | 'invalid';

export function checkResponseSignature(
  signature: string | null,
  fields: ResponseSignatureFields,
): ResponseSignatureStatus {
  if (!signature) return 'missing';
  return verifyMessage(responseSignatureMessage(fields), signature, fields.axonHotkey) ? 'valid' : 'invalid';
}
