import type { CircuitSettings } from './backend.js';
import { generateInput, inputSchema, parseInput } from './input.js';
import type { CircuitMetadata } from './metadata.js';
import type { Rng } from './rng.js';

/**
 * A loaded, ready circuit. `id` is the hex SHA-256 of its verifying key bytes, so a miner and a
 * validator that built keys from the same model and SRS agree on it without talking.
 */
export interface Circuit {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Shape of the first model input (batch included); see `inputShapes` for models with several. */
  readonly inputShape: number[];
  readonly inputShapes: number[][];
  /** Seconds a validator gives a miner to answer. */
  readonly timeoutS: number;
  /** Relative chance that a validator picks this circuit for a benchmark request. */
  readonly benchmarkWeight: number;
  readonly settings: CircuitSettings;
  /** True when the keys were built on the insecure development SRS. */
  readonly insecureSrs: boolean;
  /**
   * Only on a sliced circuit: each slice's settings, in chain order. `settings` then describes the whole
   * chain (slice 0's inputs and scales, the last slice's outputs, the whole model's hash, the largest k).
   */
  readonly slices?: readonly CircuitSettings[];
  /** Zod schema of `query_input.public_inputs` for this circuit. */
  readonly inputSchema: ReturnType<typeof inputSchema>;
  /** A fresh benchmark input (one flat array per model input), drawn as the metadata says. */
  generateInput(rng?: Rng): number[][];
  /** Validates an untrusted `public_inputs` value; throws `INVALID_INPUT` with a readable message. */
  parseInput(value: unknown): number[][];
}

/** Builds the {@link Circuit} record from its metadata, compiled settings and key id. */
export function makeCircuit(
  meta: CircuitMetadata,
  settings: CircuitSettings,
  id: string,
  insecureSrs: boolean,
  slices?: readonly CircuitSettings[],
): Circuit {
  const shapes = meta.inputs.map((i) => i.shape);
  // The circuit range-limits inputs; without a stated limit, accept what the generator draws with margin.
  const maxAbs =
    settings.max_abs_input ??
    Math.max(...meta.inputs.map((i) => Math.max(Math.abs(i.generator.min), i.generator.max))) * 4;
  const schema = inputSchema(shapes, maxAbs);
  return {
    id,
    name: meta.name,
    description: meta.description,
    inputShape: shapes[0] ?? [],
    inputShapes: shapes,
    timeoutS: meta.timeoutS,
    benchmarkWeight: meta.benchmarkWeight,
    settings,
    insecureSrs,
    inputSchema: schema,
    generateInput: (rng = Math.random) => generateInput(meta.inputs, rng),
    parseInput: (value) => parseInput(schema, value),
    ...(slices ? { slices } : {}),
  };
}
