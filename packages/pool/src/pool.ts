import type { PoolAnswer, ProofJob } from './job.js';

export interface PoolSubmitOptions {
  /** Epoch ms after which the caller no longer wants the answer: the job leaves the queue, or is aborted. */
  deadline: number;
  /** Higher first (the caller's stake); equal priorities in arrival order. */
  priority?: number;
  /** The caller's own cancellation (e.g. the HTTP request closed). */
  signal?: AbortSignal;
}

/** A snapshot of the pool for `/healthz` and the metrics. */
export interface PoolStats {
  kind: 'embedded' | 'redis';
  /** False while the pool cannot take jobs (Redis unreachable). */
  up: boolean;
  /** Jobs waiting for a prover, across the whole pool. */
  waiting: number;
  /** Jobs being proven now, across the whole pool. */
  active: number;
  /** Jobs that failed for good and are still recorded (Redis keeps them an hour; 0 in-process). */
  failed: number;
  /** Provers serving the pool: in-process slots, or connected workers. */
  size: number;
  /** Why `up` is false. */
  down?: string;
}

/**
 * Where the miner puts proving jobs. Every submitted job ends exactly once: with its proof, or with a
 * {@link PoolError} (`QUEUE_FULL`, `DEADLINE_PASSED`, `CANCELLED`, `POOL_DOWN`, `BAD_INPUT`, `UNSUPPORTED_JOB`,
 * `PROVE_FAILED`).
 */
export interface ProvingPool {
  readonly kind: 'embedded' | 'redis';
  submit(job: ProofJob, options: PoolSubmitOptions): Promise<PoolAnswer>;
  stats(): Promise<PoolStats>;
  /** Stops taking jobs, cancels waiting ones, gives running ones `graceMs`, then releases everything. */
  close(graceMs?: number): Promise<void>;
}
