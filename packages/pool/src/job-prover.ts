import { type CircuitStore, isCircuitStoreError } from '@omron/circuits';
import { PoolError } from './errors.js';
import type { ProofJob, ProofJobResult } from './job.js';

/** Proves one job where it runs: in the miner's process (embedded pool) or in a worker. */
export interface JobProver {
  /** Rejects with a {@link PoolError} (`INVALID_INPUT`, `UNSUPPORTED_JOB`, `PROVE_FAILED`) or the signal's reason. */
  prove(job: ProofJob, signal: AbortSignal): Promise<ProofJobResult>;
  /** Circuit ids this prover can serve. */
  circuitIds(): string[];
}

/**
 * A {@link JobProver} over a circuit store opened with `role: 'prover'`: a whole-model job proves the model, a
 * slice job (`job.slice`) proves that one slice of a sliced circuit from its exact integer inputs.
 */
export function storeJobProver(store: CircuitStore, workerId: string): JobProver {
  return {
    circuitIds: () => store.list().map((c) => c.id),
    async prove(job, signal) {
      if (!store.has(job.circuitId)) {
        throw new PoolError('UNSUPPORTED_JOB', `worker ${workerId} does not serve circuit ${job.circuitId}`);
      }
      const sliced = store.get(job.circuitId).slices !== undefined;
      if (sliced !== (job.slice !== undefined)) {
        throw new PoolError(
          'UNSUPPORTED_JOB',
          sliced
            ? `circuit ${job.circuitId} is sliced: a job proves one of its slices`
            : `circuit ${job.circuitId} is not sliced: a job proves the whole model`,
        );
      }
      try {
        if (job.slice !== undefined) {
          const r = await store
            .prover(job.circuitId)
            .proveSlice(job.slice.index, job.slice.inputs, { signal });
          return {
            proof: r.proof,
            publicInputs: r.publicInputs,
            outputs: r.outputs,
            proveMs: r.timings.witnessMs + r.timings.proveMs,
            workerId,
          };
        }
        const r = await store.prover(job.circuitId).prove(job.inputs, { signal });
        return {
          proof: r.proof,
          publicInputs: r.publicInputs,
          outputs: r.outputs,
          proveMs: r.timings.witnessMs + r.timings.proveMs,
          workerId,
        };
      } catch (e) {
        if (signal.aborted) throw signal.reason;
        if (isCircuitStoreError(e) && e.code === 'INVALID_INPUT') {
          throw new PoolError('INVALID_INPUT', e.message, { cause: e });
        }
        throw new PoolError('PROVE_FAILED', `worker ${workerId}: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}
