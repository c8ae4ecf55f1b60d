import type { ProvingPool } from '@omron/pool';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The miner's Prometheus metrics, on their own registry (several miners can share a process in tests). */
export class MinerMetrics {
  readonly registry = new Registry();
  /** Requests answered, by synapse and HTTP status. */
  readonly requests = new Counter({
    name: 'omron_miner_requests_total',
    help: 'Axon requests answered, by synapse and HTTP status',
    labelNames: ['synapse', 'status'] as const,
    registers: [this.registry],
  });
  /** Proofs run to the end, by circuit and result (ok, failed); requests dropped before or during proving count as rejections. */
  readonly proofs = new Counter({
    name: 'omron_miner_proofs_total',
    help: 'Proofs attempted, by circuit and result',
    labelNames: ['circuit', 'result'] as const,
    registers: [this.registry],
  });
  readonly proofSeconds = new Histogram({
    name: 'omron_miner_proof_seconds',
    help: 'Time to prove (witness + proof), by circuit',
    labelNames: ['circuit'] as const,
    buckets: [0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60],
    registers: [this.registry],
  });
  readonly queueWaitSeconds = new Histogram({
    name: 'omron_miner_queue_wait_seconds',
    help: 'Time a proof request waited for a prover slot',
    buckets: [0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'omron_miner_queue_depth',
    help: 'Proof requests waiting for a prover slot',
    registers: [this.registry],
  });
  readonly proofsRunning = new Gauge({
    name: 'omron_miner_proofs_running',
    help: 'Proofs running now',
    registers: [this.registry],
  });
  /** Requests refused before proving, by reason (blacklist reasons, queue-full, bad-input, deadline, …). */
  readonly rejections = new Counter({
    name: 'omron_miner_rejections_total',
    help: 'Requests refused before or instead of proving, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** Jobs in the proving pool by state (waiting, active, failed), across every miner on a shared Redis. */
  readonly poolJobs = new Gauge({
    name: 'omron_miner_pool_jobs',
    help: 'Jobs in the proving pool, by state (waiting, active, failed)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly poolSize = new Gauge({
    name: 'omron_miner_pool_size',
    help: 'Provers serving the pool: in-process slots, or connected workers',
    registers: [this.registry],
  });
  readonly poolUp = new Gauge({
    name: 'omron_miner_pool_up',
    help: '1 while the proving pool takes jobs (0: its Redis is unreachable)',
    registers: [this.registry],
  });
  /** Proofs answered per pool worker (`embedded` in-process). */
  readonly workerProofs = new Counter({
    name: 'omron_miner_worker_proofs_total',
    help: 'Proofs answered, by the pool worker that made them',
    labelNames: ['worker'] as const,
    registers: [this.registry],
  });
  readonly workerProofSeconds = new Counter({
    name: 'omron_miner_worker_proof_seconds_total',
    help: 'Seconds of proving, by the pool worker that spent them',
    labelNames: ['worker'] as const,
    registers: [this.registry],
  });
  private pool: ProvingPool | undefined;

  constructor() {
    this.registry.setDefaultLabels({ service: 'omron-miner' });
  }

  /** Reads the pool's state at every scrape (for a Redis pool, the whole pool's). */
  watchPool(pool: ProvingPool): void {
    this.pool = pool;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    if (this.pool) {
      const s = await this.pool.stats();
      this.poolJobs.set({ state: 'waiting' }, s.waiting);
      this.poolJobs.set({ state: 'active' }, s.active);
      this.poolJobs.set({ state: 'failed' }, s.failed);
      this.poolSize.set(s.size);
      this.poolUp.set(s.up ? 1 : 0);
      if (s.kind === 'redis') {
        this.queueDepth.set(s.waiting);
        this.proofsRunning.set(s.active);
      }
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
