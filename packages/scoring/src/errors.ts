import { OmronError, type SharedErrorCode } from '@omron/core';

/** Stable codes carried by every {@link ScoringError}. */
export type ScoringErrorCode =
  | Extract<SharedErrorCode, 'INVALID_INPUT'>
  | 'INVALID_CONFIG'
  | 'INVALID_PERSISTED_STATE'
  | 'UNSUPPORTED_FORMAT_VERSION'
  | 'WEIGHTS_UNSATISFIABLE';

/** The only error this package throws; `code` is stable, `message` is for humans. */
export class ScoringError extends OmronError<ScoringErrorCode> {
  override readonly name = 'ScoringError';
  constructor(code: ScoringErrorCode, message: string) {
    super(code, message);
  }
}

/** Throws `INVALID_INPUT` unless `value` is a finite number (optionally ≥ 0). */
export function requireFinite(name: string, value: unknown, opts: { nonNegative?: boolean } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ScoringError('INVALID_INPUT', `${name} must be a finite number, got ${String(value)}`);
  }
  if (opts.nonNegative === true && value < 0) {
    throw new ScoringError('INVALID_INPUT', `${name} must be ≥ 0, got ${value}`);
  }
  return value;
}

/** Throws `INVALID_INPUT` unless `value` is an integer in [min, max]. */
export function requireInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ScoringError(
      'INVALID_INPUT',
      `${name} must be an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
  return value;
}
