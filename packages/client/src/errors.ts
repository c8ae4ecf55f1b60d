import { OmronError, type SharedErrorCode } from '@omron/core';

/** Codes the API answers with (`{ error: { code, message } }`), plus the client's own. */
export type ApiErrorCode =
  | 'UNKNOWN_CIRCUIT'
  | 'BAD_REQUEST'
  /** The inputs do not fit the circuit. Validators before this version answered `BAD_INPUT`; the client maps it. */
  | Extract<SharedErrorCode, 'INVALID_INPUT' | 'RATE_LIMITED' | 'INTERNAL'>
  | 'UNAUTHORIZED'
  | 'SIGNATURE_EXPIRED'
  | 'REPLAYED'
  | 'FORBIDDEN'
  | 'TOO_MANY_IN_FLIGHT'
  | 'NO_MINER'
  | 'NOT_FOUND';

export type ClientErrorCode =
  | ApiErrorCode
  /** The answer could not be checked locally: the proof, the binding to our inputs or the artifacts are wrong. */
  | 'LOCAL_VERIFY_FAILED'
  /** The server answered something that is not the API's JSON. */
  | 'BAD_RESPONSE'
  | 'NETWORK';

/**
 * An error from the API (with the HTTP status it answered, `status`) or from the client's own checks; branch on
 * `code`. `httpStatus` stays unset: the status was the server's answer, not one this error would give.
 */
export class OmronClientError extends OmronError<ClientErrorCode | (string & {})> {
  override readonly name = 'OmronClientError';
  constructor(
    code: ClientErrorCode | (string & {}),
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** Codes older validators answered with, by the name they have now. */
const RENAMED_API_CODES: Record<string, ApiErrorCode> = { BAD_INPUT: 'INVALID_INPUT' };

/** The client error for an API refusal `{ code, message }`, with a code renamed since mapped to today's name. */
export function apiError(code: string, message: string, status?: number): OmronClientError {
  return new OmronClientError(RENAMED_API_CODES[code] ?? code, message, status);
}
