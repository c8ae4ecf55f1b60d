// A tiny service run through runService, driven by the run-service test as a real child process.
import { OmronError } from '@omron/core';
import { runService } from '../src/run-service.js';

const mode = process.env.FIXTURE_MODE ?? 'ok';

runService({
  name: 'svc',
  load: (argv) => (argv.includes('--help') ? 'help' : { argv }),
  usage: () => 'usage: svc [--help]\n',
  start: async (config) => {
    if (mode === 'bad-config') throw new OmronError('INVALID_CONFIG', 'the TLS key file is missing');
    if (mode === 'crash') throw new Error('boom');
    // A real service holds a server open; this timer keeps the process alive the same way.
    const alive = setInterval(() => {}, 60_000);
    return {
      argv: config.argv,
      close: async () => {
        clearInterval(alive);
        process.stdout.write('closed\n');
      },
    };
  },
  startedLine: (s) => `up with ${JSON.stringify(s.argv)}`,
});
