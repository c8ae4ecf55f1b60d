import type { PublicInputs } from '@omron/prover';
import type { CircuitSettings } from './backend.js';
import { CircuitStoreError } from './errors.js';
import { elementCount } from './input.js';

export type { PublicInputs } from '@omron/prover';

/**
 * A quantized public value: a canonical signed decimal integer (`0`, `-12`, never `+12`, `012` or `-0`). The one
 * representation from the addon to the wire, exact for any value; equal strings are equal values.
 */
export type PublicValue = string;

/** The BN254 scalar field modulus: a proof's public instances are elements of this field. */
export const BN254_FR_MODULUS =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const HALF = BN254_FR_MODULUS / 2n;
const SIGNAL = /^(?:-?[0-9]{1,80}|0x[0-9a-fA-F]{1,64})$/;

/**
 * Reads one public signal from the wire as the circuit sees it: a field element written as a signed decimal, as a
 * decimal in [0, p) (negatives wrapped to p − |x|) or as 0x-hex, returned as its canonical {@link PublicValue}
 * (elements above p/2 are the negatives). `null` for anything else: floats, junk, values outside (−p, p).
 */
export function readPublicSignal(text: unknown): PublicValue | null {
  if (typeof text !== 'string' || !SIGNAL.test(text)) return null;
  const n = BigInt(text);
  if (n >= BN254_FR_MODULUS || n <= -BN254_FR_MODULUS) return null;
  const element = n < 0n ? n + BN254_FR_MODULUS : n;
  return (element > HALF ? element - BN254_FR_MODULUS : element).toString();
}

/**
 * Flattens public instances into the wire list (`ProofPayload.public_signals`): every input tensor, then every
 * output tensor, as they are (canonical decimal strings from the addon).
 */
export function toPublicSignals(publicInputs: {
  inputs: readonly (readonly PublicValue[])[];
  outputs: readonly (readonly PublicValue[])[];
}): PublicValue[] {
  return [...publicInputs.inputs.flat(), ...publicInputs.outputs.flat()];
}

/** Splits a flat list into tensors of these shapes; `null` when the counts differ. */
export function splitByShapes<T>(values: readonly T[], shapes: readonly (readonly number[])[]): T[][] | null {
  const sizes = shapes.map(elementCount);
  if (values.length !== sizes.reduce((a, b) => a + b, 0)) return null;
  let at = 0;
  return sizes.map((size) => {
    at += size;
    return values.slice(at - size, at);
  });
}

/**
 * Splits a wire list back into input and output tensors by the circuit's shapes, each value canonical;
 * `INVALID_INPUT` when it cannot (wrong count, a signal that is not a field element).
 */
export function fromPublicSignals(settings: CircuitSettings, signals: readonly string[]): PublicInputs {
  const values = signals.map(readPublicSignal);
  if (values.some((v) => v === null)) {
    throw new CircuitStoreError(
      'INVALID_INPUT',
      'public signals must be signed decimal integers (field elements)',
    );
  }
  const tensors = splitByShapes(values as PublicValue[], [
    ...settings.input_shapes,
    ...settings.output_shapes,
  ]);
  if (tensors === null) {
    const total = [...settings.input_shapes, ...settings.output_shapes]
      .map(elementCount)
      .reduce((a, b) => a + b, 0);
    throw new CircuitStoreError('INVALID_INPUT', `expected ${total} public signals, got ${signals.length}`);
  }
  return {
    inputs: tensors.slice(0, settings.input_shapes.length),
    outputs: tensors.slice(settings.input_shapes.length),
  };
}

/** Real values of fixed-point integers at `2^scale` (the model outputs a proof attests to). */
export function dequantize(values: readonly PublicValue[], scale: number): number[] {
  const unit = 2 ** scale;
  return values.map((v) => Number(v) / unit);
}
