#!/usr/bin/env node
// CLI entry: flags → startMiner → signal handlers (the shared lifecycle in @omron/config's runService).
import { runService } from '@omron/config';
import { loadConfig, usage } from './config.js';
import { startMiner } from './miner.js';

runService({ name: 'miner', load: loadConfig, usage, start: startMiner });
