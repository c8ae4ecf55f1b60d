import { OmronError, type SharedErrorCode } from '@omron/core';

/** Stable codes of {@link ValidatorError} (configuration problems are `@omron/config`'s `ConfigError`). */
export type ValidatorErrorCode =
  | Extract<SharedErrorCode, 'STATE_CORRUPT' | 'NOT_REGISTERED' | 'NO_VALIDATOR_PERMIT'>
  | 'STATE_UNSUPPORTED'
  | 'NO_CIRCUITS';

/** The validator's own error; branch on `code`, the message is for the operator. */
export class ValidatorError extends OmronError<ValidatorErrorCode> {
  override readonly name = 'ValidatorError';
  constructor(code: ValidatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
