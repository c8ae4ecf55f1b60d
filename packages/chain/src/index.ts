export { type ConnectChainOptions, connectChain } from './connect.js';
export { epochOf, epochStartBlock, revealStartBlock } from './epoch.js';
export { ChainError, type ChainErrorCode, isChainError } from './errors.js';
export { decodeIp, type EncodedIp, encodeIp, validateAxonEndpoint } from './ip.js';
export { writeFileAtomic } from './local/atomic-file.js';
export { DEFAULT_LOCALNET_DIR, LocalChain, type LocalChainOptions } from './local/local-chain.js';
export {
  DEFAULT_LOCAL_HYPERPARAMETERS,
  type LocalHyperparameters,
  MINER_STAKE_TAO,
  VALIDATOR_STAKE_TAO,
} from './local/state.js';
export { resolveEndpoint, SUBTENSOR_ENDPOINTS } from './networks.js';
export { SUBTENSOR_SIGNED_EXTENSIONS } from './subtensor/api.js';
export { commitHash } from './subtensor/commit-hash.js';
export type { CommitRevealMode } from './subtensor/commit-reveal.js';
export { ReplayProvider, type RpcRecordings, type SyntheticAnswer } from './subtensor/replay-provider.js';
export { SubtensorChain, type SubtensorChainOptions } from './subtensor/subtensor-chain.js';
export type {
  AxonCertificate,
  AxonEndpoint,
  Chain,
  ChainWallet,
  Metagraph,
  NeuronInfo,
  RegisterOptions,
  ScoreVector,
  ServeAxonRequest,
  SetWeightsResult,
  WeightHyperparameters,
  WeightsRecord,
} from './types.js';
