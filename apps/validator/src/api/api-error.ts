import type { ApiErrorCode } from '@omron/client';

/** The HTTP status of each code; the code is the stable part a client branches on. */
export const STATUS_OF: Record<ApiErrorCode, 400 | 401 | 403 | 404 | 413 | 429 | 500 | 504> = {
  BAD_REQUEST: 400,
  BAD_INPUT: 400,
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

/** A refusal or failure of the inference API: `{ error: { code, message, details? } }` with its status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status() {
    return STATUS_OF[this.code];
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
