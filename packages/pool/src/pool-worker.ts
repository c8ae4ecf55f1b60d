import { hostname } from 'node:os';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { isPoolError, PoolError } from './errors.js';
import { preciseNow, type WireResult } from './job.js';
import type { JobProver } from './job-prover.js';
import type { WireJob } from './redis-pool.js';
import {
  checkRedisUrl,
  DEFAULT_STALL,
  POOL_PREFIX,
  POOL_QUEUE,
  redactRedisUrl,
  type StallSettings,
} from './settings.js';

/** One finished job, for the worker's metrics and log. */
export interface WorkerJobEvent {
  jobId: string;
  circuitId: string;
  /** `ok`, or the failure's code (`DEADLINE_PASSED`, `BAD_INPUT`, `PROVE_FAILED`, …). */
  result: string;
  proveMs?: number;
  message?: string;
}

export interface PoolWorkerOptions {
  url: string;
  prover: JobProver;
  /** Names this worker in results and metrics (default `<hostname>-<pid>`). */
  id?: string;
  /** Proofs at a time on this worker (default 1: one proof already uses every core). */
  concurrency?: number;
  queue?: string;
  stall?: Partial<StallSettings>;
  onJob?: (event: WorkerJobEvent) => void;
  onStatus?: (up: boolean, detail: string) => void;
}

/**
 * The worker side of the Redis pool: takes jobs off the BullMQ queue and proves them with its own
 * {@link JobProver}. A job whose deadline has passed is dropped without work (and not retried); a running
 * proof is aborted at the deadline; input errors are not retried; other failures are retried on another
 * attempt, and a job whose worker dies goes back to the queue through BullMQ's stalled-job check.
 */
export class PoolWorker {
  readonly id: string;
  private readonly worker: Worker<WireJob, WireResult>;
  private connected = false;
  private lastProblem = 'connecting to Redis';

  constructor(private readonly options: PoolWorkerOptions) {
    const url = checkRedisUrl(options.url);
    this.id = options.id ?? `${hostname()}-${process.pid}`;
    const stall = { ...DEFAULT_STALL, ...options.stall };
    this.worker = new Worker<WireJob, WireResult>(
      options.queue ?? POOL_QUEUE,
      (job, _token, signal) => this.process(job, signal),
      {
        connection: { url, retryStrategy: (times: number) => Math.min(100 * times, 1000) },
        prefix: POOL_PREFIX,
        name: this.id,
        concurrency: options.concurrency ?? 1,
        lockDuration: stall.lockMs,
        stalledInterval: stall.stalledIntervalMs,
        maxStalledCount: stall.maxStalls,
        autorun: false,
      },
    );
    const where = redactRedisUrl(url);
    this.worker.on('ready', () => {
      this.connected = true;
      options.onStatus?.(true, `taking jobs from Redis at ${where}`);
    });
    this.worker.on('error', (err) => {
      this.lastProblem = err.message;
      if (this.connected) options.onStatus?.(false, `Redis at ${where}: ${err.message}`);
      this.connected = false;
    });
  }

  /** Starts taking jobs (returns at once; the worker reconnects by itself while Redis is away). */
  start(): void {
    this.worker.run().catch((err: unknown) => {
      this.lastProblem = (err as Error).message;
    });
  }

  /** True while connected to Redis; `problem` says why not. */
  health(): { connected: boolean; problem?: string; running: boolean } {
    return {
      connected: this.connected,
      running: this.worker.isRunning(),
      ...(this.connected ? {} : { problem: this.lastProblem }),
    };
  }

  private async process(job: Job<WireJob, WireResult>, bullSignal?: AbortSignal): Promise<WireResult> {
    const data = job.data;
    const event = (result: string, extra: Partial<WorkerJobEvent> = {}) =>
      this.options.onJob?.({ jobId: job.id ?? '?', circuitId: data.circuitId, result, ...extra });
    const left = data.deadline - Date.now();
    if (left <= 0) {
      event('DEADLINE_PASSED', { message: 'dropped before start' });
      throw new UnrecoverableError(
        "DEADLINE_PASSED: the caller's timeout passed before the proof could start",
      );
    }
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new PoolError('DEADLINE_PASSED', "the caller's timeout passed while proving")),
      left,
    );
    const signal = bullSignal ? AbortSignal.any([controller.signal, bullSignal]) : controller.signal;
    const startedAt = preciseNow();
    try {
      const r = await this.options.prover.prove(
        { circuitId: data.circuitId, inputs: data.inputs, ...(data.slice ? { slice: data.slice } : {}) },
        signal,
      );
      event('ok', { proveMs: r.proveMs });
      return {
        proof: Buffer.from(r.proof).toString('base64'),
        publicInputs: r.publicInputs,
        outputs: r.outputs,
        proveMs: r.proveMs,
        workerId: this.id,
        startedAt,
        finishedAt: preciseNow(),
      };
    } catch (e) {
      const err = isPoolError(e)
        ? e
        : signal.aborted && isPoolError(signal.reason)
          ? signal.reason
          : new PoolError('PROVE_FAILED', `worker ${this.id}: ${(e as Error).message}`);
      event(err.code, { message: err.message });
      const reason = `${err.code}: ${err.message}`;
      // Another attempt cannot fix a bad input or a passed deadline.
      if (err.code === 'BAD_INPUT' || err.code === 'DEADLINE_PASSED') throw new UnrecoverableError(reason);
      throw new Error(reason);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Finishes the running proofs (up to `graceMs`, then aborts them) and disconnects. */
  async close(graceMs = 0): Promise<void> {
    const timer = setTimeout(() => this.worker.cancelAllJobs('the worker is shutting down'), graceMs);
    await this.worker.close().catch(() => undefined);
    clearTimeout(timer);
  }
}
