import type { PublicValue } from '@omron/circuits';
import type { AxonCertificate, ResponseSignatureStatus } from '@omron/protocol';

/**
 * The validator's view of its collaborators. The loop depends only on these shapes, so the step can be driven
 * by the real circuit store, dendrite and chain (see `validator.ts`) or by a test wiring of the same real parts.
 */

/** A uniform random number in [0, 1); the validator's own, cryptographically seeded source. */
export type Rng = () => number;

/**
 * The public instances a proof is checked against: the validator's own quantized inputs (one array per model
 * input) and the outputs the proof claims, flat, in circuit order; canonical decimal strings (`@omron/circuits`).
 */
export interface PublicValues {
  inputs: readonly (readonly PublicValue[])[];
  outputs: readonly PublicValue[];
}

/** One circuit as the validator uses it: pick it, make inputs, bind and verify proofs. */
export interface ValidatorCircuit {
  /** hex sha256 of the verifying key. */
  readonly id: string;
  readonly name: string;
  /** Seconds a miner has to answer a request for this circuit. */
  readonly timeoutS: number;
  /** Relative probability of being chosen for a step (0 = never). */
  readonly benchmarkWeight: number;
  /** Fresh float inputs, one array per model input. */
  generateInput(rng: Rng): number[][];
  /** The validator's own quantization of `inputs`: what the proof's public inputs must equal. */
  quantizeInputs(inputs: number[][]): readonly (readonly PublicValue[])[];
  /** True iff `proof` verifies against the verifying key for exactly these public values. */
  verify(proof: Uint8Array, publicValues: PublicValues): Promise<boolean>;
  /** Only on a sliced circuit: the number of public inputs of each slice, in chain order. */
  readonly sliceInputLengths?: readonly number[];
  /**
   * Only on a sliced circuit: true iff every slice proof verifies for exactly its values, slice 0's inputs are
   * `publicValues.inputs` and the last outputs `publicValues.outputs` (the links are checked by the binding).
   */
  verifyChain?(chain: readonly ChainLink[], publicValues: PublicValues): Promise<boolean>;
}

/** One slice of a chain as bound: its proof and public values (flat, in circuit order, canonical). */
export interface ChainLink {
  readonly proof: Uint8Array;
  readonly inputs: readonly PublicValue[];
  readonly outputs: readonly PublicValue[];
}

/** A miner's endpoint, from the metagraph. */
export interface MinerTarget {
  uid: number;
  hotkey: string;
  ip: string;
  port: number;
  /** The TLS key the miner announced with `serve_axon_tls`: the query goes over HTTPS pinned to it. */
  certificate?: AxonCertificate;
}

/** What came back from one request, as the dendrite saw it. */
export interface QueryResult {
  /** 200 on success; the SDK's codes otherwise (408 timeout, 503 unreachable, …). */
  statusCode: number;
  statusMessage: string | null;
  /** Seconds from send to answer, measured by the dendrite; null when nothing came back. */
  processTimeS: number | null;
  /** The synapse's `query_output` (JSON text of a proof payload), or null. */
  output: string | null;
  /**
   * The miner's signature of this answer, as the dendrite checked it against the miner's hotkey on the
   * metagraph, this request and the exact body; null when nothing came back.
   */
  responseSignature: ResponseSignatureStatus | null;
}

/** Sends one `QueryZkProof` to one miner. */
export type QueryMiner = (
  target: MinerTarget,
  request: { modelId: string; inputs: number[][] },
  timeoutS: number,
  signal?: AbortSignal,
) => Promise<QueryResult>;

/** A circuit as the inference API serves it: the loop's view plus what outside users need to call and verify. */
export interface ServedCircuit extends ValidatorCircuit {
  readonly description: string;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
  /** Largest |x| of an input value. */
  readonly maxAbsInput: number;
  readonly k: number;
  readonly scales: { input: number; param: number; output: number };
  readonly insecureSrs: boolean;
  /** Verifying key bytes (`id` is their sha256) and the prover's settings text. */
  readonly verifyingKey: Uint8Array;
  readonly settingsJson: string;
  /** Validates untrusted inputs against the circuit's schema; throws (code `INVALID_INPUT`) with the schema's message. */
  parseInput(value: unknown): number[][];
}

/** Whether a circuit carries what the inference API publishes (stand-in circuits of chain tests do not). */
export function isServedCircuit(circuit: ValidatorCircuit): circuit is ServedCircuit {
  return 'verifyingKey' in circuit && 'parseInput' in circuit && 'settingsJson' in circuit;
}
