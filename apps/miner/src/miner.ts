import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { connectChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import { createDevelopmentWallet, loadWallet, type Wallet } from '@omron/protocol';
import { type Logger, pino } from 'pino';
import { createApp } from './app.js';
import { createBlacklist, createPriority } from './blacklist.js';
import { type MinerConfig, type MinerConfigInput, resolveConfig } from './config.js';
import { MinerError } from './errors.js';
import { MetagraphCache } from './metagraph-cache.js';
import { MinerMetrics } from './metrics.js';
import { ProvingQueue } from './queue.js';
import { advertisedIp, ensureRegistered } from './registration.js';

export interface RunningMiner {
  /** Base URL of the axon, e.g. `http://127.0.0.1:8091`. */
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
    const queue = new ProvingQueue({
      concurrency: config.queue.concurrency,
      maxLength: config.queue.max_length,
      onChange: ({ waiting, running }) => {
        metrics.queueDepth.set(waiting);
        metrics.proofsRunning.set(running);
      },
    });
    const metagraph = new MetagraphCache(chain, config.netuid);
    const lookup = (hotkey: string) => metagraph.lookup(hotkey);
    let closing = false;
    const app = createApp({
      hotkey: wallet.hotkey,
      store,
      queue,
      metrics,
      logger: log,
      blacklist: createBlacklist({
        lookup,
        minStake: config.blacklist.min_stake,
        disabled: config.blacklist.disabled,
      }),
      priority: createPriority(lookup),
      dev: { delayMs: config.dev.delay_ms, behavior: config.dev.behavior },
      capacity: config.queue.concurrency + config.queue.max_length,
      isClosing: () => closing,
    });

    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.axon.ip, port: config.axon.port }, () =>
        resolve(s),
      );
      s.once('error', reject);
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive sockets would hold close() open forever.
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const ip = advertisedIp(config);
    const announcedPort = config.axon.external_port ?? port;
    const onChain = (await chain.metagraph(config.netuid)).neurons[uid]?.axon;
    if (onChain?.ip !== ip || onChain?.port !== announcedPort) {
      await chain.serveAxon(config.netuid, wallet, { ip, port: announcedPort });
      log.info({ ip, port: announcedPort }, 'axon announced on chain');
    }
    const host = config.axon.ip.includes(':') ? `[${config.axon.ip}]` : config.axon.ip;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
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
          log.info({ waiting: queue.depth, running: queue.active }, 'shutting down');
          await queue.close(config.shutdown.grace_ms);
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
