export { readVerified, sha256Hex, writeVerified } from '@omron/prover';
export type {
  CircuitSettings,
  CompiledModelHandle,
  NativeProver,
  NativeVerifier,
  ProveProgress,
  ProveResult,
  ProverBackend,
  SliceProof,
  SliceProveResult,
  SliceValues,
  SrsHandle,
} from './backend.js';
export { type BindingFailure, bindProof, type ProofBinding } from './binding.js';
export {
  developmentSrsDir,
  developmentSrsTag,
  KEY_FILES,
  keysDir,
  srsFileTag,
} from './cache-layout.js';
export type { Circuit } from './circuit.js';
export { CircuitStoreError, type CircuitStoreErrorCode, isCircuitStoreError } from './errors.js';
export type { CircuitProver, CircuitVerifier } from './handles.js';
export { elementCount, inputSchema } from './input.js';
export { findSrsFile, type LoadProgress } from './key-cache.js';
export {
  type CircuitMetadata,
  CircuitMetadataFile,
  DEFAULT_METADATA_DIR,
  readMetadataDir,
  readMetadataDirs,
  readMetadataFile,
} from './metadata.js';
export { decodeProof, encodeProof } from './proof-hex.js';
export {
  BN254_FR_MODULUS,
  dequantize,
  fromPublicSignals,
  type PublicValue,
  readPublicSignal,
  splitByShapes,
  toPublicSignals,
} from './public-values.js';
export { type Rng, seededRng } from './rng.js';
export { REAL_SRS_HELP } from './srs-policy.js';
export {
  CircuitStore,
  type CircuitStoreOptions,
  chainId,
  DEFAULT_CACHE_DIR,
  type DisabledCircuit,
} from './store.js';
