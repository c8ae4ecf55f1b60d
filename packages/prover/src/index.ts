export { type CalibrateOptions, calibrate, calibrateSync } from './calibrate.js';
export {
  type ChainClaim,
  type ChainProveResult,
  type ChainTimings,
  ChainVerifier,
  chainId,
  chainProofBytes,
  decodeBundle,
  decodeChain,
  encodeBundle,
  encodeChain,
  isBundle,
  isChain,
  proveChain,
  verifyChain,
} from './chain.js';
export {
  readVerified,
  recordChecksum,
  recordedChecksum,
  sha256Hex,
  sidecarPath,
  type VerifiedRead,
  writeVerified,
} from './checked-file.js';
export { PROVER_ERROR_CODES, type ProverErrorCode } from './error-codes.js';
export { abortError, ProverError } from './errors.js';
export type { ModelInputs, PublicInputs } from './inputs.js';
export { type IntegerTensors, toDecimalTensors } from './integers.js';
export { cachedSetup, type KeyPair, ProvingKey, setup, VerifyingKey } from './keys.js';
export { CompiledModel, type CompileOptions, compileModel, compileModelSync, loadModel } from './model.js';
export {
  type ProveOptions,
  type ProveProgress,
  type ProveResult,
  Prover,
  type ProveStage,
  type ProveTimings,
  type SliceProof,
  type SliceProveResult,
} from './prover.js';
export { type Calibration, ModelSettings, type Scales } from './settings.js';
export { compileSlices, type SliceBudget, SlicedModel, type SlicePublicValues } from './slices.js';
export {
  type DevelopmentSrsOptions,
  defaultSrsCacheDir,
  developmentSrs,
  developmentSrsPath,
  loadSrs,
  readSrs,
  Srs,
  type SrsCacheEvent,
} from './srs.js';
export { quantizeInputs, Verifier, verify } from './verifier.js';

import { native } from './native.js';

/** Version of the native prover core this package was built with. */
export function nativeVersion(): string {
  return native.nativeVersion();
}
