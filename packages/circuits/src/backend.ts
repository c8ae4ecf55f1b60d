import type { ProveResult, PublicInputs, SrsCacheEvent } from '@omron/prover';

/**
 * The circuit store's view of the native prover. Everything the store needs from `@omron/prover`
 * goes through this interface, so the store's logic stays independent of the binding's details
 * (and testable where that is useful). {@link nativeBackend} is the real implementation.
 */

/** The subset of the prover's circuit settings the store reads; the rest is carried through. */
export interface CircuitSettings {
  k: number;
  model_hash: string;
  input_shapes: number[][];
  output_shapes: number[][];
  max_abs_input?: number;
  [field: string]: unknown;
}

export interface CompiledModelHandle {
  readonly settings: CircuitSettings;
  /** The settings exactly as the prover serialises them. */
  readonly settingsJson: string;
}

/** A loaded SRS (structured reference string). */
export interface SrsHandle {
  readonly k: number;
  readonly insecure: boolean;
}

/** Quantized public instances as canonical signed decimal strings, one array per model input/output. */
export type { PublicInputs } from '@omron/prover';

export interface ProveProgress {
  stage: string;
  fraction: number;
}

/** Dequantized `outputs`, the `proof`, the `publicInputs` it is bound to and `timings`: the prover's own result. */
export type { ProveResult } from '@omron/prover';

export interface NativeProver {
  prove(
    inputs: number[][],
    options?: { signal?: AbortSignal; onProgress?: (p: ProveProgress) => void },
  ): Promise<ProveResult>;
  /** Proves one slice (this prover is that slice's) from its exact integer inputs. */
  proveSlice(inputs: string[][], options?: { signal?: AbortSignal }): Promise<SliceProveResult>;
}

export interface NativeVerifier {
  verify(proof: Uint8Array, publicInputs: PublicInputs): Promise<boolean>;
}

/** Exact public values of one slice proof: decimal strings, one array per tensor. */
export interface SliceValues {
  inputs: string[][];
  outputs: string[][];
}

/** One slice proof of a chain and the values it is bound to. */
export interface SliceProof {
  proof: Uint8Array;
  publicInputs: SliceValues;
}

/** A slice proof plus the slice's dequantized outputs (the model's outputs for the last slice) and timings. */
export interface SliceProveResult extends SliceProof {
  outputs: number[][];
  timings: { witnessMs: number; proveMs: number };
}

/** A model compiled as a chain of slice circuits. */
export interface SlicedModelHandle {
  /** Hash of the whole model. */
  readonly modelHash: string;
  /** Each slice is an ordinary compiled model with its own hash and keys. */
  readonly slices: readonly CompiledModelHandle[];
  /** One integer forward pass: every slice's exact inputs and outputs. */
  forward(inputs: number[][]): SliceValues[];
}

export interface NativeChainVerifier {
  /** True iff the chain proves `claim.outputs` from `claim.inputs` (quantized, decimal strings). */
  verify(chain: readonly SliceProof[], claim: SliceValues): Promise<boolean>;
}

export interface ProverBackend {
  compile(
    onnx: Uint8Array,
    options: { inputScale: number; paramScale: number },
  ): Promise<CompiledModelHandle>;
  /**
   * The deterministic, insecure development SRS for `k`, from (or generated into) the cache directory `cacheDir`,
   * reporting what the cache did.
   */
  developmentSrs(k: number, cacheDir: string, onCache: (event: SrsCacheEvent) => void): Promise<SrsHandle>;
  /** Parses SRS file bytes (the halo2 `ParamsKZG` layout), reduced to `k` when larger. */
  loadSrs(bytes: Uint8Array, k: number): Promise<SrsHandle>;
  setup(
    model: CompiledModelHandle,
    srs: SrsHandle,
  ): Promise<{ provingKey: Uint8Array; verifyingKey: Uint8Array }>;
  openProver(model: CompiledModelHandle, provingKey: Uint8Array, srs: SrsHandle): Promise<NativeProver>;
  openVerifier(model: CompiledModelHandle, verifyingKey: Uint8Array, srs: SrsHandle): Promise<NativeVerifier>;
  /** Compiles the model as `slices` slice circuits (a count, or as few as fit `maxRows` rows each). */
  compileSlices(
    onnx: Uint8Array,
    options: { inputScale: number; paramScale: number },
    slices: number | { maxRows: number },
  ): Promise<SlicedModelHandle>;
  openChainVerifier(
    slices: readonly CompiledModelHandle[],
    verifyingKeys: readonly Uint8Array[],
    srs: SrsHandle,
  ): Promise<NativeChainVerifier>;
  /** Several key files as one (the prover CLI's `--vk` of a sliced model, `setup --slices`). */
  encodeKeyBundle(parts: readonly Uint8Array[]): Uint8Array;
  /** The quantized public inputs a verifier expects for these float inputs (input binding). */
  quantizeInputs(settings: CircuitSettings, inputs: number[][]): PublicInputs['inputs'];
}
