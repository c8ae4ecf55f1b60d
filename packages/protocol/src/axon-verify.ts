import type { CallerInfo } from './axon-response.js';
import type { ParsedSynapseHeaders } from './headers.js';
import type { NonceGuard } from './nonce-guard.js';
import { pythonStr } from './python-str.js';
import { requestSignatureMessage, verifyMessage } from './signature.js';

const NOT_VERIFIED = 'Not Verified with error: ';

/** The caller identity the headers claim, or the SDK-style 401 message when part of it is missing. */
export function callerFromHeaders(
  headers: ParsedSynapseHeaders,
  peer: { ip: string | null; port: number | null },
): CallerInfo | string {
  const { hotkey, uuid, nonce, version } = headers.dendrite;
  if (nonce === null) return `${NOT_VERIFIED}Missing Nonce`;
  if (!hotkey || !uuid) return `${NOT_VERIFIED}Missing dendrite hotkey or uuid`;
  return { hotkey, uuid, nonce, version, ip: peer.ip, port: peer.port };
}

/**
 * `Axon.default_verify`: nonce window and monotonicity, then the sr25519 signature over
 * `"{nonce}.{dendrite}.{our hotkey}.{uuid}.{computed_body_hash}"`. Records the nonce on success.
 * Synchronous on purpose: with no await between check and commit, concurrent replays cannot both
 * pass. Returns the 401 message, or null when the request is verified.
 */
export function verifyCaller(
  caller: CallerInfo,
  headers: ParsedSynapseHeaders,
  axonHotkey: string,
  guard: NonceGuard,
): string | null {
  const { hotkey, uuid, nonce } = caller;
  try {
    guard.check({ hotkey, uuid, nonce, timeoutS: headers.timeout });
  } catch (err) {
    return `${NOT_VERIFIED}${(err as Error).message}`;
  }
  const signature = headers.dendrite.signature;
  // SDK >= 9.3 skips verification of unsigned requests; we never do.
  if (!signature) return `${NOT_VERIFIED}Missing signature`;
  const message = requestSignatureMessage({
    nonce,
    dendriteHotkey: hotkey,
    axonHotkey,
    uuid,
    // A missing header is Python's None, which the SDK formats into the message as "None".
    bodyHash: pythonStr(headers.computedBodyHash),
  });
  if (!verifyMessage(message, signature, hotkey)) {
    return `${NOT_VERIFIED}Signature mismatch with ${message} and ${signature}`;
  }
  guard.commit({ hotkey, uuid, nonce });
  return null;
}
