// The CLI entry: flags → startValidator → signal handlers (the shared lifecycle in @omron/config's runService).
import { runService } from '@omron/config';
import { loadCommandLine } from './config.js';
import { usage } from './usage.js';
import { startValidator } from './validator.js';

runService({
  name: 'validator',
  load: loadCommandLine,
  usage,
  start: startValidator,
  startedLine: (v) => `validator uid ${v.uid} · dashboard ${v.url}/ · inference API ${v.apiUrl}/v1`,
});
