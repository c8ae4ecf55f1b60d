import type * as Binding from '../binding.cjs';
import { ProverError } from './errors.js';

/** Model inputs: one flat (row-major) array of real numbers per model input. */
export type ModelInputs = ReadonlyArray<ArrayLike<number>>;

/**
 * Quantized public values a proof is bound to: canonical signed decimal strings, exact for any
 * integer the circuit uses (the generated binding type; the addon is the only converter).
 */
export type PublicInputs = Binding.PublicInputs;

/** Copies inputs into plain arrays for the addon; `INVALID_INPUT` for non-numbers. */
export function toNativeInputs(inputs: ModelInputs): number[][] {
  if (!Array.isArray(inputs)) {
    throw new ProverError('INVALID_INPUT', 'inputs must be an array with one array per model input');
  }
  return inputs.map((input, i) => {
    if (input === null || typeof input !== 'object' || typeof input.length !== 'number') {
      throw new ProverError('INVALID_INPUT', `input ${i} must be an array of numbers`);
    }
    const values: unknown[] = Array.from(input as ArrayLike<unknown>);
    if (values.some((v) => typeof v !== 'number')) {
      throw new ProverError('INVALID_INPUT', `input ${i} contains a value that is not a number`);
    }
    return values as number[];
  });
}

/** Checks the shape of public inputs received from elsewhere (e.g. JSON on the wire); the addon parses the values. */
export function toNativePublicInputs(publicInputs: PublicInputs): PublicInputs {
  const part = (value: unknown, name: string): string[][] => {
    const ok =
      Array.isArray(value) &&
      value.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'string'));
    if (!ok) {
      throw new ProverError(
        'INVALID_INPUT',
        `publicInputs.${name} must be arrays of decimal integer strings`,
      );
    }
    return value as string[][];
  };
  if (publicInputs === null || typeof publicInputs !== 'object') {
    throw new ProverError('INVALID_INPUT', 'publicInputs must be { inputs, outputs }');
  }
  return { inputs: part(publicInputs.inputs, 'inputs'), outputs: part(publicInputs.outputs, 'outputs') };
}
