import { CircuitStoreError } from './errors.js';

/** Proof bytes as they travel in JSON (`ProofPayload.proof`, the inference API): lowercase hex, `0x`-prefixed. */
export function encodeProof(proof: Uint8Array): string {
  return `0x${Buffer.from(proof.buffer, proof.byteOffset, proof.byteLength).toString('hex')}`;
}

/** Proof bytes back from {@link encodeProof}'s text (`0x` optional); `INVALID_INPUT` for odd-length, non-hex or empty text. */
export function decodeProof(text: string): Uint8Array {
  const hex = text.startsWith('0x') ? text.slice(2) : text;
  if (hex.length === 0) throw new CircuitStoreError('INVALID_INPUT', 'empty proof');
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new CircuitStoreError('INVALID_INPUT', 'proof must be hex bytes');
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
