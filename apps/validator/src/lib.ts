// The validator as a library (the package's export); `index.ts` is the CLI.

export { type AccessRule, accessRule, checkAccess, DEFAULT_MIN_STAKE } from './api/access.js';
export { ApiError } from './api/api-error.js';
export { CircuitCatalog, circuitInfo, inputJsonSchema } from './api/catalog.js';
export { ApiGate } from './api/gate.js';
export { RequestLimits } from './api/limits.js';
export { ORGANIC_COOLDOWN_MS, OrganicRouter, type OrganicRouterDeps } from './api/organic.js';
export { authenticate, ReplayGuard } from './api/request-auth.js';
export { createInferenceApi } from './api/routes.js';
export { RPC_PATH, RpcEndpoint } from './api/rpc.js';
export { type AppContext, createApp, minerRows } from './app.js';
export { toValidatorCircuit } from './circuit-adapter.js';
export {
  envVarFor,
  FLAGS,
  loadCommandLine,
  loadConfig,
  type ValidatorConfig,
  validatorConfigLoader,
} from './config.js';
export { ValidatorError, type ValidatorErrorCode } from './errors.js';
export { type LoopDeps, type LoopObserver, queryableMiners, ValidatorLoop } from './loop.js';
export { createMetrics } from './metrics.js';
export type {
  MinerTarget,
  PublicValues,
  QueryMiner,
  QueryResult,
  ServedCircuit,
  ValidatorCircuit,
} from './ports.js';
export { StateStore, type ValidatorState } from './state.js';
export { type RunningValidator, type StartOptions, startValidator } from './validator.js';
export { bindResponse, type FailureReason, verifyResponse } from './verify-response.js';
export { blocksUntilNextEpoch, weightsDue } from './weights-cadence.js';
