import { compactFromU8a, compactToU8a, u8aConcat } from '@polkadot/util';
import { ChainError } from '../errors.js';

/**
 * subtensor's `WeightsTlockPayload` (coinbase/reveal_commits.rs): SCALE of
 * `{ hotkey: Vec<u8> (the 32-byte public key), uids: Vec<u16>, values: Vec<u16>, version_key: u64 }`.
 * The chain checks that the decrypted hotkey is the committer.
 */
export interface WeightsTlockPayload {
  hotkey: Uint8Array;
  uids: number[];
  values: number[];
  versionKey: number;
}

function u16Vec(values: number[], name: string): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new ChainError('INVALID_INPUT', `${name} must be u16, got ${v}`);
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = v >> 8;
  });
  return u8aConcat(compactToU8a(values.length), out);
}

export function encodeWeightsPayload(payload: WeightsTlockPayload): Uint8Array {
  if (payload.hotkey.length !== 32)
    throw new ChainError('INVALID_INPUT', 'hotkey must be a 32-byte public key');
  if (payload.uids.length !== payload.values.length)
    throw new ChainError('INVALID_INPUT', 'uids and values differ in length');
  if (!Number.isSafeInteger(payload.versionKey) || payload.versionKey < 0)
    throw new ChainError(
      'INVALID_INPUT',
      `versionKey must be a non-negative integer, got ${payload.versionKey}`,
    );
  const version = new Uint8Array(8);
  new DataView(version.buffer).setBigUint64(0, BigInt(payload.versionKey), true);
  return u8aConcat(
    compactToU8a(32),
    payload.hotkey,
    u16Vec(payload.uids, 'uids'),
    u16Vec(payload.values, 'values'),
    version,
  );
}

/** Decodes a payload exactly (trailing bytes are an error, as they would hide a different encoding). */
export function decodeWeightsPayload(bytes: Uint8Array): WeightsTlockPayload {
  const bad = (why: string) => new ChainError('INVALID_INPUT', `not a WeightsTlockPayload: ${why}`);
  let offset = 0;
  const compact = () => {
    const [length, value] = compactFromU8a(bytes.subarray(offset));
    offset += length;
    return value.toNumber();
  };
  const take = (n: number) => {
    if (offset + n > bytes.length) throw bad('truncated');
    const out = bytes.subarray(offset, offset + n);
    offset += n;
    return out;
  };
  const u16s = () => {
    const n = compact();
    const raw = take(2 * n);
    return Array.from({ length: n }, (_, i) => (raw[2 * i] ?? 0) | ((raw[2 * i + 1] ?? 0) << 8));
  };
  const hotkey = take(compact()).slice();
  const uids = u16s();
  const values = u16s();
  const versionKey = Number(new DataView(take(8).slice().buffer).getBigUint64(0, true));
  if (offset !== bytes.length) throw bad('trailing bytes');
  return { hotkey, uids, values, versionKey };
}
