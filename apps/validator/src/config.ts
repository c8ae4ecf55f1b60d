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
  'cache.dir': text.optional(),
  'state.dir': text.optional(),
  /** Directory with real `kzg{k}.srs` files; the insecure development SRS is used for any k missing there. */
  'srs.dir': text.optional(),
  'api.host': text.default('127.0.0.1'),
  'api.port': int(0, 65_535).default(8100),
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
  /** An operator folder of circuit metadata (`<name>.json` → an ONNX file anywhere, pinned by sha256). */
  circuits_dir: text.optional(),
  'log.level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const FLAGS = Object.keys(flagSchema.shape);

export interface ValidatorConfig {
  netuid: number;
  wallet: { name: string; hotkey: string; path: string | undefined };
  subtensor: { network: string; chainEndpoint: string | undefined };
  localnet: { dir: string; blockTimeMs: number };
  cacheDir: string;
  srsDir: string | undefined;
  stateDir: string;
  api: { host: string; port: number };
  stepIntervalMs: number;
  concurrency: number;
  metagraphSyncIntervalMs: number;
  logLevel: z.infer<typeof flagSchema>['log.level'];
  /** Circuit names to load; undefined = all enabled. */
  circuits: string[] | undefined;
  /** Operator folder of extra circuit metadata, if any. */
  circuitsDir: string | undefined;
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
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
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
    localnet: { dir: localnetDir, blockTimeMs: c['localnet.block_time_ms'] },
    cacheDir: expandHome(c['cache.dir'] ?? join(homedir(), '.omron', 'cache')),
    srsDir: c['srs.dir'] ? expandHome(c['srs.dir']) : undefined,
    stateDir: expandHome(
      c['state.dir'] ??
        (local
          ? join(localnetDir, 'validator')
          : join(homedir(), '.omron', 'validator', `${network}-${c.netuid}`)),
    ),
    api: { host: c['api.host'], port: c['api.port'] },
    stepIntervalMs: c['step.interval_ms'],
    concurrency: c.concurrency,
    // The local network's metagraph is a file read: re-read it often so new miners are queried within seconds.
    metagraphSyncIntervalMs: c['metagraph.sync_interval_ms'] ?? (local ? 5_000 : 60_000),
    logLevel: c['log.level'],
    circuits: c.circuits,
    circuitsDir: c.circuits_dir ? expandHome(c.circuits_dir) : undefined,
  };
}
