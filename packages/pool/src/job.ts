import type { ProveResult } from '@omron/circuits';

/** Quantized public values as signed decimal strings, one array per model input and output. */
export type PublicInputs = ProveResult['publicInputs'];

/**
 * One unit of proving work. The circuit is named by its id (the sha256 of its verifying key), so a worker
 * with its own circuit store proves with exactly the keys the miner announced, or refuses the job.
 */
export interface ProofJob {
  /** Circuit id (vk-hash) in `@omron/circuits`. */
  circuitId: string;
  /** The model inputs (one array per model input); for a slice job, the inputs of the whole model. */
  inputs: number[][];
  /**
   * Prove one slice of a sliced model instead of the whole model: the slice's index in the chain and its
   * exact quantized inputs as decimal strings (one array per tensor), as the miner's one integer forward
   * pass (`SlicedModel.forward` in `@omron/prover`) computed them. The result's public values are then that
   * slice's inputs and outputs.
   */
  slice?: { index: number; inputs: string[][] };
}

/** What a worker hands back for one {@link ProofJob}. */
export interface ProofJobResult {
  proof: Uint8Array;
  /** Quantized public values the proof is bound to (inputs, outputs), as decimal strings. */
  publicInputs: PublicInputs;
  /** Dequantized outputs, one flat array per model output. */
  outputs: number[][];
  /** Witness + proof time on the worker. */
  proveMs: number;
  /** Which worker proved it (`embedded` in-process). */
  workerId: string;
}

/** A result and how it travelled through the pool, in epoch milliseconds (sub-millisecond resolution). */
export interface PoolAnswer {
  result: ProofJobResult;
  /** Enqueue → proving started. */
  waitMs: number;
  /** When the job was enqueued, proving started and finished, and the answer reached the submitter. */
  times: { enqueuedAt: number; startedAt: number; finishedAt: number; answeredAt: number };
}

/** The JSON form of a {@link ProofJobResult} in Redis (the proof as base64). */
export interface WireResult {
  proof: string;
  publicInputs: PublicInputs;
  outputs: number[][];
  proveMs: number;
  workerId: string;
  startedAt: number;
  finishedAt: number;
}

/** Wall-clock epoch milliseconds with sub-millisecond resolution (queue overheads are a few ms). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
