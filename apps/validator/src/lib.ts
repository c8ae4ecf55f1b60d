// The validator as a library (the package's export); `index.ts` is the CLI.
export { type AppContext, createApp, minerRows } from './app.js';
export { envVarFor, FLAGS, loadConfig, type ValidatorConfig } from './config.js';
export { ValidatorError, type ValidatorErrorCode } from './errors.js';
export { type LoopDeps, type LoopObserver, queryableMiners, ValidatorLoop } from './loop.js';
export { createMetrics } from './metrics.js';
export type { MinerTarget, PublicValues, QueryMiner, QueryResult, ValidatorCircuit } from './ports.js';
export { StateStore, type ValidatorState } from './state.js';
export { type RunningValidator, type StartOptions, startValidator } from './validator.js';
export { bindResponse, type FailureReason, verifyResponse } from './verify-response.js';
export { blocksUntilNextEpoch, weightsDue } from './weights-cadence.js';
