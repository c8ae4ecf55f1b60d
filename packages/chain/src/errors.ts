import { OmronError, type SharedErrorCode } from '@omron/core';

/** Stable machine-readable codes carried by every {@link ChainError}. */
export type ChainErrorCode =
  /** An argument is malformed or out of range (was `BAD_INPUT`). */
  | Extract<SharedErrorCode, 'INVALID_INPUT' | 'NOT_REGISTERED' | 'NO_VALIDATOR_PERMIT' | 'RATE_LIMITED'>
  | Extract<SharedErrorCode, 'PAYLOAD_TOO_LARGE' | 'STATE_CORRUPT'>
  | 'BAD_NETWORK'
  | 'CONNECTION_FAILED'
  | 'ALREADY_REGISTERED'
  | 'SUBNET_FULL'
  | 'SUBNET_NOT_FOUND'
  | 'TOO_FEW_WEIGHTS'
  | 'MAX_WEIGHT_EXCEEDED'
  | 'VERSION_KEY_TOO_LOW'
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
  | 'CLOSED';

/**
 * The one error type thrown by `@omron/chain`. Branch on `code`, never on the message.
 *
 * @example
 * try { await chain.setWeights(1, wallet, scores, 1) } catch (e) {
 *   if (e instanceof ChainError && e.code === 'RATE_LIMITED') retryLater(e.details?.blocksRemaining)
 * }
 */
export class ChainError extends OmronError<ChainErrorCode> {
  override readonly name = 'ChainError';
  constructor(
    code: ChainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

export function isChainError(error: unknown, code?: ChainErrorCode): error is ChainError {
  return error instanceof ChainError && (code === undefined || error.code === code);
}
