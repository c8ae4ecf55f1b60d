#!/usr/bin/env node
import { CONFIG_EXIT_CODE } from '@omron/config';
import { isOmronError } from '@omron/core';
// `pnpm --filter worker run doctor -- <same flags as start>`: Redis reachable, circuits' SRS and keys present.
import { DOCTOR_USAGE, type DoctorTarget, parseDoctorFlags, runDoctorCommand } from '@omron/doctor';
import { loadConfig, usage, type WorkerConfig } from './config.js';

/** The worker's configuration as the doctor sees it: no wallet or chain, only what proving needs. */
export function workerDoctorTarget(config: WorkerConfig, timeoutMs: number): DoctorTarget {
  return {
    role: 'worker',
    netuid: 0,
    network: config.subtensor.network,
    isLocal: config.subtensor.network === 'local',
    localnet: { dir: '', blockTimeMs: 0 },
    wallet: { name: '', hotkey: '' },
    listen: { host: config.metrics.host, port: config.metrics.port, flag: '--metrics.port' },
    cacheDir: config.cache.dir,
    srsDir: config.srs.dir,
    circuits: config.circuits,
    keysRole: 'prover',
    redisUrl: config.pool.redis,
    timeoutMs,
  };
}

async function main(): Promise<number> {
  const flags = parseDoctorFlags(process.argv.slice(2));
  const config = loadConfig(flags.rest);
  if (config === 'help') {
    process.stdout.write(`${usage().replace('Usage: worker', 'Usage: worker doctor')}\n${DOCTOR_USAGE}`);
    return 0;
  }
  return runDoctorCommand(workerDoctorTarget(config, flags.timeoutMs), flags.json);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = isOmronError(err) ? `${err.code}: ${err.message}` : String(err);
    process.stderr.write(`worker doctor: ${message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  },
);
