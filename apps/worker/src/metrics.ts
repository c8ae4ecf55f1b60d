import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The worker's Prometheus metrics, on their own registry (tests run several workers in one process). */
export class WorkerMetrics {
  readonly registry = new Registry();
  /** Jobs this worker finished, by circuit and result (`ok` or the failure's code). */
  readonly proofs = new Counter({
    name: 'omron_worker_proofs_total',
    help: 'Pool jobs finished on this worker, by circuit and result (ok or the failure code)',
    labelNames: ['circuit', 'result'] as const,
    registers: [this.registry],
  });
  readonly proofSeconds = new Histogram({
    name: 'omron_worker_proof_seconds',
    help: 'Time to prove (witness + proof) on this worker, by circuit',
    labelNames: ['circuit'] as const,
    buckets: [0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60],
    registers: [this.registry],
  });
  readonly running = new Gauge({
    name: 'omron_worker_jobs_running',
    help: 'Pool jobs being proven on this worker now',
    registers: [this.registry],
  });
  readonly connected = new Gauge({
    name: 'omron_worker_redis_up',
    help: '1 while this worker is connected to the pool’s Redis',
    registers: [this.registry],
  });

  constructor(workerId: string) {
    this.registry.setDefaultLabels({ service: 'omron-worker', worker: workerId });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
