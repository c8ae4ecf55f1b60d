export { type PendingReveal, PendingRevealStore } from './commit-reveal/pending-reveals.js';
export { type ConnectChainOptions, connectChain } from './connect.js';
export { epochOf, epochStartBlock, revealStartBlock } from './epoch.js';
export { ChainError, type ChainErrorCode, isChainError } from './errors.js';
export { decodeIp, type EncodedIp, encodeIp, validateAxonEndpoint } from './ip.js';
export { DEFAULT_LOCALNET_DIR, LocalChain, type LocalChainOptions } from './local/local-chain.js';
export {
  DEFAULT_LOCAL_HYPERPARAMETERS,
  type LocalHyperparameters,
  MINER_STAKE_TAO,
  VALIDATOR_STAKE_TAO,
} from './local/state.js';
export { MECHANISM_INDEX_STRIDE, mechanismIndex } from './mechanism.js';
export { resolveEndpoint, SUBTENSOR_ENDPOINTS } from './networks.js';
export { SUBTENSOR_SIGNED_EXTENSIONS } from './subtensor/api.js';
export { commitHash } from './subtensor/commit-hash.js';
export type { CommitRevealMode } from './subtensor/commit-reveal.js';
export { ReplayProvider, type RpcRecordings, type SyntheticAnswer } from './subtensor/replay-provider.js';
export { SubtensorChain, type SubtensorChainOptions } from './subtensor/subtensor-chain.js';
export { DevelopmentBeacon } from './timelock/development-beacon.js';
export { QUICKNET, type RoundSchedule, roundAt, roundTimeMs } from './timelock/quicknet.js';
export {
  type EpochSchedule,
  epochWithLookahead,
  firstRevealBlock,
  legacyFirstRevealBlock,
  type RevealRoundInput,
  revealRound,
} from './timelock/reveal-round.js';
export { timelockDecrypt, timelockEncrypt, verifyRoundSignature } from './timelock/tle.js';
export {
  decryptWeightsCommit,
  encryptWeightsCommit,
  MAX_TIMELOCKED_COMMIT_BYTES,
  SUPPORTED_COMMIT_REVEAL_VERSION,
  type WeightsCommitInput,
} from './timelock/weights-commit.js';
export {
  decodeWeightsPayload,
  encodeWeightsPayload,
  type WeightsTlockPayload,
} from './timelock/weights-payload.js';
export type {
  AxonCertificate,
  AxonEndpoint,
  Chain,
  ChainLogger,
  ChainWallet,
  CommitRevealScheme,
  Metagraph,
  NeuronInfo,
  RegisterOptions,
  ResumedReveals,
  ScoreVector,
  ServeAxonRequest,
  SetWeightsOptions,
  SetWeightsResult,
  WeightHyperparameters,
  WeightsRecord,
} from './types.js';
