#!/usr/bin/env node
// CLI entry: flags → startMiner → signal handlers. Everything else lives in the modules.
import { CONFIG_EXIT_CODE, isConfigError } from '@omron/config';
import { loadConfig, usage } from './config.js';
import { MinerError } from './errors.js';
import { startMiner } from './miner.js';

async function main(): Promise<void> {
  // `pnpm start -- --flag` passes the separator through; drop it.
  const argv = process.argv.slice(2);
  const config = loadConfig(argv[0] === '--' ? argv.slice(1) : argv);
  if (config === 'help') {
    process.stdout.write(usage());
    return;
  }
  const miner = await startMiner(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    miner.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const coded = err instanceof MinerError || isConfigError(err);
  const message = coded ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
  process.stderr.write(`miner failed to start: ${message}\n`);
  // A configuration problem (flags, env, file, TLS files) is the operator's to fix: exit 2, as the validator does.
  const badConfig = isConfigError(err) || (err instanceof MinerError && err.code === 'INVALID_CONFIG');
  process.exit(badConfig ? CONFIG_EXIT_CODE : 1);
});
