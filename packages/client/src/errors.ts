/** Codes the API answers with (`{ error: { code, message } }`), plus the client's own. */
export type ApiErrorCode =
  | 'UNKNOWN_CIRCUIT'
  | 'BAD_REQUEST'
  | 'BAD_INPUT'
  | 'UNAUTHORIZED'
  | 'SIGNATURE_EXPIRED'
  | 'REPLAYED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'TOO_MANY_IN_FLIGHT'
  | 'NO_MINER'
  | 'NOT_FOUND'
  | 'INTERNAL';

export type ClientErrorCode =
  | ApiErrorCode
  /** The answer could not be checked locally: the proof, the binding to our inputs or the artifacts are wrong. */
  | 'LOCAL_VERIFY_FAILED'
  /** The server answered something that is not the API's JSON. */
  | 'BAD_RESPONSE'
  | 'NETWORK';

/** An error from the API (with its HTTP status) or from the client's own checks; branch on `code`. */
export class OmronClientError extends Error {
  override readonly name = 'OmronClientError';
  constructor(
    readonly code: ClientErrorCode | (string & {}),
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
