import { FLAGS } from './config.js';

/** What each flag means, for `--help`; flags not listed here are described by their name alone. */
const HELP: Record<string, string> = {
  netuid: 'subnet uid (default 2)',
  'wallet.name': 'wallet name (local default: validator)',
  'wallet.hotkey': 'hotkey name (default "default")',
  'wallet.path': 'wallets directory (local default: <localnet.dir>/wallets, else ~/.bittensor/wallets)',
  'subtensor.network': 'local (embedded, default) | finney | test | ws(s):// URL',
  'subtensor.chain_endpoint': 'explicit ws(s):// endpoint',
  'localnet.dir': 'embedded local network state (default ~/.omron/localnet)',
  'localnet.block_time_ms': 'local network block time (default 12000)',
  'cache.dir': 'keys and development SRS cache (default ~/.omron/cache)',
  'state.dir': 'where scores and statistics persist',
  'srs.dir': 'directory with real kzg{k}.srs files',
  'api.host': 'status API and dashboard host (default 127.0.0.1)',
  'api.port': 'status API and dashboard port (default 8100)',
  'step.interval_ms': 'pause between steps (default 2000)',
  concurrency: 'miners queried at once (default 16)',
  'metagraph.sync_interval_ms': 'metagraph refresh (5 s local, 60 s otherwise)',
  circuits: 'comma-separated circuit names (default: every enabled circuit)',
  circuits_dir: 'operator folder of circuit metadata (<name>.json, model pinned by sha256)',
  'log.level': 'pino level (default info)',
};

/** The `--help` text: every flag with what it does; env vars OMRON_VALIDATOR_<FLAG> and --config set them too. */
export function usage(): string {
  const rows = ['config', ...FLAGS].map((flag) => {
    const help = flag === 'config' ? 'JSON config file' : (HELP[flag] ?? '');
    return `  --${flag.padEnd(28)} ${help}`;
  });
  return [
    'Usage: validator [flags]',
    '',
    'Flags (also OMRON_VALIDATOR_<FLAG> env vars, e.g. OMRON_VALIDATOR_API_PORT, or a --config file):',
    ...rows,
    `  --${'help'.padEnd(28)} show this help`,
    '',
  ].join('\n');
}
