import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import { type Chain, connectChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import {
  createDevelopmentWallet,
  createSynapse,
  Dendrite,
  loadWallet,
  QueryZkProofDefinition,
  type Wallet,
} from '@omron/protocol';
import { weightsVersionKey } from '@omron/scoring';
import { type Logger, pino } from 'pino';
import { createApp } from './app.js';
import { toValidatorCircuit } from './circuit-adapter.js';
import type { ValidatorConfig } from './config.js';
import { ValidatorError } from './errors.js';
import { ValidatorLoop } from './loop.js';
import { createMetrics } from './metrics.js';
import type { QueryMiner, ValidatorCircuit } from './ports.js';
import { cryptoRng } from './random.js';
import { StateStore, type ValidatorState } from './state.js';

export interface RunningValidator {
  /** Base URL of the status API and dashboard. */
  url: string;
  port: number;
  uid: number;
  hotkey: string;
  chain: Chain;
  loop: ValidatorLoop;
  /** The live state (read-only for embedders; the loop owns it). */
  state: ValidatorState;
  /** Stops the loop (abandoning a step in flight, which then counts for nothing), the server and the chain. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Circuits to use instead of opening the circuit store (an embedding that already has them loaded). */
  circuits?: readonly ValidatorCircuit[];
}

async function openWallet(config: ValidatorConfig, local: boolean): Promise<Wallet> {
  const { name, hotkey, path } = config.wallet;
  if (local) return createDevelopmentWallet({ path: path!, name, hotkey });
  return loadWallet({ name, hotkey, ...(path === undefined ? {} : { path }) });
}

async function openCircuits(config: ValidatorConfig, log: Logger): Promise<ValidatorCircuit[]> {
  const store = await CircuitStore.open({
    role: 'verifier',
    cacheDir: config.cacheDir,
    ...(config.srsDir ? { srsDir: config.srsDir } : {}),
    ...(config.circuits ? { circuits: config.circuits } : {}),
    ...(config.circuitsDir ? { extraMetadataDirs: [config.circuitsDir] } : {}),
    onProgress: (event) =>
      log.info({ circuit: event.circuit, stage: event.stage }, event.message ?? event.stage),
  });
  for (const d of store.disabled) log.warn({ circuit: d.name }, `circuit disabled: ${d.note}`);
  return store.list().map((c) => toValidatorCircuit(c, store.verifier(c.id)));
}

function dendriteQuery(dendrite: Dendrite): QueryMiner {
  return async (target, request, timeoutS, signal) => {
    const synapse = createSynapse(QueryZkProofDefinition, {
      query_input: { model_id: request.modelId, public_inputs: request.inputs },
    });
    const res = await dendrite.call(target, synapse, { timeoutS, ...(signal ? { signal } : {}) });
    return {
      statusCode: res.statusCode,
      statusMessage: res.statusMessage,
      processTimeS: res.processTimeS,
      output: res.isSuccess ? res.synapse.query_output : null,
    };
  };
}

/**
 * Starts a validator: wallet, chain (registering on the local network), circuits, saved state, the status API
 * and the loop. Resolves once the API listens and the loop has started.
 *
 * @example
 * const v = await startValidator(loadConfig([]));
 * console.log(`dashboard: ${v.url}/`);
 */
export async function startValidator(
  config: ValidatorConfig,
  options: StartOptions = {},
): Promise<RunningValidator> {
  const log = options.logger ?? pino({ level: config.logLevel, name: 'validator' });
  const { network, chainEndpoint } = config.subtensor;
  const local = network === 'local' && chainEndpoint === undefined;
  const wallet = await openWallet(config, local);
  const chain = await connectChain({
    network,
    ...(chainEndpoint ? { endpoint: chainEndpoint } : {}),
    localnetDir: config.localnet.dir,
    blockTimeMs: config.localnet.blockTimeMs,
  });
  try {
    let uid: number | null;
    if (local) uid = await chain.register(config.netuid, wallet, { role: 'validator' });
    else uid = await chain.uidForHotkey(config.netuid, wallet.hotkey.address);
    if (uid === null) {
      throw new ValidatorError(
        'NOT_REGISTERED',
        `hotkey ${wallet.hotkey.address} (${wallet.name}/${wallet.hotkeyName}) is not registered on netuid ${config.netuid} of ${network}; register it with btcli first`,
      );
    }
    const self = (await chain.metagraph(config.netuid)).neurons[uid];
    if (!self?.validatorPermit)
      log.warn({ uid }, 'no validator permit yet: miners will refuse queries and weights will fail');
    const circuits = options.circuits ?? (await openCircuits(config, log));
    if (circuits.length === 0)
      throw new ValidatorError('NO_CIRCUITS', 'no circuit is loaded; nothing to validate');

    const store = new StateStore(config.stateDir);
    const state = await store.load();
    log.info(
      { uid, hotkey: wallet.hotkey.address, step: state.step, stateFile: store.file },
      'validator state loaded',
    );
    const metrics = createMetrics(() => state);
    const loop = new ValidatorLoop({
      chain,
      network,
      netuid: config.netuid,
      wallet,
      selfUid: uid,
      circuits,
      query: dendriteQuery(new Dendrite(wallet)),
      store,
      state,
      rng: cryptoRng,
      concurrency: config.concurrency,
      versionKey: weightsVersionKey(),
      metagraphSyncIntervalMs: config.metagraphSyncIntervalMs,
      log,
      observer: metrics.observer,
    });

    const stop = new AbortController();
    let running = true;
    const app = createApp({
      network,
      netuid: config.netuid,
      selfUid: uid,
      state: () => state,
      registry: metrics.registry,
      healthy: () => running,
    });
    const server = serve({ fetch: app.fetch, hostname: config.api.host, port: config.api.port });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.api.port;

    let idle = false;
    const done = (async () => {
      while (!stop.signal.aborted) {
        try {
          const record = await loop.step(stop.signal);
          if (record) {
            const summary = record.responses.map((r) => `${r.uid}:${r.verified ? 'ok' : r.reason}`).join(' ');
            log.info({ step: record.step, circuit: record.circuitName }, `step ${record.step} ${summary}`);
          } else if (!idle) log.info('no queryable miners yet; waiting for miners to serve');
          idle = record === null;
          await loop.maybeSetWeights();
        } catch (err) {
          if (stop.signal.aborted) break;
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'step failed');
        }
        await sleep(config.stepIntervalMs, undefined, { signal: stop.signal }).catch(() => {});
      }
      running = false;
    })();

    return {
      url: `http://${config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host}:${port}`,
      port,
      uid,
      hotkey: wallet.hotkey.address,
      chain,
      loop,
      state,
      async close() {
        stop.abort(new Error('validator stopping'));
        await done;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await chain.close();
      },
    };
  } catch (err) {
    await chain.close();
    throw err;
  }
}
