import { homedir } from 'node:os';
import { join } from 'node:path';
import { group, opt } from './option.js';

/**
 * The options every app shares, declared once so they mean the same everywhere (names, env vars, rules).
 * An app spreads the groups it needs into its schema and adds its own options.
 */

/** netuid 0 is the root network, not a subnet: every app needs ≥ 1. */
export const MIN_NETUID = 1;

export const NETUID_OPTIONS = group('Subnet', {
  netuid: opt.int({
    help: 'subnet uid (Omron: 2 on finney, 118 on testnet)',
    min: MIN_NETUID,
    max: 65_535,
    default: 2,
    // Not an SDK variable, but the miner read it before; kept so no deployment breaks.
    env: ['BT_NETUID'],
  }),
});

export const WALLET_OPTIONS = group('Wallet (btcli layout; an encrypted hotkey reads its BT_PW_* password)', {
  'wallet.name': opt.string({
    help: 'wallet (coldkey) name',
    defaultText: 'the role on the local network, else default',
    env: ['BT_WALLET_NAME'],
  }),
  'wallet.hotkey': opt.string({ help: 'hotkey name', default: 'default', env: ['BT_WALLET_HOTKEY'] }),
  'wallet.path': opt.path({
    help: 'wallets directory',
    defaultText: '<localnet.dir>/wallets on the local network, else ~/.bittensor/wallets',
    env: ['BT_WALLET_PATH'],
  }),
});

export const SUBTENSOR_OPTIONS = group('Subtensor', {
  'subtensor.network': opt.string({
    help: 'local (embedded) | finney | test | archive | ws(s):// URL',
    default: 'local',
    env: ['BT_SUBTENSOR_NETWORK'],
  }),
  'subtensor.chain_endpoint': opt.url({
    help: 'explicit ws(s):// endpoint (wins over --subtensor.network)',
    protocols: ['ws', 'wss'],
    env: ['BT_SUBTENSOR_CHAIN_ENDPOINT'],
  }),
});

export const LOCALNET_OPTIONS = group('Local network (subtensor.network local)', {
  'localnet.dir': opt.path({
    help: 'embedded local network state',
    default: join(homedir(), '.omron', 'localnet'),
  }),
  'localnet.block_time_ms': opt.int({ help: 'block time', min: 1, max: 3_600_000, default: 12_000 }),
});

export const LOG_OPTIONS = group('Logging', {
  'log.level': opt.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    help: 'pino log level',
    default: 'info',
  }),
});

/** For an app with no HTTP server of its own (the worker); the miner and validator serve /metrics on theirs. */
export const METRICS_OPTIONS = group('Metrics', {
  'metrics.port': opt.int({
    help: 'serve Prometheus /metrics on this port (unset: no metrics server)',
    min: 0,
    max: 65_535,
  }),
  'metrics.host': opt.string({ help: 'address the metrics server binds', default: '127.0.0.1' }),
});

export const FILES_OPTIONS = group('Files', {
  'cache.dir': opt.path({
    help: 'keys and development SRS cache',
    default: join(homedir(), '.omron', 'cache'),
  }),
  'srs.dir': opt.path({ help: 'directory with real kzg{k}.srs files (perpetual powers of tau)' }),
});

/** Where a role keeps state across restarts; each app gives its own default. */
export const STATE_OPTIONS = group('Files', {
  'state.dir': opt.path({ help: 'where state persists across restarts' }),
});

export const CIRCUIT_OPTIONS = group('Circuits', {
  circuits: opt.list({ help: 'circuit names to use', defaultText: 'every enabled circuit' }),
  circuits_dir: opt.path({
    help: 'operator folder of circuit metadata (<name>.json, model pinned by sha256)',
  }),
});

/** What the miner, validator and worker all take: subnet, wallet, chain, local network, files, circuits, logs. */
export const COMMON_OPTIONS = {
  ...NETUID_OPTIONS,
  ...WALLET_OPTIONS,
  ...SUBTENSOR_OPTIONS,
  ...LOCALNET_OPTIONS,
  ...FILES_OPTIONS,
  ...CIRCUIT_OPTIONS,
  ...LOG_OPTIONS,
};

/** True when the settings select the embedded local network (no explicit endpoint). */
export function isLocalNetwork(values: {
  'subtensor.network': string;
  'subtensor.chain_endpoint'?: string | undefined;
}): boolean {
  return values['subtensor.network'] === 'local' && values['subtensor.chain_endpoint'] === undefined;
}
