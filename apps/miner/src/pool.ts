import type { CircuitStore } from '@omron/circuits';
import { defaultConcurrency, EmbeddedPool, type ProvingPool, RedisPool, storeJobProver } from '@omron/pool';
import type { Logger } from 'pino';
import type { MinerConfig } from './config.js';
import { hasDevFaults, withDevFaults } from './dev-faults.js';
import type { MinerMetrics } from './metrics.js';

/**
 * The miner's proving pool from its configuration: in-process by default, BullMQ workers with
 * `--pool.redis`; wrapped with the development faults only when they are configured (local network).
 */
export async function createPool(
  config: MinerConfig,
  store: CircuitStore,
  metrics: MinerMetrics,
  log: Logger,
): Promise<ProvingPool> {
  let pool: ProvingPool;
  if (config.pool.redis) {
    pool = await RedisPool.open({
      url: config.pool.redis,
      maxLength: config.queue.max_length,
      onStatus: (up, detail) =>
        up
          ? log.info({ pool: 'redis' }, detail)
          : log.error({ pool: 'redis' }, `proving pool down: ${detail}`),
    });
    log.info({ pool: 'redis' }, 'proofs go to pool workers through Redis (apps/worker)');
  } else {
    const concurrency = config.queue.concurrency ?? defaultConcurrency();
    pool = new EmbeddedPool({
      prover: storeJobProver(store, 'embedded'),
      concurrency,
      maxLength: config.queue.max_length,
      onChange: ({ waiting, running }) => {
        metrics.queueDepth.set(waiting);
        metrics.proofsRunning.set(running);
      },
    });
    log.info({ pool: 'embedded', concurrency }, 'proofs are made in this process');
  }
  metrics.watchPool(pool);
  const dev = { delayMs: config.dev.delay_ms, behavior: config.dev.behavior };
  return hasDevFaults(dev) ? withDevFaults(pool, dev, store) : pool;
}
