import { isOmronError } from '@omron/core';
import { CONFIG_EXIT_CODE, isConfigError } from './errors.js';

/** What an app's CLI entry supplies; the process lifecycle around it is the same for every app. */
export interface ServiceEntry<Config, Service extends { close(): Promise<void> }> {
  /** Names the app in messages (`miner failed to start: …`). */
  name: string;
  /** Parses flags and env; `'help'` when `--help` was asked for. */
  load(argv: string[]): Config | 'help';
  usage(): string;
  start(config: Config): Promise<Service>;
  /** A line to print once the service is up. */
  startedLine?(service: Service): string | undefined;
}

/**
 * The one CLI entry of the long-running apps: flags → start → stop on SIGINT/SIGTERM. A second signal exits at once
 * (130). A configuration problem — a `ConfigError`, or any error coded `INVALID_CONFIG` found while starting (TLS
 * files, circuits to serve) — is the operator's to fix and exits {@link CONFIG_EXIT_CODE}; anything else exits 1.
 * Coded errors print `CODE: message`; others print their stack.
 */
export function runService<Config, Service extends { close(): Promise<void> }>(
  entry: ServiceEntry<Config, Service>,
  argv: string[] = process.argv.slice(2),
): void {
  run(entry, argv).catch((err: unknown) => {
    const message = isOmronError(err) ? `${err.code}: ${err.message}` : String((err as Error)?.stack ?? err);
    process.stderr.write(`${entry.name} failed to start: ${message}\n`);
    process.exit(isStartupConfigError(err) ? CONFIG_EXIT_CODE : 1);
  });
}

async function run<Config, Service extends { close(): Promise<void> }>(
  entry: ServiceEntry<Config, Service>,
  argv: string[],
): Promise<void> {
  // `pnpm start -- --flag` passes the separator through; drop it.
  const config = entry.load(argv[0] === '--' ? argv.slice(1) : argv);
  if (config === 'help') {
    process.stdout.write(entry.usage());
    return;
  }
  const service = await entry.start(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${entry.name}: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Printed only once the handlers are in place: a supervisor that signals as soon as it sees the line must not
  // meet the default action (an immediate kill, no close).
  const line = entry.startedLine?.(service);
  if (line) process.stdout.write(`${line}\n`);
}

function isStartupConfigError(err: unknown): boolean {
  return isConfigError(err) || isOmronError(err, 'INVALID_CONFIG');
}
