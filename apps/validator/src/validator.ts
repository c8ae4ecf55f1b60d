import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import { type Chain, connectChain, LocalChain } from '@omron/chain';
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
import { Hono } from 'hono';
import { type Logger, pino } from 'pino';
import { accessRule } from './api/access.js';
import { CircuitCatalog } from './api/catalog.js';
import { ApiGate } from './api/gate.js';
import { RequestLimits } from './api/limits.js';
import { OrganicRouter, type OrganicRouterDeps } from './api/organic.js';
import { ReplayGuard } from './api/request-auth.js';
import { createInferenceApi } from './api/routes.js';
import { RpcEndpoint } from './api/rpc.js';
import { createApp } from './app.js';
import { toValidatorCircuit } from './circuit-adapter.js';
import type { ValidatorConfig } from './config.js';
import { ValidatorError } from './errors.js';
import { queryableMiners, ValidatorLoop } from './loop.js';
import { createMetrics } from './metrics.js';
import { isServedCircuit, type QueryMiner, type ServedCircuit, type ValidatorCircuit } from './ports.js';
import { cryptoRng } from './random.js';
import { StateStore, type ValidatorState } from './state.js';

export interface RunningValidator {
  /** Base URL of the status API and dashboard. */
  url: string;
  port: number;
  /** Base URL of the inference API (its routes are under `/v1`); `url` unless `--api.inference_port` is set. */
  apiUrl: string;
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
  /** Only circuits with their published artifacts (`ServedCircuit`) are offered through the inference API. */
  circuits?: readonly ValidatorCircuit[];
}

async function openWallet(config: ValidatorConfig, local: boolean): Promise<Wallet> {
  const { name, hotkey, path } = config.wallet;
  if (local) return createDevelopmentWallet({ path: path!, name, hotkey });
  return loadWallet({ name, hotkey, ...(path === undefined ? {} : { path }) });
}

async function openCircuits(config: ValidatorConfig, log: Logger): Promise<ServedCircuit[]> {
  const store = await CircuitStore.open({
    role: 'verifier',
    cacheDir: config.cacheDir,
    ...(config.srsDir ? { srsDir: config.srsDir } : {}),
    allowDevelopmentSrs: config.subtensor.network === 'local',
    ...(config.circuits ? { circuits: config.circuits } : {}),
    ...(config.circuitsDir ? { extraMetadataDirs: [config.circuitsDir] } : {}),
    onProgress: (event) =>
      log.info({ circuit: event.circuit, stage: event.stage }, event.message ?? event.stage),
  });
  for (const d of store.disabled) log.warn({ circuit: d.name }, `circuit disabled: ${d.note}`);
  return store.list().map((c) => toValidatorCircuit(c, store.verifier(c.id)));
}

/** One `QueryZkProof` to one miner through the dendrite (the loop's and the inference API's way to ask). */
export function dendriteQuery(dendrite: Dendrite): QueryMiner {
  return async (target, request, timeoutS, signal) => {
    const synapse = createSynapse(QueryZkProofDefinition, {
      query_input: { model_id: request.modelId, public_inputs: request.inputs },
    });
    const res = await dendrite.call(target, synapse, { timeoutS, ...(signal ? { signal } : {}) });
    return {
      statusCode: res.statusCode,
      statusMessage: res.statusMessage,
      processTimeS: res.processTimeS,
      // The dendrite only calls an answer a success when the miner's hotkey signed it for this request.
      output: res.isSuccess ? res.synapse.query_output : null,
      responseSignature: res.responseSignature,
    };
  };
}

/** A Hono app listening; resolves once bound (port 0 picks a free one). */
async function listen(app: Hono, hostname: string, port: number) {
  const server = serve({ fetch: app.fetch, hostname, port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** The inference API (`/v1` routes and the RPC endpoint) over the loop's metagraph and scores. */
function inferenceApi(
  config: ValidatorConfig,
  deps: {
    circuits: readonly ValidatorCircuit[];
    loop: ValidatorLoop;
    query: QueryMiner;
    state: ValidatorState;
    selfUid: number;
    onOutcome: OrganicRouterDeps['onOutcome'];
  },
) {
  const { loop, state } = deps;
  const catalog = new CircuitCatalog(deps.circuits.filter(isServedCircuit));
  const router = new OrganicRouter({
    query: deps.query,
    candidates: () => (loop.metagraph ? queryableMiners(loop.metagraph, deps.selfUid) : []),
    scoreOf: (uid) => (uid < state.book.size ? state.book.score(uid) : 0),
    maxAttempts: config.api.attempts,
    ...(deps.onOutcome ? { onOutcome: deps.onOutcome } : {}),
  });
  const gate = new ApiGate({
    public: config.api.public,
    rule: accessRule(config.api.allow, config.api.minStake),
    stakeOf: (ss58) => loop.metagraph?.neurons.find((n) => n.hotkey === ss58)?.stake ?? 0,
    guard: new ReplayGuard(Math.floor(Date.now() / 1000)),
    limits: new RequestLimits({
      perMinute: config.api.ratePerMin,
      perKeyInFlight: config.api.keyInFlight,
      totalInFlight: config.api.maxInFlight,
    }),
  });
  return {
    routes: createInferenceApi({ catalog, router, gate }),
    rpc: new RpcEndpoint({ catalog, router, gate }),
    router,
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
    commitReveal: config.commitReveal,
    // CRv2 reveals owed are saved here before each commit, so a restart still reveals them.
    pendingRevealsPath: join(config.stateDir, 'pending-reveals.json'),
    logger: log.child({ component: 'chain' }),
  });
  try {
    let uid: number | null;
    if (local) uid = await chain.register(config.netuid, wallet, { role: 'validator' });
    else uid = await chain.uidForHotkey(config.netuid, wallet.hotkey.address);
    if (local && chain instanceof LocalChain && config.localnet.commitReveal !== undefined) {
      await chain.setHyperparameters(config.netuid, {
        commitRevealEnabled: config.localnet.commitReveal,
        ...(config.localnet.tempo ? { tempo: config.localnet.tempo } : {}),
      });
    }
    const resumed = await chain.resumeReveals(wallet);
    if (resumed.scheduled + resumed.dropped > 0)
      log.info({ scheduled: resumed.scheduled, dropped: resumed.dropped }, 'saved CRv2 reveals resumed');
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
    const query = dendriteQuery(new Dendrite(wallet));
    const loop = new ValidatorLoop({
      chain,
      network,
      netuid: config.netuid,
      wallet,
      selfUid: uid,
      circuits,
      query,
      store,
      state,
      rng: cryptoRng,
      concurrency: config.concurrency,
      versionKey: weightsVersionKey(),
      mechid: config.mechid,
      metagraphSyncIntervalMs: config.metagraphSyncIntervalMs,
      log,
      observer: metrics.observer,
    });

    const stop = new AbortController();
    let running = true;
    const inference = inferenceApi(config, {
      circuits,
      loop,
      query,
      state,
      selfUid: uid,
      onOutcome: metrics.onOrganic,
    });
    const app = createApp({
      network,
      netuid: config.netuid,
      selfUid: uid,
      state: () => state,
      registry: metrics.registry,
      healthy: () => running,
      tryPage: {
        circuits: circuits.filter(isServedCircuit).map((c) => ({ id: c.id, name: c.name })),
        public: config.api.public,
        apiPort: config.api.inferencePort,
        example: (id) => circuits.find((c) => c.id === id)?.generateInput(Math.random),
      },
    });
    const separate = config.api.inferencePort !== undefined;
    if (!separate) app.route('/v1', inference.routes);
    const server = await listen(app, config.api.host, config.api.port);
    const apiServer = separate
      ? await listen(new Hono().route('/v1', inference.routes), config.api.host, config.api.inferencePort!)
      : server;
    apiServer.server.on('upgrade', (req, socket, head) => inference.rpc.handleUpgrade(req, socket, head));
    const port = server.port;

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

    const host = config.api.host.includes(':') ? `[${config.api.host}]` : config.api.host;
    return {
      url: `http://${host}:${port}`,
      port,
      apiUrl: `http://${host}:${apiServer.port}`,
      uid,
      hotkey: wallet.hotkey.address,
      chain,
      loop,
      state,
      async close() {
        stop.abort(new Error('validator stopping'));
        await done;
        inference.rpc.close();
        await server.close();
        if (separate) await apiServer.close();
        await chain.close();
      },
    };
  } catch (err) {
    await chain.close();
    throw err;
  }
}
