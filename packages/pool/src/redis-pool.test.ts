import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPoolError } from './errors.js';
import type { ProofJob, ProofJobResult } from './job.js';
import type { JobProver } from './job-prover.js';
import { PoolWorker, type WorkerJobEvent } from './pool-worker.js';
import { RedisPool } from './redis-pool.js';
import { type RedisServer, redisServerAvailable, startRedisServer } from './redis-server.js';
import { POOL_PREFIX } from './settings.js';

const missing = redisServerAvailable();
if (missing) console.warn(`skipping the Redis pool tests: ${missing}`);

/**
 * A prover whose work is a wait of `inputs[0][0]` ms (a real proof is covered end to end in apps/worker);
 * it answers with the inputs as the "proof", so every answer can be matched to its request.
 */
function timedProver(log: string[] = []): JobProver {
  return {
    circuitIds: () => ['c'],
    async prove(job: ProofJob, signal: AbortSignal): Promise<ProofJobResult> {
      log.push(`start ${job.inputs[0]![1]}`);
      await sleep(job.inputs[0]![0]!, undefined, { signal });
      return {
        proof: new TextEncoder().encode(JSON.stringify(job.inputs)),
        publicInputs: { inputs: [job.inputs[0]!.map(String)], outputs: [] },
        outputs: [[job.inputs[0]![1]!]],
        proveMs: job.inputs[0]![0]!,
        workerId: 'test',
      };
    },
  };
}

const job = (ms: number, tag: number): ProofJob => ({ circuitId: 'c', inputs: [[ms, tag]] });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isPoolError(e) ? e.code : String(e)),
  );
/** Short stall settings so a dead worker's job comes back within ~2 s. */
const FAST_STALL = { lockMs: 1000, stalledIntervalMs: 500, maxStalls: 2 };

describe.skipIf(missing !== undefined)('RedisPool on a real redis-server', () => {
  let redis: RedisServer;
  const closers: (() => Promise<unknown>)[] = [];
  let queueName = '';
  let n = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function pool(maxLength = 8, queue = queueName) {
    const p = await RedisPool.open({ url: redis.url, maxLength, queue });
    closers.push(() => p.close());
    for (let i = 0; i < 100 && !(await p.stats()).up; i++) await sleep(20);
    return p;
  }
  function worker(prover: JobProver, id: string, events: WorkerJobEvent[] = []) {
    const w = new PoolWorker({
      url: redis.url,
      prover,
      id,
      queue: queueName,
      stall: FAST_STALL,
      onJob: (e) => events.push(e),
    });
    w.start();
    closers.push(() => w.close());
    return w;
  }

  // Each test on its own queue: nothing left over from the one before.
  const fresh = () => {
    queueName = `t${process.pid}-${n++}`;
  };

  it('proves jobs on a worker and answers each with its own result and timings', async () => {
    fresh();
    const p = await pool();
    const events: WorkerJobEvent[] = [];
    worker(timedProver(), 'w1', events);
    const answers = await Promise.all(
      [1, 2, 3].map((tag) => p.submit(job(20, tag), { deadline: Date.now() + 10_000 })),
    );
    expect(answers.map((a) => a.result.outputs[0]![0])).toEqual([1, 2, 3]);
    expect(answers.map((a) => JSON.parse(new TextDecoder().decode(a.result.proof)))).toEqual([
      [[20, 1]],
      [[20, 2]],
      [[20, 3]],
    ]);
    for (const a of answers) {
      expect(a.result.workerId).toBe('w1');
      expect(a.times.startedAt).toBeGreaterThanOrEqual(a.times.enqueuedAt);
      expect(a.times.answeredAt).toBeGreaterThanOrEqual(a.times.finishedAt);
    }
    expect(events.map((e) => e.result)).toEqual(['ok', 'ok', 'ok']);
    const stats = await p.stats();
    expect(stats).toMatchObject({ kind: 'redis', up: true, waiting: 0, active: 0, size: 1 });
  });

  it('takes a job whose deadline passes off the queue, and a worker never starts it', async () => {
    fresh();
    const p = await pool();
    const late = p.submit(job(10, 1), { deadline: Date.now() + 300 });
    await sleep(50);
    expect((await p.stats()).waiting).toBe(1);
    expect(await codeOf(late)).toBe('DEADLINE_PASSED');
    await sleep(50);
    expect((await p.stats()).waiting).toBe(0);
    const log: string[] = [];
    worker(timedProver(log), 'w1');
    const ok = await p.submit(job(10, 2), { deadline: Date.now() + 10_000 });
    expect(ok.result.outputs).toEqual([[2]]);
    expect(log).toEqual(['start 2']);
  });

  it('aborts a running proof at its deadline on the worker', async () => {
    fresh();
    const p = await pool();
    const events: WorkerJobEvent[] = [];
    worker(timedProver(), 'w1', events);
    expect(await codeOf(p.submit(job(5_000, 1), { deadline: Date.now() + 400 }))).toBe('DEADLINE_PASSED');
    for (let i = 0; i < 50 && events.length === 0; i++) await sleep(20);
    expect(events).toMatchObject([{ result: 'DEADLINE_PASSED' }]);
  });

  it('refuses with QUEUE_FULL beyond the bound, counted across every miner on the queue', async () => {
    fresh();
    const a = await pool(2);
    const b = await pool(2);
    const deadline = Date.now() + 10_000;
    const waiting = [a.submit(job(10, 1), { deadline }), b.submit(job(10, 2), { deadline })];
    await sleep(50);
    expect(await codeOf(a.submit(job(10, 3), { deadline }))).toBe('QUEUE_FULL');
    expect(await codeOf(b.submit(job(10, 4), { deadline }))).toBe('QUEUE_FULL');
    worker(timedProver(), 'w1');
    expect((await Promise.all(waiting)).map((x) => x.result.outputs[0]![0])).toEqual([1, 2]);
  });

  it('serves higher priority (stake) first', async () => {
    fresh();
    const p = await pool();
    const deadline = Date.now() + 10_000;
    const all = [
      p.submit(job(5, 1), { deadline, priority: 10 }),
      p.submit(job(5, 2), { deadline, priority: 1e6 }),
      p.submit(job(5, 3), { deadline, priority: 0 }),
      p.submit(job(5, 4), { deadline, priority: 1e6 }),
    ];
    await sleep(50);
    const log: string[] = [];
    worker(timedProver(log), 'w1');
    await Promise.all(all);
    expect(log).toEqual(['start 2', 'start 4', 'start 1', 'start 3']);
  });

  /** A worker process that takes a job and never finishes it; resolves once it started one. */
  function sleepyWorker(): { child: ChildProcess; started: Promise<void> } {
    const here = dirname(fileURLToPath(import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'test-support', 'sleepy-worker.ts'), redis.url, queueName],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    closers.push(async () => child.kill('SIGKILL'));
    const started = new Promise<void>((resolve) =>
      child.stdout!.on('data', (d) => String(d).includes('started') && resolve()),
    );
    return { child, started };
  }

  it('retries a job whose worker was SIGKILLed mid-proof on another worker, answering once', async () => {
    fresh();
    const p = await pool();
    const sleepy = sleepyWorker();
    const answer = p.submit(job(400, 7), { deadline: Date.now() + 20_000 });
    await sleepy.started;
    sleepy.child.kill('SIGKILL');
    const events: WorkerJobEvent[] = [];
    worker(timedProver(), 'w2', events);
    const a = await answer;
    expect(a.result.workerId).toBe('w2');
    expect(a.result.outputs).toEqual([[7]]);
    expect(events).toMatchObject([{ result: 'ok' }]);
    expect((await p.stats()).active).toBe(0);
  }, 30_000);

  it('fails a job for good once every attempt lost its worker (bounded attempts)', async () => {
    fresh();
    const p = await pool();
    const answer = codeOf(p.submit(job(1, 1), { deadline: Date.now() + 40_000 }));
    let runs = 0;
    for (let i = 0; i < 3; i++) {
      const sleepy = sleepyWorker();
      await sleepy.started;
      runs++;
      sleepy.child.kill('SIGKILL');
    }
    // The stalled check runs on live workers: one that would prove it, were it still allowed to.
    const events: WorkerJobEvent[] = [];
    worker(timedProver(), 'w4', events);
    expect(await answer).toBe('PROVE_FAILED');
    expect(runs).toBe(3); // the first run and maxStalls (2) retries
    expect(events).toEqual([]);
    expect((await p.stats()).failed).toBe(1);
  }, 40_000);

  it('answers POOL_DOWN while Redis is away, fails jobs in flight, and recovers when it is back', async () => {
    fresh();
    const p = await pool();
    const inFlight = codeOf(p.submit(job(10, 1), { deadline: Date.now() + 20_000 }));
    await sleep(50);
    await redis.stop();
    expect(await inFlight).toBe('POOL_DOWN');
    const refused = await p.submit(job(10, 2), { deadline: Date.now() + 5000 }).catch((e: unknown) => e);
    expect(isPoolError(refused, 'POOL_DOWN')).toBe(true);
    expect((refused as Error).message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable/);
    expect((await p.stats()).up).toBe(false);
    await redis.restart();
    worker(timedProver(), 'w1');
    let back: unknown;
    for (let i = 0; i < 100; i++) {
      back = await p.submit(job(10, 3), { deadline: Date.now() + 5000 }).catch((e: unknown) => e);
      if (!isPoolError(back, 'POOL_DOWN')) break;
      await sleep(100);
    }
    expect((back as { result: ProofJobResult }).result.outputs).toEqual([[3]]);
  }, 30_000);

  it('keeps a password out of its messages', async () => {
    fresh();
    const p = await RedisPool.open({ url: 'redis://:hunter2@127.0.0.1:1', maxLength: 1, queue: queueName });
    closers.push(() => p.close());
    const e = await p.submit(job(1, 1), { deadline: Date.now() + 1000 }).catch((x: unknown) => x);
    expect(isPoolError(e, 'POOL_DOWN')).toBe(true);
    expect((e as Error).message).not.toContain('hunter2');
    expect((e as Error).message).toContain('***');
  });

  it('leaves nothing behind in Redis for answered jobs', async () => {
    fresh();
    const p = await pool();
    worker(timedProver(), 'w1');
    await p.submit(job(5, 1), { deadline: Date.now() + 5000 });
    const q = new Queue(queueName, { connection: { url: redis.url }, prefix: POOL_PREFIX });
    closers.push(() => q.close());
    expect(await q.getJobCounts('completed', 'wait', 'active')).toEqual({ completed: 0, wait: 0, active: 0 });
  });
});
