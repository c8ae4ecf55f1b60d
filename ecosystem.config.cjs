// pm2 process file for an Omron miner and validator (docs/operators.md, "Run under pm2").
//
//   pm2 start ecosystem.config.cjs --only omron-miner     # or omron-validator, omron-worker
//   pm2 save && pm2 startup                               # start again after a reboot
//
// Edit the values below (or put the same flags in a --config JSON file). The flags are the
// seed's: --netuid --wallet.name --wallet.hotkey --subtensor.network; `pnpm --filter miner run
// doctor -- <the same flags>` checks them before you start. Every flag is also an OMRON_<FLAG>
// variable (--axon.external_ip → OMRON_AXON_EXTERNAL_IP; the SDK's BT_* names work too), read from
// pm2's environment or an app's `env` below; a flag in `args` wins. Secrets never go in this file: an
// encrypted hotkey's password comes from its BT_PW_* variable (btcli's), set in pm2's environment.
const { join } = require('node:path');

const NETWORK = 'finney'; // finney | test | ws(s)://your-node:9944
const NETUID = NETWORK === 'test' ? '118' : '2'; // Omron's testnet netuid is 118; check `btcli subnets list`

const miner = {
  wallet: 'miner',
  hotkey: 'default',
  axonPort: '8091',
  // The public address validators reach; required when the axon binds 0.0.0.0. Empty: the miner
  // reads OMRON_AXON_EXTERNAL_IP (or BT_AXON_EXTERNAL_IP) from pm2's environment instead.
  externalIp: '',
};

// The proving pool. A Redis with a password: export OMRON_POOL_REDIS=redis://:PASSWORD@host:6379 before
// `pm2 start`; the miner and the worker both read it from pm2's environment (a URL in args would show in
// `pm2 list`), and the miner then queues its proofs there. Unset: the worker uses a local Redis without one.
const worker = {
  redisArgs: process.env.OMRON_POOL_REDIS ? [] : ['--pool.redis', 'redis://127.0.0.1:6379'],
};

const validator = {
  wallet: 'validator',
  hotkey: 'default',
  // Status API, dashboard and /metrics; keep it on loopback behind a reverse proxy.
  apiPort: '8100',
};

const seedFlags = (wallet, hotkey) => [
  '--netuid',
  NETUID,
  '--wallet.name',
  wallet,
  '--wallet.hotkey',
  hotkey,
  '--subtensor.network',
  NETWORK,
];

// Run the TypeScript sources through tsx, from the app's own directory (where tsx is installed).
const app = (name, dir, args) => ({
  name,
  cwd: join(__dirname, dir),
  script: 'src/index.ts',
  interpreter: 'node',
  interpreter_args: '--import tsx',
  args,
  // Longer than --shutdown.grace_ms (10 s): in-flight proofs finish before pm2 sends SIGKILL.
  kill_timeout: 15_000,
  exp_backoff_restart_delay: 1_000,
  max_restarts: 50,
  time: true,
  // More settings as variables, e.g. OMRON_LOG_LEVEL: 'debug' (`<app> --help` lists them).
  env: { NODE_ENV: 'production' },
});

module.exports = {
  apps: [
    app('omron-miner', 'apps/miner', [
      ...seedFlags(miner.wallet, miner.hotkey),
      '--axon.port',
      miner.axonPort,
      ...(miner.externalIp ? ['--axon.external_ip', miner.externalIp] : []),
    ]),
    app('omron-validator', 'apps/validator', [
      ...seedFlags(validator.wallet, validator.hotkey),
      '--api.port',
      validator.apiPort,
    ]),
    // A proving-pool worker (apps/worker): proves the miner's jobs from Redis. Run it on any machine
    // with cores to spare (start the miner with --pool.redis too); `--only omron-miner` skips it.
    app('omron-worker', 'apps/worker', [...worker.redisArgs, '--subtensor.network', NETWORK]),
  ],
};
