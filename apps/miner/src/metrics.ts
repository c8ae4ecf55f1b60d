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

  constructor() {
    this.registry.setDefaultLabels({ service: 'omron-miner' });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
