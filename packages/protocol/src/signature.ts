import { decodePair } from '@polkadot/keyring/pair/decode';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, stringToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { decodeAddress, sr25519Verify as jsVerify } from '@polkadot/util-crypto';
import {
  isReady as wasmReady,
  sr25519Sign as wasmSign,
  sr25519Verify as wasmVerify,
} from '@polkadot/wasm-crypto';

// @polkadot/util-crypto 14 does sr25519 in JavaScript (@scure/sr25519): about 1.5 ms to sign and 3 ms to verify
// on the dev machine, 5x what the WASM schnorrkel build takes. Every request is verified and every answer signed
// and verified, so both go through WASM once `cryptoWaitReady()` has run (loading a wallet does it), with the
// JavaScript code as the fallback. The signatures are the same scheme; verifiers cannot tell them apart.

/** Secret keys of pairs for the WASM signer; null where the pair cannot give one (locked, not sr25519). */
const wasmSecrets = new WeakMap<KeyringPair, Uint8Array | null>();

function wasmSecretOf(pair: KeyringPair): Uint8Array | null {
  if (pair.type !== 'sr25519' || pair.isLocked || !wasmReady()) return null;
  let secret = wasmSecrets.get(pair);
  if (secret === undefined) {
    secret = null;
    try {
      const decoded = decodePair(undefined, pair.encodePkcs8(), 'none');
      // Trust the WASM signer with this key only once the pair's own verifier accepts its signature.
      const probe = stringToU8a('omron: wasm sr25519 self-check');
      if (pair.verify(probe, wasmSign(pair.publicKey, decoded.secretKey, probe), pair.publicKey)) {
        secret = decoded.secretKey;
      }
    } catch {
      secret = null; // locked pairs cannot export their key; they sign in JavaScript
    }
    wasmSecrets.set(pair, secret);
  }
  return secret;
}

function sr25519VerifyFast(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  return wasmReady() ? wasmVerify(signature, message, publicKey) : jsVerify(message, signature, publicKey);
}

/** The fields a dendrite signs; identical in SDK 6.0 through 10.x. */
export interface RequestSignatureFields {
  nonce: bigint;
  dendriteHotkey: string;
  axonHotkey: string;
  uuid: string;
  bodyHash: string;
}

/** `"{nonce}.{dendrite_hotkey}.{axon_hotkey}.{uuid}.{body_hash}"` */
export function requestSignatureMessage(f: RequestSignatureFields): string {
  return `${f.nonce}.${f.dendriteHotkey}.${f.axonHotkey}.${f.uuid}.${f.bodyHash}`;
}

/** Signs the UTF-8 bytes of `message` with sr25519; returns `0x` + 128 hex chars. */
export function signMessage(pair: KeyringPair, message: string): string {
  const bytes = stringToU8a(message);
  const secret = wasmSecretOf(pair);
  return u8aToHex(secret ? wasmSign(pair.publicKey, secret, bytes) : pair.sign(bytes));
}

/**
 * Verifies an sr25519 signature over `message` by `ss58Address`. Like the SDK, a signature over the
 * `<Bytes>`-wrapped message is accepted too. Malformed addresses or signatures verify as false.
 */
export function verifyMessage(message: string, signatureHex: string, ss58Address: string): boolean {
  if (!isHex(signatureHex, 512)) return false;
  let publicKey: Uint8Array;
  try {
    publicKey = decodeAddress(ss58Address);
  } catch {
    return false;
  }
  if (publicKey.length !== 32) return false;
  const signature = hexToU8a(signatureHex);
  const bytes = stringToU8a(message);
  try {
    return (
      sr25519VerifyFast(bytes, signature, publicKey) ||
      sr25519VerifyFast(u8aWrapBytes(bytes), signature, publicKey)
    );
  } catch {
    return false;
  }
}
