// The miner as a library (tests, the local-network launcher); `index.ts` is the CLI.
export { type AppDeps, createApp } from './app.js';
export { type BlacklistReason, type BlacklistVerdict, createBlacklist, createPriority } from './blacklist.js';
export {
  loadConfig,
  type MinerConfig,
  type MinerConfigInput,
  minerConfigLoader,
  resolveConfig,
  usage,
} from './config.js';
export { MinerError, type MinerErrorCode } from './errors.js';
export { MetagraphCache } from './metagraph-cache.js';
export { MinerMetrics } from './metrics.js';
export { type RunningMiner, type StartMinerOptions, startMiner } from './miner.js';
export { PROOF_SYSTEM } from './prove-request.js';
