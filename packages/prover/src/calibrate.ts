import type * as Binding from '../binding.cjs';
import { abortError, awaitNative, callNative } from './errors.js';
import { type ModelInputs, toNativeInputs } from './inputs.js';
import type { CompileOptions } from './model.js';
import { native } from './native.js';

/** What `calibrate` searches over (the generated binding type); omitted fields take the core's defaults. */
export type CalibrateOptions = Binding.CalibrateOptions;

function nativeSamples(samples: readonly ModelInputs[]): number[][][] {
  return callNative(() => {
    if (!Array.isArray(samples)) throw new TypeError('samples must be an array of input sets');
    return samples.map((sample) => toNativeInputs(sample));
  });
}

function nativeOptions(options: CalibrateOptions) {
  const { minScale, margin, fidelityBound, base } = options;
  return { minScale, margin, fidelityBound, base };
}

/**
 * Chooses compile options from sample inputs, off the JS thread: the smallest circuit whose
 * outputs stay within `fidelityBound` of the float model on every sample, with lookup and
 * value ranges sized to what the samples reach (times `margin`). The result carries a
 * `calibration` record, lands in `settings.calibration` and compiles as is. Inputs beyond
 * the calibrated range are later rejected with `INPUT_OUT_OF_RANGE`.
 * Fails with `BAD_SETTINGS` (no samples, margin < 1, bound ≤ 0), `SHAPE_MISMATCH`,
 * `BAD_MODEL`, `UNSUPPORTED_OP`, or `CANCELLED`.
 *
 * @example
 * const options = await calibrate(onnx, samples, { fidelityBound: 0.01 })
 * const model = await compileModel(onnx, options)
 */
export async function calibrate(
  onnx: Uint8Array,
  samples: readonly ModelInputs[],
  options: CalibrateOptions & { signal?: AbortSignal } = {},
): Promise<CompileOptions> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal.reason);
  const inputs = nativeSamples(samples);
  return awaitNative(() => native.calibrate(onnx, inputs, nativeOptions(options), signal));
}

/** Calibrates on the calling thread (blocks the event loop). */
export function calibrateSync(
  onnx: Uint8Array,
  samples: readonly ModelInputs[],
  options: CalibrateOptions = {},
): CompileOptions {
  const inputs = nativeSamples(samples);
  return callNative(() => native.calibrateSync(onnx, inputs, nativeOptions(options)));
}
