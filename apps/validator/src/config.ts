import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  COMMON_OPTIONS,
  ConfigError,
  type ConfigIssue,
  defineConfig,
  envName,
  group,
  isLocalNetwork,
  opt,
  STATE_OPTIONS,
  type Values,
} from '@omron/config';

/** The validator's own options; the shared ones (wallet, subtensor, netuid, files, circuits, logs) come from @omron/config. */
const VALIDATOR_OPTIONS = {
  ...group('Subnet', {
    mechid: opt.int({ help: 'mechanism (sub-subnet) the weights go to', min: 0, max: 255, default: 0 }),
  }),
  ...group('Subtensor', {
    'subtensor.commit_reveal': opt.enum(['timelock', 'hash'], {
      help: "scheme when the subnet has commit-reveal on: timelock (CRv4, the SDK's) | hash (CRv2)",
      default: 'timelock',
    }),
  }),
  ...group('Local network (subtensor.network local)', {
    'localnet.commit_reveal': opt.enum(['on', 'off'], {
      help: "turn the subnet's commit-reveal on | off at start, as its owner would",
      defaultText: 'leave as is',
    }),
    'localnet.tempo': opt.int({ help: 'set the subnet tempo at start', min: 1, max: 65_535 }),
  }),
  ...STATE_OPTIONS,
  ...group('API and dashboard', {
    'api.host': opt.string({ help: 'status API and dashboard host', default: '127.0.0.1' }),
    'api.port': opt.int({
      help: 'status API, dashboard and /metrics port',
      min: 0,
      max: 65_535,
      default: 8100,
    }),
    'api.inference_port': opt.int({
      help: 'inference API (/v1) on its own port',
      min: 0,
      max: 65_535,
      defaultText: 'on the status server',
    }),
    'api.public': opt.boolean({ help: 'inference API without signatures (local network only)' }),
    'api.allow': opt.list({ help: 'ss58 hotkeys allowed to call the inference API' }),
    'api.min_stake': opt.number({
      help: 'minimum subnet stake of a caller',
      min: 0,
      defaultText: '1024 without --api.allow',
    }),
    'api.rate_per_min': opt.int({ help: 'requests per minute per key', min: 1, max: 1_000_000, default: 60 }),
    'api.key_in_flight': opt.int({ help: 'inferences in flight per key', min: 1, max: 10_000, default: 4 }),
    'api.max_in_flight': opt.int({
      help: 'inferences in flight in total',
      min: 1,
      max: 100_000,
      default: 32,
    }),
    'api.attempts': opt.int({ help: 'miners tried per inference', min: 1, max: 64, default: 3 }),
  }),
  ...group('Validation loop', {
    'step.interval_ms': opt.int({ help: 'pause between steps', min: 0, max: 3_600_000, default: 2_000 }),
    concurrency: opt.int({ help: 'miners queried at once', min: 1, max: 256, default: 16 }),
    'metagraph.sync_interval_ms': opt.int({
      help: 'metagraph refresh',
      min: 0,
      max: 86_400_000,
      defaultText: '5000 on the local network, else 60000',
    }),
  }),
};

const VALIDATOR_SCHEMA = {
  ...COMMON_OPTIONS,
  'wallet.name': {
    ...COMMON_OPTIONS['wallet.name'],
    defaultText: 'validator on the local network, else default',
  },
  ...VALIDATOR_OPTIONS,
};

function crossChecks(v: Values<typeof VALIDATOR_SCHEMA>): ConfigIssue[] {
  if (!v['api.public'] || isLocalNetwork(v)) return [];
  return [
    {
      flag: 'api.public',
      message: `serving without signatures is for the local network only (this is ${v['subtensor.network']}); use --api.allow or --api.min_stake`,
    },
  ];
}

/** The validator's loader: its flags, `OMRON_<FLAG>` env vars with `BT_*` aliases, the old `OMRON_VALIDATOR_*` names. */
export const validatorConfigLoader = defineConfig({
  app: 'validator',
  schema: VALIDATOR_SCHEMA,
  legacyEnvPrefixes: ['OMRON_VALIDATOR_'],
  check: crossChecks,
});

/** Every flag, by its Bittensor-style name (without `--`, `--config` and `--help`). */
export const FLAGS = Object.keys(VALIDATOR_SCHEMA);

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
  logLevel: Values<typeof VALIDATOR_SCHEMA>['log.level'];
  /** Circuit names to load; undefined = all enabled. */
  circuits: string[] | undefined;
  /** Operator folder of extra circuit metadata, if any. */
  circuitsDir: string | undefined;
}

/**
 * The validator's old env name for a flag, `OMRON_VALIDATOR_WALLET_NAME` for `--wallet.name`: still read, but
 * deprecated for the one scheme `OMRON_<FLAG>` ({@link envName}).
 * @deprecated use `envName(flag)` from `@omron/config`.
 */
export function envVarFor(flag: string): string {
  return envName(flag, 'OMRON_VALIDATOR_');
}

/** The loaded flag values, by flag name. */
export type ValidatorValues = Values<typeof VALIDATOR_SCHEMA>;

/** The validator's shape of loaded values, with defaults that depend on the network resolved. */
export function toValidatorConfig(c: ValidatorValues): ValidatorConfig {
  const network = c['subtensor.network'];
  const local = isLocalNetwork(c);
  const localnetDir = c['localnet.dir'];
  return {
    netuid: c.netuid,
    wallet: {
      name: c['wallet.name'] ?? (local ? 'validator' : 'default'),
      hotkey: c['wallet.hotkey'],
      path: c['wallet.path'] ?? (local ? join(localnetDir, 'wallets') : undefined),
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
    cacheDir: c['cache.dir'],
    srsDir: c['srs.dir'],
    stateDir:
      c['state.dir'] ??
      (local
        ? join(localnetDir, 'validator')
        : join(homedir(), '.omron', 'validator', `${network}-${c.netuid}`)),
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
    circuitsDir: c.circuits_dir,
  };
}

/**
 * The command line's view: the configuration, or `'help'` for `--help`. Deprecation warnings go to `onWarning`
 * (stderr by default).
 */
export function loadCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  onWarning: (message: string) => void = (m) => process.stderr.write(`validator: warning: ${m}\n`),
): ValidatorConfig | 'help' {
  const result = validatorConfigLoader.load(argv, env);
  if (result.help) return 'help';
  for (const warning of result.warnings) onWarning(warning);
  return toValidatorConfig(result.values);
}

/**
 * Resolves the configuration: flags override env vars (`OMRON_<FLAG>`, `BT_*`, the deprecated
 * `OMRON_VALIDATOR_<FLAG>`; `OMRON_CONFIG` for the file), which override the config file, which overrides the
 * defaults. Throws a `ConfigError` naming every bad value. With no flags at all it joins the local network.
 *
 * @example loadConfig(['--netuid', '2', '--api.port=8100'])
 */
export function loadConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  onWarning?: (message: string) => void,
): ValidatorConfig {
  const config = loadCommandLine(argv, env, onWarning);
  if (config === 'help') throw new ConfigError('INVALID_CONFIG', '--help only means something to the CLI');
  return config;
}
