export type {
  CircuitSettings,
  CompiledModelHandle,
  NativeProver,
  NativeVerifier,
  ProveProgress,
  ProveResult,
  ProverBackend,
  SrsHandle,
} from './backend.js';
export type { Circuit } from './circuit.js';
export { CircuitStoreError, type CircuitStoreErrorCode, isCircuitStoreError } from './errors.js';
export { readVerified, sha256Hex, writeVerified } from './files.js';
export type { CircuitProver, CircuitVerifier } from './handles.js';
export { elementCount, inputSchema } from './input.js';
export type { LoadProgress } from './key-cache.js';
export {
  type CircuitMetadata,
  CircuitMetadataFile,
  DEFAULT_METADATA_DIR,
  readMetadataDir,
  readMetadataDirs,
  readMetadataFile,
} from './metadata.js';
export { fromPublicSignals, toPublicSignals } from './public-signals.js';
export { type Rng, seededRng } from './rng.js';
export {
  CircuitStore,
  type CircuitStoreOptions,
  DEFAULT_CACHE_DIR,
  type DisabledCircuit,
} from './store.js';
