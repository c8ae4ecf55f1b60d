// The worker as a library (tests, the local-network launcher); `index.ts` is the CLI.
export { createWorkerApp, type WorkerAppDeps } from './app.js';
export {
  loadConfig,
  resolveConfig,
  toWorkerConfig,
  usage,
  type WorkerConfig,
  type WorkerConfigInput,
  type WorkerValues,
  workerConfigLoader,
} from './config.js';
export { WorkerMetrics } from './metrics.js';
export { type RunningWorker, type StartWorkerOptions, startWorker } from './worker.js';
