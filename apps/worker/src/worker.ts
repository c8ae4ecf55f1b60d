import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { serve } from '@hono/node-server';
import { CircuitStore } from '@omron/circuits';
import { ConfigError } from '@omron/config';
import { type JobProver, PoolWorker, redactRedisUrl, storeJobProver } from '@omron/pool';
import { type Logger, pino } from 'pino';
import { createWorkerApp } from './app.js';
import { resolveConfig, type WorkerConfig, type WorkerConfigInput } from './config.js';
import { WorkerMetrics } from './metrics.js';

export interface RunningWorker {
  id: string;
  /** Base URL of `/healthz` and `/metrics`. */
  url: string;
  store: CircuitStore;
  /** Lets running proofs finish (up to `shutdown.grace_ms`), stops taking jobs, closes everything. */
  close(): Promise<void>;
}

export interface StartWorkerOptions {
  logger?: Logger;
  /** An already opened prover store (tests share one). */
  store?: CircuitStore;
}

/**
 * Starts a pool worker: its own circuit store (the same vk-hash ids as the miner's, from the same models
 * and SRS), a BullMQ worker on the pool's Redis, and `/healthz` + `/metrics`.
 */
export async function startWorker(
  input: WorkerConfigInput | WorkerConfig,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const config = resolveConfig(input);
  const id = config.worker.id ?? `${hostname()}-${process.pid}`;
  const log =
    options.logger ?? pino({ level: config.log.level, base: { service: 'omron-worker', worker: id } });
  const store =
    options.store ??
    (await CircuitStore.open({
      role: 'prover',
      cacheDir: config.cache.dir,
      ...(config.srs.dir ? { srsDir: config.srs.dir } : {}),
      allowDevelopmentSrs: config.subtensor.network === 'local',
      ...(config.circuits ? { circuits: config.circuits } : {}),
      ...(config.circuits_dir ? { extraMetadataDirs: [config.circuits_dir] } : {}),
      onProgress: (e) => log.info({ circuit: e.circuit, stage: e.stage }, e.message),
    }));
  if (store.list().length === 0)
    throw new ConfigError('INVALID_CONFIG', 'no circuit to prove (see --circuits)');
  const circuits = store.list().map((c) => ({ id: c.id, name: c.name }));
  const names = new Map(circuits.map((c) => [c.id, c.name]));
  const metrics = new WorkerMetrics(id);
  const inner = storeJobProver(store, id);
  // Counts the proofs running here for the metrics; the proving itself is the store's.
  const prover: JobProver = {
    circuitIds: () => inner.circuitIds(),
    async prove(job, signal) {
      metrics.running.inc();
      try {
        return await inner.prove(job, signal);
      } finally {
        metrics.running.dec();
      }
    },
  };
  const worker = new PoolWorker({
    url: config.pool.redis,
    prover,
    id,
    concurrency: config.pool.concurrency,
    stall: { lockMs: config.pool.lock_ms, stalledIntervalMs: config.pool.stalled_interval_ms },
    onJob: (e) => {
      const circuit = names.get(e.circuitId) ?? 'unknown';
      metrics.proofs.inc({ circuit, result: e.result });
      if (e.proveMs !== undefined) metrics.proofSeconds.observe({ circuit }, e.proveMs / 1000);
      const line = { job: e.jobId, circuit, result: e.result, proveMs: e.proveMs, message: e.message };
      if (e.result === 'ok') log.info(line, 'job');
      else log.warn(line, 'job failed');
    },
    onStatus: (up, detail) => {
      metrics.connected.set(up ? 1 : 0);
      if (up) log.info(detail);
      else log.error(detail);
    },
  });
  metrics.connected.set(0);
  let closing = false;
  const app = createWorkerApp({
    workerId: id,
    circuits,
    metrics,
    health: () => worker.health(),
    isClosing: () => closing,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.metrics.host, port: config.metrics.port }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  worker.start();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.metrics.host === '0.0.0.0' ? '127.0.0.1' : config.metrics.host}:${port}`;
  log.info(
    {
      url,
      redis: redactRedisUrl(config.pool.redis),
      circuits: circuits.map((c) => `${c.name}:${c.id.slice(0, 12)}`),
    },
    'worker ready',
  );
  let closed: Promise<void> | undefined;
  return {
    id,
    url,
    store,
    close() {
      closed ??= (async () => {
        closing = true;
        await worker.close(config.shutdown.grace_ms);
        await new Promise((r) => server.close(r));
        log.info('stopped');
      })();
      return closed;
    },
  };
}
