import { type Circuit, type CircuitVerifier, splitByShapes } from '@omron/circuits';
import { chainVerification } from './chain-circuit.js';
import type { ServedCircuit } from './ports.js';

interface ProverScales {
  input: number;
  param: number;
  output: number;
}

/**
 * A circuit of the store as the validator loop (and the inference API) sees it: the flat outputs a payload
 * claims are reshaped to the circuit's output shapes for the verifier (values stay canonical decimal strings).
 */
export function toValidatorCircuit(circuit: Circuit, verifier: CircuitVerifier): ServedCircuit {
  const maxAbsInput = maxAbsOf(circuit);
  // A sliced circuit is verified as a chain (the store's chain verifier over every slice's key).
  const chain = circuit.slices
    ? chainVerification(
        {
          verify: (parts, claim) =>
            verifier.verifyChain(parts, claim as { inputs: string[][]; outputs: string[][] }),
        },
        circuit.slices.map((s) => ({ inputShapes: s.input_shapes, outputShapes: s.output_shapes })),
      )
    : {};
  return {
    ...chain,
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
    quantizeInputs: (inputs) => verifier.expectedPublicInputs(inputs),
    async verify(proof, publicValues) {
      const outputs = splitByShapes(publicValues.outputs, circuit.settings.output_shapes);
      if (outputs === null) return false;
      return verifier.verify(proof, { inputs: publicValues.inputs.map((row) => [...row]), outputs });
    },
  };
}

/** The input bound the circuit enforces (every prover settings file records it). */
function maxAbsOf(circuit: Circuit): number {
  const bound = circuit.settings.max_abs_input;
  if (typeof bound !== 'number') throw new TypeError(`${circuit.name}: settings carry no max_abs_input`);
  return bound;
}
