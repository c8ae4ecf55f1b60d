import { ChainError } from './errors.js';

/** `GLOBAL_MAX_SUBNET_COUNT`: storage of mechanism `m` of subnet `n` is keyed by `m * 4096 + n`. */
export const MECHANISM_INDEX_STRIDE = 4096;

/** The chain's `get_mechanism_storage_index(netuid, mecid)`: the key of `Weights`, `LastUpdate`, commits, … */
export function mechanismIndex(netuid: number, mechid = 0): number {
  if (!Number.isInteger(mechid) || mechid < 0 || mechid > 255) {
    throw new ChainError('INVALID_INPUT', `mechid must be an integer in 0..255, got ${mechid}`);
  }
  const index = mechid * MECHANISM_INDEX_STRIDE + netuid;
  if (index > 0xffff) throw new ChainError('INVALID_INPUT', `mechanism index ${index} does not fit in u16`);
  return index;
}
