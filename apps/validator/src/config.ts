import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ValidatorError } from './errors.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const text = z.string().trim().min(1);

/** Every flag, by its Bittensor-style name. Values come from flags, then env vars, then a config file. */
const flagSchema = z.strictObject({
  netuid: int(1, 65_535).default(2),
  'wallet.name': text.optional(),
  'wallet.hotkey': text.default('default'),
  'wallet.path': text.optional(),
  'subtensor.network': text.default('local'),
  'subtensor.chain_endpoint': z.url({ protocol: /^wss?$/ }).optional(),
  'localnet.dir': text.optional(),
  'localnet.block_time_ms': int(1, 3_600_000).default(12_000),
  /** Local network only: turn commit-reveal on for the subnet (as its owner would), with this tempo. */
  'localnet.commit_reveal': z.enum(['on', 'off']).optional(),
  'localnet.tempo': int(1, 65_535).optional(),
  /** Scheme when the subnet has commit-reveal on: timelocked (CRv4, the SDK's) or hash commit (CRv2). */
  'subtensor.commit_reveal': z.enum(['timelock', 'hash']).default('timelock'),
  /** Mechanism (sub-subnet) the weights go to. */
  mechid: int(0, 255).default(0),
  'cache.dir': text.optional(),
  'state.dir': text.optional(),
  /** Directory with real `kzg{k}.srs` files; the insecure development SRS is used for any k missing there. */
  'srs.dir': text.optional(),
  'api.host': text.default('127.0.0.1'),
  'api.port': int(0, 65_535).default(8100),
  /** The inference API (`/v1`) on its own port; default: on the status server. */
  'api.inference_port': int(0, 65_535).optional(),
  /** Serve the inference API without signatures (local network only). */
  'api.public': z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
    .transform((v) => v === true || v === 'true' || v === '1' || v === '')
    .default(false),
  /** Comma-separated ss58 addresses allowed to call the inference API. */
  'api.allow': z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .optional(),
  /** Minimum stake (on this subnet) of a caller's hotkey; default 1024 when there is no allow-list. */
  'api.min_stake': z.coerce.number().min(0).optional(),
  'api.rate_per_min': int(1, 1_000_000).default(60),
  'api.key_in_flight': int(1, 10_000).default(4),
  'api.max_in_flight': int(1, 100_000).default(32),
  'api.attempts': int(1, 64).default(3),
  'step.interval_ms': int(0, 3_600_000).default(2_000),
  concurrency: int(1, 256).default(16),
  'metagraph.sync_interval_ms': int(0, 86_400_000).optional(),
  /** Comma-separated circuit names to use (default: every enabled circuit). */
  circuits: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .optional(),
  'log.level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const FLAGS = Object.keys(flagSchema.shape);

/** Flags that may stand alone (`--api.public` means `--api.public true`). */
const BOOLEAN_FLAGS = new Set(['api.public']);

export interface ValidatorConfig {
  netuid: number;
  wallet: { name: string; hotkey: string; path: string | undefined };
  subtensor: { network: string; chainEndpoint: string | undefined };
  localnet: {
    dir: string;
    blockTimeMs: number;
    /** Set the subnet's commit-reveal switch (and tempo) on the local network at start; unset = leave as is. */
    commitReveal: boolean | undefined;
    tempo: number | undefined;
  };
  commitReveal: 'timelock' | 'hash';
  mechid: number;
  cacheDir: string;
  srsDir: string | undefined;
  stateDir: string;
  api: {
    host: string;
    port: number;
    /** undefined: the inference API shares the status server. */
    inferencePort: number | undefined;
    public: boolean;
    allow: string[] | undefined;
    minStake: number | undefined;
    ratePerMin: number;
    keyInFlight: number;
    maxInFlight: number;
    attempts: number;
  };
  stepIntervalMs: number;
  concurrency: number;
  metagraphSyncIntervalMs: number;
  logLevel: z.infer<typeof flagSchema>['log.level'];
  /** Circuit names to load; undefined = all enabled. */
  circuits: string[] | undefined;
}

/** `OMRON_VALIDATOR_WALLET_NAME` for `--wallet.name`, and so on. */
export function envVarFor(flag: string): string {
  return `OMRON_VALIDATOR_${flag.replace(/[.-]/g, '_').toUpperCase()}`;
}

function expandHome(path: string): string {
  return resolve(path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path);
}

/** `--a.b v`, `--a.b=v`; returns the flag values and `--config`. */
export function parseArgv(argv: readonly string[]): { flags: Record<string, string>; configFile?: string } {
  const flags: Record<string, string> = {};
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // `pnpm start -- --flag` passes the separator through
    if (!arg.startsWith('--'))
      throw new ValidatorError('UNKNOWN_FLAG', `unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const bare = eq === -1 && BOOLEAN_FLAGS.has(name) && !/^(true|false|1|0)$/.test(argv[i + 1] ?? '');
    const value = bare ? 'true' : eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ValidatorError('INVALID_CONFIG', `--${name} needs a value`);
    if (name === 'config') configFile = value;
    else if (!FLAGS.includes(name)) {
      throw new ValidatorError(
        'UNKNOWN_FLAG',
        `unknown flag --${name}; known flags: ${FLAGS.map((f) => `--${f}`).join(' ')}`,
      );
    } else flags[name] = value;
  }
  return configFile === undefined ? { flags } : { flags, configFile };
}

/** A JSON config file, nested (`{"wallet": {"name": …}}`) or with dotted keys; flattened to flag names. */
function readConfigFile(path: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ValidatorError('CONFIG_FILE_UNREADABLE', `config file ${path}: ${(err as Error).message}`);
  }
  const out: Record<string, unknown> = {};
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else out[prefix] = value;
  };
  walk(raw, '');
  return out;
}

/**
 * Resolves the configuration: flags override env vars (`OMRON_VALIDATOR_*`, or `OMRON_VALIDATOR_CONFIG` for the
 * file), which override the config file, which overrides the defaults. Throws a {@link ValidatorError} naming
 * every bad value. With no flags at all it joins the local network.
 *
 * @example loadConfig(['--netuid', '2', '--api.port=8100'])
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ValidatorConfig {
  const { flags, configFile } = parseArgv(argv);
  const file = configFile ?? env.OMRON_VALIDATOR_CONFIG;
  const merged: Record<string, unknown> = file ? readConfigFile(file) : {};
  for (const flag of FLAGS) {
    const value = env[envVarFor(flag)];
    if (value !== undefined && value !== '') merged[flag] = value;
  }
  Object.assign(merged, flags);
  const parsed = flagSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '?');
      return `--${key}: ${issue.message}`;
    });
    throw new ValidatorError('INVALID_CONFIG', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const c = parsed.data;
  const network = c['subtensor.network'];
  const local = network === 'local' && c['subtensor.chain_endpoint'] === undefined;
  if (c['api.public'] && !local) {
    throw new ValidatorError(
      'INVALID_CONFIG',
      `invalid configuration:\n  --api.public: serving without signatures is for the local network only (this is ${network}); use --api.allow or --api.min_stake`,
    );
  }
  const localnetDir = expandHome(c['localnet.dir'] ?? join(homedir(), '.omron', 'localnet'));
  return {
    netuid: c.netuid,
    wallet: {
      name: c['wallet.name'] ?? (local ? 'validator' : 'default'),
      hotkey: c['wallet.hotkey'],
      path: c['wallet.path']
        ? expandHome(c['wallet.path'])
        : local
          ? join(localnetDir, 'wallets')
          : undefined,
    },
    subtensor: { network, chainEndpoint: c['subtensor.chain_endpoint'] },
    localnet: {
      dir: localnetDir,
      blockTimeMs: c['localnet.block_time_ms'],
      commitReveal:
        c['localnet.commit_reveal'] === undefined ? undefined : c['localnet.commit_reveal'] === 'on',
      tempo: c['localnet.tempo'],
    },
    commitReveal: c['subtensor.commit_reveal'],
    mechid: c.mechid,
    cacheDir: expandHome(c['cache.dir'] ?? join(homedir(), '.omron', 'cache')),
    srsDir: c['srs.dir'] ? expandHome(c['srs.dir']) : undefined,
    stateDir: expandHome(
      c['state.dir'] ??
        (local
          ? join(localnetDir, 'validator')
          : join(homedir(), '.omron', 'validator', `${network}-${c.netuid}`)),
    ),
    api: {
      host: c['api.host'],
      port: c['api.port'],
      inferencePort: c['api.inference_port'],
      public: c['api.public'],
      allow: c['api.allow'],
      minStake: c['api.min_stake'],
      ratePerMin: c['api.rate_per_min'],
      keyInFlight: c['api.key_in_flight'],
      maxInFlight: c['api.max_in_flight'],
      attempts: c['api.attempts'],
    },
    stepIntervalMs: c['step.interval_ms'],
    concurrency: c.concurrency,
    // The local network's metagraph is a file read: re-read it often so new miners are queried within seconds.
    metagraphSyncIntervalMs: c['metagraph.sync_interval_ms'] ?? (local ? 5_000 : 60_000),
    logLevel: c['log.level'],
    circuits: c.circuits,
  };
}
