import type { CircuitSettings, PublicInputs } from './backend.js';
import { CircuitStoreError } from './errors.js';
import { elementCount } from './input.js';

/**
 * Flattens public instances into the wire list (`ProofPayload.public_signals`): every input
 * tensor, then every output tensor, as signed decimal strings.
 */
export function toPublicSignals(publicInputs: PublicInputs): string[] {
  return [...publicInputs.inputs.flat(), ...publicInputs.outputs.flat()];
}

/** Splits a wire list back into input and output tensors by the circuit's shapes; `INVALID_INPUT` when it cannot. */
export function fromPublicSignals(settings: CircuitSettings, signals: readonly string[]): PublicInputs {
  const sizes = [...settings.input_shapes, ...settings.output_shapes].map(elementCount);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (signals.length !== total) {
    throw new CircuitStoreError('INVALID_INPUT', `expected ${total} public signals, got ${signals.length}`);
  }
  if (!signals.every((s) => /^-?\d{1,40}$/.test(s))) {
    throw new CircuitStoreError('INVALID_INPUT', 'public signals must be signed decimal integers');
  }
  const tensors: string[][] = [];
  let at = 0;
  for (const size of sizes) {
    tensors.push(signals.slice(at, at + size));
    at += size;
  }
  return {
    inputs: tensors.slice(0, settings.input_shapes.length),
    outputs: tensors.slice(settings.input_shapes.length),
  };
}
