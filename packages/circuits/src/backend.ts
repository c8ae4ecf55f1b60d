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
}

export interface NativeVerifier {
  verify(proof: Uint8Array, publicInputs: PublicInputs): Promise<boolean>;
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
  /** The quantized public inputs a verifier expects for these float inputs (input binding). */
  quantizeInputs(settings: CircuitSettings, inputs: number[][]): PublicInputs['inputs'];
}
