import type { ApiPromise } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';
import { ChainError } from '../errors.js';
import { encodeIp } from '../ip.js';
import { resolveEndpoint } from '../networks.js';
import type {
  Chain,
  ChainWallet,
  ScoreVector,
  ServeAxonRequest,
  SetWeightsResult,
  WeightsRecord,
} from '../types.js';
import { prepareWeights } from '../weights-guard.js';
import { backoffWsProvider, createSubtensorApi } from './api.js';
import { type CommitRevealMode, commitThenReveal } from './commit-reveal.js';
import { serveAxonTx, setWeightsTx } from './extrinsics.js';
import * as reads from './reads.js';
import { readCertificate, readCertificates, serveAxonTlsTx } from './serve-tls.js';
import { submitAndWait } from './submit.js';

type Provider = NonNullable<ApiOptions['provider']>;

export interface SubtensorChainOptions {
  /** 'finney', 'test', 'local' (ws://127.0.0.1:9944), 'archive' or a ws(s):// URL. */
  network: string;
  endpoint?: string;
  /** Connection timeout (default 30 s). */
  timeoutMs?: number;
  /** Commit-reveal scheme when a subnet has it on; 'timelock' is not implemented and fails clearly. */
  commitReveal?: CommitRevealMode;
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

  private constructor(
    readonly network: string,
    readonly api: ApiPromise,
    private readonly options: { commitReveal: CommitRevealMode; pollMs: number; stop?: () => void },
  ) {}

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

  async setWeights(netuid: number, wallet: ChainWallet, scores: ScoreVector, versionKey: number) {
    const hotkey = wallet.hotkey.address;
    const uid = await this.uidForHotkey(netuid, hotkey);
    if (uid === null) throw notRegistered(hotkey, netuid);
    const [hp, block, self, subnetN] = await Promise.all([
      this.hyperparameters(netuid),
      this.currentBlock(),
      reads.readNeuronLite(this.api, netuid, uid),
      reads.readSubnetN(this.api, netuid),
    ]);
    const ctx = { netuid, uid, block, subnetN, hyperparameters: hp, ...self };
    const { uids, weights } = prepareWeights(ctx, scores, versionKey);
    if (hp.commitRevealEnabled) {
      return commitThenReveal(this.api, this.options.commitReveal, {
        netuid,
        signer: wallet.hotkey,
        uids,
        weights,
        versionKey,
        hyperparameters: hp,
        waitForBlock: (target) => this.waitForBlock(target),
      });
    }
    const included = await submitAndWait(
      this.api,
      setWeightsTx(this.api, netuid, uids, weights, versionKey),
      wallet.hotkey,
    );
    return {
      mode: 'direct',
      block: included.block,
      uids,
      weights,
      txHash: included.txHash,
    } satisfies SetWeightsResult;
  }

  async lastWeights(netuid: number, validatorUid: number): Promise<WeightsRecord | null> {
    const pairs = await reads.readWeights(this.api, netuid, validatorUid);
    if (pairs.length === 0) return null;
    const self = await reads.readNeuronLite(this.api, netuid, validatorUid);
    return { block: self.lastUpdate, uids: pairs.map(([u]) => u), weights: pairs.map(([, w]) => w) };
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
  return { commitReveal: options.commitReveal ?? 'hash', pollMs: options.pollMs ?? 12_000 };
}

function notRegistered(hotkey: string, netuid: number): ChainError {
  return new ChainError('NOT_REGISTERED', `hotkey ${hotkey} is not registered on netuid ${netuid}`);
}
