/** Stable codes of {@link ValidatorError}. */
export type ValidatorErrorCode =
  | 'INVALID_CONFIG'
  | 'UNKNOWN_FLAG'
  | 'CONFIG_FILE_UNREADABLE'
  | 'STATE_CORRUPT'
  | 'STATE_UNSUPPORTED'
  | 'NOT_REGISTERED'
  | 'NO_VALIDATOR_PERMIT'
  | 'NO_CIRCUITS';

/** The validator's own error; branch on `code`, the message is for the operator. */
export class ValidatorError extends Error {
  override readonly name = 'ValidatorError';
  constructor(
    readonly code: ValidatorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
