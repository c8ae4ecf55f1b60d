/** Stable machine-readable codes carried by every {@link ChainError}. */
export type ChainErrorCode =
  | 'BAD_INPUT'
  | 'BAD_NETWORK'
  | 'CONNECTION_FAILED'
  | 'NOT_REGISTERED'
  | 'ALREADY_REGISTERED'
  | 'SUBNET_FULL'
  | 'SUBNET_NOT_FOUND'
  | 'RATE_LIMITED'
  | 'TOO_FEW_WEIGHTS'
  | 'MAX_WEIGHT_EXCEEDED'
  | 'VERSION_KEY_TOO_LOW'
  | 'NO_VALIDATOR_PERMIT'
  | 'INVALID_UIDS'
  | 'INVALID_IP'
  | 'INVALID_PORT'
  | 'SERVING_RATE_LIMITED'
  | 'COMMIT_REVEAL_UNSUPPORTED'
  | 'UNSUPPORTED'
  | 'EXTRINSIC_FAILED'
  | 'LOCK_TIMEOUT'
  | 'STATE_CORRUPT'
  | 'CLOSED';

/**
 * The one error type thrown by `@omron/chain`. Branch on `code`, never on the message.
 *
 * @example
 * try { await chain.setWeights(1, wallet, scores, 1) } catch (e) {
 *   if (e instanceof ChainError && e.code === 'RATE_LIMITED') retryLater(e.details?.blocksRemaining)
 * }
 */
export class ChainError extends Error {
  override readonly name = 'ChainError';
  constructor(
    readonly code: ChainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isChainError(error: unknown, code?: ChainErrorCode): error is ChainError {
  return error instanceof ChainError && (code === undefined || error.code === code);
}
