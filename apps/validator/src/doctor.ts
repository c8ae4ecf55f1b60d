#!/usr/bin/env node
// `pnpm --filter validator doctor -- <same flags as start>`: checks a validator's configuration before it runs.
import { CONFIG_EXIT_CODE } from '@omron/config';
import { DOCTOR_OPTIONS, type DoctorTarget, runDoctorCommand } from '@omron/doctor';
import { toValidatorConfig, type ValidatorConfig, validatorConfigLoader } from './config.js';

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
  const loader = validatorConfigLoader.extend({ app: 'validator doctor', schema: DOCTOR_OPTIONS });
  const result = loader.load(process.argv.slice(2));
  if (result.help) {
    process.stdout.write(loader.usage());
    return 0;
  }
  for (const warning of result.warnings) process.stderr.write(`validator doctor: warning: ${warning}\n`);
  const { json, timeout_ms } = result.values;
  return runDoctorCommand(validatorDoctorTarget(toValidatorConfig(result.values), timeout_ms), json);
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
