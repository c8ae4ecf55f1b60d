import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CircuitStore } from '@omron/circuits';
import type { ProofJob, ProvingPool } from '@omron/pool';

export type DevBehavior = 'honest' | 'wrong-input' | 'garbage';

export interface DevFaults {
  delayMs: number;
  behavior: DevBehavior;
}

/** True when the development faults change anything (only then is the wrapper installed). */
export function hasDevFaults(dev: DevFaults): boolean {
  return dev.behavior !== 'honest' || dev.delayMs > 0;
}

/**
 * Local network only (the config refuses it elsewhere): a pool that answers dishonestly or slowly, for the
 * dishonest-miner demo and the validator's end-to-end tests. `wrong-input` proves a fresh random input instead
 * of the caller's, `garbage` replaces the proof with random bytes of the same length, `delayMs` waits before
 * answering. Installed around the real pool only when configured, so the honest path has no branch for it.
 */
export function withDevFaults(pool: ProvingPool, dev: DevFaults, store: CircuitStore): ProvingPool {
  return {
    kind: pool.kind,
    stats: () => pool.stats(),
    close: (graceMs) => pool.close(graceMs),
    async submit(job, options) {
      const proven = dev.behavior === 'wrong-input' ? wrongInput(job, store) : job;
      const answer = await pool.submit(proven, options);
      if (dev.behavior === 'garbage') {
        answer.result = { ...answer.result, proof: new Uint8Array(randomBytes(answer.result.proof.length)) };
      }
      if (dev.delayMs > 0) await sleep(dev.delayMs);
      return answer;
    },
  };
}

/** The job on a fresh random input; a slice job proves that slice of the fresh input's forward pass. */
function wrongInput(job: ProofJob, store: CircuitStore): ProofJob {
  const inputs = store.get(job.circuitId).generateInput();
  if (job.slice === undefined) return { ...job, inputs };
  const values = store.prover(job.circuitId).forward(inputs);
  return { ...job, inputs, slice: { index: job.slice.index, inputs: values[job.slice.index]!.inputs } };
}
