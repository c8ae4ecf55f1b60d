import type { ApiErrorCode } from '@omron/client';
import { OmronError } from '@omron/core';

/** The HTTP status of each code; the code is the stable part a client branches on. */
export const STATUS_OF: Record<ApiErrorCode, 400 | 401 | 403 | 404 | 413 | 429 | 500 | 504> = {
  BAD_REQUEST: 400,
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  SIGNATURE_EXPIRED: 401,
  REPLAYED: 401,
  FORBIDDEN: 403,
  UNKNOWN_CIRCUIT: 404,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  TOO_MANY_IN_FLIGHT: 429,
  INTERNAL: 500,
  NO_MINER: 504,
};

/**
 * A refusal or failure of the inference API, answered as `{ error: { code, message, details? } }` with its status
 * (`httpStatus`, from the code) by the shared `honoOnError`.
 */
export class ApiError extends OmronError<ApiErrorCode> {
  override readonly name = 'ApiError';
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(code, message, { httpStatus: STATUS_OF[code] });
  }

  get status(): (typeof STATUS_OF)[ApiErrorCode] {
    return STATUS_OF[this.code];
  }

  /** Seconds a rate-limited caller should wait; the error handler sends it as `retry-after`. */
  get retryAfterS(): number | undefined {
    if (this.code !== 'RATE_LIMITED') return undefined;
    return (this.details as { retryAfterS?: number } | undefined)?.retryAfterS;
  }

  override toJSON(): { code: ApiErrorCode; message: string; details?: unknown } {
    return {
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** The API's body shape: the error under `error`, as clients read it. */
export function apiErrorEnvelope<T>(body: T): { error: T } {
  return { error: body };
}
