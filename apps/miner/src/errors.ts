import { OmronError, type SharedErrorCode } from '@omron/core';

/**
 * Stable codes of {@link MinerError}. Refusals of a proving request (queue full, deadline, cancelled, pool down)
 * are the pool's own `PoolError` codes; configuration errors found after loading (TLS files, serving set) share
 * `INVALID_CONFIG` with `ConfigError`.
 */
export type MinerErrorCode =
  /** Bad configuration found after the flags parsed (TLS files, circuits to serve). */
  | 'INVALID_CONFIG'
  /** The hotkey is not registered on the subnet of a real network. */
  | Extract<SharedErrorCode, 'NOT_REGISTERED'>;

/** The miner's typed error; branch on `code`. */
export class MinerError extends OmronError<MinerErrorCode> {
  override readonly name = 'MinerError';
}
