#!/usr/bin/env node
// CLI entry: flags → startWorker → signal handlers (the shared lifecycle in @omron/config's runService).
import { runService } from '@omron/config';
import { loadConfig, usage } from './config.js';
import { startWorker } from './worker.js';

runService({ name: 'worker', load: loadConfig, usage, start: startWorker });
