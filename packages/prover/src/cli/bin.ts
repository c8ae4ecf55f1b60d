import { processIo } from './io.js';
import { runCli } from './main.js';

// Ctrl-C aborts a running proof cleanly (exit 130) instead of killing the process mid-write.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));

process.exitCode = await runCli(process.argv.slice(2), processIo, controller.signal);
