import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisServer, redisServerAvailable, startRedisServer } from '@omron/pool';
import { createSynapse, Dendrite, QueryZkProofDefinition } from '@omron/protocol';
import { type RunningMiner, startMiner } from 'miner';
import { captureLogger, createTestNet, minerConfig, type TestNet, verifyAnswer } from 'miner/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A miner and two worker processes on one real redis-server, proving the MLP with real halo2 proofs.
const missing = redisServerAvailable();
if (missing) console.warn(`skipping the proving-pool end-to-end test: ${missing}`);

const APP = resolve(import.meta.dirname, '..');

interface WorkerProcess {
  id: string;
  child: ChildProcess;
  url: string;
  /** pino lines of the process, parsed. */
  lines: Record<string, unknown>[];
}

let redis: RedisServer;
let net: TestNet;
let miner: RunningMiner;
let dendrite: Dendrite;
const minerLog = captureLogger();
const workers = new Map<string, WorkerProcess>();

async function startWorkerProcess(id: string): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/index.ts',
      ...['--pool.redis', redis.url, '--worker.id', id, '--metrics.port', '0'],
      ...['--cache.dir', net.cacheDir, '--circuits', net.circuit.name],
      // A dead worker's job is looked for every second and retried after its 2 s lock.
      ...['--pool.lock_ms', '2000', '--pool.stalled_interval_ms', '1000'],
    ],
    { cwd: APP, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const w: WorkerProcess = { id, child, url: '', lines: [] };
  workers.set(id, w);
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      w.lines.push(JSON.parse(line));
    } catch {
      // Not a log line.
    }
  });
  for (let i = 0; i < 1200 && !w.lines.some((l) => String(l.msg).startsWith('taking jobs')); i++) {
    if (child.exitCode !== null) throw new Error(`worker ${id} exited with ${child.exitCode}`);
    await sleep(100);
  }
  w.url = String(w.lines.find((l) => l.msg === 'worker ready')?.url);
  return w;
}

const okJobs = (w: WorkerProcess) => w.lines.filter((l) => l.msg === 'job' && l.result === 'ok').length;

function query(inputs: number[][]) {
  return createSynapse(QueryZkProofDefinition, {
    query_input: { model_id: net.circuit.id, public_inputs: inputs },
  });
}

let asked = 0;
async function ask(timeoutS = 120) {
  asked++;
  const inputs = net.circuit.generateInput();
  const axon = { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey };
  const res = await dendrite.call(axon, query(inputs), { timeoutS });
  return { res, inputs };
}

/** The miner logged exactly one answer per request sent so far. */
function answeredOnce(): boolean {
  return minerLog.lines.filter((l) => l.msg === 'request' && l.synapse === 'QueryZkProof').length === asked;
}

describe.skipIf(missing !== undefined)('proving pool end to end: miner + 2 worker processes + Redis', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    // Keys are built here once; the worker processes load them from the shared cache.
    net = await createTestNet('mlp');
    miner = await startMiner(
      minerConfig(net, 'pool-miner', { pool: { redis: redis.url }, queue: { max_length: 32 } }),
      {
        logger: minerLog.logger,
        store: net.prover,
      },
    );
    dendrite = new Dendrite(net.validator);
    await Promise.all([startWorkerProcess('w1'), startWorkerProcess('w2')]);
  }, 600_000);

  afterAll(async () => {
    for (const w of workers.values()) w.child.kill('SIGKILL');
    await miner?.close();
    await redis?.stop();
  });

  it('answers 10 concurrent requests with proofs that verify, made by both workers', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => ask()));
    for (const { res, inputs } of answers) {
      expect(res.statusCode, res.statusMessage ?? '').toBe(200);
      expect(await verifyAnswer(net, res.synapse.query_output, inputs)).toBe(true);
    }
    const byWorker = minerLog.lines
      .filter((l) => l.msg === 'request' && l.status === 200)
      .map((l) => l.worker);
    expect(byWorker).toHaveLength(10);
    expect(new Set(byWorker)).toEqual(new Set(['w1', 'w2']));
    // Each worker's /healthz and /metrics report it.
    for (const w of workers.values()) {
      const health = (await (await fetch(`${w.url}/healthz`)).json()) as { status: string; worker: string };
      expect(health).toMatchObject({ status: 'ok', worker: w.id });
      const metrics = await (await fetch(`${w.url}/metrics`)).text();
      expect(metrics).toMatch(
        new RegExp(
          `omron_worker_proofs_total\\{circuit="mlp",result="ok",service="omron-worker",worker="${w.id}"\\} ${okJobs(w)}`,
        ),
      );
    }
    const minerMetrics = await (await fetch(`${miner.url}/metrics`)).text();
    expect(minerMetrics).toMatch(/omron_miner_pool_size\{service="omron-miner"\} 2/);
    expect(minerMetrics).toMatch(/omron_miner_worker_proofs_total\{worker="w1",service="omron-miner"\} \d+/);
    expect(answeredOnce()).toBe(true);
  }, 300_000);

  it('finishes the job of a worker SIGKILLed mid-proof on the other worker, answering every request once', async () => {
    const w1 = workers.get('w1')!;
    const w2 = workers.get('w2')!;
    const before = { w1: okJobs(w1), w2: okJobs(w2) };
    // Batches of 4 requests until w1 is seen proving (its own metrics say so), then kill it. One batch may finish
    // before a poll sees w1 busy (a proof takes about a second); the next batch starts only after it.
    const asks: ReturnType<typeof ask>[] = [];
    let killed = false;
    for (let batch = 0; batch < 10 && !killed; batch++) {
      const sent: ReturnType<typeof ask>[] = [];
      for (let i = 0; i < 4; i++) {
        sent.push(ask());
        // Started a little apart, so they reach the miner in nonce order (each nonce must beat the last).
        await sleep(20);
      }
      asks.push(...sent);
      let done = false;
      const settled = Promise.allSettled(sent).then(() => {
        done = true;
      });
      while (!done && !killed) {
        const m = await (await fetch(`${w1.url}/metrics`)).text();
        if (/omron_worker_jobs_running\{[^}]*\} 1/.test(m)) {
          w1.child.kill('SIGKILL');
          killed = true;
        } else await sleep(10);
      }
      if (!killed) await settled;
    }
    expect(killed).toBe(true);
    const answers = await Promise.all(asks);
    for (const { res, inputs } of answers) {
      expect(res.statusCode, res.statusMessage ?? '').toBe(200);
      expect(await verifyAnswer(net, res.synapse.query_output, inputs)).toBe(true);
    }
    // The job w1 held when it died was answered 200: w2 proved it. Every request was proven once.
    expect(okJobs(w1) - before.w1 + okJobs(w2) - before.w2).toBe(asks.length);
    expect(okJobs(w2) - before.w2).toBeGreaterThanOrEqual(1);
    expect(answeredOnce()).toBe(true);
  }, 300_000);

  it('answers 503 with a message while Redis is down, then recovers when it is back', async () => {
    const inFlight = ask();
    await sleep(300);
    await redis.stop();
    const lost = await inFlight;
    expect(lost.res.statusCode).toBe(503);
    expect(lost.res.statusMessage).toMatch(/proving pool lost Redis/);
    const refused = await ask();
    expect(refused.res.statusCode).toBe(503);
    expect(refused.res.statusMessage).toMatch(
      /proving pool's Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable/,
    );
    const health = await fetch(`${miner.url}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('pool-down');

    await redis.restart();
    let back: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i < 60; i++) {
      back = await ask();
      if (back.res.statusCode !== 503) break;
      await sleep(500);
    }
    expect(back!.res.statusCode, back!.res.statusMessage ?? '').toBe(200);
    expect(await verifyAnswer(net, back!.res.synapse.query_output, back!.inputs)).toBe(true);
    expect((await fetch(`${miner.url}/healthz`)).status).toBe(200);
    expect(answeredOnce()).toBe(true);
  }, 300_000);
});
