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
 * A {@link JobProver} over a circuit store opened with `role: 'prover'`.
 *
 * A slice job is refused with `UNSUPPORTED_JOB`: the circuit store holds whole circuits only; slices are
 * proven by `sliceJobProver` (which can take this prover for whole-model jobs).
 */
export function storeJobProver(store: CircuitStore, workerId: string): JobProver {
  return {
    circuitIds: () => store.list().map((c) => c.id),
    async prove(job, signal) {
      if (!store.has(job.circuitId)) {
        throw new PoolError('UNSUPPORTED_JOB', `worker ${workerId} does not serve circuit ${job.circuitId}`);
      }
      if (job.slice !== undefined) {
        throw new PoolError('UNSUPPORTED_JOB', `worker ${workerId} cannot prove slices yet`);
      }
      try {
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
