import { PoolError } from './errors.js';

export interface ProvingQueueOptions {
  /** Proofs run at the same time. */
  concurrency: number;
  /** Jobs allowed to wait (running ones not counted); more are refused with `QUEUE_FULL`. */
  maxLength: number;
  /** Called whenever the number of waiting or running jobs changes. */
  onChange?: (state: { waiting: number; running: number }) => void;
  now?: () => number;
}

export interface SubmitOptions {
  /** Higher runs first; equal priorities run in arrival order. */
  priority?: number;
  /** Epoch milliseconds after which the caller no longer wants the answer. */
  deadline?: number;
  /** The caller's own cancellation (e.g. the HTTP request closed). */
  signal?: AbortSignal;
}

export interface QueueResult<T> {
  value: T;
  /** Milliseconds the job waited before it started. */
  waitMs: number;
}

interface Waiting {
  seq: number;
  priority: number;
  enqueuedAt: number;
  deadline: number;
  start: () => void;
  reject: (e: Error) => void;
}

/**
 * A bounded priority queue for proofs: at most `concurrency` jobs run, at most `maxLength` wait,
 * and no job starts (or keeps running) once its caller's deadline has passed. Pure: no framework.
 *
 * @example
 * const queue = new ProvingQueue({ concurrency: 1, maxLength: 8 });
 * const { value, waitMs } = await queue.submit((signal) => prover.prove(input, { signal }), { priority: stake, deadline });
 */
export class ProvingQueue {
  private readonly waiting: Waiting[] = [];
  private readonly running = new Set<AbortController>();
  private readonly idle = new Set<() => void>();
  private seq = 0;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: ProvingQueueOptions) {
    if (!(options.concurrency >= 1) || !(options.maxLength >= 0)) {
      throw new PoolError('BAD_CONFIG', 'queue concurrency must be ≥ 1 and max length ≥ 0');
    }
    this.now = options.now ?? Date.now;
  }

  get depth(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running.size;
  }

  /** Runs `job` when a slot frees up; rejects with a {@link PoolError} when it cannot or may not run. */
  submit<T>(job: (signal: AbortSignal) => Promise<T>, options: SubmitOptions = {}): Promise<QueueResult<T>> {
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    if (this.closed) return Promise.reject(new PoolError('CANCELLED', 'the pool is closing'));
    if (options.signal?.aborted) return Promise.reject(new PoolError('CANCELLED', 'the caller went away'));
    if (this.now() >= deadline) return Promise.reject(deadlineError());
    if (this.running.size >= this.options.concurrency && this.waiting.length >= this.options.maxLength) {
      return Promise.reject(
        new PoolError(
          'QUEUE_FULL',
          `the proving queue is full (${this.waiting.length} waiting); retry later`,
        ),
      );
    }
    return new Promise<QueueResult<T>>((resolve, reject) => {
      const enqueuedAt = this.now();
      const item: Waiting = {
        seq: this.seq++,
        priority: options.priority ?? 0,
        enqueuedAt,
        deadline,
        reject,
        start: () => {
          cleanupWaiting();
          const controller = new AbortController();
          this.running.add(controller);
          this.changed();
          const timeout = Number.isFinite(deadline)
            ? setTimeout(() => controller.abort(deadlineError()), Math.max(0, deadline - this.now()))
            : undefined;
          const signal = options.signal
            ? AbortSignal.any([controller.signal, options.signal])
            : controller.signal;
          const waitMs = this.now() - enqueuedAt;
          job(signal)
            .then(
              (value) => resolve({ value, waitMs }),
              (e: unknown) => reject(abortReason(signal) ?? e),
            )
            .finally(() => {
              clearTimeout(timeout);
              this.running.delete(controller);
              this.changed();
              this.pump();
            });
        },
      };
      const leave = (e: Error) => {
        const i = this.waiting.indexOf(item);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        cleanupWaiting();
        this.changed();
        reject(e);
      };
      const timer = Number.isFinite(deadline)
        ? setTimeout(() => leave(deadlineError()), Math.max(0, deadline - enqueuedAt))
        : undefined;
      const onAbort = () => leave(new PoolError('CANCELLED', 'the caller went away'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanupWaiting = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      item.reject = leave;
      this.insert(item);
      this.changed();
      this.pump();
    });
  }

  /**
   * Stops accepting work and cancels waiting jobs; running jobs get `graceMs` to finish and are then
   * aborted. Resolves once nothing runs.
   */
  async close(graceMs = 0): Promise<void> {
    this.closed = true;
    for (const item of [...this.waiting]) item.reject(new PoolError('CANCELLED', 'the pool is closing'));
    if (this.running.size === 0) return;
    const done = new Promise<void>((resolve) => this.idle.add(resolve));
    const timer = setTimeout(() => {
      for (const c of this.running) c.abort(new PoolError('CANCELLED', 'the pool is closing'));
    }, graceMs);
    await done;
    clearTimeout(timer);
  }

  private insert(item: Waiting): void {
    const at = this.waiting.findIndex((w) => w.priority < item.priority);
    if (at < 0) this.waiting.push(item);
    else this.waiting.splice(at, 0, item);
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      if (this.now() >= next.deadline) {
        this.waiting.unshift(next);
        next.reject(deadlineError());
        continue;
      }
      next.start();
    }
    if (this.running.size === 0 && this.waiting.length === 0) {
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
  }

  private changed(): void {
    this.options.onChange?.({ waiting: this.waiting.length, running: this.running.size });
  }
}

function deadlineError(): PoolError {
  return new PoolError('DEADLINE_PASSED', "the caller's timeout passed before the proof was ready");
}

function abortReason(signal: AbortSignal): PoolError | undefined {
  if (!signal.aborted) return undefined;
  return signal.reason instanceof PoolError
    ? signal.reason
    : new PoolError('CANCELLED', 'the caller went away');
}
