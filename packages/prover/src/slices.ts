import type * as Binding from '../binding.cjs';
import { abortError, awaitNative, callNative, ProverError } from './errors.js';
import { type ModelInputs, toNativeInputs } from './inputs.js';
import { CompiledModel, type CompileOptions } from './model.js';
import { native } from './native.js';

/** How to cut a model: exactly `count` slices, or as few as keep each slice within `maxRows` circuit rows. */
export type SliceBudget = number | { readonly maxRows: number };

/** Public values of one slice proof: exact circuit integers as decimal strings, one array per tensor. */
export interface SlicePublicValues {
  readonly inputs: string[][];
  readonly outputs: string[][];
}

/**
 * A model compiled as a chain of K slice circuits (contiguous groups of ops). Each slice is an
 * ordinary `CompiledModel` with its own keys; `slices[i].settings.slice` says where it sits.
 * Slice 0 takes the model's inputs, quantized as for a single proof; the last gives its outputs.
 */
export class SlicedModel {
  readonly slices: readonly CompiledModel[];

  /** @internal */
  constructor(readonly native: Binding.SlicedModel) {
    this.slices = native.slices().map((m) => new CompiledModel(m));
  }

  /** Hash of the whole model (ONNX bytes and compile options); each slice has its own hash too. */
  get modelHash(): string {
    return this.native.modelHash;
  }

  /** Number of values crossing each boundary (K−1 entries). */
  get boundaryLengths(): number[] {
    return this.native.boundaryLens();
  }

  /**
   * One integer forward pass (cheap, synchronous): every slice's public inputs and outputs, so
   * each slice can be proved on its own (`prover.proveSlice(values[i].inputs)`), in parallel.
   * `SHAPE_MISMATCH`, `INVALID_INPUT` or `INPUT_OUT_OF_RANGE` on bad inputs.
   */
  forward(inputs: ModelInputs): SlicePublicValues[] {
    const values = toNativeInputs(inputs);
    return callNative(() => this.native.forward(values));
  }
}

/**
 * Compiles ONNX bytes into a chain of slice circuits off the JS thread. `BAD_SETTINGS` when the
 * model cannot be cut as asked; compile errors as `compileModel`.
 *
 * @example
 * const sliced = await compileSlices(await readFile('mlp.onnx'), { slices: 4 })
 */
export async function compileSlices(
  onnx: Uint8Array,
  options: CompileOptions & { slices: SliceBudget; signal?: AbortSignal },
): Promise<SlicedModel> {
  const { signal, slices, ...compile } = options;
  if (signal?.aborted) throw abortError(signal.reason);
  const n = typeof slices === 'number' ? slices : slices?.maxRows;
  if (!Number.isSafeInteger(n) || (n as number) < 1)
    throw new ProverError('BAD_SETTINGS', 'slices must be a positive integer count or { maxRows }');
  const budget = typeof slices === 'number' ? { count: slices } : { maxRows: slices.maxRows };
  return new SlicedModel(await awaitNative(() => native.compileSlices(onnx, compile, budget, signal)));
}
