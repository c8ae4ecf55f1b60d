import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { PoolError } from './errors.js';
import { type PoolAnswer, type ProofJob, preciseNow, type WireResult } from './job.js';
import type { PoolStats, PoolSubmitOptions, ProvingPool } from './pool.js';
import {
  bullPriority,
  checkRedisUrl,
  EVENTS_MAX_LEN,
  failureFromReason,
  JOB_ATTEMPTS,
  POOL_PREFIX,
  POOL_QUEUE,
  redactRedisUrl,
} from './settings.js';

export interface RedisPoolOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Jobs allowed to wait across the whole pool (every miner on this Redis); more are refused with `QUEUE_FULL`. */
  maxLength: number;
  /** Queue name (default `proofs`); miners and workers must agree. */
  queue?: string;
  /** Budget for one Redis command on the request path (default 2000 ms); past it the pool reports `POOL_DOWN`. */
  commandTimeoutMs?: number;
  /** Told when the pool goes down or comes back (for the log). */
  onStatus?: (up: boolean, detail: string) => void;
}

/** What the miner sends a worker through Redis. */
export interface WireJob extends ProofJob {
  /** Epoch ms after which nobody wants this proof: the worker drops or aborts it. */
  deadline: number;
  enqueuedAt: number;
}

interface Pending {
  resolve: (answer: PoolAnswer) => void;
  reject: (e: PoolError) => void;
  enqueuedAt: number;
}

/**
 * The scale-out pool: jobs go on a BullMQ queue in Redis and any number of workers (`apps/worker`) prove
 * them. One ioredis connection for commands (no offline queue: while Redis is away every submit fails
 * at once with `POOL_DOWN` instead of hanging) and BullMQ's blocking connection for the completion events.
 *
 * Guarantees: each submit settles exactly once; a job whose caller's deadline passes leaves the queue
 * (a running one is aborted by its worker at the same deadline); losing Redis fails every pending job
 * with `POOL_DOWN` (their answers could be lost with it), and the pool takes jobs again once Redis is back.
 */
export class RedisPool implements ProvingPool {
  readonly kind = 'redis';
  private readonly pending = new Map<string, Pending>();
  private up = false;
  private downReason = 'connecting to Redis';
  private closed = false;
  private readonly where: string;
  private readonly commandTimeoutMs: number;
  private queue: Queue | undefined;

  private constructor(
    private readonly options: RedisPoolOptions,
    private readonly client: Redis,
    private readonly events: QueueEvents,
  ) {
    this.where = redactRedisUrl(options.url);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 2000;
  }

  /**
   * Connects to Redis in the background: the pool exists (and reports `POOL_DOWN`) while Redis is
   * unreachable, and starts taking jobs as soon as it answers.
   */
  static async open(options: RedisPoolOptions): Promise<RedisPool> {
    if (!(options.maxLength >= 0)) throw new PoolError('BAD_CONFIG', 'the pool bound must be ≥ 0');
    const url = checkRedisUrl(options.url);
    const retryStrategy = (times: number) => Math.min(100 * times, 1000);
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
      lazyConnect: true,
    });
    const events = new QueueEvents(options.queue ?? POOL_QUEUE, {
      connection: { url, retryStrategy },
      prefix: POOL_PREFIX,
      blockingTimeout: 5000,
    });
    const pool = new RedisPool(options, client, events);
    pool.listen();
    client.connect().catch(() => {
      // Reported through the 'close' and 'error' events; ioredis keeps retrying.
    });
    return pool;
  }

  /**
   * The BullMQ queue over the command connection. Made once Redis first answers: BullMQ checks the server's
   * version when it starts, and a queue whose check failed (Redis away) never recovers, so it is made again
   * on the next connection if that happens.
   */
  private async ensureQueue(): Promise<void> {
    if (!this.queue) {
      this.queue = new Queue(this.options.queue ?? POOL_QUEUE, {
        connection: this.client,
        prefix: POOL_PREFIX,
        streams: { events: { maxLen: EVENTS_MAX_LEN } },
      });
      this.queue.on('error', () => undefined); // The client's own events report it.
    }
    const queue = this.queue;
    try {
      await queue.waitUntilReady();
    } catch (e) {
      if (this.queue === queue) this.queue = undefined;
      await queue.close().catch(() => undefined);
      throw e;
    }
  }

  private listen(): void {
    this.client.on('ready', () => {
      // Completion events are only safe to wait for once their reader is connected too.
      Promise.all([this.ensureQueue(), this.events.waitUntilReady()]).then(
        () => this.setUp(true, 'connected'),
        (e: Error) => this.setUp(false, e.message),
      );
    });
    this.client.on('error', (err: Error) => this.setUp(false, err.message));
    this.client.on('close', () => this.setUp(false, 'connection closed'));
    this.events.on('error', () => undefined);
    this.events.on('completed', ({ jobId, returnvalue }) => {
      const wire = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as WireResult;
      this.settleOk(jobId, wire);
    });
    this.events.on('failed', ({ jobId, failedReason }) => {
      this.settle(jobId, failureFromReason(failedReason));
    });
  }

  private setUp(up: boolean, detail: string): void {
    if (this.closed) return;
    if (!up) this.downReason = detail;
    if (up === this.up) return;
    this.up = up;
    if (!up) {
      // Jobs in flight may have gone with Redis (or their completion events may be missed): fail them
      // now with a clear reason rather than let them run into their deadlines.
      for (const id of [...this.pending.keys()]) {
        this.settle(
          id,
          new PoolError('POOL_DOWN', `the proving pool lost Redis at ${this.where}: ${detail}`),
        );
      }
    }
    this.options.onStatus?.(
      up,
      up ? `Redis at ${this.where} is reachable` : `Redis at ${this.where}: ${detail}`,
    );
  }

  private downError(): PoolError {
    return new PoolError(
      'POOL_DOWN',
      `the proving pool's Redis at ${this.where} is unreachable (${this.downReason}); retry later`,
    );
  }

  /** Runs a Redis command with the request-path budget; any failure means the pool is down. */
  private async command<T>(run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not answer in time')), this.commandTimeoutMs);
        }),
      ]);
    } catch (e) {
      if (e instanceof PoolError) throw e;
      this.downReason = (e as Error).message;
      throw this.downError();
    } finally {
      clearTimeout(timer);
    }
  }

  private live(): Queue {
    if (!this.queue) throw this.downError();
    return this.queue;
  }

  async submit(job: ProofJob, options: PoolSubmitOptions): Promise<PoolAnswer> {
    if (this.closed) throw new PoolError('CANCELLED', 'the pool is closing');
    if (options.signal?.aborted) throw new PoolError('CANCELLED', 'the caller went away');
    if (Date.now() >= options.deadline) throw deadlineError();
    if (!this.up) throw this.downError();
    const counts = await this.command(() => this.live().getJobCounts('wait', 'prioritized'));
    const waiting = (counts.wait ?? 0) + (counts.prioritized ?? 0);
    if (waiting >= this.options.maxLength) {
      throw new PoolError('QUEUE_FULL', `the proving pool is full (${waiting} waiting); retry later`);
    }
    const id = randomUUID();
    const enqueuedAt = preciseNow();
    const data: WireJob = { ...job, deadline: options.deadline, enqueuedAt };
    const answer = new Promise<PoolAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, enqueuedAt });
    });
    // Registered before the job exists, so a fast worker's completion cannot be missed.
    const timer = setTimeout(
      () => void this.giveUp(id, deadlineError()),
      Math.max(0, options.deadline - Date.now()),
    );
    const onAbort = () => void this.giveUp(id, new PoolError('CANCELLED', 'the caller went away'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.command(() =>
        this.live().add('prove', data, {
          jobId: id,
          priority: bullPriority(options.priority),
          attempts: JOB_ATTEMPTS,
          // Results travel in the completion event; failures stay an hour for the metrics and operators.
          removeOnComplete: true,
          removeOnFail: { age: 3600 },
        }),
      );
    } catch (e) {
      this.settle(id, e as PoolError);
    }
    try {
      return await answer;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The caller stopped waiting: take the job off the queue if no worker has it yet, and settle. */
  private async giveUp(id: string, reason: PoolError): Promise<void> {
    if (!this.pending.has(id)) return;
    this.settle(id, reason);
    // 0 when a worker holds it: that worker aborts at the same deadline (it is in the job's data).
    await this.queue?.remove(id).catch(() => 0);
  }

  private settleOk(id: string, wire: WireResult): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    const answeredAt = preciseNow();
    p.resolve({
      result: {
        proof: new Uint8Array(Buffer.from(wire.proof, 'base64')),
        publicInputs: wire.publicInputs,
        outputs: wire.outputs,
        proveMs: wire.proveMs,
        workerId: wire.workerId,
      },
      waitMs: wire.startedAt - p.enqueuedAt,
      times: { enqueuedAt: p.enqueuedAt, startedAt: wire.startedAt, finishedAt: wire.finishedAt, answeredAt },
    });
  }

  private settle(id: string, error: PoolError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(error);
  }

  async stats(): Promise<PoolStats> {
    const base = { kind: 'redis' as const, waiting: 0, active: 0, failed: 0, size: 0 };
    if (!this.up) return { ...base, up: false, down: this.downReason };
    try {
      const [counts, workers] = await this.command(() =>
        Promise.all([
          this.live().getJobCounts('wait', 'prioritized', 'active', 'failed'),
          this.live().getWorkersCount(),
        ]),
      );
      return {
        ...base,
        up: true,
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        failed: counts.failed ?? 0,
        size: workers,
      };
    } catch {
      return { ...base, up: false, down: this.downReason };
    }
  }

  /**
   * Stops taking jobs. Jobs already with a worker get `graceMs` to come back; waiting ones are taken off
   * the queue and every submit still pending settles with `CANCELLED`.
   */
  async close(graceMs = 0): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ids = [...this.pending.keys()];
    if (this.up) {
      await Promise.all(
        ids.map(async (id) => {
          const removed = await this.queue?.remove(id).catch(() => 0);
          if (removed) this.settle(id, new PoolError('CANCELLED', 'the pool is closing'));
        }),
      );
    }
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const id of [...this.pending.keys()])
      this.settle(id, new PoolError('CANCELLED', 'the pool is closing'));
    // BullMQ's close waits for its connections; with Redis away that could be forever.
    const bounded = (p: Promise<unknown> | undefined) =>
      Promise.race([p?.catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
    await bounded(this.events.close());
    await bounded(this.queue?.close());
    this.client.disconnect();
  }
}

function deadlineError(): PoolError {
  return new PoolError('DEADLINE_PASSED', "the caller's timeout passed before the proof was ready");
}
