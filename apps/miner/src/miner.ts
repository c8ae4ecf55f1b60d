import type { AddressInfo } from 'node:net';
import { connectChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import { createDevelopmentWallet, loadWallet, type Wallet } from '@omron/protocol';
import { type Logger, pino } from 'pino';
import { createApp } from './app.js';
import { listenAxon } from './axon-listener.js';
import { loadAxonTls } from './axon-tls.js';
import { createBlacklist, createPriority } from './blacklist.js';
import { type MinerConfig, type MinerConfigInput, resolveConfig } from './config.js';
import { MinerError } from './errors.js';
import { MetagraphCache } from './metagraph-cache.js';
import { MinerMetrics } from './metrics.js';
import { createPool } from './pool.js';
import { advertisedIp, ensureRegistered } from './registration.js';

export interface RunningMiner {
  /** Base URL of the axon, e.g. `http://127.0.0.1:8091` (`https://` with `--axon.tls_cert`). */
  url: string;
  port: number;
  /** The miner's hotkey address. */
  hotkey: string;
  uid: number;
  store: CircuitStore;
  /** Stops accepting, cancels waiting proofs, gives running ones the grace period, closes everything. */
  close(): Promise<void>;
}

export interface StartMinerOptions {
  /** Logger to use (default: pino to stdout at the configured level). */
  logger?: Logger;
  /** An already opened circuit store (tests share one across miners). */
  store?: CircuitStore;
}

async function openWallet(config: MinerConfig): Promise<Wallet> {
  const { name, hotkey, path } = config.wallet;
  return config.isLocal
    ? createDevelopmentWallet({ path, name, hotkey })
    : loadWallet({ path, name, hotkey });
}

/**
 * Starts a miner: wallet, chain (registering on the local network), circuits, the axon on
 * `axon.ip:axon.port`, and `serve_axon` when the chain holds another endpoint.
 *
 * @example
 * const miner = await startMiner({ axon: { port: 0 }, localnet: { dir: '/tmp/net', block_time_ms: 1000 } });
 * console.log(miner.url); await miner.close();
 */
export async function startMiner(
  input: MinerConfigInput | MinerConfig,
  options: StartMinerOptions = {},
): Promise<RunningMiner> {
  const config = resolveConfig(input);
  const log = options.logger ?? pino({ level: config.log.level, base: { service: 'omron-miner' } });
  const tls = await loadAxonTls(config.axon);
  const wallet = await openWallet(config);
  log.info(
    { wallet: wallet.name, hotkey: wallet.hotkey.address, network: config.subtensor.network },
    'wallet loaded',
  );
  const chain = await connectChain({
    network: config.subtensor.network,
    ...(config.subtensor.chain_endpoint ? { endpoint: config.subtensor.chain_endpoint } : {}),
    localnetDir: config.localnet.dir,
    blockTimeMs: config.localnet.block_time_ms,
  });
  const closers: (() => Promise<void>)[] = [() => chain.close()];
  const cleanup = async () => {
    for (const close of closers.reverse())
      await close().catch((err: unknown) => log.warn({ err }, 'close failed'));
  };
  try {
    const uid = await ensureRegistered(chain, config, wallet, log);
    const store =
      options.store ??
      (await CircuitStore.open({
        role: 'prover',
        cacheDir: config.cache.dir,
        ...(config.srs.dir ? { srsDir: config.srs.dir } : {}),
        allowDevelopmentSrs: config.subtensor.network === 'local',
        ...(config.circuits ? { circuits: config.circuits } : {}),
        ...(config.circuits_dir ? { extraMetadataDirs: [config.circuits_dir] } : {}),
        onProgress: (e) => log.info({ circuit: e.circuit, stage: e.stage }, e.message),
      }));
    for (const d of store.disabled) log.warn({ circuit: d.name }, `circuit disabled: ${d.note}`);
    if (store.list().length === 0) throw new MinerError('BAD_CONFIG', 'no circuit to serve');
    if (config.dev.behavior !== 'honest' || config.dev.delay_ms > 0) {
      log.warn(
        { dev: config.dev },
        'DEVELOPMENT behaviour enabled: this miner answers dishonestly or slowly',
      );
    }

    const metrics = new MinerMetrics();
    const pool = await createPool(config, store, metrics, log);
    closers.push(() => pool.close(0));
    const metagraph = new MetagraphCache(chain, config.netuid);
    const lookup = (hotkey: string) => metagraph.lookup(hotkey);
    let closing = false;
    const app = createApp({
      hotkey: wallet.hotkey,
      store,
      pool,
      metrics,
      logger: log,
      blacklist: createBlacklist({
        lookup,
        minStake: config.blacklist.min_stake,
        disabled: config.blacklist.disabled,
      }),
      priority: createPriority(lookup),
      capacity: (await pool.stats()).size + config.queue.max_length,
      isClosing: () => closing,
    });

    const listener = await listenAxon({
      fetch: app.fetch,
      hostname: config.axon.ip,
      port: config.axon.port,
      tls,
      tlsOnly: config.axon.tls_only,
    });
    const { server } = listener;
    closers.push(() => listener.close());
    const port = (server.address() as AddressInfo).port;
    const ip = advertisedIp(config);
    const announcedPort = config.axon.external_port ?? port;
    const self = (await chain.metagraph(config.netuid)).neurons[uid];
    const onChain = self?.axon;
    const keyAnnounced =
      !tls ||
      (self?.certificate?.algorithm === tls.announced.algorithm &&
        self.certificate.publicKey === tls.announced.publicKey);
    if (onChain?.ip !== ip || onChain?.port !== announcedPort || !keyAnnounced) {
      await chain.serveAxon(config.netuid, wallet, {
        ip,
        port: announcedPort,
        ...(tls ? { certificate: tls.announced } : {}),
      });
      log.info(
        { ip, port: announcedPort, tlsKey: tls?.announced.publicKey ?? null },
        tls ? 'axon announced on chain with its TLS key (serve_axon_tls)' : 'axon announced on chain',
      );
    }
    if (!tls && self?.certificate) {
      // The chain keeps a key once announced; validators that pin it cannot reach a plain-HTTP axon.
      log.warn(
        { tlsKey: self.certificate.publicKey },
        'a TLS key is announced on chain for this hotkey but the axon serves plain HTTP: validators will fail to connect; serve with --axon.tls_cert/--axon.tls_key',
      );
    }
    const host = config.axon.ip.includes(':') ? `[${config.axon.ip}]` : config.axon.ip;
    const url = `${tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    log.info(
      { url, uid, circuits: store.list().map((c) => `${c.name}:${c.id.slice(0, 12)}`) },
      'miner ready',
    );

    let closed: Promise<void> | undefined;
    return {
      url,
      port,
      hotkey: wallet.hotkey.address,
      uid,
      store,
      close() {
        closed ??= (async () => {
          closing = true;
          const { waiting, active: running } = await pool.stats();
          log.info({ waiting, running }, 'shutting down');
          await pool.close(config.shutdown.grace_ms);
          await cleanup();
          log.info('stopped');
        })();
        return closed;
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
