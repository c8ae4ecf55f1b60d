import { OmronError, type SharedErrorCode } from '@omron/core';

/** Stable codes of {@link MinerError}. */
export type MinerErrorCode =
  /** The proving queue is at its length limit (HTTP 503). */
  | 'QUEUE_FULL'
  /** The caller's timeout passed before its proof could start or finish (HTTP 408). */
  | 'DEADLINE_PASSED'
  /** The request was cancelled: the caller went away or the miner is shutting down (HTTP 503). */
  | Extract<SharedErrorCode, 'CANCELLED'>
  /** Bad configuration (flags, env vars or config file). */
  | 'BAD_CONFIG'
  /** The hotkey is not registered on the subnet of a real network. */
  | Extract<SharedErrorCode, 'NOT_REGISTERED'>;

/** The status an axon answers with when a request meets one of these. */
const HTTP_STATUS: Partial<Record<MinerErrorCode, number>> = {
  QUEUE_FULL: 503,
  DEADLINE_PASSED: 408,
  CANCELLED: 503,
};

/** The miner's typed error; branch on `code`. */
export class MinerError extends OmronError<MinerErrorCode> {
  override readonly name = 'MinerError';
  constructor(code: MinerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: HTTP_STATUS[code] });
  }
}
