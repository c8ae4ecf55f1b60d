/** Stable codes of {@link MinerError}. */
export type MinerErrorCode =
  /** The proving queue is at its length limit (HTTP 503). */
  | 'QUEUE_FULL'
  /** The caller's timeout passed before its proof could start or finish (HTTP 408). */
  | 'DEADLINE_PASSED'
  /** The request was cancelled: the caller went away or the miner is shutting down (HTTP 503). */
  | 'CANCELLED'
  /** Bad configuration (flags, env vars or config file). */
  | 'BAD_CONFIG'
  /** The hotkey is not registered on the subnet of a real network. */
  | 'NOT_REGISTERED';

/** The miner's typed error; branch on `code`. */
export class MinerError extends Error {
  override readonly name = 'MinerError';
  constructor(
    readonly code: MinerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
