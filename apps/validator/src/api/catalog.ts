import type { CircuitInfo } from '@omron/client';
import type { ServedCircuit } from '../ports.js';
import { ApiError } from './api-error.js';

export const PROOF_SYSTEM = 'halo2-kzg-bn254';

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** JSON Schema (2020-12) of a circuit's `inputs`: one flat array per model input, exact lengths, bounded values. */
export function inputJsonSchema(circuit: ServedCircuit): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'array',
    minItems: circuit.inputShapes.length,
    maxItems: circuit.inputShapes.length,
    prefixItems: circuit.inputShapes.map((shape) => ({
      type: 'array',
      description: `shape [${shape.join(', ')}], flattened row-major`,
      minItems: count(shape),
      maxItems: count(shape),
      items: { type: 'number', minimum: -circuit.maxAbsInput, maximum: circuit.maxAbsInput },
    })),
  };
}

/** What `GET /v1/circuits/:id` says about one circuit. */
export function circuitInfo(circuit: ServedCircuit, base = '/v1'): CircuitInfo {
  return {
    id: circuit.id,
    name: circuit.name,
    description: circuit.description,
    proofSystem: PROOF_SYSTEM,
    inputShapes: circuit.inputShapes.map((s) => [...s]),
    outputShapes: circuit.outputShapes.map((s) => [...s]),
    maxAbsInput: circuit.maxAbsInput,
    inputSchema: inputJsonSchema(circuit),
    k: circuit.k,
    scales: circuit.scales,
    insecureSrs: circuit.insecureSrs,
    timeoutS: circuit.timeoutS,
    vk: `${base}/circuits/${circuit.id}/vk`,
    settings: `${base}/circuits/${circuit.id}/settings`,
  };
}

/** The served circuits, found by id or name. */
export class CircuitCatalog {
  readonly #byKey = new Map<string, ServedCircuit>();

  constructor(readonly circuits: readonly ServedCircuit[]) {
    for (const c of circuits) {
      this.#byKey.set(c.id, c);
      this.#byKey.set(c.name, c);
    }
  }

  /** `UNKNOWN_CIRCUIT` (404) when neither an id nor a name matches. */
  get(idOrName: unknown): ServedCircuit {
    const found = typeof idOrName === 'string' ? this.#byKey.get(idOrName) : undefined;
    if (!found) {
      throw new ApiError(
        'UNKNOWN_CIRCUIT',
        `no circuit ${JSON.stringify(idOrName)?.slice(0, 80)}; served: ${this.circuits.map((c) => c.name).join(', ')}`,
      );
    }
    return found;
  }

  /** Validates untrusted inputs; `INVALID_INPUT` (400) with the schema's message. */
  parseInputs(circuit: ServedCircuit, inputs: unknown): number[][] {
    try {
      return circuit.parseInput(inputs);
    } catch (err) {
      const e = err as { message?: string; details?: unknown };
      // The store speaks of the synapse field (`public_inputs`); here the field is `inputs`.
      const message = (e.message ?? 'invalid inputs').replace(/^public_inputs/, 'inputs');
      throw new ApiError('INVALID_INPUT', message, {
        schema: inputJsonSchema(circuit),
        ...(e.details === undefined ? {} : { issues: (e.details as { issues?: unknown }).issues }),
      });
    }
  }
}
