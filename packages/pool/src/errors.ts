import { OmronError } from '@omron/core';

/** Stable codes of {@link PoolError}. */
export type PoolErrorCode =
  /** The pool holds as many waiting jobs as its bound allows (HTTP 503; retry later). */
  | 'QUEUE_FULL'
  /** The caller's deadline passed before the proof could start or finish (HTTP 408; no more work is spent). */
  | 'DEADLINE_PASSED'
  /** The caller went away or the pool is closing (HTTP 503). */
  | 'CANCELLED'
  /** The pool's Redis cannot be reached (HTTP 503); the pool recovers by itself when Redis is back. */
  | 'POOL_DOWN'
  /** The job's input does not fit the circuit (HTTP 400). */
  | 'BAD_INPUT'
  /** No worker serves this circuit id, or a worker cannot prove this kind of job (HTTP 503). */
  | 'UNSUPPORTED_JOB'
  /** Proving failed on every attempt the pool allows (HTTP 500). */
  | 'PROVE_FAILED'
  /** Bad pool options (bounds, Redis URL). */
  | 'BAD_CONFIG';

const STATUS: Record<PoolErrorCode, number | undefined> = {
  QUEUE_FULL: 503,
  DEADLINE_PASSED: 408,
  CANCELLED: 503,
  POOL_DOWN: 503,
  BAD_INPUT: 400,
  UNSUPPORTED_JOB: 503,
  PROVE_FAILED: 500,
  BAD_CONFIG: undefined,
};

export const POOL_ERROR_CODES = Object.keys(STATUS) as readonly PoolErrorCode[];

/** The proving pool's typed error; branch on `code`. The HTTP status follows from the code. */
export class PoolError extends OmronError<PoolErrorCode> {
  override name = 'PoolError';
  constructor(code: PoolErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, httpStatus: STATUS[code] });
  }
}

export function isPoolError(err: unknown, code?: PoolErrorCode): err is PoolError {
  return err instanceof PoolError && (code === undefined || err.code === code);
}
