import type * as Binding from '../binding.cjs';
import { abortError, awaitNative, callNative } from './errors.js';
import { readBytes } from './files.js';
import { native } from './native.js';
import { ModelSettings } from './settings.js';

/**
 * Fixed-point options for compiling (the generated binding type); omitted fields take the
 * core's defaults (scales 2^13, Sigmoid/Tanh table resolution 2^8 over 12 index bits).
 */
export type CompileOptions = Binding.CompileOptions;

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
