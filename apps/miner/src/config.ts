import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MinerError } from './errors.js';

/** Every setting, by its flag name; env vars are `OMRON_MINER_<NAME>` (dots and dashes → `_`), plus BT_* aliases. */
const FLAGS = {
  config: { type: 'string', help: 'JSON config file (nested or dotted keys)' },
  netuid: { type: 'string', help: 'subnet uid (default 2)', env: 'BT_NETUID' },
  'wallet.name': { type: 'string', help: 'wallet name (local default: miner)', env: 'BT_WALLET_NAME' },
  'wallet.hotkey': { type: 'string', help: 'hotkey name (default: default)', env: 'BT_WALLET_HOTKEY' },
  'wallet.path': { type: 'string', help: 'wallets directory', env: 'BT_WALLET_PATH' },
  'subtensor.network': {
    type: 'string',
    help: 'local | finney | test | ws(s):// URL',
    env: 'BT_SUBTENSOR_NETWORK',
  },
  'subtensor.chain_endpoint': {
    type: 'string',
    help: 'explicit subtensor endpoint',
    env: 'BT_SUBTENSOR_CHAIN_ENDPOINT',
  },
  'axon.port': {
    type: 'string',
    help: 'port to listen on (0: any free port; default 8091)',
    env: 'BT_AXON_PORT',
  },
  'axon.ip': {
    type: 'string',
    help: 'address to bind (default 0.0.0.0; 127.0.0.1 on local)',
    env: 'BT_AXON_IP',
  },
  'axon.external_ip': { type: 'string', help: 'address announced on chain', env: 'BT_AXON_EXTERNAL_IP' },
  'axon.external_port': { type: 'string', help: 'port announced on chain', env: 'BT_AXON_EXTERNAL_PORT' },
  'axon.tls_cert': {
    type: 'string',
    help: 'serve HTTPS with this PEM certificate (Ed25519 key; announced with serve_axon_tls)',
  },
  'axon.tls_key': { type: 'string', help: 'PEM private key of --axon.tls_cert' },
  'axon.tls_only': {
    type: 'boolean',
    help: 'with TLS, refuse plain HTTP (default: both on one port, for SDK validators)',
  },
  'localnet.dir': { type: 'string', help: 'local network state (default ~/.omron/localnet)' },
  'localnet.block_time_ms': { type: 'string', help: 'local network block time (default 12000)' },
  'cache.dir': { type: 'string', help: 'keys and development SRS cache (default ~/.omron/cache)' },
  'srs.dir': { type: 'string', help: 'directory with real kzg{k}.srs files' },
  circuits: { type: 'string', help: 'comma-separated circuit names to serve (default: all enabled)' },
  circuits_dir: {
    type: 'string',
    help: 'operator folder of circuit metadata (<name>.json, model pinned by sha256)',
  },
  'blacklist.min_stake': { type: 'string', help: 'minimum caller stake (default 1024)' },
  'disable-blacklist': { type: 'boolean', help: 'accept any signed caller (development)' },
  'queue.concurrency': {
    type: 'string',
    help: 'in-process proofs at a time (default: 1, plus 1 per 8 cores beyond 15)',
  },
  'queue.max_length': { type: 'string', help: 'requests allowed to wait, across the pool (default 8)' },
  'pool.redis': {
    type: 'string',
    help: 'redis:// URL: prove on workers (apps/worker) through a BullMQ queue (default: in-process)',
  },
  'shutdown.grace_ms': { type: 'string', help: 'time given to in-flight proofs on shutdown (default 10000)' },
  'log.level': { type: 'string', help: 'pino level (default info)' },
  'dev.delay_ms': { type: 'string', help: 'local network only: sleep before answering' },
  'dev.behavior': { type: 'string', help: 'local network only: honest | wrong-input | garbage' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; help: string; env?: string }>;

const int = (min: number) => z.coerce.number().int().min(min);
const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

export const MinerConfigSchema = z
  .object({
    netuid: int(0).max(65535).default(2),
    wallet: z
      .object({
        name: z.string().min(1).optional(),
        hotkey: z.string().min(1).optional(),
        path: z.string().optional(),
      })
      .default({}),
    subtensor: z
      .object({ network: z.string().min(1).default('local'), chain_endpoint: z.string().url().optional() })
      .default({ network: 'local' }),
    axon: z
      .object({
        port: int(0).max(65535).default(8091),
        ip: z.string().min(1).optional(),
        external_ip: z.string().min(1).optional(),
        external_port: int(1).max(65535).optional(),
        tls_cert: z.string().min(1).optional(),
        tls_key: z.string().min(1).optional(),
        tls_only: bool.default(false),
      })
      .default({ port: 8091, tls_only: false }),
    localnet: z
      .object({
        dir: z.string().default(join(homedir(), '.omron', 'localnet')),
        block_time_ms: int(1).default(12_000),
      })
      .default({ dir: join(homedir(), '.omron', 'localnet'), block_time_ms: 12_000 }),
    cache: z.object({ dir: z.string().default(join(homedir(), '.omron', 'cache')) }).default({
      dir: join(homedir(), '.omron', 'cache'),
    }),
    srs: z.object({ dir: z.string().optional() }).default({}),
    circuits: z
      .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()))])
      .optional(),
    circuits_dir: z.string().min(1).optional(),
    blacklist: z
      .object({ min_stake: z.coerce.number().min(0).default(1024), disabled: bool.default(false) })
      .default({ min_stake: 1024, disabled: false }),
    queue: z
      .object({ concurrency: int(1).optional(), max_length: int(0).default(8) })
      .default({ max_length: 8 }),
    // The proving pool: in-process unless a Redis URL puts jobs on workers (packages/pool).
    pool: z
      .object({
        redis: z
          .string()
          .regex(/^rediss?:\/\/./, 'a redis:// or rediss:// URL')
          .optional(),
      })
      .default({}),
    shutdown: z.object({ grace_ms: int(0).default(10_000) }).default({ grace_ms: 10_000 }),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .default({ level: 'info' }),
    dev: z
      .object({
        delay_ms: int(0).default(0),
        behavior: z.enum(['honest', 'wrong-input', 'garbage']).default('honest'),
      })
      .default({ delay_ms: 0, behavior: 'honest' }),
  })
  .superRefine((c, ctx) => {
    if ((c.axon.tls_cert === undefined) !== (c.axon.tls_key === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['axon', c.axon.tls_cert === undefined ? 'tls_cert' : 'tls_key'],
        message: 'TLS needs both --axon.tls_cert and --axon.tls_key',
      });
    }
    const local = c.subtensor.network === 'local' && c.subtensor.chain_endpoint === undefined;
    if (!local && (c.dev.delay_ms > 0 || c.dev.behavior !== 'honest')) {
      ctx.addIssue({
        code: 'custom',
        path: ['dev'],
        message: 'dev.* behaviours are refused outside the local network',
      });
    }
  });

export type MinerConfigInput = z.input<typeof MinerConfigSchema>;

/** The validated configuration, with wallet defaults resolved for the network. */
export type MinerConfig = Omit<z.output<typeof MinerConfigSchema>, 'wallet' | 'axon'> & {
  wallet: { name: string; hotkey: string; path: string };
  axon: z.output<typeof MinerConfigSchema>['axon'] & { ip: string };
  /** True on the embedded local network. */
  isLocal: boolean;
};

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? mergeDeep(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function keyFor(flag: string): string {
  return flag === 'disable-blacklist' ? 'blacklist.disabled' : flag;
}

/** Validates a config object (as startMiner receives it) and resolves network-dependent defaults. */
export function resolveConfig(input: MinerConfigInput | Record<string, unknown>): MinerConfig {
  const parsed = MinerConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new MinerError('BAD_CONFIG', `invalid miner configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isLocal = c.subtensor.network === 'local' && c.subtensor.chain_endpoint === undefined;
  const wallet = {
    name: c.wallet.name ?? (isLocal ? 'miner' : 'default'),
    hotkey: c.wallet.hotkey ?? 'default',
    path: resolve(
      c.wallet.path ?? (isLocal ? join(c.localnet.dir, 'wallets') : join(homedir(), '.bittensor', 'wallets')),
    ),
  };
  return { ...c, wallet, axon: { ...c.axon, ip: c.axon.ip ?? (isLocal ? '127.0.0.1' : '0.0.0.0') }, isLocal };
}

/** Usage text for `--help`. */
export function usage(): string {
  const rows = Object.entries(FLAGS).map(([k, f]) => `  --${k.padEnd(26)} ${f.help}`);
  return `Usage: miner [flags]\n\nPrecedence: flags > env (OMRON_MINER_*, BT_*) > --config file > defaults.\n\n${rows.join('\n')}\n`;
}

/**
 * Builds the configuration from command-line flags, environment variables and an optional JSON
 * config file (flags win, then env, then file). Throws `BAD_CONFIG` with every problem listed.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): MinerConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new MinerError('BAD_CONFIG', `${(e as Error).message}\n\n${usage()}`);
  }
  if (values.help) return 'help';
  const file = (values.config as string | undefined) ?? env.OMRON_MINER_CONFIG;
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      for (const [k, v] of Object.entries(json)) setPath(fromFile, keyFor(k), v);
    } catch (e) {
      throw new MinerError('BAD_CONFIG', `cannot read config file ${file}: ${(e as Error).message}`);
    }
    fromFile = JSON.parse(JSON.stringify(fromFile));
  }
  const fromEnv: Record<string, unknown> = {};
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(FLAGS)) {
    if (flag === 'config' || flag === 'help') continue;
    const envName = `OMRON_MINER_${flag.replace(/[.-]/g, '_').toUpperCase()}`;
    const envValue = env[envName] ?? ('env' in spec ? env[spec.env] : undefined);
    if (envValue !== undefined && envValue !== '') setPath(fromEnv, keyFor(flag), envValue);
    if (values[flag] !== undefined) setPath(fromFlags, keyFor(flag), values[flag]);
  }
  return resolveConfig(mergeDeep(mergeDeep(fromFile, fromEnv), fromFlags));
}
