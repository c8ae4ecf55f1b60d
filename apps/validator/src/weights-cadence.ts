/** Omron's WEIGHT_UPDATE_BUFFER: on a real network weights go out in the last 15 blocks before an epoch ends. */
export const EPOCH_WINDOW_BLOCKS = 15;

export interface CadenceInput {
  /** 'local' sets weights whenever the rate limit allows; any other network also waits for the epoch window. */
  network: string;
  netuid: number;
  block: number;
  /** Block of this validator's last weight set; 0 if never. */
  lastUpdate: number;
  tempo: number;
  weightsRateLimit: number;
  epochWindowBlocks?: number;
}

export type CadenceDecision =
  | { due: true }
  | { due: false; reason: 'RATE_LIMIT' | 'EPOCH_WINDOW'; blocksToWait: number };

/**
 * Blocks until the current epoch ends, with the legacy epoch formula Omron uses (`utils/epoch.py`):
 * a = block + netuid + 1; remaining = tempo − a mod (tempo + 1).
 */
export function blocksUntilNextEpoch(block: number, netuid: number, tempo: number): number {
  return tempo - ((block + netuid + 1) % (tempo + 1));
}

/**
 * Whether to set weights now (Omron `should_update_weights`, omron.md §4.3.8): the chain's rate limit has
 * passed since `lastUpdate` and, off the local network, the epoch is within `epochWindowBlocks` of its end, so the
 * weights are as fresh as possible when the epoch runs.
 */
export function weightsDue(input: CadenceInput): CadenceDecision {
  const since = input.block - input.lastUpdate;
  if (input.lastUpdate !== 0 && since < input.weightsRateLimit) {
    return { due: false, reason: 'RATE_LIMIT', blocksToWait: input.weightsRateLimit - since };
  }
  if (input.network === 'local') return { due: true };
  const window = input.epochWindowBlocks ?? EPOCH_WINDOW_BLOCKS;
  const remaining = blocksUntilNextEpoch(input.block, input.netuid, input.tempo);
  if (remaining > window) return { due: false, reason: 'EPOCH_WINDOW', blocksToWait: remaining - window };
  return { due: true };
}
