export {
  ProvingQueue,
  type ProvingQueueOptions,
  type QueueResult,
  type SubmitOptions,
} from './bounded-queue.js';
export { defaultConcurrency, EmbeddedPool, type EmbeddedPoolOptions } from './embedded-pool.js';
export { isPoolError, POOL_ERROR_CODES, PoolError, type PoolErrorCode } from './errors.js';
export { type PoolAnswer, type ProofJob, type ProofJobResult, preciseNow } from './job.js';
export { type JobProver, storeJobProver } from './job-prover.js';
export type { PoolStats, PoolSubmitOptions, ProvingPool } from './pool.js';
export { PoolWorker, type PoolWorkerOptions, type WorkerJobEvent } from './pool-worker.js';
export { RedisPool, type RedisPoolOptions } from './redis-pool.js';
export { type RedisServer, redisServerAvailable, startRedisServer } from './redis-server.js';
export { DEFAULT_STALL, POOL_QUEUE, redactRedisUrl, type StallSettings } from './settings.js';
