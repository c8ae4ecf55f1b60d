import type * as Binding from '../binding.cjs';
import { abortError, awaitNative, callNative } from './errors.js';
import { readBytes } from './files.js';
import { native } from './native.js';
import { type Calibration, ModelSettings } from './settings.js';

/**
 * Fixed-point options for compiling; omitted fields take the core's defaults
 * (scales 2^13, Sigmoid/Tanh table resolution 2^8 over 12 index bits).
 */
export interface CompileOptions {
  /** Inputs are quantized as round(x·2^inputScale). */
  inputScale?: number;
  /** Weights and constants are quantized as round(w·2^paramScale). */
  paramScale?: number;
  /** Resolution of the Sigmoid/Tanh table index (≤ inputScale). */
  lookupScale?: number;
  /** Bits of the signed lookup-table index. */
  lookupBits?: number;
  /** Largest number of products per dot-product row tried when fitting the layout. */
  maxWidth?: number;
  /**
   * Check layers whose weights are reused across positions (convolutions, recurrent weights over
   * time) with verifier challenges where that needs fewer rows (default true); false lays out
   * every multiply-add in dot rows.
   */
  challengeChecks?: boolean;
  /** Requantization blocks side by side per band, one lookup argument each (default: by estimated cost). */
  actGroups?: number;
  /** Set by `calibrate`: how these options were chosen; recorded in the settings. */
  calibration?: Calibration;
}

/** A model compiled to a circuit, held in native memory. */
export class CompiledModel {
  readonly settings: ModelSettings;

  /** @internal */
  constructor(readonly native: Binding.CompiledModel) {
    this.settings = ModelSettings.parse(native.settingsJson);
  }

  /** Hex SHA-256 of the ONNX bytes and the compile options. */
  get modelHash(): string {
    return this.settings.modelHash;
  }
}

/**
 * Compiles ONNX bytes into a circuit off the JS thread.
 * Fails with `UNSUPPORTED_OP` (naming the op and node) or `BAD_MODEL`.
 *
 * @example
 * const model = await compileModel(await readFile('mlp.onnx'))
 * console.log(model.settings.k, model.modelHash)
 */
export async function compileModel(
  onnx: Uint8Array,
  options: CompileOptions & { signal?: AbortSignal } = {},
): Promise<CompiledModel> {
  const { signal, ...compile } = options;
  if (signal?.aborted) throw abortError(signal.reason);
  const compiled = await awaitNative(() => native.compileModel(onnx, compile, signal));
  return new CompiledModel(compiled);
}

/** Compiles on the calling thread (blocks the event loop; fine for scripts and small models). */
export function compileModelSync(onnx: Uint8Array, options: CompileOptions = {}): CompiledModel {
  return new CompiledModel(callNative(() => native.compileModelSync(onnx, options)));
}

/** Reads an ONNX file and compiles it. */
export async function loadModel(path: string, options: CompileOptions = {}): Promise<CompiledModel> {
  return compileModel(await readBytes(path), options);
}
