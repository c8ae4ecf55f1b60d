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
  'localnet.commit_reveal': "local network only: turn the subnet's commit-reveal on | off at start",
  'localnet.tempo': 'local network only: set the subnet tempo at start',
  'subtensor.commit_reveal': 'scheme under commit-reveal: timelock (CRv4, default) | hash (CRv2)',
  mechid: 'mechanism (sub-subnet) the weights go to (default 0)',
  'cache.dir': 'keys and development SRS cache (default ~/.omron/cache)',
  'state.dir': 'where scores and statistics persist',
  'srs.dir': 'directory with real kzg{k}.srs files',
  'api.host': 'status API and dashboard host (default 127.0.0.1)',
  'api.port': 'status API and dashboard port (default 8100)',
  'api.inference_port': 'inference API (/v1) on its own port (default: on the status server)',
  'api.public': 'inference API without signatures, local network only (default false)',
  'api.allow': 'comma-separated ss58 keys allowed to call the inference API',
  'api.min_stake': 'minimum subnet stake of a caller (default 1024 without --api.allow)',
  'api.rate_per_min': 'requests per minute per key (default 60)',
  'api.key_in_flight': 'inferences in flight per key (default 4)',
  'api.max_in_flight': 'inferences in flight in total (default 32)',
  'api.attempts': 'miners tried per inference (default 3)',
  'step.interval_ms': 'pause between steps (default 2000)',
  concurrency: 'miners queried at once (default 16)',
  'metagraph.sync_interval_ms': 'metagraph refresh (5 s local, 60 s otherwise)',
  circuits: 'comma-separated circuit names (default: every enabled circuit)',
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
