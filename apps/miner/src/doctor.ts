#!/usr/bin/env node
import { CONFIG_EXIT_CODE, isConfigError } from '@omron/config';
// `pnpm --filter miner doctor -- <same flags as start>`: checks a miner's configuration before it costs anything.
import {
  type Check,
  DOCTOR_OPTIONS,
  type DoctorContext,
  type DoctorTarget,
  runDoctorCommand,
} from '@omron/doctor';
import { loadAxonTls } from './axon-tls.js';
import { type MinerConfig, minerConfigLoader, toMinerConfig } from './config.js';
import { MinerError } from './errors.js';
import { advertisedIp } from './registration.js';

/** `--axon.tls_cert`/`--axon.tls_key` load as the axon will load them (Ed25519, the key matches). */
function tlsCheck(config: MinerConfig): Check<DoctorContext> {
  return {
    id: 'tls',
    title: 'axon TLS',
    async run() {
      if (!config.axon.tls_cert) return { status: 'skip', detail: 'plain HTTP (no --axon.tls_cert)' };
      try {
        await loadAxonTls(config.axon);
      } catch (err) {
        if (!(err instanceof MinerError)) throw err;
        return {
          status: 'fail',
          detail: err.message,
          fix: 'an Ed25519 pair: openssl req -x509 -newkey ed25519 -nodes -days 3650 -subj /CN=axon -keyout key.pem -out cert.pem',
        };
      }
      const only = config.axon.tls_only ? 'HTTPS only' : 'HTTPS and plain HTTP on one port';
      return {
        status: 'pass',
        detail: `${config.axon.tls_cert}: Ed25519 certificate with its key (${only})`,
      };
    },
  };
}

/** The miner's configuration as the doctor sees it. */
export function minerDoctorTarget(config: MinerConfig, timeoutMs: number): DoctorTarget {
  let announce: DoctorTarget['announce'];
  const port = config.axon.external_port ?? config.axon.port;
  try {
    announce = { ip: advertisedIp(config), port };
  } catch (err) {
    announce = { ip: null, port, why: (err as Error).message };
  }
  return {
    role: 'miner',
    netuid: config.netuid,
    network: config.subtensor.network,
    chainEndpoint: config.subtensor.chain_endpoint,
    isLocal: config.isLocal,
    localnet: { dir: config.localnet.dir, blockTimeMs: config.localnet.block_time_ms },
    wallet: config.wallet,
    listen: { host: config.axon.ip, port: config.axon.port, flag: '--axon.port' },
    announce,
    cacheDir: config.cache.dir,
    srsDir: config.srs.dir,
    circuits: config.circuits,
    keysRole: 'prover',
    redisUrl: config.pool.redis,
    timeoutMs,
    extraChecks: [tlsCheck(config)],
  };
}

async function main(): Promise<number> {
  const loader = minerConfigLoader.extend({ app: 'miner doctor', schema: DOCTOR_OPTIONS });
  const result = loader.load(process.argv.slice(2));
  if (result.help) {
    process.stdout.write(loader.usage());
    return 0;
  }
  for (const warning of result.warnings) process.stderr.write(`miner doctor: warning: ${warning}\n`);
  const { json, timeout_ms } = result.values;
  return runDoctorCommand(minerDoctorTarget(toMinerConfig(result.values), timeout_ms), json);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const coded = err instanceof MinerError || isConfigError(err);
    process.stderr.write(`miner doctor: ${coded ? `${err.code}: ${err.message}` : String(err)}\n`);
    process.exit(CONFIG_EXIT_CODE);
  },
);
