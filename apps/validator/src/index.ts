// The CLI entry: flags → startValidator → signal handlers. Everything else lives in the modules.
import { CONFIG_EXIT_CODE, isConfigError } from '@omron/config';
import { loadCommandLine } from './config.js';
import { usage } from './usage.js';
import { startValidator } from './validator.js';

function describe(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

try {
  const config = loadCommandLine(process.argv.slice(2));
  if (config === 'help') {
    process.stdout.write(usage());
    process.exit(0);
  }
  const validator = await startValidator(config);
  process.stdout.write(
    `validator uid ${validator.uid} · dashboard ${validator.url}/ · inference API ${validator.apiUrl}/v1\n`,
  );
  let closing = false;
  const shutdown = () => {
    if (closing) process.exit(1);
    closing = true;
    validator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  process.stderr.write(`validator: ${describe(err)}\n`);
  process.exit(isConfigError(err) ? CONFIG_EXIT_CODE : 1);
}
