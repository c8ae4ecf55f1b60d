#!/usr/bin/env node
// `pnpm --filter validator doctor -- <same flags as start>`: checks a validator's configuration before it runs.
import { CONFIG_EXIT_CODE } from '@omron/config';
import { DOCTOR_USAGE, type DoctorTarget, parseDoctorFlags, runDoctorCommand } from '@omron/doctor';
import { loadCommandLine, type ValidatorConfig } from './config.js';
import { usage } from './usage.js';

/** The validator's configuration as the doctor sees it. */
export function validatorDoctorTarget(config: ValidatorConfig, timeoutMs: number): DoctorTarget {
  const { network, chainEndpoint } = config.subtensor;
  return {
    role: 'validator',
    netuid: config.netuid,
    network,
    chainEndpoint,
    isLocal: network === 'local' && chainEndpoint === undefined,
    localnet: config.localnet,
    wallet: config.wallet,
    listen: [
      { host: config.api.host, port: config.api.port, flag: '--api.port' },
      ...(config.api.inferencePort === undefined
        ? []
        : [{ host: config.api.host, port: config.api.inferencePort, flag: '--api.inference_port' }]),
    ],
    cacheDir: config.cacheDir,
    srsDir: config.srsDir,
    circuits: config.circuits,
    keysRole: 'verifier',
    timeoutMs,
  };
}

async function main(): Promise<number> {
  const flags = parseDoctorFlags(process.argv.slice(2));
  const config = loadCommandLine(flags.rest);
  if (config === 'help') {
    process.stdout.write(`${usage().replace(/validator/, 'validator doctor')}\n${DOCTOR_USAGE}`);
    return 0;
  }
  return runDoctorCommand(validatorDoctorTarget(config, flags.timeoutMs), flags.json);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = (err as { code?: unknown })?.code;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`validator doctor: ${typeof code === 'string' ? `${code}: ` : ''}${message}\n`);
    process.exit(CONFIG_EXIT_CODE);
  },
);
