import type * as Binding from '../binding.cjs';
import { abortError, awaitNative, callNative } from './errors.js';
import { type ModelInputs, toNativeInputs } from './inputs.js';
import type { ProvingKey } from './keys.js';
import type { CompiledModel } from './model.js';
import { native } from './native.js';
import type { ModelSettings } from './settings.js';
import type { Srs } from './srs.js';

/** Proving stages, reported in this order. */
export type ProveStage = 'witness' | 'prove' | 'done';

/** One progress report: the stage and the fraction of it completed, in [0, 1]. */
export interface ProveProgress {
  readonly stage: ProveStage;
  readonly fraction: number;
}

export interface ProveOptions {
  /** Aborting rejects the proof with a `ProverError` of code `CANCELLED` (name `AbortError`). */
  signal?: AbortSignal;
  /** Called on the JS thread, in order; exceptions it throws are ignored. */
  onProgress?: (progress: ProveProgress) => void;
}

/** Milliseconds per stage; `totalMs` is the whole native call (the generated binding type). */
export type ProveTimings = Binding.Timings;

/**
 * One proof: dequantized `outputs`, the `proof` bytes, the `publicInputs` (canonical decimal
 * strings) it is bound to, and `timings` (the generated binding type).
 */
export type ProveResult = Binding.ProveResult;

/**
 * Proves inferences of one model. The proving key and the SRS stay in native memory, so
 * each proof ships only inputs and a few KB of proof across the boundary. Proofs run off
 * the JS thread; concurrent calls are safe.
 *
 * @example
 * const prover = await Prover.create(model, provingKey, srs)
 * const { outputs, proof, publicInputs } = await prover.prove([pixels], { signal, onProgress })
 */
export class Prover {
  private constructor(
    private readonly native: Binding.Prover,
    readonly settings: ModelSettings,
  ) {}

  /** `MODEL_MISMATCH` if the key belongs to another model, `BAD_SRS` if the SRS is too small. */
  static async create(model: CompiledModel, provingKey: ProvingKey, srs: Srs): Promise<Prover> {
    const prover = await awaitNative(() => createNativeProver(model, provingKey, srs));
    return new Prover(prover, model.settings);
  }

  get modelHash(): string {
    return this.settings.modelHash;
  }

  /**
   * Proves one inference. Bad inputs reject with `SHAPE_MISMATCH`, `INVALID_INPUT` (NaN,
   * infinities, non-numbers) or `INPUT_OUT_OF_RANGE`.
   */
  async prove(inputs: ModelInputs, options: ProveOptions = {}): Promise<ProveResult> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw abortError(signal.reason);
    const values = toNativeInputs(inputs);
    const progress = onProgress && ((event: Binding.ProgressEvent) => safely(onProgress, event));
    try {
      return await awaitNative(() => this.native.prove(values, signal, progress));
    } catch (error) {
      throw signal?.aborted && (error as { code?: string }).code === 'CANCELLED'
        ? abortError(signal.reason)
        : error;
    }
  }

  /** Proves on the calling thread; blocks the event loop (scripts and CLIs only). */
  proveSync(inputs: ModelInputs): ProveResult {
    const values = toNativeInputs(inputs);
    return callNative(() => this.native.proveSync(values));
  }
}

function createNativeProver(model: CompiledModel, key: ProvingKey, srs: Srs): Promise<Binding.Prover> {
  return native.createProver(model.native, key.native, srs.native);
}

function safely(onProgress: (progress: ProveProgress) => void, event: Binding.ProgressEvent): void {
  try {
    onProgress({ stage: event.stage as ProveStage, fraction: event.fraction });
  } catch {
    // A faulty listener must not break the proof or crash the process.
  }
}
