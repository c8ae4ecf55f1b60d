import type { ApiPromise } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';
import { HashCommitReveal } from '../commit-reveal/hash-commit-reveal.js';
import { PendingRevealStore } from '../commit-reveal/pending-reveals.js';
import { ChainError } from '../errors.js';
import { encodeIp } from '../ip.js';
import { mechanismIndex } from '../mechanism.js';
import { resolveEndpoint } from '../networks.js';
import type {
  Chain,
  ChainLogger,
  ChainWallet,
  CommitRevealScheme,
  ResumedReveals,
  ScoreVector,
  ServeAxonRequest,
  SetWeightsOptions,
  SetWeightsResult,
  WeightsRecord,
} from '../types.js';
import { prepareWeights } from '../weights-guard.js';
import { backoffWsProvider, createSubtensorApi } from './api.js';
import { subtensorHashCommitPort } from './commit-reveal.js';
import { serveAxonTx, setWeightsTx } from './extrinsics.js';
import * as reads from './reads.js';
import { readCertificate, readCertificates, serveAxonTlsTx } from './serve-tls.js';
import { submitAndWait } from './submit.js';
import { commitTimelocked } from './timelock-commit.js';

type Provider = NonNullable<ApiOptions['provider']>;

export interface SubtensorChainOptions {
  /** 'finney', 'test', 'local' (ws://127.0.0.1:9944), 'archive' or a ws(s):// URL. */
  network: string;
  endpoint?: string;
  /** Connection timeout (default 30 s). */
  timeoutMs?: number;
  /** Scheme when a subnet has commit-reveal on: `timelock` (default, CRv4 as the SDK) or `hash` (CRv2). */
  commitReveal?: CommitRevealScheme;
  /** File where CRv2 reveals are saved before each commit (durable across restarts); memory only if unset. */
  pendingRevealsPath?: string;
  /** Seconds per block assumed when aiming a timelock round (the SDK's `block_time`; default 12). */
  blockTimeS?: number;
  logger?: ChainLogger;
  /** Block polling interval where the provider has no subscriptions (default 12 s). */
  pollMs?: number;
}

/**
 * A subtensor node through `@polkadot/api`: typed runtime APIs for reads, hotkey-signed extrinsics for writes,
 * every chain rule checked client-side first.
 *
 * @example
 * const chain = await SubtensorChain.connect({ network: 'finney' });
 * const graph = await chain.metagraph(2);
 */
export class SubtensorChain implements Chain {
  private closed = false;
  /** Pending reveals waiting for their block; rejected on close so nothing hangs. */
  private readonly waiters = new Set<{ reject: (error: Error) => void; stop: () => void }>();

  private readonly crv2: HashCommitReveal;

  private constructor(
    readonly network: string,
    readonly api: ApiPromise,
    private readonly options: ReturnType<typeof defaults> & { stop?: () => void },
  ) {
    const store = options.pendingRevealsPath ? new PendingRevealStore(options.pendingRevealsPath) : undefined;
    const port = subtensorHashCommitPort(api, network, (block) => this.waitForBlock(block));
    this.crv2 = new HashCommitReveal(port, store, options.logger);
  }

  static async connect(options: SubtensorChainOptions): Promise<SubtensorChain> {
    const endpoint = resolveEndpoint(options.network, options.endpoint);
    const { provider, stop } = backoffWsProvider(endpoint);
    try {
      const api = await createSubtensorApi(provider, options.timeoutMs);
      return new SubtensorChain(options.network, api, { ...defaults(options), stop });
    } catch (error) {
      stop();
      throw error;
    }
  }

  /** Over any provider (a replay of recorded traffic in tests). */
  static async fromProvider(provider: Provider, options: Partial<SubtensorChainOptions> = {}) {
    const api = await createSubtensorApi(provider, options.timeoutMs);
    return new SubtensorChain(options.network ?? 'custom', api, defaults(options));
  }

  async currentBlock(): Promise<number> {
    return reads.readBlock(this.api);
  }

  onBlock(cb: (block: number) => void): () => void {
    let last = -1;
    const emit = (block: number) => {
      if (block > last) {
        last = block;
        cb(block);
      }
    };
    if (this.api.hasSubscriptions) {
      const pending = this.api.rpc.chain.subscribeNewHeads((header) => emit(header.number.toNumber()));
      return () => void pending.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    }
    const timer = setInterval(() => {
      this.currentBlock().then(emit, () => undefined);
    }, this.options.pollMs);
    return () => clearInterval(timer);
  }

  async metagraph(netuid: number) {
    const [graph, certificates] = await Promise.all([
      reads.readMetagraph(this.api, netuid),
      readCertificates(this.api, netuid),
    ]);
    for (const neuron of graph.neurons) {
      const certificate = certificates.get(neuron.hotkey);
      if (certificate) neuron.certificate = certificate;
    }
    return graph;
  }

  hyperparameters(netuid: number) {
    return reads.readHyperparameters(this.api, netuid);
  }

  uidForHotkey(netuid: number, hotkey: string) {
    return reads.readUid(this.api, netuid, hotkey);
  }

  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await this.uidForHotkey(netuid, hotkey)) !== null;
  }

  async register(): Promise<number> {
    throw new ChainError(
      'UNSUPPORTED',
      'registration on subtensor burns TAO from the coldkey: use `btcli subnets register`, then start the neuron',
    );
  }

  async serveAxon(netuid: number, wallet: ChainWallet, axon: ServeAxonRequest) {
    const { certificate } = axon;
    const tx = certificate
      ? serveAxonTlsTx(this.api, netuid, { ...axon, certificate })
      : serveAxonTx(this.api, netuid, axon);
    const hotkey = wallet.hotkey.address;
    if ((await this.uidForHotkey(netuid, hotkey)) === null) throw notRegistered(hotkey, netuid);
    const [current, currentKey] = await Promise.all([
      reads.readAxon(this.api, netuid, hotkey),
      certificate ? readCertificate(this.api, netuid, hotkey) : undefined,
    ]);
    const wanted = encodeIp(axon.ip);
    // serve_axon keeps a stored key, so only a new key needs serve_axon_tls.
    const keyUnchanged =
      !certificate ||
      (currentKey !== undefined &&
        currentKey.algorithm === certificate.algorithm &&
        currentKey.publicKey === certificate.publicKey.toLowerCase());
    if (
      current &&
      current.ip === wanted.ip &&
      current.port === axon.port &&
      current.version === (axon.version ?? 0) &&
      keyUnchanged
    ) {
      return; // The SDK skips identical re-serves too.
    }
    const [block, limit] = await Promise.all([
      this.currentBlock(),
      reads.readServingRateLimit(this.api, netuid),
    ]);
    if (current && limit > 0 && current.block > 0 && block - current.block < limit) {
      throw new ChainError(
        'SERVING_RATE_LIMITED',
        `axon served ${block - current.block} blocks ago (limit ${limit})`,
      );
    }
    await submitAndWait(this.api, tx, wallet.hotkey);
  }

  /**
   * Commit-reveal off: `set_weights` (`set_mechanism_weights` for mechid > 0). On: a timelocked commit the chain
   * reveals itself (default), or a CRv2 hash commit revealed by this client in the reveal epoch.
   */
  async setWeights(
    netuid: number,
    wallet: ChainWallet,
    scores: ScoreVector,
    versionKey: number,
    options: SetWeightsOptions = {},
  ): Promise<SetWeightsResult> {
    const mechid = options.mechid ?? 0;
    const index = mechanismIndex(netuid, mechid);
    const hotkey = wallet.hotkey.address;
    const uid = await this.uidForHotkey(netuid, hotkey);
    if (uid === null) throw notRegistered(hotkey, netuid);
    const [hp, block, self, subnetN, mechanisms] = await Promise.all([
      this.hyperparameters(netuid),
      this.currentBlock(),
      reads.readNeuronLite(this.api, netuid, uid),
      reads.readSubnetN(this.api, netuid),
      reads.readMechanismCount(this.api, netuid),
    ]);
    if (mechid >= mechanisms) {
      throw new ChainError(
        'MECHANISM_NOT_FOUND',
        `netuid ${netuid} has ${mechanisms} mechanism(s); no mechid ${mechid}`,
      );
    }
    const lastUpdate = mechid === 0 ? self.lastUpdate : await reads.readLastUpdate(this.api, index, uid);
    const ctx = {
      netuid,
      uid,
      block,
      subnetN,
      hyperparameters: hp,
      validatorPermit: self.validatorPermit,
      lastUpdate,
    };
    const { uids, weights } = prepareWeights(ctx, scores, versionKey);
    if (hp.commitRevealEnabled && this.options.commitReveal === 'timelock') {
      return commitTimelocked(this.api, {
        netuid,
        mechid,
        signer: wallet.hotkey,
        uids,
        weights,
        versionKey,
        hyperparameters: hp,
        currentBlock: block,
        blockTimeS: this.options.blockTimeS,
      });
    }
    if (hp.commitRevealEnabled) {
      const committed = await this.crv2.commit(netuid, mechid, wallet, { uids, weights, versionKey });
      return { mode: 'commit', block: committed.block, uids, weights, revealed: committed.revealed };
    }
    const included = await submitAndWait(
      this.api,
      setWeightsTx(this.api, netuid, uids, weights, versionKey, mechid),
      wallet.hotkey,
    );
    return { mode: 'direct', block: included.block, uids, weights, txHash: included.txHash };
  }

  resumeReveals(wallet: ChainWallet): Promise<ResumedReveals> {
    return this.crv2.resume(wallet);
  }

  async lastWeights(
    netuid: number,
    validatorUid: number,
    options: SetWeightsOptions = {},
  ): Promise<WeightsRecord | null> {
    const index = mechanismIndex(netuid, options.mechid ?? 0);
    const pairs = await reads.readWeights(this.api, index, validatorUid);
    if (pairs.length === 0) return null;
    const block = await reads.readLastUpdate(this.api, index, validatorUid);
    return { block, uids: pairs.map(([u]) => u), weights: pairs.map(([, w]) => w) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters) {
      waiter.stop();
      waiter.reject(new ChainError('CLOSED', 'chain closed before the reveal block'));
    }
    this.waiters.clear();
    this.options.stop?.();
    await this.api.disconnect();
  }

  private waitForBlock(target: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ChainError('CLOSED', 'chain closed before the reveal block'));
        return;
      }
      const waiter = { reject, stop: () => {} };
      waiter.stop = this.onBlock((block) => {
        if (block < target) return;
        waiter.stop();
        this.waiters.delete(waiter);
        resolve();
      });
      this.waiters.add(waiter);
    });
  }
}

function defaults(options: Partial<SubtensorChainOptions>) {
  return {
    commitReveal: options.commitReveal ?? ('timelock' as CommitRevealScheme),
    pollMs: options.pollMs ?? 12_000,
    blockTimeS: options.blockTimeS ?? 12,
    pendingRevealsPath: options.pendingRevealsPath,
    logger: options.logger,
  };
}

function notRegistered(hotkey: string, netuid: number): ChainError {
  return new ChainError('NOT_REGISTERED', `hotkey ${hotkey} is not registered on netuid ${netuid}`);
}
