import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OmronError } from '@omron/core';
import { DEFAULT_STALL } from '@omron/pool';
import { z } from 'zod';

/** A bad flag, env var or value; the CLI exits 2. */
export class WorkerConfigError extends OmronError<'BAD_CONFIG'> {
  override name = 'WorkerConfigError';
}

/** Every setting, by its flag name; env vars are `OMRON_WORKER_<NAME>` (dots and dashes → `_`). */
const FLAGS = {
  'pool.redis': { type: 'string', help: 'redis:// URL of the pool the miner queues proofs on (required)' },
  'pool.concurrency': {
    type: 'string',
    help: 'proofs at a time on this worker (default 1: one uses every core)',
  },
  'pool.lock_ms': {
    type: 'string',
    help: `job lock; a dead worker's job is retried after it (default ${DEFAULT_STALL.lockMs})`,
  },
  'pool.stalled_interval_ms': {
    type: 'string',
    help: `how often dead workers' jobs are looked for (default ${DEFAULT_STALL.stalledIntervalMs})`,
  },
  'worker.id': { type: 'string', help: 'name in results and metrics (default <hostname>-<pid>)' },
  'http.port': { type: 'string', help: '/healthz and /metrics port (0: any free port; default 9100)' },
  'http.ip': { type: 'string', help: 'address to bind /healthz and /metrics (default 127.0.0.1)' },
  'subtensor.network': {
    type: 'string',
    help: 'the miner’s network: local allows the development SRS (default local)',
    env: 'BT_SUBTENSOR_NETWORK',
  },
  'cache.dir': { type: 'string', help: 'keys and development SRS cache (default ~/.omron/cache)' },
  'srs.dir': { type: 'string', help: 'directory with real kzg{k}.srs files' },
  circuits: { type: 'string', help: 'comma-separated circuit names to prove (default: all enabled)' },
  circuits_dir: { type: 'string', help: 'operator folder of circuit metadata, as the miner’s' },
  'shutdown.grace_ms': { type: 'string', help: 'time given to running proofs on shutdown (default 10000)' },
  'log.level': { type: 'string', help: 'pino level (default info)' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; help: string; env?: string }>;

const int = (min: number) => z.coerce.number().int().min(min);

export const WorkerConfigSchema = z.object({
  pool: z
    .object({
      redis: z
        .string({ error: 'required: the redis:// URL the miner queues proofs on' })
        .regex(/^rediss?:\/\/./, 'a redis:// or rediss:// URL'),
      concurrency: int(1).default(1),
      lock_ms: int(500).default(DEFAULT_STALL.lockMs),
      stalled_interval_ms: int(100).default(DEFAULT_STALL.stalledIntervalMs),
    })
    // Parsed when absent, so a missing URL is reported as `--pool.redis`.
    .prefault({} as { redis: string }),
  worker: z.object({ id: z.string().min(1).optional() }).default({}),
  http: z
    .object({ port: int(0).max(65535).default(9100), ip: z.string().min(1).default('127.0.0.1') })
    .default({ port: 9100, ip: '127.0.0.1' }),
  subtensor: z.object({ network: z.string().min(1).default('local') }).default({ network: 'local' }),
  cache: z.object({ dir: z.string().default(join(homedir(), '.omron', 'cache')) }).default({
    dir: join(homedir(), '.omron', 'cache'),
  }),
  srs: z.object({ dir: z.string().optional() }).default({}),
  circuits: z
    .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()))])
    .optional(),
  circuits_dir: z.string().min(1).optional(),
  shutdown: z.object({ grace_ms: int(0).default(10_000) }).default({ grace_ms: 10_000 }),
  log: z
    .object({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
});

export type WorkerConfigInput = z.input<typeof WorkerConfigSchema>;
export type WorkerConfig = z.output<typeof WorkerConfigSchema>;

/** Validates a config object (as startWorker receives it). */
export function resolveConfig(input: WorkerConfigInput | Record<string, unknown>): WorkerConfig {
  const parsed = WorkerConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new WorkerConfigError('BAD_CONFIG', `invalid worker configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function usage(): string {
  const rows = Object.entries(FLAGS).map(([k, f]) => `  --${k.padEnd(26)} ${f.help}`);
  return `Usage: worker [flags]\n\nPrecedence: flags > env (OMRON_WORKER_*) > defaults.\n\n${rows.join('\n')}\n`;
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/** The configuration from flags and environment variables (flags win). `BAD_CONFIG` lists every problem. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): WorkerConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new WorkerConfigError('BAD_CONFIG', `${(e as Error).message}\n\n${usage()}`);
  }
  if (values.help) return 'help';
  const merged: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(FLAGS)) {
    if (flag === 'help') continue;
    const envName = `OMRON_WORKER_${flag.replace(/[.-]/g, '_').toUpperCase()}`;
    const envValue = env[envName] ?? ('env' in spec ? env[spec.env] : undefined);
    const value = values[flag] ?? (envValue === '' ? undefined : envValue);
    if (value !== undefined) setPath(merged, flag, value);
  }
  return resolveConfig(merged);
}
