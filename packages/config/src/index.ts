export { closest } from './argv.js';
export {
  CONFIG_EXIT_CODE,
  ConfigError,
  type ConfigErrorCode,
  type ConfigIssue,
  isConfigError,
} from './errors.js';
export {
  CIRCUIT_OPTIONS,
  COMMON_OPTIONS,
  FILES_OPTIONS,
  isLocalNetwork,
  LOCALNET_OPTIONS,
  LOG_OPTIONS,
  METRICS_OPTIONS,
  MIN_NETUID,
  NETUID_OPTIONS,
  STATE_OPTIONS,
  SUBTENSOR_OPTIONS,
  WALLET_OPTIONS,
} from './groups.js';
export { type ConfigLoader, type ConfigSpec, defineConfig, type LoadResult, redact } from './loader.js';
export { expandPath, group, type Option, type OptionInit, type OptionKind, opt } from './option.js';
export { runService, type ServiceEntry } from './run-service.js';
export { envName, type Schema, type Values } from './schema.js';
