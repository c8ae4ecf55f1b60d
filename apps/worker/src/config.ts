import {
  CIRCUIT_OPTIONS,
  defineConfig,
  FILES_OPTIONS,
  group,
  LOG_OPTIONS,
  opt,
  SUBTENSOR_OPTIONS,
  type Values,
} from '@omron/config';
import { DEFAULT_STALL } from '@omron/pool';

/**
 * The worker's own options. It has no wallet or subnet: it proves what its miner queues. From the shared
 * groups it takes the network (`local` allows the development SRS), the files, the circuits and the log level.
 */
const WORKER_OPTIONS = {
  ...group('Pool', {
    'pool.redis': opt.url({
      help: 'Redis of the pool the miner queues proofs on (the miner’s --pool.redis)',
      protocols: ['redis', 'rediss'],
      secret: true,
    }),
    'pool.concurrency': opt.int({
      help: 'proofs at a time on this worker (one proof already uses every core)',
      min: 1,
      max: 256,
      default: 1,
    }),
    'pool.lock_ms': opt.int({
      help: "job lock: a dead worker's job is retried elsewhere after it",
      min: 500,
      default: DEFAULT_STALL.lockMs,
    }),
    'pool.stalled_interval_ms': opt.int({
      help: "how often dead workers' jobs are looked for",
      min: 100,
      default: DEFAULT_STALL.stalledIntervalMs,
    }),
    'worker.id': opt.string({ help: 'name in results, logs and metrics', defaultText: '<hostname>-<pid>' }),
    'shutdown.grace_ms': opt.int({
      help: 'time given to running proofs on shutdown',
      min: 0,
      default: 10_000,
    }),
  }),
  // The shared metrics options, with a default: the worker always serves /healthz and /metrics.
  ...group('Metrics', {
    'metrics.port': opt.int({
      help: '/healthz and /metrics port (0: any free port)',
      min: 0,
      max: 65_535,
      default: 9100,
    }),
    'metrics.host': opt.string({
      help: 'address the /healthz and /metrics server binds',
      default: '127.0.0.1',
    }),
  }),
};

const WORKER_SCHEMA = {
  ...SUBTENSOR_OPTIONS,
  ...FILES_OPTIONS,
  ...CIRCUIT_OPTIONS,
  ...LOG_OPTIONS,
  ...WORKER_OPTIONS,
};

/** The worker's loader: its flags and `OMRON_<FLAG>` env vars (`OMRON_POOL_REDIS` is the miner's too). */
export const workerConfigLoader = defineConfig({
  app: 'worker',
  schema: WORKER_SCHEMA,
  legacyEnvPrefixes: [],
  check: (v) =>
    v['pool.redis'] ? [] : [{ flag: 'pool.redis', message: 'required: the miner’s redis:// URL' }],
});

export type WorkerValues = Values<typeof WORKER_SCHEMA>;
type LogLevel = WorkerValues['log.level'];

/** The validated configuration. */
export interface WorkerConfig {
  pool: { redis: string; concurrency: number; lock_ms: number; stalled_interval_ms: number };
  worker: { id?: string | undefined };
  metrics: { port: number; host: string };
  subtensor: { network: string; chain_endpoint?: string | undefined };
  cache: { dir: string };
  srs: { dir?: string | undefined };
  circuits?: string[] | undefined;
  circuits_dir?: string | undefined;
  shutdown: { grace_ms: number };
  log: { level: LogLevel };
}

type Input<T> = T extends readonly unknown[]
  ? T | string
  : T extends object
    ? { [K in keyof T]?: Input<T[K]> }
    : T | string;

/** What `startWorker` takes: any part of {@link WorkerConfig}, nested like it or by dotted flag name. */
export type WorkerConfigInput = Input<WorkerConfig> & Record<string, unknown>;

export function toWorkerConfig(v: WorkerValues): WorkerConfig {
  return {
    // The check above guarantees it.
    pool: {
      redis: v['pool.redis']!,
      concurrency: v['pool.concurrency'],
      lock_ms: v['pool.lock_ms'],
      stalled_interval_ms: v['pool.stalled_interval_ms'],
    },
    worker: { id: v['worker.id'] },
    metrics: { port: v['metrics.port'], host: v['metrics.host'] },
    subtensor: { network: v['subtensor.network'], chain_endpoint: v['subtensor.chain_endpoint'] },
    cache: { dir: v['cache.dir'] },
    srs: { dir: v['srs.dir'] },
    circuits: v.circuits,
    circuits_dir: v.circuits_dir,
    shutdown: { grace_ms: v['shutdown.grace_ms'] },
    log: { level: v['log.level'] },
  };
}

/** Validates a config given in code with the command line's rules. Throws a `ConfigError`. */
export function resolveConfig(input: WorkerConfigInput | WorkerConfig): WorkerConfig {
  return toWorkerConfig(workerConfigLoader.fromObject(input as Record<string, unknown>));
}

export function usage(): string {
  return workerConfigLoader.usage();
}

/** The configuration from flags, `OMRON_<FLAG>` env vars and `--config file.json` (in that order of precedence). */
export function loadConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  onWarning: (message: string) => void = (m) => process.stderr.write(`worker: warning: ${m}\n`),
): WorkerConfig | 'help' {
  const result = workerConfigLoader.load(argv, env);
  if (result.help) return 'help';
  for (const warning of result.warnings) onWarning(warning);
  return toWorkerConfig(result.values);
}
