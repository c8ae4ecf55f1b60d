import { PoolError } from './errors.js';
import type { ProofJob, ProofJobResult } from './job.js';
import type { JobProver } from './job-prover.js';

/** What proving one slice needs: `Prover#proveSlice` of `@omron/prover`, for the slice's own keys. */
export interface SliceProver {
  proveSlice(
    inputs: string[][],
    options?: { signal?: AbortSignal },
  ): Promise<{
    proof: Uint8Array;
    publicInputs: { inputs: string[][]; outputs: string[][] };
    outputs: number[][];
    timings: { witnessMs: number; proveMs: number };
  }>;
}

/** A sliced circuit a worker serves: its chain id (`chainId` of the slices' verifying keys) and one prover per slice. */
export interface SlicedCircuit {
  id: string;
  provers: readonly SliceProver[];
}

/**
 * Proves slice jobs (`job.slice`) of the sliced circuits it holds: the job's circuit id is the chain id and
 * `slice.index` picks the slice's prover; the slice's inputs come from the miner's integer forward pass, so
 * every slice of one request can run on a different worker at once. Whole-model jobs go to `whole`.
 */
export function sliceJobProver(
  circuits: readonly SlicedCircuit[],
  workerId: string,
  whole?: JobProver,
): JobProver {
  const byId = new Map(circuits.map((c) => [c.id, c]));
  return {
    circuitIds: () => [...(whole?.circuitIds() ?? []), ...byId.keys()],
    async prove(job: ProofJob, signal: AbortSignal): Promise<ProofJobResult> {
      if (!job.slice) {
        if (whole) return whole.prove(job, signal);
        throw new PoolError('UNSUPPORTED_JOB', `worker ${workerId} proves slices only`);
      }
      const prover = byId.get(job.circuitId)?.provers[job.slice.index];
      if (!prover) {
        throw new PoolError(
          'UNSUPPORTED_JOB',
          `worker ${workerId} has no slice ${job.slice.index} of circuit ${job.circuitId}`,
        );
      }
      try {
        const r = await prover.proveSlice(job.slice.inputs, { signal });
        return {
          proof: r.proof,
          publicInputs: r.publicInputs,
          outputs: r.outputs,
          proveMs: r.timings.witnessMs + r.timings.proveMs,
          workerId,
        };
      } catch (e) {
        if (signal.aborted) throw signal.reason;
        const code = (e as { code?: unknown }).code;
        if (code === 'INVALID_INPUT' || code === 'INPUT_OUT_OF_RANGE' || code === 'SHAPE_MISMATCH') {
          throw new PoolError('INVALID_INPUT', (e as Error).message, { cause: e });
        }
        throw new PoolError('PROVE_FAILED', `worker ${workerId}: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}
