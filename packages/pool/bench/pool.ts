// Proving-pool benchmark: requests per minute with 1 and 2 Redis workers (and the in-process pool) for the MLP,
// and the queue's own overhead per job (enqueue → start, finish → answer) on loopback. Real proofs, real Redis.
//   pnpm --filter @omron/pool bench            (OMRON_CACHE_DIR: keys cache, default ~/.omron/cache)
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CircuitStore, DEFAULT_CACHE_DIR } from '@omron/circuits';
import { EmbeddedPool } from '../src/embedded-pool.js';
import type { PoolAnswer } from '../src/job.js';
import { storeJobProver } from '../src/job-prover.js';
import type { ProvingPool } from '../src/pool.js';
import { RedisPool } from '../src/redis-pool.js';
import { redisServerAvailable, startRedisServer } from '../src/redis-server.js';

const CIRCUIT = 'mlp';
const JOBS = Number(process.env.OMRON_BENCH_JOBS ?? 8);
const RUNS = 3;
const cacheDir = process.env.OMRON_CACHE_DIR ?? DEFAULT_CACHE_DIR;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const fmt = (x: number, d = 2) => x.toFixed(d);

const missing = redisServerAvailable();
if (missing) {
  console.log(`pool bench skipped: ${missing}`);
  process.exit(0);
}

console.log(
  `pool bench: circuit ${CIRCUIT}, ${JOBS} jobs per run, median of ${RUNS}, ${availableParallelism()} cores`,
);
const store = await CircuitStore.open({ role: 'prover', cacheDir, circuits: [CIRCUIT] });
const circuit = store.list()[0]!;
const job = () => ({ circuitId: circuit.id, inputs: circuit.generateInput() });
const redis = await startRedisServer();

/** Submits `JOBS` at once; requests per minute from the wall time until the last answer. */
async function throughput(pool: ProvingPool): Promise<{ rpm: number; wallS: number; answers: PoolAnswer[] }> {
  const start = performance.now();
  const answers = await Promise.all(
    Array.from({ length: JOBS }, () => pool.submit(job(), { deadline: Date.now() + 600_000 })),
  );
  const wallS = (performance.now() - start) / 1000;
  return { rpm: (JOBS / wallS) * 60, wallS, answers };
}

/** One job at a time, so nothing waits for a prover: what is left of enqueue → start is the queue itself. */
async function overhead(
  pool: ProvingPool,
  n = 10,
): Promise<{ toStart: number[]; toAnswer: number[]; proveMs: number[] }> {
  await pool.submit(job(), { deadline: Date.now() + 600_000 }); // warm-up
  const out = { toStart: [] as number[], toAnswer: [] as number[], proveMs: [] as number[] };
  for (let i = 0; i < n; i++) {
    const a = await pool.submit(job(), { deadline: Date.now() + 600_000 });
    out.toStart.push(a.times.startedAt - a.times.enqueuedAt);
    out.toAnswer.push(a.times.answeredAt - a.times.finishedAt);
    out.proveMs.push(a.result.proveMs);
  }
  return out;
}

function startWorkers(count: number, queue: string): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'worker-process.ts'),
          redis.url,
          queue,
          cacheDir,
          CIRCUIT,
          `bench-${i + 1}`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      return new Promise<ChildProcess>((resolve, reject) => {
        child.stdout!.on('data', (d) => String(d).includes('ready') && resolve(child));
        child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
      });
    }),
  );
}

const rows: { setup: string; rpm: number; wallS: number }[] = [];
try {
  // In-process reference: the miner without a pool service.
  const embedded = new EmbeddedPool({
    prover: storeJobProver(store, 'embedded'),
    concurrency: 1,
    maxLength: JOBS,
  });
  const eo = await overhead(embedded);
  const er = [];
  for (let r = 0; r < RUNS; r++) er.push(await throughput(embedded));
  rows.push({
    setup: 'embedded (in-process)',
    rpm: median(er.map((x) => x.rpm)),
    wallS: median(er.map((x) => x.wallS)),
  });
  await embedded.close();

  let redisOverhead: Awaited<ReturnType<typeof overhead>> | undefined;
  for (const workers of [1, 2]) {
    const queue = `bench-${process.pid}-${workers}`;
    const children = await startWorkers(workers, queue);
    const pool = await RedisPool.open({ url: redis.url, maxLength: JOBS, queue });
    for (let i = 0; i < 100 && !(await pool.stats()).up; i++) await new Promise((r) => setTimeout(r, 20));
    if (workers === 1) redisOverhead = await overhead(pool);
    else await pool.submit(job(), { deadline: Date.now() + 600_000 }); // warm both
    const rr = [];
    for (let r = 0; r < RUNS; r++) rr.push(await throughput(pool));
    const by = new Map<string, number>();
    for (const a of rr.flatMap((x) => x.answers))
      by.set(a.result.workerId, (by.get(a.result.workerId) ?? 0) + 1);
    rows.push({
      setup: `redis, ${workers} worker${workers > 1 ? 's' : ''} (${[...by.values()].join('/')} jobs)`,
      rpm: median(rr.map((x) => x.rpm)),
      wallS: median(rr.map((x) => x.wallS)),
    });
    await pool.close();
    for (const c of children) c.kill('SIGTERM');
  }

  const base = rows[0]!.rpm;
  console.log('\nthroughput (requests/min, median of 3; ratio vs in-process, same run)');
  for (const r of rows)
    console.log(
      `  ${r.setup.padEnd(32)} ${fmt(r.rpm, 1).padStart(7)} /min  ${fmt(r.wallS).padStart(6)} s wall  ×${fmt(r.rpm / base)}`,
    );
  console.log(`\nqueue overhead per job, ${eo.toStart.length} sequential jobs (ms, p50 / p90)`);
  const line = (name: string, o: Awaited<ReturnType<typeof overhead>>) =>
    console.log(
      `  ${name.padEnd(32)} enqueue→start ${fmt(median(o.toStart))} / ${fmt(pct(o.toStart, 0.9))}   finish→answer ${fmt(median(o.toAnswer))} / ${fmt(pct(o.toAnswer, 0.9))}   (prove ${fmt(median(o.proveMs), 0)} ms)`,
    );
  line('embedded (in-process)', eo);
  if (redisOverhead) line('redis, 1 worker (loopback)', redisOverhead);
  const p50 = redisOverhead
    ? Math.max(median(redisOverhead.toStart), median(redisOverhead.toAnswer))
    : Number.NaN;
  console.log(`\ntarget ≤ 5 ms p50 per hop on loopback: ${p50 <= 5 ? 'met' : 'NOT met'} (${fmt(p50)} ms)`);
} finally {
  await redis.stop();
}
process.exit(0);
