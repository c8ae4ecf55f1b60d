import { ChainError } from './errors.js';
import type { AxonCertificate } from './types.js';

/** The chain bounds the key to 64 bytes (`NeuronCertificate.public_key: BoundedVec<u8, 64>`). */
const MAX_KEY_BYTES = 64;

/** Checks and lowercases a certificate key before it is announced; `INVALID_INPUT` otherwise. */
export function normaliseCertificate(certificate: AxonCertificate): AxonCertificate {
  const { algorithm, publicKey } = certificate;
  if (!Number.isInteger(algorithm) || algorithm < 0 || algorithm > 255) {
    throw new ChainError('INVALID_INPUT', `certificate algorithm must be a byte, got ${algorithm}`);
  }
  if (!/^0x([0-9a-fA-F]{2})+$/.test(publicKey) || (publicKey.length - 2) / 2 > MAX_KEY_BYTES) {
    throw new ChainError('INVALID_INPUT', `certificate key must be 1..${MAX_KEY_BYTES} bytes of 0x hex`);
  }
  return { algorithm, publicKey: publicKey.toLowerCase() as `0x${string}` };
}

/** `serve_axon_tls`'s `certificate: Vec<u8>`: the algorithm byte, then the key (the chain splits it back). */
export function encodeCertificate(certificate: AxonCertificate): Uint8Array {
  const { algorithm, publicKey } = normaliseCertificate(certificate);
  return Uint8Array.from([algorithm, ...Buffer.from(publicKey.slice(2), 'hex')]);
}

/** A `NeuronCertificates` storage value as `@polkadot/types` renders it (`{ publicKey, algorithm }`). */
export function certificateFromJson(json: unknown): AxonCertificate | undefined {
  const value = json as { publicKey?: unknown; algorithm?: unknown } | null;
  if (!value || typeof value.publicKey !== 'string' || typeof value.algorithm !== 'number') return undefined;
  try {
    return normaliseCertificate({ algorithm: value.algorithm, publicKey: value.publicKey as `0x${string}` });
  } catch {
    return undefined;
  }
}
