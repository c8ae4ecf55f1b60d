import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, stringToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { decodeAddress, sr25519Verify } from '@polkadot/util-crypto';

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
  return u8aToHex(pair.sign(stringToU8a(message)));
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
      sr25519Verify(bytes, signature, publicKey) || sr25519Verify(u8aWrapBytes(bytes), signature, publicKey)
    );
  } catch {
    return false;
  }
}
