import type { Circuit, CircuitVerifier } from '@omron/circuits';
import { BN254_FR_MODULUS } from './field.js';
import type { FieldValue, ServedCircuit } from './ports.js';

type Quantized = FieldValue[][];

/** A field element back to the prover's signed integer (elements above p/2 are negatives). */
function toSigned(element: bigint): bigint {
  return element > BN254_FR_MODULUS / 2n ? element - BN254_FR_MODULUS : element;
}

/** Converts to the same representation the prover used for the inputs (number, bigint or text). */
function like(sample: FieldValue | undefined, value: bigint): FieldValue {
  if (typeof sample === 'number') return Number(value);
  if (typeof sample === 'string') return value.toString();
  return value;
}

interface ProverScales {
  input: number;
  param: number;
  output: number;
}

/**
 * A circuit of the store as the validator loop (and the inference API) sees it: the flat outputs a payload
 * claims are reshaped to the circuit's output shapes for the verifier, in the prover's own integer
 * representation.
 */
export function toValidatorCircuit(circuit: Circuit, verifier: CircuitVerifier): ServedCircuit {
  const outputSizes = circuit.settings.output_shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const maxAbsInput = maxAbsOf(circuit);
  return {
    id: circuit.id,
    name: circuit.name,
    timeoutS: circuit.timeoutS,
    benchmarkWeight: circuit.benchmarkWeight,
    description: circuit.description,
    inputShapes: circuit.inputShapes,
    outputShapes: circuit.settings.output_shapes,
    maxAbsInput,
    k: circuit.settings.k,
    scales: circuit.settings.scales as ProverScales,
    insecureSrs: circuit.insecureSrs,
    verifyingKey: verifier.verifyingKey,
    settingsJson: verifier.settingsJson,
    parseInput: (value) => circuit.parseInput(value),
    generateInput: (rng) => circuit.generateInput(rng),
    quantizeInputs: (inputs) => verifier.expectedPublicInputs(inputs) as Quantized,
    async verify(proof, publicValues) {
      const total = outputSizes.reduce((a, b) => a + b, 0);
      if (publicValues.outputs.length !== total) return false;
      const sample = publicValues.inputs[0]?.[0];
      let offset = 0;
      const outputs = outputSizes.map((size) => {
        const part = publicValues.outputs.slice(offset, offset + size).map((v) => like(sample, toSigned(v)));
        offset += size;
        return part;
      });
      return verifier.verify(proof, {
        inputs: publicValues.inputs as Quantized,
        outputs,
      } as Parameters<CircuitVerifier['verify']>[1]);
    },
  };
}

/** The input bound the circuit enforces (every prover settings file records it). */
function maxAbsOf(circuit: Circuit): number {
  const bound = circuit.settings.max_abs_input;
  if (typeof bound !== 'number') throw new TypeError(`${circuit.name}: settings carry no max_abs_input`);
  return bound;
}
