import { availableParallelism } from 'node:os';
import { ProvingQueue } from './bounded-queue.js';
import { type PoolAnswer, type ProofJob, preciseNow } from './job.js';
import type { JobProver } from './job-prover.js';
import type { PoolStats, PoolSubmitOptions, ProvingPool } from './pool.js';

export interface EmbeddedPoolOptions {
  prover: JobProver;
  /** Proofs at a time (default: {@link defaultConcurrency}). */
  concurrency?: number;
  /** Jobs allowed to wait; more are refused with `QUEUE_FULL`. */
  maxLength: number;
  /** Called whenever the number of waiting or running jobs changes. */
  onChange?: (state: { waiting: number; running: number }) => void;
}

/**
 * Proofs at a time that suit this machine. The native prover already spreads one proof over every core,
 * so two at a time only pays where there are cores to spare (it overlaps one proof's serial witness phase
 * with another's parallel MSMs); one per eight cores beyond that.
 */
export function defaultConcurrency(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 8));
}

/** The in-process pool: a bounded priority queue in front of the miner's own prover. No extra service. */
export class EmbeddedPool implements ProvingPool {
  readonly kind = 'embedded';
  private readonly queue: ProvingQueue;
  private readonly concurrency: number;

  constructor(private readonly options: EmbeddedPoolOptions) {
    this.concurrency = options.concurrency ?? defaultConcurrency();
    this.queue = new ProvingQueue({
      concurrency: this.concurrency,
      maxLength: options.maxLength,
      ...(options.onChange ? { onChange: options.onChange } : {}),
    });
  }

  async submit(job: ProofJob, options: PoolSubmitOptions): Promise<PoolAnswer> {
    const enqueuedAt = preciseNow();
    let startedAt = 0;
    let finishedAt = 0;
    const { value: result } = await this.queue.submit(
      async (signal) => {
        startedAt = preciseNow();
        const r = await this.options.prover.prove(job, signal);
        finishedAt = preciseNow();
        return r;
      },
      {
        deadline: options.deadline,
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    const answeredAt = preciseNow();
    return {
      result,
      waitMs: startedAt - enqueuedAt,
      times: { enqueuedAt, startedAt, finishedAt, answeredAt },
    };
  }

  async stats(): Promise<PoolStats> {
    return {
      kind: 'embedded',
      up: true,
      waiting: this.queue.depth,
      active: this.queue.active,
      failed: 0,
      size: this.concurrency,
    };
  }

  close(graceMs = 0): Promise<void> {
    return this.queue.close(graceMs);
  }
}
