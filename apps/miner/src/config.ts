import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  COMMON_OPTIONS,
  type ConfigIssue,
  defineConfig,
  group,
  isLocalNetwork,
  opt,
  type Values,
} from '@omron/config';

/** The miner's own options; the shared ones (wallet, subtensor, netuid, files, circuits, logs) come from @omron/config. */
const MINER_OPTIONS = {
  ...group('Axon', {
    'axon.port': opt.int({
      help: 'port to listen on (0: any free port)',
      min: 0,
      max: 65_535,
      default: 8091,
      env: ['BT_AXON_PORT'],
    }),
    'axon.ip': opt.string({
      help: 'address to bind',
      defaultText: '127.0.0.1 on the local network, else 0.0.0.0',
      env: ['BT_AXON_IP'],
    }),
    'axon.external_ip': opt.string({ help: 'address announced on chain', env: ['BT_AXON_EXTERNAL_IP'] }),
    'axon.external_port': opt.int({
      help: 'port announced on chain',
      min: 1,
      max: 65_535,
      defaultText: '--axon.port',
      env: ['BT_AXON_EXTERNAL_PORT'],
    }),
    'axon.tls_cert': opt.path({
      help: 'serve HTTPS with this PEM certificate (Ed25519 key; announced with serve_axon_tls)',
    }),
    'axon.tls_key': opt.path({ help: 'PEM private key of --axon.tls_cert' }),
    'axon.tls_only': opt.boolean({
      help: 'with TLS, refuse plain HTTP (default: both on one port, for SDK validators)',
    }),
  }),
  ...group('Blacklist', {
    'blacklist.min_stake': opt.number({ help: 'minimum caller stake', min: 0, default: 1024 }),
    'blacklist.disabled': opt.boolean({
      help: 'accept any signed caller (development)',
      aliases: ['disable-blacklist'],
    }),
  }),
  ...group('Proving', {
    'queue.concurrency': opt.int({
      help: 'in-process proofs at a time',
      min: 1,
      defaultText: '1, plus 1 per 8 cores beyond 15',
    }),
    'queue.max_length': opt.int({ help: 'requests allowed to wait, across the pool', min: 0, default: 8 }),
    // The proving pool: in-process unless a Redis URL puts jobs on workers (packages/pool, apps/worker).
    'pool.redis': opt.url({
      help: 'prove on workers (apps/worker) through a BullMQ queue in this Redis (default: in-process)',
      protocols: ['redis', 'rediss'],
      secret: true,
    }),
    'shutdown.grace_ms': opt.int({
      help: 'time given to in-flight proofs on shutdown',
      min: 0,
      default: 10_000,
    }),
  }),
  ...group('Development (local network only)', {
    'dev.delay_ms': opt.int({ help: 'sleep before answering', min: 0, default: 0 }),
    'dev.behavior': opt.enum(['honest', 'wrong-input', 'garbage'], {
      help: 'answer honestly or with a wrong proof',
      default: 'honest',
    }),
  }),
};

/** Rules across options, reported with the flag they concern. */
function crossChecks(v: Values<typeof MINER_SCHEMA>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if ((v['axon.tls_cert'] === undefined) !== (v['axon.tls_key'] === undefined)) {
    issues.push({
      flag: v['axon.tls_cert'] === undefined ? 'axon.tls_cert' : 'axon.tls_key',
      message: 'TLS needs both --axon.tls_cert and --axon.tls_key',
    });
  }
  if (!isLocalNetwork(v) && (v['dev.delay_ms'] > 0 || v['dev.behavior'] !== 'honest')) {
    issues.push({ flag: 'dev.behavior', message: 'dev.* behaviours are refused outside the local network' });
  }
  return issues;
}

const MINER_SCHEMA = {
  ...COMMON_OPTIONS,
  'wallet.name': {
    ...COMMON_OPTIONS['wallet.name'],
    defaultText: 'miner on the local network, else default',
  },
  ...MINER_OPTIONS,
};

/** The miner's loader: its flags, `OMRON_<FLAG>` env vars with `BT_*` aliases, and the old `OMRON_MINER_*` names. */
export const minerConfigLoader = defineConfig({
  app: 'miner',
  schema: MINER_SCHEMA,
  legacyEnvPrefixes: ['OMRON_MINER_'],
  check: crossChecks,
});

type LogLevel = Values<typeof MINER_SCHEMA>['log.level'];

/** The validated configuration, with wallet and bind defaults resolved for the network. */
export interface MinerConfig {
  netuid: number;
  wallet: { name: string; hotkey: string; path: string };
  subtensor: { network: string; chain_endpoint?: string | undefined };
  axon: {
    port: number;
    ip: string;
    external_ip?: string | undefined;
    external_port?: number | undefined;
    tls_cert?: string | undefined;
    tls_key?: string | undefined;
    tls_only: boolean;
  };
  localnet: { dir: string; block_time_ms: number };
  cache: { dir: string };
  srs: { dir?: string | undefined };
  circuits?: string[] | undefined;
  circuits_dir?: string | undefined;
  blacklist: { min_stake: number; disabled: boolean };
  /** `concurrency` unset: the embedded pool sizes itself to the machine. */
  queue: { concurrency?: number | undefined; max_length: number };
  pool: { redis?: string | undefined };
  shutdown: { grace_ms: number };
  log: { level: LogLevel };
  dev: { delay_ms: number; behavior: 'honest' | 'wrong-input' | 'garbage' };
  /** True on the embedded local network. */
  isLocal: boolean;
}

type Input<T> = T extends readonly unknown[]
  ? T | string
  : T extends object
    ? { [K in keyof T]?: Input<T[K]> }
    : T | string;

/** What `startMiner` takes: any part of {@link MinerConfig}, nested like it or by dotted flag name. */
export type MinerConfigInput = Input<Omit<MinerConfig, 'isLocal'>> & Record<string, unknown>;

/** The loaded flag values, by flag name. */
export type MinerValues = Values<typeof MINER_SCHEMA>;

/** The miner's shape of loaded values, with wallet and bind defaults resolved for the network. */
export function toMinerConfig(v: MinerValues): MinerConfig {
  const isLocal = isLocalNetwork(v);
  return {
    netuid: v.netuid,
    wallet: {
      name: v['wallet.name'] ?? (isLocal ? 'miner' : 'default'),
      hotkey: v['wallet.hotkey'],
      path:
        v['wallet.path'] ??
        (isLocal ? join(v['localnet.dir'], 'wallets') : join(homedir(), '.bittensor', 'wallets')),
    },
    subtensor: { network: v['subtensor.network'], chain_endpoint: v['subtensor.chain_endpoint'] },
    axon: {
      port: v['axon.port'],
      ip: v['axon.ip'] ?? (isLocal ? '127.0.0.1' : '0.0.0.0'),
      external_ip: v['axon.external_ip'],
      external_port: v['axon.external_port'],
      tls_cert: v['axon.tls_cert'],
      tls_key: v['axon.tls_key'],
      tls_only: v['axon.tls_only'],
    },
    localnet: { dir: v['localnet.dir'], block_time_ms: v['localnet.block_time_ms'] },
    cache: { dir: v['cache.dir'] },
    srs: { dir: v['srs.dir'] },
    circuits: v.circuits,
    circuits_dir: v.circuits_dir,
    blacklist: { min_stake: v['blacklist.min_stake'], disabled: v['blacklist.disabled'] },
    queue: { concurrency: v['queue.concurrency'], max_length: v['queue.max_length'] },
    pool: { redis: v['pool.redis'] },
    shutdown: { grace_ms: v['shutdown.grace_ms'] },
    log: { level: v['log.level'] },
    dev: { delay_ms: v['dev.delay_ms'], behavior: v['dev.behavior'] },
    isLocal,
  };
}

/**
 * Validates a config given in code (as `startMiner` receives it: nested or dotted keys) with the same rules as
 * the command line, and resolves network-dependent defaults. Throws a `ConfigError` (`INVALID_CONFIG`).
 */
export function resolveConfig(input: MinerConfigInput | MinerConfig): MinerConfig {
  // A resolved config passes through again: `isLocal` is derived, not a setting.
  const { isLocal: _derived, ...settings } = input as Record<string, unknown>;
  return toMinerConfig(minerConfigLoader.fromObject(settings));
}

/** Usage text for `--help`, generated from the schema. */
export function usage(): string {
  return minerConfigLoader.usage();
}

/**
 * Builds the configuration from command-line flags, env vars (`OMRON_<FLAG>`, `BT_*`, the deprecated
 * `OMRON_MINER_<FLAG>`) and an optional JSON config file: flags win, then env, then the file. Throws a
 * `ConfigError` with every problem listed. Deprecation warnings go to `onWarning` (stderr by default).
 */
export function loadConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  onWarning: (message: string) => void = (m) => process.stderr.write(`miner: warning: ${m}\n`),
): MinerConfig | 'help' {
  const result = minerConfigLoader.load(argv, env);
  if (result.help) return 'help';
  for (const warning of result.warnings) onWarning(warning);
  return toMinerConfig(result.values);
}
