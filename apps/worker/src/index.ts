#!/usr/bin/env node
// CLI entry: flags → startWorker → signal handlers. Everything else lives in the modules.
import { CONFIG_EXIT_CODE, isConfigError } from '@omron/config';
import { isOmronError } from '@omron/core';
import { loadConfig, usage } from './config.js';
import { startWorker } from './worker.js';

async function main(): Promise<void> {
  // `pnpm start -- --flag` passes the separator through; drop it.
  const argv = process.argv.slice(2);
  const config = loadConfig(argv[0] === '--' ? argv.slice(1) : argv);
  if (config === 'help') {
    process.stdout.write(usage());
    return;
  }
  const worker = await startWorker(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    worker.close().then(
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
  const message = isOmronError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
  process.stderr.write(`worker failed to start: ${message}\n`);
  process.exit(isConfigError(err) ? CONFIG_EXIT_CODE : 1);
});
