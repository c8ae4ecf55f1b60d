import { ChainError, type ChainErrorCode } from '../errors.js';

/** `CustomTransactionError` of `SubtensorTransactionExtension` (common/src/transaction_error.rs). */
const POOL_ERRORS: Record<number, [ChainErrorCode, string]> = {
  1: ['NO_VALIDATOR_PERMIT', 'stake below the weights threshold'],
  3: ['SUBNET_NOT_FOUND', 'subnet does not exist'],
  6: ['RATE_LIMITED', 'weights set or committed too fast'],
  10: ['NOT_REGISTERED', 'hotkey not registered in the network'],
  11: ['INVALID_IP', 'invalid ip address'],
  12: ['SERVING_RATE_LIMITED', 'axon served too recently'],
  13: ['INVALID_PORT', 'invalid port'],
  15: ['REVEAL_ROUND_PASSED', 'reveal round older than the last stored drand round'],
  16: ['COMMIT_NOT_FOUND', 'commit not found'],
  17: ['REVEAL_TOO_EARLY', 'commit block not in reveal range'],
  18: ['INVALID_INPUT', 'input lengths unequal'],
  19: ['NOT_REGISTERED', 'uid not found'],
};

/** SubtensorModule dispatch errors that have a stable code here. */
const MODULE_ERRORS: Record<string, ChainErrorCode> = {
  SettingWeightsTooFast: 'RATE_LIMITED',
  CommittingWeightsTooFast: 'RATE_LIMITED',
  IncorrectWeightVersionKey: 'VERSION_KEY_TOO_LOW',
  WeightVecLengthIsLow: 'TOO_FEW_WEIGHTS',
  MaxWeightExceeded: 'MAX_WEIGHT_EXCEEDED',
  NeuronNoValidatorPermit: 'NO_VALIDATOR_PERMIT',
  NotEnoughStakeToSetWeights: 'NO_VALIDATOR_PERMIT',
  HotKeyNotRegisteredInSubNet: 'NOT_REGISTERED',
  HotKeyNotRegisteredInNetwork: 'NOT_REGISTERED',
  UidVecContainInvalidOne: 'INVALID_UIDS',
  DuplicateUids: 'INVALID_UIDS',
  InvalidIpAddress: 'INVALID_IP',
  InvalidIpType: 'INVALID_IP',
  InvalidPort: 'INVALID_PORT',
  ServingRateLimitExceeded: 'SERVING_RATE_LIMITED',
  CommitRevealEnabled: 'COMMIT_REVEAL_UNSUPPORTED',
  IncorrectCommitRevealVersion: 'COMMIT_REVEAL_VERSION',
  InvalidRevealRound: 'REVEAL_ROUND_PASSED',
  TooManyUnrevealedCommits: 'TOO_MANY_UNREVEALED_COMMITS',
  RevealTooEarly: 'REVEAL_TOO_EARLY',
  ExpiredWeightCommit: 'COMMIT_EXPIRED',
  NoWeightsCommitFound: 'COMMIT_NOT_FOUND',
  InvalidRevealCommitHashNotMatch: 'COMMIT_NOT_FOUND',
  MechanismDoesNotExist: 'MECHANISM_NOT_FOUND',
  SubNetworkDoesNotExist: 'SUBNET_NOT_FOUND',
};

/** Maps an RPC pool rejection (`1010: Invalid Transaction: Custom error: N`) to a ChainError. */
export function poolRejection(error: unknown): ChainError {
  const text = error instanceof Error ? error.message : String(error);
  const custom = text.match(/Custom error: (\d+)/);
  const known = custom ? POOL_ERRORS[Number(custom[1])] : undefined;
  if (known) return new ChainError(known[0], `rejected by the transaction pool: ${known[1]}`, { rpc: text });
  return new ChainError('EXTRINSIC_FAILED', `rejected by the node: ${text}`, { rpc: text }, { cause: error });
}

/** Maps a decoded dispatch error (`section.name`) to a ChainError. */
export function dispatchFailure(section: string, name: string, docs: string): ChainError {
  const code = section === 'subtensorModule' ? MODULE_ERRORS[name] : undefined;
  return new ChainError(code ?? 'EXTRINSIC_FAILED', `${section}.${name}: ${docs}`.trim(), { section, name });
}
