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
  /** The chain's `CommitRevealWeightsVersion` is not the one this client encrypts for (4). */
  | 'COMMIT_REVEAL_VERSION'
  /** The timelock round is older than the chain's latest stored drand round. */
  | 'REVEAL_ROUND_PASSED'
  /** The hotkey already has 10 unrevealed commits on this subnet (mechanism). */
  | 'TOO_MANY_UNREVEALED_COMMITS'
  /** The commit is larger than the chain accepts (5 000 bytes for a timelocked commit). */
  | 'PAYLOAD_TOO_LARGE'
  /** A timelocked commit did not open (malformed, or not the round's signature). */
  | 'TIMELOCK_DECRYPT_FAILED'
  /** A CRv2 commit whose reveal epoch has passed; its reveal is dropped. */
  | 'COMMIT_EXPIRED'
  /** A CRv2 reveal sent before the commit's reveal epoch. */
  | 'REVEAL_TOO_EARLY'
  /** A CRv2 reveal that matches no commit of this hotkey. */
  | 'COMMIT_NOT_FOUND'
  /** The subnet has no such mechanism (`MechanismCountCurrent`). */
  | 'MECHANISM_NOT_FOUND'
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
